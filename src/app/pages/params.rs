//! What a page reads from its address, the selected performance year and the `:tin`, and the
//! year selector that changes it.

use crate::api::PerformanceYearInfo;
use crate::app::client::ClientError;
use crate::app::components::{LoadError, Loading, YearSelect};
use crate::app::context::use_app;
use crate::domain::{PerformanceYear, Tin};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The performance year of the page: `?year=` when given and valid, else the API's default year.
pub fn use_selected_year() -> Memo<Option<PerformanceYear>> {
    let query = use_query_map();
    let app = use_app();
    Memo::new(move |_| {
        let from_query = query.read().get("year").and_then(|y| PerformanceYear::parse(&y).ok());
        from_query.or_else(|| app.years.get().and_then(|r| r.ok()).map(|y| y.default_year))
    })
}

/// The `:tin` of the route, validated.
pub fn use_tin_param() -> Memo<Result<Tin, String>> {
    let params = use_params_map();
    Memo::new(move |_| Tin::parse(&params.read().get("tin").unwrap_or_default()).map_err(|e| e.0))
}

/// The Performance Year selector and what the page shows about the selected year, once the
/// years are loaded (Account Home's key dates, Eligibility & Reporting's notices).
#[component]
pub fn YearPanel<V: IntoView + 'static>(
    year: Memo<Option<PerformanceYear>>, loading: &'static str,
    on_change: impl Fn(PerformanceYear) + Clone + Send + Sync + 'static, details: fn(PerformanceYearInfo) -> V,
) -> impl IntoView {
    let app = use_app();
    view! {
        <Transition fallback=move || view! { <Loading what=loading/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || {
                    let selected = year.get();
                    let on_change = on_change.clone();
                    Suspend::new(async move {
                        let years = app.years.await?;
                        let y = selected.unwrap_or(years.default_year);
                        let info = years.years.iter().find(|i| i.performance_year == y).cloned();
                        Ok::<_, ClientError>(view! {
                            <YearSelect years=years.years.clone() selected=y on_change/>
                            {info.map(details)}
                        })
                    })
                }}
            </ErrorBoundary>
        </Transition>
    }
}
