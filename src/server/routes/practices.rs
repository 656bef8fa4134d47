//! Performance years, practices, clinicians and the user's other organizations.

use super::handler::{join, Answer};
use crate::api::endpoints;
use crate::api::{
    ApiErrorBody, ClinicianCard, CliniciansResponse, ConnectionsResponse, PerformanceYearsResponse, PracticeCard,
    PracticesResponse,
};
use crate::domain::{Npi, Tin};
use crate::server::http::error::ApiError;
use crate::server::http::extract::{TinNpiPath, TinPath, YearQuery};
use crate::server::http::session::CurrentUser;
use crate::server::services::practices::{self, require_connection};
use crate::server::services::years;
use crate::server::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let years_and_practices = join([routes!(performance_years), routes!(list_practices), routes!(get_practice)]);
    years_and_practices.merge(join([routes!(list_clinicians), routes!(get_clinician), routes!(connections)]))
}

/// A practice (the path's TIN) the signed-in user is connected to; anyone else is refused.
pub struct ConnectedPractice(Tin);

impl FromRequestParts<AppState> for ConnectedPractice {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        let TinPath(tin) = TinPath::from_request_parts(parts, state).await?;
        require_connection(state, &current.user.user_id, &tin).await?;
        Ok(ConnectedPractice(tin))
    }
}

/// A clinician (the path's TIN/NPI) of a practice the signed-in user is connected to.
pub struct ConnectedClinician(Tin, Npi);

impl FromRequestParts<AppState> for ConnectedClinician {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        let TinNpiPath(tin, npi) = TinNpiPath::from_request_parts(parts, state).await?;
        require_connection(state, &current.user.user_id, &tin).await?;
        Ok(ConnectedClinician(tin, npi))
    }
}

#[utoipa::path(get, path = endpoints::PERFORMANCE_YEARS.path, tag = "eligibility", responses((status = 200, description = "Years 2019 to now with election windows, thresholds and data runs", body = PerformanceYearsResponse)))]
pub(crate) async fn performance_years(s: State<AppState>) -> Answer<PerformanceYearsResponse> {
    Ok(Json(years::performance_years(&s).await?))
}

#[utoipa::path(get, path = endpoints::PRACTICES.path, tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "The signed-in user's practices and their clinicians", body = PracticesResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn list_practices(s: State<AppState>, user: CurrentUser, y: YearQuery) -> Answer<PracticesResponse> {
    Ok(Json(practices::practices_of_user(&s, &user.user.user_id, y.0).await?))
}

#[utoipa::path(get, path = endpoints::PRACTICE.path, tag = "eligibility", params(("tin" = String, Path, description = "9-digit TIN"), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = PracticeCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected to this practice", body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_practice(s: State<AppState>, p: ConnectedPractice, y: YearQuery) -> Answer<PracticeCard> {
    Ok(Json(practices::practice(&s, y.0, &p.0).await?))
}

#[utoipa::path(get, path = endpoints::CLINICIANS.path, tag = "eligibility", params(("tin" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = CliniciansResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_clinicians(
    s: State<AppState>, p: ConnectedPractice, y: YearQuery,
) -> Answer<CliniciansResponse> {
    Ok(Json(practices::clinicians(&s, y.0, &p.0).await?))
}

#[utoipa::path(get, path = endpoints::CLINICIAN.path, tag = "eligibility", params(("tin" = String, Path), ("npi" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = ClinicianCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_clinician(s: State<AppState>, c: ConnectedClinician, y: YearQuery) -> Answer<ClinicianCard> {
    Ok(Json(practices::clinician(&s, y.0, &c.0, &c.1).await?))
}

#[utoipa::path(get, path = endpoints::CONNECTIONS.path, tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "APM Entities, registries and virtual groups of the user", body = ConnectionsResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn connections(
    State(state): State<AppState>, current: CurrentUser, YearQuery(year): YearQuery,
) -> Answer<ConnectionsResponse> {
    let uid = &current.user.user_id;
    Ok(Json(ConnectionsResponse {
        performance_year: year,
        apm_entities: state.store.apm_entities_for_user(uid, year).await?,
        registries: state.store.registries_for_user(uid).await?,
        virtual_groups: state.store.virtual_groups_for_user(uid, year).await?,
    }))
}
