//! `POST /api/qpp/validate`: the browser's QPP JSON rules, run again on the server, which never
//! trusts the client. The registry upload reuses `check_file`.

use super::error::ApiError;
use super::AppState;
use crate::api::{ApiErrorBody, FieldError, QppValidationResponse};
use crate::qpp::{self, Report};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;

/// Reads a request body of at most `qpp::MAX_FILE_BYTES`, refusing larger ones with a 413 in the
/// API's error shape (axum's own limit answers in plain text).
pub async fn read_file_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "FileTooLarge",
            format!("The file is larger than {} MB, the most this service accepts at once. Split the submissions into several files.", qpp::MAX_FILE_BYTES / (1024 * 1024)),
        )
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > qpp::MAX_FILE_BYTES) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, qpp::MAX_FILE_BYTES).await.map_err(|_| too_large())
}

/// Validates on a blocking thread (it is CPU work), at most two files at once.
pub async fn check_file(state: &AppState, bytes: axum::body::Bytes) -> Result<Report, ApiError> {
    let _permit = state.validating.clone().acquire_owned().await.map_err(|_| ApiError::internal())?;
    tokio::task::spawn_blocking(move || qpp::validate(&bytes, &qpp::embedded::year, &mut |_| {})).await.map_err(|e| {
        tracing::error!(error = %e, "validation task failed");
        ApiError::internal()
    })
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

#[utoipa::path(
    post,
    path = "/api/qpp/validate",
    tag = "qpp",
    request_body(content = String, content_type = "application/json", description = "A QPP JSON file: one submission object, or an array of submissions (one per participant)."),
    responses(
        (status = 200, description = "No errors (warnings may be listed)", body = QppValidationResponse),
        (status = 413, description = "Larger than 64 MB", body = ApiErrorBody),
        (status = 422, description = "Errors: each finding is a detail with path, message, code, severity, line, column, measureId, hint", body = ApiErrorBody)
    )
)]
pub(crate) async fn validate(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Result<Json<QppValidationResponse>, ApiError> {
    let bytes = read_file_body(&headers, body).await?;
    let report = check_file(&state, bytes).await?;
    if report.errors > 0 {
        return Err(report_error(&report));
    }
    Ok(Json(QppValidationResponse { report }))
}
