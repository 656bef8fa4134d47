//! The registry's API token: who made the current one, create or rotate it (shown once), revoke.

use crate::api::endpoints;
use crate::api::{ApiErrorBody, ApiTokenCreated, ApiTokenInfo};
use crate::server::http::error::ApiError;
use crate::server::http::extract::RegistryPath;
use crate::server::http::session::CurrentUser;
use crate::server::secrets::{random_token, token_hash};
use crate::server::services::registry::{bearer, caller, RegistryCaller};
use crate::server::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(token_info, create_token, revoke_token))
}

/// A signed-in member of the registry: an API token never manages tokens.
async fn signed_in_member(parts: &mut Parts, state: &AppState, refusal: &str) -> Result<RegistryCaller, ApiError> {
    let session = CurrentUser::from_request_parts(parts, state).await;
    let RegistryPath(id) = RegistryPath::from_request_parts(parts, state).await?;
    if bearer(&parts.headers).is_some() {
        return Err(ApiError::forbidden("TokenCannotManageTokens", refusal));
    }
    caller(state, &parts.headers, session, &id).await
}

/// A signed-in member of the registry, who may see the token's details.
pub struct Member(RegistryCaller);

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        signed_in_member(parts, state, "Sign in to see the registry's API token details.").await.map(Member)
    }
}

/// The registry's Security Official, signed in: the only one who creates, rotates or revokes
/// the token.
pub struct SecurityOfficial(RegistryCaller);

impl FromRequestParts<AppState> for SecurityOfficial {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let refusal = "An API token can't create, rotate or revoke tokens; the registry's Security Official does that after signing in.";
        let c = signed_in_member(parts, state, refusal).await?;
        if !c.is_security_official {
            return Err(ApiError::forbidden(
                "SecurityOfficialOnly",
                format!(
                    "Only the Security Official of {} can create, rotate or revoke its API token.",
                    c.registry.name
                ),
            ));
        }
        Ok(SecurityOfficial(c))
    }
}

#[utoipa::path(get, path = endpoints::API_TOKEN.path, tag = "registries", params(("registryId" = String, Path)),
    responses((status = 200, description = "The live token's last four characters, creation time and creator (never the token); null when there is none", body = Option<ApiTokenInfo>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn token_info(
    State(state): State<AppState>, Member(c): Member,
) -> Result<Json<Option<ApiTokenInfo>>, ApiError> {
    Ok(Json(state.store.live_api_token(&c.registry.registry_id).await?))
}

#[utoipa::path(post, path = endpoints::API_TOKEN_CREATE.path, tag = "registries", params(("registryId" = String, Path), ("x-csrf-token" = String, Header)),
    responses((status = 201, description = "A new token, shown this once; any earlier token stops working", body = ApiTokenCreated), (status = 401, body = ApiErrorBody), (status = 403, description = "Not the registry's Security Official", body = ApiErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>, SecurityOfficial(c): SecurityOfficial,
) -> Result<Response, ApiError> {
    let token = format!("mipsreg_{}", random_token());
    let last_four = token[token.len() - 4..].to_string();
    let now = state.now();
    let replaced = state
        .store
        .rotate_api_token(&c.registry.registry_id, &token_hash(&token), &last_four, now, &c.actor_name)
        .await?;
    let info = ApiTokenInfo { last_four, created_at: now, created_by: c.actor_name };
    let body = Json(ApiTokenCreated { token, info, replaced_earlier: replaced });
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], body).into_response())
}

#[utoipa::path(delete, path = endpoints::API_TOKEN_REVOKE.path, tag = "registries", params(("registryId" = String, Path), ("x-csrf-token" = String, Header)),
    responses((status = 204, description = "Revoked: the token stops working at once"), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, description = "No live token", body = ApiErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>, SecurityOfficial(c): SecurityOfficial,
) -> Result<StatusCode, ApiError> {
    if state.store.revoke_api_tokens(&c.registry.registry_id, state.now()).await? == 0 {
        return Err(ApiError::not_found("NoApiToken", format!("{} has no API token to revoke.", c.registry.name)));
    }
    Ok(StatusCode::NO_CONTENT)
}
