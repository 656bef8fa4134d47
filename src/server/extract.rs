//! Extractors that fail with the API's own error shape instead of axum's plain-text rejections.

use super::error::ApiError;
use crate::domain::PerformanceYear;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// A JSON body. Syntax errors are 400 `InvalidJson`; a well-formed body with a wrong or missing
/// field is 422 `ValidationError` naming the field's path; a wrong content type is 415.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                "Send the request body as JSON with the header Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge", "The request body is larger than this endpoint accepts.")
            } else {
                ApiError::bad_request("InvalidBody", format!("The request body could not be read: {rejection}"))
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::bad_request("InvalidJson", "The request body is empty; send a JSON object."));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => {
            de.end().map_err(|e| ApiError::bad_request("InvalidJson", format!("The request body has extra content after the JSON value (line {}, column {}).", e.line(), e.column())))?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                Err(ApiError::bad_request(
                    "InvalidJson",
                    format!("The request body is not valid JSON: {} at line {}, column {}.", describe(&inner), inner.line(), inner.column()),
                ))
            } else {
                let field_msg = describe(&inner);
                let path = if path == "." { "$".to_string() } else { format!("$.{path}") };
                Err(ApiError::unprocessable("ValidationError", format!("The request body is invalid: {field_msg}"))
                    .with_detail(&path, field_msg))
            }
        }
    }
}

/// serde_json's message without its trailing " at line X column Y".
fn describe(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The `year` query parameter, required and validated.
pub struct YearQuery(pub PerformanceYear);

impl<S: Send + Sync> FromRequestParts<S> for YearQuery {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let value = query
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| *k == "year")
            .map(|(_, v)| v.to_string());
        match value {
            None => Err(ApiError::bad_request("MissingParameter", "Add the performance year to the request, e.g. ?year=2025.")
                .with_detail("year", "required")),
            Some(v) => PerformanceYear::parse(&v)
                .map(YearQuery)
                .map_err(|m| ApiError::bad_request("InvalidParameter", m.clone()).with_detail("year", m)),
        }
    }
}
