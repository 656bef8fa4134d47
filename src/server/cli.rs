//! `mips-elections [--demo]`: reads the environment, prepares the database and serves.
//! `mips-elections import eligibility --year YEAR [--date YYYY-MM-DD] FILE` loads CMS's
//! determinations (`services/import.rs`); `mips-elections import runs` lists the data runs.
//! `mips-elections users sign-in-link USER_ID` prints a one-time sign-in link for an owner whose
//! User ID others have locked with failed attempts (`domain::sign_in`).
//! `mips-elections headers [DIST]` writes `DIST/_headers` for static hosts (`http/csp.rs`).
//! Environment: PORT (8080), HOST (127.0.0.1), DATABASE_URL (sqlite:data/mips-elections.db),
//! DATABASE_OWNER_URL (PostgreSQL: the role that owns the schema), DIST_DIR (dist),
//! MIPS_DEMO_DATA=1 (same as --demo), COOKIE_SECURE=1, TRUSTED_PROXY=1, PUBLIC_URL (the
//! address users open, for printed links; http://HOST:PORT).

use super::app::app;
use super::seed;
use super::state::{system_clock, AppState, Config};
use super::store::Store;
use std::path::PathBuf;

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

/// The database: with `DATABASE_OWNER_URL` (PostgreSQL), migrated by the owner role and used
/// through `DATABASE_URL`'s role, which may only read and add final rows; else `DATABASE_URL` alone.
async fn connect(database_url: &str) -> Result<Store, String> {
    match std::env::var("DATABASE_OWNER_URL").ok().filter(|v| !v.trim().is_empty()) {
        Some(owner) => Store::connect_application(database_url, &owner).await,
        None => Store::connect(database_url).await,
    }
}

