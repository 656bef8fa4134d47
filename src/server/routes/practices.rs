//! Performance years, practices, clinicians and the user's other organizations.

use crate::api::endpoints;
use crate::api::{
    ApiErrorBody, ClinicianCard, CliniciansResponse, ConnectionsResponse, PerformanceYearsResponse, PracticeCard,
    PracticesResponse,
};
use crate::server::http::error::ApiError;
use crate::server::http::extract::{TinNpiPath, TinPath, YearQuery};
use crate::server::http::session::CurrentUser;
use crate::server::services::practices::{self, require_connection};
use crate::server::services::years;
use crate::server::state::AppState;
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(performance_years))
        .routes(routes!(list_practices))
        .routes(routes!(get_practice))
        .routes(routes!(list_clinicians))
        .routes(routes!(get_clinician))
        .routes(routes!(connections))
}

#[utoipa::path(get, path = endpoints::PERFORMANCE_YEARS.path, tag = "eligibility", responses((status = 200, description = "Years 2019 to now with election windows, thresholds and data runs", body = PerformanceYearsResponse)))]
pub(crate) async fn performance_years(
    State(state): State<AppState>,
) -> Result<Json<PerformanceYearsResponse>, ApiError> {
    Ok(Json(years::performance_years(&state).await?))
}

#[utoipa::path(get, path = endpoints::PRACTICES.path, tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "The signed-in user's practices and their clinicians", body = PracticesResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn list_practices(
    State(state): State<AppState>,
    current: CurrentUser,
    YearQuery(year): YearQuery,
) -> Result<Json<PracticesResponse>, ApiError> {
    Ok(Json(practices::practices_of_user(&state, &current.user.user_id, year).await?))
}

#[utoipa::path(get, path = endpoints::PRACTICE.path, tag = "eligibility", params(("tin" = String, Path, description = "9-digit TIN"), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = PracticeCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected to this practice", body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_practice(
    State(state): State<AppState>,
    current: CurrentUser,
    YearQuery(year): YearQuery,
    TinPath(tin): TinPath,
) -> Result<Json<PracticeCard>, ApiError> {
    require_connection(&state, &current.user.user_id, &tin).await?;
    Ok(Json(practices::practice(&state, year, &tin).await?))
}

#[utoipa::path(get, path = endpoints::CLINICIANS.path, tag = "eligibility", params(("tin" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = CliniciansResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_clinicians(
    State(state): State<AppState>,
    current: CurrentUser,
    YearQuery(year): YearQuery,
    TinPath(tin): TinPath,
) -> Result<Json<CliniciansResponse>, ApiError> {
    require_connection(&state, &current.user.user_id, &tin).await?;
    Ok(Json(practices::clinicians(&state, year, &tin).await?))
}

#[utoipa::path(get, path = endpoints::CLINICIAN.path, tag = "eligibility", params(("tin" = String, Path), ("npi" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = ClinicianCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_clinician(
    State(state): State<AppState>,
    current: CurrentUser,
    YearQuery(year): YearQuery,
    TinNpiPath(tin, npi): TinNpiPath,
) -> Result<Json<ClinicianCard>, ApiError> {
    require_connection(&state, &current.user.user_id, &tin).await?;
    Ok(Json(practices::clinician(&state, year, &tin, &npi).await?))
}

#[utoipa::path(get, path = endpoints::CONNECTIONS.path, tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "APM Entities, registries and virtual groups of the user", body = ConnectionsResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn connections(
    State(state): State<AppState>,
    current: CurrentUser,
    YearQuery(year): YearQuery,
) -> Result<Json<ConnectionsResponse>, ApiError> {
    let uid = &current.user.user_id;
    Ok(Json(ConnectionsResponse {
        performance_year: year,
        apm_entities: state.store.apm_entities_for_user(uid, year).await?,
        registries: state.store.registries_for_user(uid).await?,
        virtual_groups: state.store.virtual_groups_for_user(uid, year).await?,
    }))
}
