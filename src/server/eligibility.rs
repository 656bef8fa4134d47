//! Eligibility API for programs, modelled on CMS's QPP Eligibility API
//! (`../shared/docs/elections.md` §1): the public clinician lookup and the opt-in read. The
//! same domain rules as the screens decide every value.

use super::auth::CurrentUser;
use super::error::ApiError;
use super::store::{ClinicianRow, ElectionRow, PracticeRow};
use super::AppState;
use crate::api::*;
use crate::domain::lvt::LowVolumeAssessment;
use crate::domain::window::default_year;
use crate::domain::{low_volume_threshold, LowVolumeStatus, Npi, PerformanceYear, SpecialStatus, Tin, VolumeFigures};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

/// `year` from the query, or the default year (as the QPP API does when it is omitted).
async fn year_or_default(state: &AppState, parts_query: Option<&str>) -> Result<PerformanceYear, ApiError> {
    let raw = parts_query.unwrap_or("").split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == "year").map(|(_, v)| v.to_string());
    match raw {
        Some(v) => PerformanceYear::parse(&v).map_err(|m| ApiError::bad_request("InvalidParameter", m.clone()).with_detail("year", m)),
        None => Ok(default_year(&state.store.windows().await?, state.now())),
    }
}

fn scenario(figures: VolumeFigures, statuses: &[SpecialStatus], year: PerformanceYear, election: Option<&ElectionRow>) -> Result<EligibilityScenario, ApiError> {
    let threshold = low_volume_threshold(year).ok_or_else(ApiError::internal)?;
    let a = LowVolumeAssessment::of(&figures, &threshold);
    let opt_in_eligible = a.status() == LowVolumeStatus::OptInEligible;
    let has = |s: SpecialStatus| statuses.contains(&s);
    Ok(EligibilityScenario {
        is_opt_in_eligible: opt_in_eligible,
        // Only an opt-in eligible entity can have a decision (docs §1.4's state table).
        is_opted_in: election.filter(|_| opt_in_eligible).map(|e| e.election == crate::domain::Election::OptIn),
        opt_in_decision_date: election.filter(|_| opt_in_eligible).map(|e| e.elected_at),
        low_volume_switch: a.below_reason().is_some(),
        low_volume_status_reasons: a
            .below_reason()
            .map(|(code, desc)| vec![LowVolumeStatusReason { low_vol_stus_rsn_cd: code.into(), low_vol_stus_rsn_desc: desc.into() }])
            .unwrap_or_default(),
        low_volume_services: figures.covered_services,
        small_group_practitioner: has(SpecialStatus::SmallPractice),
        rural_clinician: has(SpecialStatus::Rural),
        hpsa_clinician: has(SpecialStatus::Hpsa),
        non_patient_facing: has(SpecialStatus::NonPatientFacing),
        hospital_based_clinician: has(SpecialStatus::HospitalBased),
        ambulatory_surgical_center: has(SpecialStatus::AmbulatorySurgicalCenterBased),
        is_facility_based: has(SpecialStatus::FacilityBased),
        extreme_hardship: has(SpecialStatus::ExtremeHardship),
    })
}

fn clinician_figures(c: &ClinicianRow) -> VolumeFigures {
    VolumeFigures { allowed_charges_cents: c.allowed_charges_cents, medicare_patients: c.medicare_patients, covered_services: c.covered_services }
}
fn practice_figures(p: &PracticeRow) -> VolumeFigures {
    VolumeFigures { allowed_charges_cents: p.allowed_charges_cents, medicare_patients: p.medicare_patients, covered_services: p.covered_services }
}

/// `GET /api/eligibility/npi/{npi}?year=` — public. TINs are masked unless the caller is signed
/// in and connected to that TIN, because TINs are PII.
#[utoipa::path(get, path = "/api/eligibility/npi/{npi}", tag = "eligibility-api", params(("npi" = String, Path, description = "10-digit NPI"), ("year" = Option<u16>, Query, description = "Performance year; the default year when omitted")), responses((status = 200, description = "Public; TINs masked unless the caller is connected", body = NpiEligibilityResponse), (status = 400, description = "InvalidFormatNpi", body = ApiErrorBody), (status = 404, description = "NoProviderInformation", body = ApiErrorBody)))]
pub async fn npi_lookup(State(state): State<AppState>, caller: Result<CurrentUser, ApiError>, raw: Result<Path<String>, axum::extract::rejection::PathRejection>, parts: axum::http::Uri) -> Result<Json<NpiEligibilityResponse>, ApiError> {
    let raw_npi = super::routes::path_value(raw)?;
    let npi = Npi::parse(&raw_npi).map_err(|e| ApiError::bad_request("InvalidFormatNpi", "Please supply a valid NPI").with_detail("npi", e.0))?;
    let year = year_or_default(&state, parts.query()).await?;
    let rows = state.store.clinician_by_npi(year, &npi).await?;
    let first = rows.first().ok_or_else(|| ApiError::not_found("NoProviderInformation", "No individual clinician information exists for this NPI"))?;
    let mut organizations = vec![];
    for c in &rows {
        let Some(p) = state.store.practice(year, &c.tin).await? else { continue };
        let visible = match &caller {
            Ok(user) => state.store.is_connected(&user.user.user_id, &c.tin).await?,
            Err(_) => false,
        };
        let individual_election = state.store.election(year, &c.tin, Some(&npi)).await?;
        let group_election = state.store.election(year, &c.tin, None).await?;
        organizations.push(OrganizationEligibility {
            tin: if visible { c.tin.to_string() } else { MASKED_TIN.to_string() },
            prvdr_org_name: p.name.clone(),
            address_line_one: p.address_line1.clone(),
            city: p.city.clone(),
            state: p.state.clone(),
            zip: p.zip.clone(),
            individual_scenario: scenario(clinician_figures(c), &c.special_statuses, year, individual_election.as_ref())?,
            group_scenario: scenario(practice_figures(&p), &p.special_statuses, year, group_election.as_ref())?,
        });
    }
    Ok(Json(NpiEligibilityResponse {
        data: NpiEligibility { npi, first_name: first.first_name.clone(), last_name: first.last_name.clone(), performance_year: year, organizations },
    }))
}

