//! The one error type of the API. Every failure — a rule, a malformed body, a database fault —
//! becomes `{"error":{"type","message","details":[{"path","message"}]}}` with the right status.

use crate::api::{ApiErrorBody, ApiErrorDetail, FieldError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: String,
    pub message: String,
    pub details: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind: kind.into(), message: message.into(), details: vec![] }
    }
    pub fn with_detail(mut self, path: &str, message: impl Into<String>) -> ApiError {
        self.details.push(FieldError::new(path, message));
        self
    }
    pub fn bad_request(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, kind, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message)
    }
    pub fn forbidden(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, kind, message)
    }
    pub fn not_found(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, kind, message)
    }
    pub fn conflict(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, kind, message)
    }
    pub fn unprocessable(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message)
    }
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "Something went wrong on our side and nothing was saved. Please try again; if it keeps happening, contact the QPP Service Center.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody { error: ApiErrorDetail { kind: self.kind, message: self.message, details: self.details } };
        (self.status, Json(body)).into_response()
    }
}

/// Database faults are logged in full and answered without internals.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        tracing::error!(error = %e, "database error");
        ApiError::internal()
    }
}
