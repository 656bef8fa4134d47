//! The whole application: the API and, when a `dist` folder is given, the built SPA with
//! deep-link fallback, behind the middleware every response passes through.

use super::http::body::{idle_timeout, reserve_body_budget};
use super::http::csp::content_security_policy;
use super::http::middleware::{
    cache_and_security_headers, html_security_headers, log_errors, span_for, RequestIds, REQUEST_ID_HEADER,
};
use super::routes;
use super::state::AppState;
use axum::http::HeaderName;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use std::path::Path;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

pub fn app(state: AppState, dist: Option<&Path>) -> Router {
    // The policy names the inline scripts of the built index.html, read once at start-up.
    let index = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok()).unwrap_or_default();
    let policy: std::sync::Arc<str> = content_security_policy(&index, api_origin(dist).as_deref()).into();
    let always_https = state.config.force_secure_cookies;
    let budget = state.clone();
    let router = routes::router().with_state(state);
    let router = match dist {
        Some(dir) => {
            let spa = ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa).layer(CompressionLayer::new())
        }
        None => router,
    };
    // Inner first: the body's bytes are reserved before it is read, and it must keep arriving.
    let router = router.layer(from_fn_with_state(budget, reserve_body_budget)).layer(from_fn(idle_timeout));
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), RequestIds::default()))
            .layer(TraceLayer::new_for_http().make_span_with(span_for))
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(from_fn(log_errors))
            .layer(from_fn(cache_and_security_headers))
            .layer(from_fn(move |req, next| html_security_headers(policy.clone(), always_https, req, next))),
    )
}

/// The API's origin when `config.json` points the SPA at another one (`apiBaseUrl`), which the
/// policy's `connect-src` must then name.
pub fn api_origin(dist: Option<&Path>) -> Option<String> {
    let config = std::fs::read_to_string(dist?.join("config.json")).ok()?;
    let base = serde_json::from_str::<serde_json::Value>(&config).ok()?["apiBaseUrl"].as_str()?.to_string();
    let origin = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    (base.starts_with("https://") || base.starts_with("http://")).then_some(origin)
}
