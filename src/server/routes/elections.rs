//! Elections and reporting pathways made on the website.

use crate::api::endpoints;
use crate::api::{ApiErrorBody, ElectionRequest, ElectionResponse, PathwayRequest, PathwayResponse};
use crate::server::http::error::ApiError;
use crate::server::http::extract::JsonBody;
use crate::server::http::session::CurrentUser;
use crate::server::services::elections::{self, Actor};
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(make_election)).routes(routes!(choose_pathway))
}

fn actor(current: &CurrentUser) -> Actor {
    Actor {
        user_id: current.user.user_id.clone(),
        display_name: current.user.display_name.clone(),
        statement_of_truth_agreed_at: current.session.statement_of_truth_agreed_at,
    }
}

/// 201 when made now, 200 when the same election was already recorded.
fn created_or_ok(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

#[utoipa::path(post, path = endpoints::ELECTIONS.path, tag = "elections", request_body = ElectionRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, description = "Election recorded (final)", body = ElectionResponse), (status = 200, description = "The same election was already recorded", body = ElectionResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected, CSRF or cross-site", body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, description = "A different election was already made", body = ApiErrorBody), (status = 422, description = "A rule refused it: window, eligibility, entity kind, CONFIRM", body = ApiErrorBody)))]
pub(crate) async fn make_election(
    State(state): State<AppState>,
    current: CurrentUser,
    JsonBody(req): JsonBody<ElectionRequest>,
) -> Result<Response, ApiError> {
    let (created, election) = elections::make_election(&state, &actor(&current), &req).await?;
    Ok((created_or_ok(created), Json(ElectionResponse { election, created })).into_response())
}

/// Records the reporting pathway of a MIPS APM participant after its election.
#[utoipa::path(post, path = endpoints::PATHWAYS.path, tag = "elections", request_body = PathwayRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, body = PathwayResponse), (status = 200, description = "Already chosen, same pathway", body = PathwayResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, description = "Another pathway was chosen", body = ApiErrorBody), (status = 422, description = "Not an APM participant, no election, or APP after a voluntary election", body = ApiErrorBody)))]
pub(crate) async fn choose_pathway(
    State(state): State<AppState>,
    current: CurrentUser,
    JsonBody(req): JsonBody<PathwayRequest>,
) -> Result<Response, ApiError> {
    let (created, pathway) = elections::choose_pathway(&state, &actor(&current), &req).await?;
    Ok((created_or_ok(created), Json(PathwayResponse { pathway, created })).into_response())
}
