//! What every response passes through: a request id, one trace span per request, errors logged
//! once (here, not where they arise), and the cache and security headers.

use super::error::ErrorCause;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tower_http::request_id::{MakeRequestId, RequestId};

/// The header carrying the request id, in the request (from a proxy, or set here) and the answer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Request ids: a per-process random prefix and a counter, so ids are unique across restarts
/// without a UUID dependency.
#[derive(Clone)]
pub struct RequestIds {
    prefix: std::sync::Arc<str>,
    next: std::sync::Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let mut bytes = [0u8; 4];
        getrandom::getrandom(&mut bytes).expect("the operating system's random source is available");
        let prefix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        RequestIds { prefix: prefix.into(), next: Default::default() }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix)).ok().map(RequestId::new)
    }
}

/// The trace span of a request: method, path and request id (never the query: it may carry
/// identifiers).
pub fn span_for(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

/// Logs each failed answer once: server faults with their cause at error level, refusals of the
/// caller's request at debug level (they are answers, not faults).
pub async fn log_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if status.is_server_error() {
        let cause = res.extensions().get::<ErrorCause>().map(|c| c.0.as_str()).unwrap_or("unknown");
        tracing::error!(status = status.as_u16(), cause, "request failed");
    } else if status.is_client_error() {
        tracing::debug!(status = status.as_u16(), "request refused");
    }
    res
}

/// Hashed assets never change and are cached for a year; the HTML shell, `config.json` and API
/// answers must be revalidated so that a new deployment or a new election shows at once.
pub async fn cache_and_security_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let value = if path.starts_with("/api/") {
        "no-store"
    } else if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    res
}

/// On every HTML page, the Content-Security-Policy naming this build's inline loader
/// (`super::csp`); on every answer over HTTPS (TLS ended here or at a proxy that says so with
/// `X-Forwarded-Proto`, or `COOKIE_SECURE=1`), Strict-Transport-Security.
pub async fn html_security_headers(policy: Arc<str>, always_https: bool, req: Request, next: Next) -> Response {
    let forwarded_https =
        req.headers().get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let h = res.headers_mut();
    if is_html {
        if let Ok(value) = HeaderValue::from_str(&policy) {
            h.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    if always_https || forwarded_https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(super::csp::HSTS));
    }
    res
}

/// Trunk names assets `name-<hex hash>.ext` (the wasm `name-<hash>_bg.wasm`); build.rs names the
/// measures catalogues `<year>.<hex hash>.json`.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    if let Some(("", rest)) = path.split_once("/qpp-catalogue/") {
        let parts: Vec<&str> = rest.split('.').collect();
        return matches!(parts.as_slice(), [_, hash, "json"] if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    }
    let Some((stem, _ext)) = name.split_once('.') else { return false };
    let Some((_, hash)) = stem.rsplit_once('-') else { return false };
    let hash = hash.trim_end_matches("_bg");
    hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_assets() {
        assert!(is_hashed_asset("/mips-elections-8c689e9c5088176_bg.wasm"));
        assert!(is_hashed_asset("/mips-elections-8c689e9c5088176.js"));
        assert!(is_hashed_asset("/index-8ea3b384d588d9ba.css"));
        assert!(is_hashed_asset("/qpp-catalogue/2025.0123456789abcdef.json"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/fonts/opensans-bold-webfont.woff2"));
        assert!(!is_hashed_asset("/eligibility"));
    }
}
