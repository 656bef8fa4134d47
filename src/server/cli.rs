//! `mips-elections [--demo]`: reads the environment, prepares the database and serves.
//! Environment: PORT (8080), HOST (127.0.0.1), DATABASE_URL (sqlite:data/mips-elections.db),
//! DIST_DIR (dist), MIPS_DEMO_DATA=1 (same as --demo), COOKIE_SECURE=1.

use super::app::app;
use super::seed;
use super::state::{system_clock, AppState, Config};
use super::store::Store;
use std::path::PathBuf;

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

pub fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    tracing_subscriber::fmt().with_env_filter(filter).init();
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
        seed::refuse_non_demo_database(&store).await?;
        let year = seed::seed_demo_data(&store, clock()).await.map_err(|e| format!("seeding demo data failed: {e}"))?;
        seed::seed_registry_clients(&store, year, clock(), true)
            .await
            .map_err(|e| format!("seeding the demo registry's network failed: {e}"))?;
        tracing::info!(%year, "demo data ready (users demo-practice and demo-registry)");
    }
    tokio::spawn(purge_expired_sessions(store.clone(), clock.clone()));

    if !dist.join("index.html").exists() {
        return Err(format!("{} has no index.html: build the SPA first (./scripts/run does)", dist.display()));
    }
    let state = AppState::new(store.clone(), clock, config);
    let listener = tokio::net::TcpListener::bind((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    tracing::info!("mips-elections listening on http://{host}:{port} (database: {})", redact(&database_url));
    axum::serve(listener, app(state, Some(&dist)))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Removes expired sessions at start and every ten minutes, so the table holds only live ones.
async fn purge_expired_sessions(store: Store, clock: super::state::Clock) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match store.delete_expired_sessions(clock()).await {
            Ok(removed) => tracing::debug!(removed, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
        }
    }
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
