//! Extractors that fail with the API's own error shape instead of axum's plain-text rejections.

use super::error::ApiError;
use crate::domain::{Npi, PerformanceYear, Tin};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
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
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PayloadTooLarge",
                    "The request body is larger than this endpoint accepts.",
                )
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
            de.end().map_err(|e| {
                ApiError::bad_request(
                    "InvalidJson",
                    format!(
                        "The request body has extra content after the JSON value (line {}, column {}).",
                        e.line(),
                        e.column()
                    ),
                )
            })?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                Err(ApiError::bad_request(
                    "InvalidJson",
                    format!(
                        "The request body is not valid JSON: {} at line {}, column {}.",
                        describe(&inner),
                        inner.line(),
                        inner.column()
                    ),
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

/// The `year` query parameter: `None` when absent, an error in the API's shape when malformed.
/// `bare` says whether a `year` without `=` counts (as an empty, hence invalid, value).
fn year_param(query: Option<&str>, bare: bool) -> Result<Option<PerformanceYear>, ApiError> {
    let value = query
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(bare.then_some((pair, ""))))
        .find(|(k, _)| *k == "year")
        .map(|(_, v)| v);
    value
        .map(|v| {
            PerformanceYear::parse(v)
                .map_err(|m| ApiError::bad_request("InvalidParameter", m.clone()).with_detail("year", m))
        })
        .transpose()
}

/// The `year` query parameter, required.
pub struct YearQuery(pub PerformanceYear);

impl<S: Send + Sync> FromRequestParts<S> for YearQuery {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        year_param(parts.uri.query(), true)?.map(YearQuery).ok_or_else(|| {
            ApiError::bad_request("MissingParameter", "Add the performance year to the request, e.g. ?year=2025.")
                .with_detail("year", "required")
        })
    }
}

/// The `year` query parameter, optional: the QPP Eligibility API answers for the default year
/// when it is omitted (`services::years::year_or_default`). A malformed year is kept as the error
/// for the handler to return after it has checked who is calling, so a caller without access
/// learns nothing from the year.
pub struct OptionalYear(pub Result<Option<PerformanceYear>, ApiError>);

impl<S: Send + Sync> FromRequestParts<S> for OptionalYear {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(OptionalYear(year_param(parts.uri.query(), false)))
    }
}

/// Path segments that are not valid UTF-8 (or otherwise unreadable) get the API's error shape.
async fn path_segments<T, S>(parts: &mut Parts, state: &S) -> Result<T, ApiError>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    Path::<T>::from_request_parts(parts, state)
        .await
        .map(|Path(v)| v)
        .map_err(|e| ApiError::bad_request("InvalidPath", format!("The address could not be read: {e}")))
}

fn parse_tin(raw: &str) -> Result<Tin, ApiError> {
    Tin::parse(raw).map_err(|e| ApiError::bad_request("InvalidFormatTin", e.0.clone()).with_detail("tin", e.0))
}

fn parse_npi(raw: &str, message: Option<&str>) -> Result<Npi, ApiError> {
    Npi::parse(raw).map_err(|e| {
        ApiError::bad_request("InvalidFormatNpi", message.map(str::to_string).unwrap_or_else(|| e.0.clone()))
            .with_detail("npi", e.0)
    })
}

/// `{tin}`: a 9-digit TIN.
pub struct TinPath(pub Tin);

impl<S: Send + Sync> FromRequestParts<S> for TinPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        parse_tin(&path_segments::<String, S>(parts, state).await?).map(TinPath)
    }
}

/// `{tin}/…/{npi}`: a TIN and a 10-digit NPI.
pub struct TinNpiPath(pub Tin, pub Npi);

impl<S: Send + Sync> FromRequestParts<S> for TinNpiPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let (tin, npi) = path_segments::<(String, String), S>(parts, state).await?;
        Ok(TinNpiPath(parse_tin(&tin)?, parse_npi(&npi, None)?))
    }
}

/// `{npi}` of the public lookup, refused with the QPP Eligibility API's own message.
pub struct NpiPath(pub Npi);

impl<S: Send + Sync> FromRequestParts<S> for NpiPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        parse_npi(&path_segments::<String, S>(parts, state).await?, Some(crate::api::INVALID_NPI_MESSAGE)).map(NpiPath)
    }
}

/// `{registryId}`.
pub struct RegistryPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RegistryPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        path_segments::<String, S>(parts, state).await.map(RegistryPath)
    }
}

/// The client's address for the sign-in counters: the connection's peer or, with
/// `Config::trusted_proxy`, the last address in `X-Forwarded-For` (the one the proxy appended;
/// earlier ones are the client's to invent). An IPv6 address counts by its /64, which is what
/// one subscriber is given. "unknown" when neither is known (requests sent in-process).
pub struct ClientAddress(pub String);

impl FromRequestParts<crate::server::state::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts, state: &crate::server::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = || {
            let list = parts.headers.get("x-forwarded-for")?.to_str().ok()?;
            list.rsplit(',').next()?.trim().parse::<std::net::IpAddr>().ok()
        };
        let peer = || parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let ip = if state.config.trusted_proxy { forwarded().or_else(peer) } else { peer() };
        Ok(ClientAddress(match ip {
            Some(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Some(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
            Some(ip) => ip.to_string(),
            None => "unknown".into(),
        }))
    }
}