pub fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    tracing_subscriber::fmt().with_env_filter(filter).init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let work = async {
        match args.first().map(String::as_str) {
            Some("import") => import(&args[1..]).await,
            Some("users") => users(&args[1..]).await,
            Some("headers") => write_headers_file(args.get(1).map(String::as_str).unwrap_or("dist")),
            _ => serve().await,
        }
    };
    match runtime.block_on(work) {
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
    let config = Config {
        force_secure_cookies: env_or("COOKIE_SECURE", "0") == "1",
        trusted_proxy: env_or("TRUSTED_PROXY", "0") == "1",
        ..Config::default()
    };

    let store = connect(&database_url).await?;
    let clock = system_clock();
    seed::seed_reference_data(&store).await.map_err(|e| format!("seeding reference data failed: {e}"))?;
    if demo {
        seed::refuse_non_demo_database(&store).await?;
        let year =
            seed::seed_demo_data(&store, clock(), true).await.map_err(|e| format!("seeding demo data failed: {e}"))?;
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
    super::listen::serve(listener, app(state, Some(&dist)), shutdown_signal()).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Writes the `_headers` file a static host or CDN serves the built SPA with: the same policy and
/// headers the server sends, for this build's `index.html`.
fn write_headers_file(dist: &str) -> Result<(), String> {
    let dir = std::path::Path::new(dist);
    let index = std::fs::read_to_string(dir.join("index.html"))
        .map_err(|e| format!("{dist}/index.html can't be read ({e}): build the SPA first"))?;
    let file = super::http::csp::headers_file(&index, super::app::api_origin(Some(dir)).as_deref());
    let path = dir.join("_headers");
    std::fs::write(&path, file).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

const IMPORT_USAGE: &str =
    "usage: mips-elections import eligibility --year YEAR [--date YYYY-MM | YYYY-MM-DD] FILE\n       mips-elections import runs\n--date: when CMS released the data, to the precision CMS gives it (\"2021-11\" is shown as November 2021); without it, the month of the import.";

/// `import eligibility …` and `import runs`, on the database the server uses.
async fn import(args: &[String]) -> Result<(), String> {
    let database_url = env_or("DATABASE_URL", "sqlite:data/mips-elections.db");
    match args.first().map(String::as_str) {
        Some("runs") if args.len() == 1 => {
            let store = connect(&database_url).await?;
            let runs = store.imported_runs().await.map_err(|e| format!("reading the data runs failed: {e}"))?;
            println!("year  run  date        clinicians  practices  opt-in eligible  file");
            for r in &runs {
                println!(
                    "{:<5} {:>3}  {:<10}  {:>10}  {:>9}  {:>15}  {}",
                    r.run.performance_year.get(),
                    r.run.run_number,
                    r.run.released_on,
                    r.clinicians,
                    r.practices,
                    r.opt_in_eligible,
                    if r.file_name.is_empty() { "(not imported: demo or reference data)" } else { &r.file_name }
                );
            }
            if runs.is_empty() {
                println!("(no data runs yet)");
            }
            Ok(())
        }
        Some("eligibility") => {
            let mut year = None;
            let mut date = None;
            let mut file = None;
            let mut rest = args[1..].iter();
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "--year" => year = rest.next().cloned(),
                    "--date" => date = rest.next().cloned(),
                    other if other.starts_with("--") => return Err(format!("unknown option {other}\n{IMPORT_USAGE}")),
                    other if file.is_none() => file = Some(other.to_string()),
                    _ => return Err(format!("one FILE only\n{IMPORT_USAGE}")),
                }
            }
            let year = year.ok_or(format!("--year is required\n{IMPORT_USAGE}"))?;
            let year = crate::domain::PerformanceYear::parse(&year).map_err(|e| format!("--year {year}: {e}"))?;
            let file = file.ok_or(format!("FILE is required\n{IMPORT_USAGE}"))?;
            let clock = system_clock();
            let now = clock();
            let released_on = match date {
                Some(d) => crate::domain::time::format_iso_date(&d)
                    .map(|_| d.clone())
                    .ok_or(format!("--date {d}: use YYYY-MM or YYYY-MM-DD"))?,
                // CMS names its data runs by month; a day that isn't known isn't made up.
                None => {
                    let e = now.to_eastern();
                    format!("{:04}-{:02}", e.year, e.month)
                }
            };
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {file}: {e}"))?;
            eprintln!("read {file}: {} bytes", bytes.len());
            let text = super::services::import::text_of(bytes)
                .map_err(|e| format!("the file was refused, nothing was imported: {e}"))?;
            let content_sha256 = super::secrets::sha256_hex(text.as_bytes());
            let name = std::path::Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(file.clone());
            let store = connect(&database_url).await?;
            seed::seed_reference_data(&store).await.map_err(|e| format!("seeding reference data failed: {e}"))?;
            let started = std::time::Instant::now();
            let run = super::store::data_runs::RunFacts {
                file_name: &name,
                content_sha256,
                released_on,
                now,
                demo: false,
                description: None,
            };
            let mut progress = |done: usize, total: usize| eprintln!("stored {done} of {total} rows");
            let outcome = super::services::import::import(&store, year, &text, run, &mut progress)
                .await
                .map_err(|e| e.to_string())?;
            let took = started.elapsed().as_secs_f64();
            if outcome.unchanged {
                println!(
                    "unchanged: the latest {year} data run ({}) came from the same content; nothing was written",
                    outcome.run_number
                );
            } else {
                println!(
                    "imported {name} as {year} data run {}: {} clinicians, {} practices, {} opt-in eligible, in {took:.1} s",
                    outcome.run_number, outcome.clinicians, outcome.practices, outcome.opt_in_eligible
                );
            }
            store.close().await;
            Ok(())
        }
        _ => Err(IMPORT_USAGE.to_string()),
    }
}

const USERS_USAGE: &str = "usage: mips-elections users sign-in-link USER_ID";

/// `users sign-in-link USER_ID`: a link that lets the account's owner sign in once, within
/// `SIGN_IN_LINK_HOURS`, however many failed attempts others have made for the User ID. Give it
/// to the owner only after checking who they are, as a help desk would.
async fn users(args: &[String]) -> Result<(), String> {
    use crate::domain::sign_in::SIGN_IN_LINK_HOURS;
    let [command, user_id] = args else { return Err(USERS_USAGE.to_string()) };
    if command != "sign-in-link" {
        return Err(USERS_USAGE.to_string());
    }
    let store = connect(&env_or("DATABASE_URL", "sqlite:data/mips-elections.db")).await?;
    let user = store.user(user_id).await.map_err(|e| format!("reading the user failed: {e}"))?;
    let user = user.ok_or(format!("no user has the User ID {user_id:?} (User IDs are matched exactly)"))?;
    let now = system_clock()();
    let expires = crate::domain::Timestamp(now.0 + SIGN_IN_LINK_HOURS * 60 * 60 * 1000);
    let token = super::secrets::random_token();
    store
        .create_sign_in_link(&super::secrets::token_hash(&token), &user.user_id, now, expires)
        .await
        .map_err(|e| format!("storing the link failed: {e}"))?;
    store.close().await;
    let base = env_or("PUBLIC_URL", &format!("http://{}:{}", env_or("HOST", "127.0.0.1"), env_or("PORT", "8080")));
    println!("{}/sign-in?link={token}", base.trim_end_matches('/'));
    eprintln!(
        "works once, for {}, until {}; it lets its holder past the account's sign-in lock (the password is still needed)",
        user.user_id,
        expires.format_eastern()
    );
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
        match store.delete_stale_sign_in_attempts(clock()).await {
            Ok(removed) => tracing::debug!(removed, "stale sign-in counters removed"),
            Err(e) => tracing::warn!(error = %e, "removing stale sign-in counters failed"),
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
