//! Request bodies: a budget of bytes in flight across all requests, reserved before a body is
//! read; limits enforced while a body streams; and a refusal that reads (and drops) the rest of
//! the body first, so that a browser still sending sees the answer instead of a reset.

use super::error::ApiError;
use crate::api::MAX_UPLOAD_BYTES;
use crate::server::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use std::time::Duration;

use crate::server::state::BODY_BUDGET_UNIT as UNIT;
/// How long a request waits for room in the budget before it is answered 503.
const BUDGET_WAIT: Duration = Duration::from_secs(5);
/// A body that sends nothing for this long is cut off (the read fails with a message).
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(20);
/// A refused body is read to its end only up to this much; beyond, the connection is closed.
const DRAIN_AT_MOST: usize = 2 * MAX_UPLOAD_BYTES;
/// …and for at most this long.
const DRAIN_FOR_AT_MOST: Duration = Duration::from_secs(30);

fn declared_length(req: &Request) -> Option<usize> {
    req.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Middleware: reserves the body's bytes in the budget before the handler reads them, and holds
/// them until the answer is ready. Over the largest upload: 413 at once (after draining).
pub async fn reserve_body_budget(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let declared = declared_length(&req);
    let may_have_body = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // What the route can hold at most: a body declaring more is refused by the route after a
    // drain (held bytes: none), one declaring nothing may still grow to the route's limit.
    let limit = route_limit(req.uri().path());
    let bytes = match declared {
        Some(n) if n > MAX_UPLOAD_BYTES => n,
        Some(n) => n.min(limit),
        None if may_have_body && req.headers().contains_key(header::TRANSFER_ENCODING) => limit,
        None => 0,
    };
    if bytes > MAX_UPLOAD_BYTES {
        let refusal = ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLarge",
            format!(
                "The request is larger than {} MB, the most this service accepts. Nothing was stored.",
                MAX_UPLOAD_BYTES / (1024 * 1024)
            ),
        );
        return refuse_after_draining(refusal, req.into_body(), declared).await;
    }
    let permits = bytes.div_ceil(UNIT) as u32;
    if permits == 0 {
        return next.run(req).await;
    }
    match tokio::time::timeout(BUDGET_WAIT, state.body_budget.clone().acquire_many_owned(permits)).await {
        Ok(Ok(permit)) => {
            // A body that trickles in holds its share of the budget only so long.
            let res = match tokio::time::timeout(deadline(bytes), next.run(req)).await {
                Ok(res) => res,
                Err(_) => ApiError::new(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    "RequestTimeout",
                    "The request took too long to arrive and was dropped; nothing was stored. Please try again.",
                )
                .into_response_closing(),
            };
            drop(permit);
            res
        }
        _ => ApiError::busy(format!("no room for a {bytes}-byte body in the request budget")).into_response_closing(),
    }
}

/// Middleware: a body that sends nothing for `BODY_IDLE_TIMEOUT` fails to read (the handler
/// answers `BodyNotReceived`), so a client that stops mid-body can't hold a request open.
pub async fn idle_timeout(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let body = Body::new(tower_http::timeout::TimeoutBody::new(BODY_IDLE_TIMEOUT, body));
    next.run(Request::from_parts(parts, body)).await
}

/// The most one route reads: an upload, a file to validate, or a JSON body (axum's 2 MB).
fn route_limit(path: &str) -> usize {
    if path.starts_with("/api/registries/") && path.ends_with("/uploads") {
        MAX_UPLOAD_BYTES
    } else if path == crate::api::endpoints::QPP_VALIDATE.path {
        crate::api::MAX_FILE_BYTES
    } else {
        JSON_BODY_LIMIT
    }
}

/// axum's default limit for the bodies its extractors read.
const JSON_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How long a request holding `bytes` of the budget may take, from its headers to its answer:
/// 30 s, plus the time its body takes at 256 KiB/s.
fn deadline(bytes: usize) -> Duration {
    Duration::from_secs(30 + (bytes / (256 * 1024)) as u64)
}

/// Reads a body of at most `max` bytes as it streams: past `max` the rest is drained and
/// `too_large` answered, without ever holding more than `max` bytes.
pub async fn read_at_most(body: Body, max: usize, too_large: impl FnOnce() -> ApiError) -> Result<Bytes, ApiError> {
    let mut body = body;
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(unreadable)?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                drain(body, DRAIN_AT_MOST).await;
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out.into())
}

/// The answer for a body that could not be read (it stopped, or sent nothing for too long).
pub fn unreadable(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(
        "BodyNotReceived",
        format!("The request body could not be read to its end ({e}); nothing was stored. If the connection is slow, try again."),
    )
}

/// Reads and drops what is left of a body, up to `limit` bytes and `DRAIN_FOR_AT_MOST`.
pub async fn drain(mut body: Body, limit: usize) {
    let work = async {
        let mut seen = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > limit {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_FOR_AT_MOST, work).await;
}

async fn refuse_after_draining(refusal: ApiError, body: Body, declared: Option<usize>) -> Response {
    if declared.is_some_and(|n| n <= DRAIN_AT_MOST) {
        drain(body, DRAIN_AT_MOST).await;
        refusal.into_response()
    } else {
        refusal.into_response_closing()
    }
}

impl ApiError {
    /// The answer with `Connection: close`, for a refusal sent before the body was read.
    pub fn into_response_closing(self) -> Response {
        let mut res = self.into_response();
        res.headers_mut().insert(header::CONNECTION, axum::http::HeaderValue::from_static("close"));
        res
    }
}
