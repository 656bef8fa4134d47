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
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_FILE_BYTES).await.map_err(|_| too_large())
}

/// Validates on a blocking thread (it is CPU work), a few files at once (`AppState::validating`).
pub async fn check_file(state: &AppState, bytes: Bytes) -> Result<Report, ApiError> {
    let _permit = state.validating.clone().acquire_owned().await.map_err(ApiError::internal_because)?;
    tokio::task::spawn_blocking(move || qpp::validate(&bytes, &qpp::embedded::year, &mut |_| {}))
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
