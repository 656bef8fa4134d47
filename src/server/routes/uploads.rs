//! `POST /api/registries/{registryId}/uploads`: files and elections in one request, stored in
//! one transaction or not at all (`services::uploads`).

use crate::api::endpoints;
use crate::api::{ApiErrorBody, UploadResponse, MAX_UPLOAD_BYTES};
use crate::server::http::error::ApiError;
use crate::server::http::extract::RegistryPath;
use crate::server::http::session::CurrentUser;
use crate::server::services::registry::registry_caller;
use crate::server::services::upload_files::read_multipart;
use crate::server::services::uploads;
use crate::server::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
}

#[utoipa::path(post, path = endpoints::REGISTRY_UPLOADS.path, tag = "registries",
    request_body(content_type = "multipart/form-data", description = "Part \"manifest\" (JSON, UploadManifest) first, then one \"file\" part per QPP JSON or QRDA III file (each at most 64 MB; the whole request at most 128 MB)."),
    params(("registryId" = String, Path), ("idempotency-key" = Option<String>, Header, description = "Repeating a request with the same key returns the first result and stores nothing again; without it the content's hash is the key"), ("x-csrf-token" = Option<String>, Header, description = "Session callers only")),
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Stored: elections and data, in one transaction", body = UploadResponse),
        (status = 200, description = "The same upload was stored before; nothing stored now", body = UploadResponse),
        (status = 400, description = "Malformed multipart or manifest", body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, description = "An election was made meanwhile by someone else", body = ApiErrorBody),
        (status = 413, description = "Over 128 MB, or a file over 64 MB", body = ApiErrorBody),
        (status = 422, description = "A file has errors, the year differs, or a participant needs an election / can't be submitted — each named", body = ApiErrorBody)
    ))]
pub async fn upload(
    State(state): State<AppState>, session: Result<CurrentUser, ApiError>, headers: HeaderMap,
    RegistryPath(id): RegistryPath, multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let c = registry_caller(&state, &headers, session, &id).await?;
    let mp = multipart.map_err(|e| {
        ApiError::bad_request(
            "MalformedUpload",
            format!(
                "{} Send multipart/form-data with a \"manifest\" part and one \"file\" part per file.",
                e.body_text()
            ),
        )
    })?;
    let received = read_multipart(mp).await?;
    let (created, response): (bool, UploadResponse) = uploads::upload(&state, &c, &headers, received).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(response)).into_response())
}
