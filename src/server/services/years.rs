//! Performance years: which years exist, their windows, thresholds and data runs, and the
//! default year when a request names none.

use crate::api::{PerformanceYearInfo, PerformanceYearsResponse};
use crate::domain::lvt::threshold_is_verified;
use crate::domain::year::FIRST_OPT_IN_YEAR;
use crate::domain::{low_volume_threshold, PerformanceYear};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;

/// Years from the first opt-in year to now (or the last window), newest first.
pub async fn performance_years(state: &AppState) -> Result<PerformanceYearsResponse, ApiError> {
    let now = state.now();
    let windows = state.store.windows().await?;
    let runs = state.store.data_runs().await?;
    let current = now.to_eastern().year as u16;
    let last = windows.iter().map(|w| w.performance_year.get()).max().unwrap_or(current).max(current);
    let mut years = vec![];
    for y in (FIRST_OPT_IN_YEAR..=last).rev() {
        let py = PerformanceYear::new(y).map_err(ApiError::internal_because)?;
        let window = windows.iter().find(|w| w.performance_year == py).cloned();
        years.push(PerformanceYearInfo {
            performance_year: py,
            window_phase: window.as_ref().map(|w| w.phase(now)),
            window,
            threshold: low_volume_threshold(py),
            threshold_verified: threshold_is_verified(py),
            data_runs: runs.iter().filter(|r| r.performance_year == py).cloned().collect(),
        });
    }
    let default_year = crate::domain::window::default_year(&windows, now);
    Ok(PerformanceYearsResponse { default_year, years, server_time: now })
}

/// The year asked for, or the default year (as the QPP Eligibility API does when it is omitted).
pub async fn year_or_default(state: &AppState, year: Option<PerformanceYear>) -> Result<PerformanceYear, ApiError> {
    match year {
        Some(y) => Ok(y),
        None => Ok(crate::domain::window::default_year(&state.store.windows().await?, state.now())),
    }
}

/// Standings and cards need the year's low-volume threshold; without one nothing can be decided.
pub fn require_threshold(year: PerformanceYear) -> Result<crate::domain::LowVolumeThreshold, ApiError> {
    low_volume_threshold(year).ok_or_else(|| {
        ApiError::unprocessable(
            "NoLowVolumeThreshold",
            format!("No low-volume threshold is known for performance year {year}, so eligibility cannot be decided."),
        )
    })
}
