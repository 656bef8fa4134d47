//! The one error type of the API. Every failure — a rule, a malformed body, a database fault —
//! becomes `{"error":{"type","message","details":[{"path","message"}]}}` with the right status.

use crate::api::{ApiErrorBody, ApiErrorDetail, FieldError};
use crate::domain::election::{ConfirmationError, ElectionRefusal};
use crate::domain::pathway::PathwayRefusal;
use crate::domain::registry::UploadRefusal;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: String,
    pub message: String,
    pub details: Vec<FieldError>,
    /// What went wrong inside, for the log only (never sent): the middleware logs it once.
    pub cause: Option<String>,
    /// Seconds for `Retry-After` (a 429 or a 503).
    pub retry_after: Option<u64>,
}

/// Put on the response of a 5xx so the logging middleware can say why, once.
#[derive(Clone, Debug)]
pub struct ErrorCause(pub String);

impl ApiError {
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind: kind.into(), message: message.into(), details: vec![], cause: None, retry_after: None }
    }
    pub fn with_detail(mut self, path: &str, message: impl Into<String>) -> ApiError {
        self.details.push(FieldError::new(path, message));
        self
    }
    pub fn with_retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
    /// Overload: too many requests at once for the database or a limited resource. Always a
    /// 503 with `Retry-After`, never a 500; the log gets `cause`.
    pub fn busy(cause: impl std::fmt::Display) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceBusy",
            "The service is busy right now and nothing was saved. Please try again in a few seconds.",
        )
        .with_retry_after(BUSY_RETRY_AFTER_S);
        e.cause = Some(cause.to_string());
        e
    }
    pub fn with_kind(mut self, kind: &str) -> ApiError {
        self.kind = kind.into();
        self
    }
    /// An internal failure: the person is told nothing was saved, the log gets `cause`.
    pub fn internal_because(cause: impl std::fmt::Display) -> ApiError {
        let mut e = ApiError::internal();
        e.cause = Some(cause.to_string());
        e
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
        let body =
            ApiErrorBody { error: ApiErrorDetail { kind: self.kind, message: self.message, details: self.details } };
        let mut res = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if let Some(cause) = self.cause {
            res.extensions_mut().insert(ErrorCause(cause));
        }
        res
    }
}

/// How long an overloaded caller is asked to wait.
pub const BUSY_RETRY_AFTER_S: u64 = 2;

/// Database faults are answered without internals; the middleware logs them. No free connection
/// in time, or SQLite's writer lock held too long, is overload (503), not a fault.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        let busy = match &e {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(d) => {
                let said = d.message();
                // PostgreSQL: a deadlock (40P01) or a serialization failure (40001) is contention:
                // nothing was written and the same request may simply be sent again.
                let contention = matches!(d.code().as_deref(), Some("40P01") | Some("40001"));
                contention || said.contains("database is locked") || said.contains("database table is locked")
            }
            _ => false,
        };
        if busy {
            ApiError::busy(format!("database busy: {e}"))
        } else {
            ApiError::internal_because(format!("database error: {e}"))
        }
    }
}

/// A rule said no: its code and sentence become the API error (422).
impl From<ElectionRefusal> for ApiError {
    fn from(r: ElectionRefusal) -> ApiError {
        ApiError::unprocessable(r.code(), r.reason())
    }
}

impl From<PathwayRefusal> for ApiError {
    fn from(r: PathwayRefusal) -> ApiError {
        ApiError::unprocessable(r.code(), r.reason())
    }
}

impl From<UploadRefusal> for ApiError {
    fn from(r: UploadRefusal) -> ApiError {
        ApiError::unprocessable(r.code, r.message)
    }
}

/// The typed CONFIRM: empty and wrong words have their own codes.
impl From<ConfirmationError> for ApiError {
    fn from(e: ConfirmationError) -> ApiError {
        let kind = match e {
            ConfirmationError::Empty => "ConfirmationRequired",
            ConfirmationError::Mismatch(_) => "ConfirmationMismatch",
        };
        ApiError::unprocessable(kind, e.message()).with_detail("$.confirmation", e.message())
    }
}
