//! The shared harness of the API tests: a router called in-process (tower::ServiceExt::oneshot)
//! against a real, freshly migrated and seeded database, and helpers to sign in and call it.
#![allow(dead_code)]

pub use axum::body::Body;
pub use axum::http::{header, Method, Request, StatusCode};
pub use axum::Router;
pub use http_body_util::BodyExt;
pub use mips_elections::api::endpoints;
pub use mips_elections::api::*;
pub use mips_elections::domain::{PerformanceYear, Timestamp, Tin};
pub use mips_elections::server::app::app;
pub use mips_elections::server::seed::{self, DEMO_PASSWORD};
pub use mips_elections::server::state::{AppState, Config};
pub use mips_elections::server::store::practices::PracticeRow;
pub use mips_elections::server::store::{Backend, Store};
pub use serde_json::{json, Value};
pub use std::sync::atomic::{AtomicI64, Ordering};
pub use std::sync::Arc;
pub use tower::ServiceExt;

#[derive(Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct Harness {
    pub app: Router,
    /// The database's URL (for PostgreSQL, as its superuser).
    pub url: String,
    pub store: Store,
    pub clock: Arc<AtomicI64>,
    pub demo_year: PerformanceYear,
}

#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub fn unique_name() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: AtomicI64 = AtomicI64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("t{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, Ordering::SeqCst))
}

pub async fn database_url(db: Db) -> String {
    match db {
        Db::Sqlite => {
            let path = std::env::temp_dir().join(format!("mips-elections-{}.db", unique_name()));
            format!("sqlite:{}", path.display())
        }
        Db::Postgres => {
            let admin = std::env::var("MIPS_TEST_POSTGRES_URL").expect(
                "MIPS_TEST_POSTGRES_URL is not set: the PostgreSQL variants need a server. Run ./scripts/test, which starts one.",
            );
            sqlx::any::install_default_drivers();
            let name = unique_name();
            let pool = sqlx::AnyPool::connect(&admin).await.expect("connect to the PostgreSQL admin URL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create test database");
            pool.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
            format!("{base}/{name}")
        }
    }
}

/// "Now" for the tests: inside the demo window, 2026-11-23 12:00 ET.
pub fn start_time() -> Timestamp {
    Timestamp::from_eastern(2026, 11, 23, 12, 0)
}

pub async fn harness(db: Db) -> Harness {
    let url = database_url(db).await;
    let store = Store::connect(&url).await.expect("connect and migrate");
    let clock = Arc::new(AtomicI64::new(start_time().0));
    seed::seed_reference_data(&store).await.unwrap();
    let demo_year = seed::seed_demo_data(&store, start_time(), false).await.unwrap();
    // A second practice representative, connected only to the practice demo-practice lacks.
    let hash = mips_elections::server::secrets::hash_password("other-password-1");
    store
        .upsert_user("other-practice", "Olga Other", &hash, UserRole::PracticeRepresentative, false, start_time())
        .await
        .unwrap();
    store.connect_user("other-practice", &Tin::parse("108000141").unwrap()).await.unwrap();
    let c = clock.clone();
    let state = AppState::new(store.clone(), Arc::new(move || Timestamp(c.load(Ordering::SeqCst))), Config::default());
    Harness { app: app(state, None), url, store, clock, demo_year }
}

impl Harness {
    /// The same database and clock behind a router with another configuration.
    pub fn with_config(&self, config: Config) -> Harness {
        self.serving(config, None)
    }

    /// The same database and clock behind a router that also serves a built SPA from `dist`.
    pub fn serving(&self, config: Config, dist: Option<&std::path::Path>) -> Harness {
        self.through(self.store.clone(), config, dist)
    }

    /// The same clock behind a router on `store` (e.g. the same database as another role).
    pub fn through(&self, store: Store, config: Config, dist: Option<&std::path::Path>) -> Harness {
        let c = self.clock.clone();
        let state = AppState::new(store.clone(), Arc::new(move || Timestamp(c.load(Ordering::SeqCst))), config);
        Harness {
            app: app(state, dist),
            url: self.url.clone(),
            store,
            clock: self.clock.clone(),
            demo_year: self.demo_year,
        }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Harness {
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, session: Option<&Session>) -> Reply {
        let mut req = Request::builder().method(method.clone()).uri(path).header(header::HOST, "127.0.0.1:8080");
        if let Some(s) = session {
            req = req.header(header::COOKIE, &s.cookie);
            if method != Method::GET {
                req = req.header(CSRF_HEADER, &s.csrf);
            }
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())).unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply { status, headers, body }
    }

    pub async fn sign_in(&self, user: &str, password: &str) -> Session {
        let r = self
            .call(
                Method::POST,
                endpoints::SESSION.path,
                Some(json!({"userId": user, "password": password, "agreeStatementOfTruth": true})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let set_cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        Session { cookie, csrf: r.body["csrfToken"].as_str().unwrap().to_string() }
    }

    pub async fn demo(&self) -> Session {
        self.sign_in("demo-practice", DEMO_PASSWORD).await
    }

    pub fn advance_minutes(&self, m: i64) {
        self.clock.fetch_add(m * 60_000, Ordering::SeqCst);
    }

    pub fn election(&self, tin: &str, election: &str, confirmation: &str) -> Value {
        json!({"performanceYear": self.demo_year.get(), "tin": tin, "election": election, "confirmation": confirmation})
    }

    pub async fn stored(&self, tin: &str) -> Option<ElectionRecord> {
        self.store.election(self.demo_year, &Tin::parse(tin).unwrap(), None).await.unwrap()
    }
}

/// Asserts the one error shape and returns the body's `error`.
pub fn error_of(r: &Reply, status: StatusCode, kind: &str) -> Value {
    assert_eq!(r.status, status, "body: {}", r.body);
    let e = &r.body["error"];
    assert_eq!(e["type"], kind, "body: {}", r.body);
    assert!(e["message"].as_str().map(|m| m.len() > 10).unwrap_or(false), "a readable message: {}", r.body);
    assert!(e["details"].is_array(), "details is always an array: {}", r.body);
    e.clone()
}

pub const OPT_IN_ELIGIBLE: &str = "104000093"; // Dittrich, Krajíček and Urbanová
pub const PAZDEROVA: &str = "103000013";
pub const MIPS_ELIGIBLE: &str = "106000125";
pub const NOT_OPT_IN_ELIGIBLE: &str = "107000133";
pub const NOT_CONNECTED: &str = "108000141";

/// Runs each named test (an `async fn(Harness)` of the calling module) on SQLite and on PostgreSQL.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        crate::harness::on_one!(sqlite, Sqlite, $($name),*);
        crate::harness::on_one!(postgres, Postgres, $($name),*);
    };
}
pub(crate) use on_both;

/// Tests that run on one database only, in a module of that name (e.g. for time, or because
/// only PostgreSQL has roles).
macro_rules! on_one {
    ($module:ident, $db:ident, $($name:ident),* $(,)?) => {
        mod $module { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(crate::harness::harness(crate::harness::Db::$db).await).await } )* }
    };
}
pub(crate) use on_one;

/// A valid NPI from 8 digits: "1", the digits and the Luhn check digit.
pub fn npi(base8: &str) -> String {
    mips_elections::domain::Npi::with_check_digit(&format!("1{base8}")).unwrap().to_string()
}
