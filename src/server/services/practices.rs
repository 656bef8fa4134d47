//! Practices and their clinicians as the Eligibility & Reporting pages show them. Everything a
//! page needs for a year is read in one query per table (`YearFacts::load`), whatever the number
//! of practices and clinicians.

use super::cards::{clinician_card, practice_card, CardContext};
use super::index_by;
use crate::api::{ClinicianCard, CliniciansResponse, ElectionRecord, PracticeCard, PracticesResponse};
use crate::domain::{ElectionWindow, Npi, PerformanceYear, Timestamp, Tin};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use crate::server::store::clinicians::ClinicianRow;
use crate::server::store::pathways::PathwayRow;
use crate::server::store::practices::PracticeRow;
use crate::server::store::Scope;
use std::collections::{HashMap, HashSet};

/// Refuses a practice the user is not connected to.
pub async fn require_connection(state: &AppState, user_id: &str, tin: &Tin) -> Result<(), ApiError> {
    if state.store.is_connected(user_id, tin).await? {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "NotConnectedToPractice",
            format!("You are not connected to the practice with TIN {tin}. Ask the practice's Security Official to connect you to it."),
        ))
    }
}

pub fn no_practice(tin: &Tin, year: PerformanceYear) -> ApiError {
    ApiError::not_found(
        "NoPracticeInformation",
        format!("There is no eligibility information for TIN {tin} in performance year {year}."),
    )
}

pub fn no_clinician(tin: &Tin, npi: &Npi, year: PerformanceYear) -> ApiError {
    ApiError::not_found(
        "NoProviderInformation",
        format!("There is no eligibility information for NPI {npi} at TIN {tin} in performance year {year}."),
    )
}

type Key = (Tin, Option<Npi>);

/// What the store holds for a scope in one year.
struct YearFacts {
    practices: Vec<PracticeRow>,
    clinicians: Vec<ClinicianRow>,
    elections: HashMap<Key, ElectionRecord>,
    pathways: HashMap<Key, PathwayRow>,
    in_virtual_group: HashSet<Tin>,
    window: Option<ElectionWindow>,
    now: Timestamp,
}

impl YearFacts {
    async fn load(state: &AppState, scope: Scope<'_>, year: PerformanceYear) -> Result<YearFacts, ApiError> {
        let store = &state.store;
        Ok(YearFacts {
            practices: store.practices_in(scope, year).await?,
            clinicians: store.clinicians_in(scope, year).await?,
            elections: index_by(store.elections_in(scope, year).await?, |e| (e.tin.clone(), e.npi.clone())),
            pathways: index_by(store.pathways_in(scope, year).await?, |p| (p.tin.clone(), p.npi.clone())),
            in_virtual_group: store.virtual_group_tins(year).await?.into_iter().collect(),
            window: store.window(year).await?,
            now: state.now(),
        })
    }

    fn context(&self, tin: &Tin, npi: Option<&Npi>) -> CardContext<'_> {
        let key = (tin.clone(), npi.cloned());
        CardContext {
            election: self.elections.get(&key),
            pathway: self.pathways.get(&key),
            in_virtual_group: self.in_virtual_group.contains(tin),
            window: self.window.as_ref(),
            now: self.now,
        }
    }

    fn practice_card(&self, p: &PracticeRow) -> Result<PracticeCard, ApiError> {
        let n = self.clinicians.iter().filter(|c| c.tin == p.tin).count() as i64;
        practice_card(p, n, self.context(&p.tin, None))
    }

    fn clinician_card(&self, c: &ClinicianRow) -> Result<ClinicianCard, ApiError> {
        let name = self.practices.iter().find(|p| p.tin == c.tin).map(|p| p.name.as_str()).unwrap_or("");
        clinician_card(c, name, self.context(&c.tin, Some(&c.npi)))
    }

    fn practice(&self, tin: &Tin, year: PerformanceYear) -> Result<&PracticeRow, ApiError> {
        self.practices.iter().find(|p| p.tin == *tin).ok_or_else(|| no_practice(tin, year))
    }
}

/// Every practice the user is connected to, and their clinicians, for one year.
pub async fn practices_of_user(
    state: &AppState, user_id: &str, year: PerformanceYear,
) -> Result<PracticesResponse, ApiError> {
    let f = YearFacts::load(state, Scope::User(user_id), year).await?;
    Ok(PracticesResponse {
        performance_year: year,
        window_phase: f.window.as_ref().map(|w| w.phase(f.now)),
        practices: f.practices.iter().map(|p| f.practice_card(p)).collect::<Result<_, _>>()?,
        clinicians: f.clinicians.iter().map(|c| f.clinician_card(c)).collect::<Result<_, _>>()?,
        window: f.window.clone(),
    })
}

pub async fn practice(state: &AppState, year: PerformanceYear, tin: &Tin) -> Result<PracticeCard, ApiError> {
    let f = YearFacts::load(state, Scope::Practice(tin), year).await?;
    f.practice_card(f.practice(tin, year)?)
}

pub async fn clinicians(state: &AppState, year: PerformanceYear, tin: &Tin) -> Result<CliniciansResponse, ApiError> {
    let f = YearFacts::load(state, Scope::Practice(tin), year).await?;
    let practice = f.practice_card(f.practice(tin, year)?)?;
    let clinicians = f.clinicians.iter().map(|c| f.clinician_card(c)).collect::<Result<_, _>>()?;
    Ok(CliniciansResponse { practice, clinicians })
}

pub async fn clinician(
    state: &AppState, year: PerformanceYear, tin: &Tin, npi: &Npi,
) -> Result<ClinicianCard, ApiError> {
    let f = YearFacts::load(state, Scope::Practice(tin), year).await?;
    f.practice(tin, year)?;
    let c = f.clinicians.iter().find(|c| c.npi == *npi).ok_or_else(|| no_clinician(tin, npi, year))?;
    f.clinician_card(c)
}
