//! Elections and reporting pathways made on the website.

use super::handler::join;
use crate::api::endpoints;
use crate::api::{ApiErrorBody, ElectionRequest, ElectionResponse, PathwayRequest, PathwayResponse};
use crate::server::http::error::ApiError;
use crate::server::http::extract::JsonBody;
use crate::server::http::session::CurrentUser;
use crate::server::services::elections::{self, Actor};
use crate::server::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    join([routes!(make_election), routes!(choose_pathway)])
}

/// The signed-in user, as the audit trail records who acts.
impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        Ok(Actor {
            user_id: current.user.user_id,
            display_name: current.user.display_name,
            statement_of_truth_agreed_at: current.session.statement_of_truth_agreed_at,
        })
    }
}

/// 201 when made now, 200 when the same choice was already recorded.
fn recorded<T: serde::Serialize>(created: bool, body: T) -> Response {
    (if created { StatusCode::CREATED } else { StatusCode::OK }, Json(body)).into_response()
}

#[utoipa::path(post, path = endpoints::ELECTIONS.path, tag = "elections", request_body = ElectionRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, description = "Election recorded (final)", body = ElectionResponse), (status = 200, description = "The same election was already recorded", body = ElectionResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected, CSRF or cross-site", body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, description = "A different election was already made", body = ApiErrorBody), (status = 422, description = "A rule refused it: window, eligibility, entity kind, CONFIRM", body = ApiErrorBody)))]
pub(crate) async fn make_election(
    State(state): State<AppState>, actor: Actor, JsonBody(req): JsonBody<ElectionRequest>,
) -> Result<Response, ApiError> {
    let (created, election) = elections::make_election(&state, &actor, &req).await?;
    Ok(recorded(created, ElectionResponse { election, created }))
}

/// Records the reporting pathway of a MIPS APM participant after its election.
#[utoipa::path(post, path = endpoints::PATHWAYS.path, tag = "elections", request_body = PathwayRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, description = "Chosen, or changed (while data can be submitted)", body = PathwayResponse), (status = 200, description = "Already the current choice", body = PathwayResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, description = "Another choice was recorded at the same moment", body = ApiErrorBody), (status = 422, description = "Not an APM participant, no election, the APP after a voluntary election, or the submission window closed", body = ApiErrorBody)))]
pub(crate) async fn choose_pathway(
    s: State<AppState>, actor: Actor, body: JsonBody<PathwayRequest>,
) -> Result<Response, ApiError> {
    let (created, pathway) = elections::choose_pathway(&s, &actor, &body.0).await?;
    Ok(recorded(created, PathwayResponse { pathway, created }))
}
