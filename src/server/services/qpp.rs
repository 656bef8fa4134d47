//! The browser's QPP JSON rules, run again on the server, which never trusts the client.

use crate::api::{FieldError, MAX_FILE_BYTES};
use crate::qpp::{self, Report};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};

/// Reads a request body of at most `MAX_FILE_BYTES`, refusing larger ones with a 413 in the
/// API's error shape (axum's own limit answers in plain text).
pub async fn read_file_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "FileTooLarge",
            format!("The file is larger than {} MB, the most this service accepts at once. Split the submissions into several files.", MAX_FILE_BYTES / (1024 * 1024)),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_FILE_BYTES) {
        crate::server::http::body::drain(body, 2 * MAX_FILE_BYTES).await;
        return Err(too_large());
    }
    crate::server::http::body::read_at_most(body, MAX_FILE_BYTES, too_large).await
}

/// A place among the validations that may run at once, taken *before* the body is read, so that
/// waiting callers hold no file in memory; 503 when none frees up in time.
pub async fn validation_permit(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    match tokio::time::timeout(VALIDATION_WAIT, state.validating.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(ApiError::busy("every validation place is taken")),
    }
}

/// How long a validation waits for a place before it is answered 503.
const VALIDATION_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Validates on a blocking thread (it is CPU work), holding one of the places of `validation_permit`.
pub async fn check_file(place: tokio::sync::OwnedSemaphorePermit, bytes: Bytes) -> Result<Report, ApiError> {
    // The place and the bytes move into the task: a caller who hangs up can't free the place
    // while its file is still being validated.
    tokio::task::spawn_blocking(move || {
        let _place = place;
        qpp::validate(&bytes, &qpp::embedded::year, &mut |_| {})
    })
    .await
    .map_err(|e| ApiError::internal_because(format!("validation task failed: {e}")))
}

/// The report as the API error shape: every finding becomes a detail (errors first).
pub fn report_error(report: &Report) -> ApiError {
    let message = format!(
        "The file has {} and {}. Nothing was stored.",
        qpp::rules::plural(report.errors, "error"),
        qpp::rules::plural(report.warnings, "warning")
    );
    let mut e = ApiError::unprocessable("ValidationError", message);
    e.details = report.diagnostics.iter().map(FieldError::from).collect();
    e
}
