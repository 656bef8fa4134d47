//! `POST /api/qpp/validate`: the browser's QPP JSON rules, run on the server.

use crate::api::endpoints;
use crate::api::{ApiErrorBody, QppValidationResponse};
use crate::server::http::error::ApiError;
use crate::server::services::qpp::{check_file, read_file_body, report_error, validation_permit};
use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(validate))
}

#[utoipa::path(
    post,
    path = endpoints::QPP_VALIDATE.path,
    tag = "qpp",
    request_body(content = String, content_type = "application/json", description = "A QPP JSON file: one submission object, or an array of submissions (one per participant)."),
    responses(
        (status = 200, description = "No errors (warnings may be listed)", body = QppValidationResponse),
        (status = 413, description = "Larger than 64 MB", body = ApiErrorBody),
        (status = 422, description = "Errors: each finding is a detail with path, message, code, severity, line, column, measureId, hint", body = ApiErrorBody)
    )
)]
pub(crate) async fn validate(
    State(state): State<AppState>, headers: HeaderMap, body: Body,
) -> Result<Json<QppValidationResponse>, ApiError> {
    let place = validation_permit(&state).await?;
    let bytes = read_file_body(&headers, body).await?;
    let report = check_file(place, bytes).await?;
    if report.errors > 0 {
        return Err(report_error(&report));
    }
    Ok(Json(QppValidationResponse { report }))
}
