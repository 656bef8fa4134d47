//! The registry workflow's reads and elections: Registry Submission Details, the participant
//! lookup behind the Election Selection table, elections and the opt-in read for programs.
//! Every call is made by a signed-in member of the registry (session cookie + CSRF token) or by
//! a program holding the registry's API token; both meet the same rules.

use super::eligibility_api::entities_of;
use super::handler::join;
use crate::api::endpoints;
use crate::api::{
    ApiErrorBody, EntityRow, OptInResponse, ParticipantRow, ParticipantsLookupRequest, ParticipantsLookupResponse,
    RegistryElectionsRequest, RegistryElectionsResponse, RegistrySubmissionsResponse, MAX_LOOKUP,
};
use crate::domain::registry::ParticipantKey;
use crate::server::http::error::ApiError;
use crate::server::http::extract::{JsonBody, OptionalYear, RegistryPath};
use crate::server::http::session::CurrentUser;
use crate::server::services::eligibility_api::opt_in_rows;
use crate::server::services::registry::{registry_caller, ClientData, RegistryCaller};
use crate::server::services::registry_elections::{record_elections, submissions_view};
use crate::server::services::years::{require_threshold, year_or_default};
use crate::server::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Who calls a registry endpoint: a signed-in member of the registry (session cookie + CSRF
/// token) or a program holding its API token; anyone else is refused before the body is read.
pub struct RegistryCall(pub RegistryCaller);

impl FromRequestParts<AppState> for RegistryCall {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = CurrentUser::from_request_parts(parts, state).await;
        let RegistryPath(id) = RegistryPath::from_request_parts(parts, state).await?;
        registry_caller(state, &parts.headers, session, &id).await.map(RegistryCall)
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    join([routes!(submissions), routes!(participants), routes!(elections), routes!(opt_in)])
}

#[utoipa::path(get, path = endpoints::REGISTRY_SUBMISSIONS.path, tag = "registries",
    params(("registryId" = String, Path), ("year" = Option<u16>, Query, description = "Performance year; the default year when omitted")),
    security((), ("bearer" = [])),
    responses((status = 200, body = RegistrySubmissionsResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn submissions(
    State(state): State<AppState>, RegistryCall(c): RegistryCall, OptionalYear(year): OptionalYear,
) -> Result<Json<RegistrySubmissionsResponse>, ApiError> {
    let year = year_or_default(&state, year?).await?;
    Ok(Json(submissions_view(&state, c, year).await?))
}

#[utoipa::path(post, path = endpoints::REGISTRY_PARTICIPANTS.path, tag = "registries", request_body = ParticipantsLookupRequest,
    params(("registryId" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, description = "Each participant's standing: needs an election, needs none, or can't be submitted (with the reason)", body = ParticipantsLookupResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn participants(
    State(state): State<AppState>, RegistryCall(c): RegistryCall, JsonBody(req): JsonBody<ParticipantsLookupRequest>,
) -> Result<Json<ParticipantsLookupResponse>, ApiError> {
    if req.participants.len() + req.entities.len() > MAX_LOOKUP {
        let msg = format!("Look up at most {MAX_LOOKUP} participants at a time.");
        return Err(ApiError::unprocessable("TooManyParticipants", msg));
    }
    let year = req.performance_year;
    require_threshold(year)?;
    let data = ClientData::load(
        &state,
        year,
        req.participants.iter().map(|p| ParticipantKey { tin: p.tin.clone(), npi: p.npi.clone() }),
    )
    .await?;
    let rows = req
        .participants
        .into_iter()
        .map(|p| {
            let key = ParticipantKey { tin: p.tin.clone(), npi: p.npi.clone() };
            let (name, standing) = data.standing(&key, Some(p.entity_type));
            ParticipantRow { tin: p.tin, npi: p.npi, entity_type: p.entity_type, name, standing }
        })
        .collect();
    let entities = req
        .entities
        .into_iter()
        .map(|key| {
            let (name, standing) = data.entity_standing(&key);
            EntityRow { entity_type: key.entity_type, entity_id: key.entity_id, name, standing }
        })
        .collect();
    Ok(Json(ParticipantsLookupResponse { performance_year: year, registry: c.registry, participants: rows, entities }))
}

#[utoipa::path(post, path = endpoints::REGISTRY_ELECTIONS.path, tag = "registries", request_body = RegistryElectionsRequest,
    params(("registryId" = String, Path)), security((), ("bearer" = [])),
    responses((status = 201, description = "An answer per entity: recorded, already made, or refused with the rule's code; at least one recorded now", body = RegistryElectionsResponse), (status = 200, description = "An answer per entity; none recorded now, at least one already made as asked", body = RegistryElectionsResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, description = "Nothing recordable, and a participant has another election (named)", body = ApiErrorBody), (status = 422, description = "Nothing recordable: every participant refused (each named)", body = ApiErrorBody)))]
pub async fn elections(
    State(state): State<AppState>, RegistryCall(c): RegistryCall, JsonBody(req): JsonBody<RegistryElectionsRequest>,
) -> Result<Response, ApiError> {
    let (created, response): (bool, RegistryElectionsResponse) = record_elections(&state, &c, &req).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(response)).into_response())
}

#[utoipa::path(get, path = endpoints::REGISTRY_OPT_IN.path, tag = "registries",
    params(("registryId" = String, Path), ("qpp-opt-in-entities" = String, Header, description = "Entities as TIN|NPI,TIN"), ("year" = Option<u16>, Query)),
    security((), ("bearer" = [])),
    responses((status = 200, body = OptInResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn opt_in(
    State(state): State<AppState>, RegistryCall(_): RegistryCall, headers: HeaderMap, OptionalYear(year): OptionalYear,
) -> Result<Json<OptInResponse>, ApiError> {
    // Any TIN: who the registry's clients are is its own business (no client list is kept).
    let entities = entities_of(&headers)?;
    let year = year_or_default(&state, year?).await?;
    Ok(Json(OptInResponse { data: opt_in_rows(&state, year, entities).await? }))
}