/// Parses `TIN|NPI,TIN` into entities, naming the position of any that is malformed.
pub fn parse_entities(header: &str) -> Result<Vec<(Tin, Option<Npi>)>, ApiError> {
    let items: Vec<&str> = header.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if items.is_empty() {
        return Err(ApiError::bad_request("MissingOptInEntities", format!("Name the entities in the {OPT_IN_ENTITIES_HEADER} header, e.g. 000456789|1234567890,000987654.")));
    }
    let mut out = vec![];
    let mut err = ApiError::bad_request("InvalidOptInEntities", "One or more entities in the header are not a TIN or a TIN|NPI.");
    for (i, item) in items.iter().enumerate() {
        let (tin, npi) = match item.split_once('|') {
            Some((t, n)) => (Tin::parse(t), Some(Npi::parse(n))),
            None => (Tin::parse(item), None),
        };
        match (tin, npi) {
            (Ok(t), None) => out.push((t, None)),
            (Ok(t), Some(Ok(n))) => out.push((t, Some(n))),
            (Err(e), _) | (_, Some(Err(e))) => err = err.with_detail(&format!("{OPT_IN_ENTITIES_HEADER}[{i}]"), e.0),
        }
    }
    if err.details.is_empty() {
        Ok(out)
    } else {
        Err(err)
    }
}

/// `GET /api/eligibility/opt-in?year=` with `qpp-opt-in-entities: TIN|NPI,TIN` — signed in,
/// and only for entities of practices the caller is connected to.
#[utoipa::path(get, path = "/api/eligibility/opt-in", tag = "eligibility-api", params(("qpp-opt-in-entities" = String, Header, description = "Entities as TIN|NPI,TIN"), ("year" = Option<u16>, Query)), responses((status = 200, body = OptInResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn opt_in_read(State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, uri: axum::http::Uri) -> Result<Json<OptInResponse>, ApiError> {
    let header = headers.get(OPT_IN_ENTITIES_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let entities = parse_entities(header)?;
    if entities.len() > 1000 {
        return Err(ApiError::bad_request("TooManyEntities", "Ask for at most 1,000 entities at a time."));
    }
    for (tin, _) in &entities {
        if !state.store.is_connected(&current.user.user_id, tin).await? {
            return Err(ApiError::forbidden("NotConnectedToPractice", format!("You are not connected to the practice with TIN {tin}.")));
        }
    }
    let year = year_or_default(&state, uri.query()).await?;
    let data = opt_in_rows(&state, year, entities).await?;
    Ok(Json(OptInResponse { data }))
}

/// The opt-in read's rows for entities the caller has been allowed to see.
pub async fn opt_in_rows(state: &AppState, year: PerformanceYear, entities: Vec<(Tin, Option<Npi>)>) -> Result<Vec<OptInRow>, ApiError> {
    let run_num = state.store.data_runs().await?.iter().filter(|r| r.performance_year == year).map(|r| r.run_number).max().unwrap_or(1);
    let mut data = vec![];
    for (tin, npi) in entities {
        let figures = match &npi {
            None => state.store.practice(year, &tin).await?.map(|p| (practice_figures(&p), p.special_statuses)),
            Some(n) => state.store.clinician(year, &tin, n).await?.map(|c| (clinician_figures(&c), c.special_statuses)),
        };
        let (figures, statuses) = figures.ok_or_else(|| {
            let who = npi.as_ref().map(|n| format!("{tin}|{n}")).unwrap_or_else(|| tin.to_string());
            ApiError::not_found("NoEligibilityInformation", format!("There is no eligibility information for {who} in performance year {year}."))
        })?;
        let election = state.store.election(year, &tin, npi.as_ref()).await?;
        let s = scenario(figures, &statuses, year, election.as_ref())?;
        data.push(OptInRow { tin, npi, is_opt_in_eligible: s.is_opt_in_eligible, opt_in_decision_date: s.opt_in_decision_date, is_opted_in: s.is_opted_in, year, run_num });
    }
    Ok(data)
}

/// `year` from a query string, or the default year.
pub async fn year_from_query(state: &AppState, query: Option<&str>) -> Result<PerformanceYear, ApiError> {
    year_or_default(state, query).await
}

#[cfg(test)]
mod tests {
    use super::parse_entities;

    #[test]
    fn parses_the_reference_header_and_names_bad_entries() {
        let e = parse_entities("000456789|1234567890,000987654").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].1.as_ref().unwrap().as_str(), "1234567890");
        assert!(e[1].1.is_none());
        let err = parse_entities("000456789|12,abc").unwrap_err();
        assert_eq!(err.details.len(), 2);
        assert_eq!(err.details[0].path, "qpp-opt-in-entities[0]");
        assert!(parse_entities(" , ").is_err());
    }
}
