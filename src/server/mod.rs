//! The thin backend: JSON API under `/api`, the built SPA (`dist/`) for everything else.

pub mod auth;
pub mod cards;
pub mod eligibility;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod qpp;
pub mod registry;
pub mod routes;
pub mod seed;
pub mod store;

use crate::domain::Timestamp;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// The server's notion of "now". Injected so that tests can stand inside or outside a window.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        Timestamp(ms)
    })
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Mark cookies Secure even without X-Forwarded-Proto (set COOKIE_SECURE=1 behind TLS).
    pub force_secure_cookies: bool,
    /// Fault injection for the API tests: an upload fails after storing this many measurement
    /// sets, proving its transaction leaves nothing behind. Never set outside tests.
    pub fail_upload_after_sets: Option<usize>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub config: Arc<Config>,
    pub sign_in_limiter: Arc<auth::SignInLimiter>,
    /// Bounds concurrent argon2 verifications so sign-in floods can't starve the server.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Bounds concurrent QPP JSON validations (CPU-bound, up to 64 MB each).
    pub validating: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, config: Config) -> AppState {
        AppState { store, clock, config: Arc::new(config), sign_in_limiter: Arc::default(), hashing: Arc::new(tokio::sync::Semaphore::new(4)), validating: Arc::new(tokio::sync::Semaphore::new(2)) }
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }
}

/// The whole application: `/api/*` plus, when `dist` is given, the SPA with deep-link fallback.
pub fn app(state: AppState, dist: Option<&Path>) -> Router {
    let api = routes::api_router().with_state(state);
    let router = Router::new().nest("/api", api);
    match dist {
        Some(dir) => {
            let spa = ServeDir::new(dir).append_index_html_on_directories(true).fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa).layer(middleware::from_fn(cache_headers)).layer(CompressionLayer::new())
        }
        None => router,
    }
}

/// Hashed assets never change and are cached for a year; the HTML shell, `config.json` and API
/// answers must be revalidated so that a new deployment or a new election shows at once.
async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let value = if path.starts_with("/api/") {
        "no-store"
    } else if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    let h = res.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
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

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

/// `mips-elections [--demo]`. Environment: PORT (8080), HOST (127.0.0.1), DATABASE_URL
/// (sqlite:data/mips-elections.db), DIST_DIR (dist), MIPS_DEMO_DATA=1 (same as --demo),
/// COOKIE_SECURE=1.
pub fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into())).init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(serve()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mips-elections: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let port: u16 = env_or("PORT", "8080").parse().map_err(|_| "PORT must be a number from 1 to 65535".to_string())?;
    let host = env_or("HOST", "127.0.0.1");
    let database_url = env_or("DATABASE_URL", "sqlite:data/mips-elections.db");
    let dist = PathBuf::from(env_or("DIST_DIR", "dist"));
    let demo = std::env::args().any(|a| a == "--demo") || env_or("MIPS_DEMO_DATA", "0") == "1";
    let config = Config { force_secure_cookies: env_or("COOKIE_SECURE", "0") == "1", ..Config::default() };

    let store = Store::connect(&database_url).await?;
    let clock = system_clock();
    seed::seed_reference_data(&store).await.map_err(|e| format!("seeding reference data failed: {e}"))?;
    if demo {
        let year = seed::seed_demo_data(&store, clock()).await.map_err(|e| format!("seeding demo data failed: {e}"))?;
        seed::seed_registry_clients(&store, year, clock(), true).await.map_err(|e| format!("seeding the demo registry's network failed: {e}"))?;
        tracing::info!(%year, "demo data ready (users demo-practice and demo-registry)");
    }
    let removed = store.delete_expired_sessions(clock()).await.unwrap_or(0);
    tracing::debug!(removed, "expired sessions removed");

    if !dist.join("index.html").exists() {
        return Err(format!("{} has no index.html: build the SPA first (./scripts/run does)", dist.display()));
    }
    let state = AppState::new(store.clone(), clock, config);
    let listener = tokio::net::TcpListener::bind((host.as_str(), port)).await.map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    tracing::info!("mips-elections listening on http://{host}:{port} (database: {})", redact(&database_url));
    axum::serve(listener, app(state, Some(&dist))).with_graceful_shutdown(shutdown_signal()).await.map_err(|e| e.to_string())?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Hides a password in a postgres URL before logging it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_assets() {
        assert!(is_hashed_asset("/mips-elections-8c689e9c5088176_bg.wasm"));
        assert!(is_hashed_asset("/mips-elections-8c689e9c5088176.js"));
        assert!(is_hashed_asset("/index-8ea3b384d588d9ba.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/fonts/opensans-bold-webfont.woff2"));
        assert!(!is_hashed_asset("/eligibility"));
    }
}
