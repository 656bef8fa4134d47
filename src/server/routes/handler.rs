//! What every resource's file shares: the JSON answer of a handler, and how its handlers join
//! the router and the OpenAPI document at once.

use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;

/// What a handler answering JSON returns.
pub(crate) type Answer<T> = Result<Json<T>, ApiError>;

/// One resource's handlers, each routed and documented (`routes!` gives both).
pub(crate) fn join<const N: usize>(
    handlers: [utoipa_axum::router::UtoipaMethodRouter<AppState>; N],
) -> OpenApiRouter<AppState> {
    handlers.into_iter().fold(OpenApiRouter::new(), |r, h| r.routes(h))
}
