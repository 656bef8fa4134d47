//! The Eligibility API for programs: the public NPI lookup and the opt-in read.

use super::handler::join;
use crate::api::endpoints;
use crate::api::{ApiErrorBody, NpiEligibilityResponse, OptInResponse, OPT_IN_ENTITIES_HEADER};
use crate::server::http::error::ApiError;
use crate::server::http::extract::{NpiPath, OptionalYear};
use crate::server::http::session::CurrentUser;
use crate::server::services::eligibility_api::{self, check_entity_count, parse_entities};
use crate::server::services::years::year_or_default;
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    join([routes!(npi_lookup), routes!(opt_in_read)])
}

/// The entities named in the `qpp-opt-in-entities` header, parsed and counted.
pub fn entities_of(headers: &HeaderMap) -> Result<Vec<(crate::domain::Tin, Option<crate::domain::Npi>)>, ApiError> {
    let entities = parse_entities(headers.get(OPT_IN_ENTITIES_HEADER).and_then(|v| v.to_str().ok()).unwrap_or(""))?;
    check_entity_count(&entities)?;
    Ok(entities)
}

/// Public. TINs are masked unless the caller is signed in and connected to that TIN, because
/// TINs are PII.
#[utoipa::path(get, path = endpoints::ELIGIBILITY_NPI.path, tag = "eligibility-api", params(("npi" = String, Path, description = "10-digit NPI"), ("year" = Option<u16>, Query, description = "Performance year; the default year when omitted")), responses((status = 200, description = "Public; TINs masked unless the caller is connected", body = NpiEligibilityResponse), (status = 400, description = "InvalidFormatNpi", body = ApiErrorBody), (status = 404, description = "NoProviderInformation", body = ApiErrorBody)))]
pub async fn npi_lookup(
    State(state): State<AppState>, caller: Result<CurrentUser, ApiError>, NpiPath(npi): NpiPath,
    OptionalYear(year): OptionalYear,
) -> Result<Json<NpiEligibilityResponse>, ApiError> {
    let year = year_or_default(&state, year?).await?;
    let viewer = caller.as_ref().ok().map(|c| c.user.user_id.as_str());
    Ok(Json(eligibility_api::npi_lookup(&state, viewer, &npi, year).await?))
}

/// Signed in, and only for entities of practices the caller is connected to.
#[utoipa::path(get, path = endpoints::ELIGIBILITY_OPT_IN.path, tag = "eligibility-api", params(("qpp-opt-in-entities" = String, Header, description = "Entities as TIN|NPI,TIN"), ("year" = Option<u16>, Query)), responses((status = 200, body = OptInResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn opt_in_read(
    State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, OptionalYear(year): OptionalYear,
) -> Result<Json<OptInResponse>, ApiError> {
    let entities = entities_of(&headers)?;
    for (tin, _) in &entities {
        if !state.store.is_connected(&current.user.user_id, tin).await? {
            return Err(ApiError::forbidden(
                "NotConnectedToPractice",
                format!("You are not connected to the practice with TIN {tin}."),
            ));
        }
    }
    let year = year_or_default(&state, year?).await?;
    Ok(Json(OptInResponse { data: eligibility_api::opt_in_rows(&state, year, entities).await? }))
}
