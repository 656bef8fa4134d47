//! API tests: the router is called in-process (tower::ServiceExt::oneshot) against a real
//! database. Every test runs twice, on SQLite and on PostgreSQL. PostgreSQL comes from
//! `MIPS_TEST_POSTGRES_URL` (an admin URL; each test creates its own database), which
//! `./scripts/test` sets after starting a throwaway server. Without it the PostgreSQL variants
//! fail with a message saying so, rather than passing silently.
#![cfg(not(target_arch = "wasm32"))]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use mips_elections::api::*;
use mips_elections::domain::{PerformanceYear, Timestamp, Tin};
use mips_elections::server::seed::{self, DEMO_PASSWORD};
use mips_elections::server::store::{PracticeRow, Store};
use mips_elections::server::{app, AppState, Config};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

#[derive(Clone, Copy)]
enum Db {
    Sqlite,
    Postgres,
}

struct Harness {
    app: Router,
    store: Store,
    clock: Arc<AtomicI64>,
    demo_year: PerformanceYear,
}

#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

fn unique_name() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static N: AtomicI64 = AtomicI64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("t{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, Ordering::SeqCst))
}

async fn database_url(db: Db) -> String {
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
fn start_time() -> Timestamp {
    Timestamp::from_eastern(2026, 11, 23, 12, 0)
}

async fn harness(db: Db) -> Harness {
    let url = database_url(db).await;
    let store = Store::connect(&url).await.expect("connect and migrate");
    let clock = Arc::new(AtomicI64::new(start_time().0));
    seed::seed_reference_data(&store).await.unwrap();
    let demo_year = seed::seed_demo_data(&store, start_time()).await.unwrap();
    // A second practice representative, connected only to the practice demo-practice lacks.
    let hash = mips_elections::server::auth::hash_password("other-password-1");
    store.upsert_user("other-practice", "Olga Other", &hash, UserRole::PracticeRepresentative, false, start_time()).await.unwrap();
    store.connect_user("other-practice", &Tin::parse("108000141").unwrap()).await.unwrap();
    let c = clock.clone();
    let state = AppState::new(store.clone(), Arc::new(move || Timestamp(c.load(Ordering::SeqCst))), Config::default());
    Harness { app: app(state, None), store, clock, demo_year }
}

impl Harness {
    /// The same database and clock behind a router with another configuration.
    fn with_config(&self, config: Config) -> Harness {
        let c = self.clock.clone();
        let state = AppState::new(self.store.clone(), Arc::new(move || Timestamp(c.load(Ordering::SeqCst))), config);
        Harness { app: app(state, None), store: self.store.clone(), clock: self.clock.clone(), demo_year: self.demo_year }
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl Harness {
    async fn call(&self, method: Method, path: &str, body: Option<Value>, session: Option<&Session>) -> Reply {
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

    async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into())) };
        Reply { status, headers, body }
    }

    async fn sign_in(&self, user: &str, password: &str) -> Session {
        let r = self.call(Method::POST, paths::SESSION, Some(json!({"userId": user, "password": password, "agreeStatementOfTruth": true})), None).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let set_cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        Session { cookie, csrf: r.body["csrfToken"].as_str().unwrap().to_string() }
    }

    async fn demo(&self) -> Session {
        self.sign_in("demo-practice", DEMO_PASSWORD).await
    }

    fn advance_minutes(&self, m: i64) {
        self.clock.fetch_add(m * 60_000, Ordering::SeqCst);
    }

    fn election(&self, tin: &str, election: &str, confirmation: &str) -> Value {
        json!({"performanceYear": self.demo_year.get(), "tin": tin, "election": election, "confirmation": confirmation})
    }

    async fn stored(&self, tin: &str) -> Option<mips_elections::server::store::ElectionRow> {
        self.store.election(self.demo_year, &Tin::parse(tin).unwrap(), None).await.unwrap()
    }
}

/// Asserts the one error shape and returns the body's `error`.
fn error_of(r: &Reply, status: StatusCode, kind: &str) -> Value {
    assert_eq!(r.status, status, "body: {}", r.body);
    let e = &r.body["error"];
    assert_eq!(e["type"], kind, "body: {}", r.body);
    assert!(e["message"].as_str().map(|m| m.len() > 10).unwrap_or(false), "a readable message: {}", r.body);
    assert!(e["details"].is_array(), "details is always an array: {}", r.body);
    e.clone()
}

const OPT_IN_ELIGIBLE: &str = "104000093"; // Dittrich, Krajíček and Urbanová
const PAZDEROVA: &str = "103000013";
const MIPS_ELIGIBLE: &str = "106000125";
const NOT_OPT_IN_ELIGIBLE: &str = "107000133";
const NOT_CONNECTED: &str = "108000141";

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::harness(super::Db::Sqlite).await).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::harness(super::Db::Postgres).await).await } )* }
    };
}

on_both!(
    sign_in_requires_the_statement_of_truth,
    sign_in_refuses_wrong_credentials_alike,
    sign_in_sets_a_strict_http_only_cookie_and_records_agreement,
    sessions_expire_and_sign_out_ends_them,
    malformed_bodies_get_the_error_shape,
    practices_are_only_the_users_own,
    reading_or_electing_for_another_practice_is_refused,
    electing_outside_the_window_is_refused_with_dates,
    only_opt_in_eligible_practices_can_elect,
    mutations_need_the_csrf_token_and_same_origin,
    confirmation_word_is_checked_by_the_server,
    opt_in_is_recorded_with_audit_and_shown_on_the_card,
    retry_returns_the_same_election_and_a_change_is_a_conflict,
    the_database_refuses_to_change_an_election,
    fifty_concurrent_conflicting_attempts_make_exactly_one_election,
    unknown_paths_and_methods_answer_in_json,
    year_parameter_is_validated,
    years_list_windows_and_defaults_to_the_open_year,
    clinicians_are_listed_with_their_own_eligibility,
    individual_elections_follow_the_same_rules,
    app_only_after_opt_in_and_never_for_voluntary_reporters,
    connections_show_only_what_the_user_has,
    npi_lookup_masks_tins_unless_connected,
    opt_in_read_answers_each_entity,
    openapi_documents_every_route_from_the_shared_types,
    repeated_wrong_passwords_lock_the_user_id_for_a_while,
    virtual_group_members_elect_through_their_virtual_group,
    unreadable_paths_get_the_error_shape,
    sessions_end_after_twelve_hours_even_when_active,
    pathways_only_while_data_can_be_submitted,
);

// QPP JSON validation needs no database; it runs once.
mod qpp_validation {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn validate_endpoint_answers_with_the_shared_rules() {
        super::validate_endpoint_answers_with_the_shared_rules(super::harness(super::Db::Sqlite).await).await
    }
}

async fn sign_in_requires_the_statement_of_truth(h: Harness) {
    let r = h.call(Method::POST, paths::SESSION, Some(json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": false})), None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "StatementOfTruthRequired");
    assert_eq!(e["details"][0]["path"], "$.agreeStatementOfTruth");
    assert!(r.headers.get(header::SET_COOKIE).is_none(), "no session without agreement");
    let r = h.call(Method::POST, paths::SESSION, Some(json!({"userId": "", "password": "", "agreeStatementOfTruth": false})), None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert_eq!(e["details"].as_array().unwrap().len(), 3, "one detail per problem: {e}");
}

async fn sign_in_refuses_wrong_credentials_alike(h: Harness) {
    let wrong_pw = h.call(Method::POST, paths::SESSION, Some(json!({"userId": "demo-practice", "password": "nope", "agreeStatementOfTruth": true})), None).await;
    let no_user = h.call(Method::POST, paths::SESSION, Some(json!({"userId": "nobody", "password": "nope", "agreeStatementOfTruth": true})), None).await;
    let a = error_of(&wrong_pw, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    let b = error_of(&no_user, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    assert_eq!(a["message"], b["message"], "the answer must not reveal which user IDs exist");
    assert!(wrong_pw.headers.get(header::SET_COOKIE).is_none());
}

async fn sign_in_sets_a_strict_http_only_cookie_and_records_agreement(h: Harness) {
    let r = h.call(Method::POST, paths::SESSION, Some(json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": true})), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with(&format!("{SESSION_COOKIE}=")));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback");
    let info: SessionInfo = serde_json::from_value(r.body.clone()).unwrap();
    assert_eq!(info.user.user_id, "demo-practice");
    assert_eq!(info.statement_of_truth_agreed_at, start_time());
    assert_eq!(info.csrf_token.len(), 64);
    // Behind TLS the cookie is Secure.
    let req = Request::builder()
        .method(Method::POST)
        .uri(paths::SESSION)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": true}).to_string()))
        .unwrap();
    let r = h.send(req).await;
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().ends_with("; Secure"));
}

async fn sessions_expire_and_sign_out_ends_them(h: Harness) {
    let s = h.demo().await;
    assert_eq!(h.call(Method::GET, paths::SESSION, None, Some(&s)).await.status, StatusCode::OK);
    // Signed out, "am I signed in?" is answered 204, not an error.
    assert_eq!(h.call(Method::GET, paths::SESSION, None, None).await.status, StatusCode::NO_CONTENT);
    // Activity keeps the session; 31 idle minutes end it.
    h.advance_minutes(20);
    assert_eq!(h.call(Method::GET, paths::SESSION, None, Some(&s)).await.status, StatusCode::OK);
    h.advance_minutes(31);
    let expired = h.call(Method::GET, paths::SESSION, None, Some(&s)).await;
    assert_eq!(expired.status, StatusCode::NO_CONTENT);
    assert!(expired.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"), "the dead cookie is cleared");
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&s)).await, StatusCode::UNAUTHORIZED, "Unauthorized");
    let s = h.demo().await;
    let out = h.call(Method::DELETE, paths::SESSION, None, Some(&s)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(h.call(Method::GET, paths::SESSION, None, Some(&s)).await.status, StatusCode::NO_CONTENT);
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&s)).await, StatusCode::UNAUTHORIZED, "Unauthorized");
}

async fn malformed_bodies_get_the_error_shape(h: Harness) {
    let s = h.demo().await;
    let raw = |body: &str, ct: &str| {
        Request::builder()
            .method(Method::POST)
            .uri(paths::ELECTIONS)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, &s.cookie)
            .header(CSRF_HEADER, &s.csrf)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let e = error_of(&h.send(raw("{\"tin\": ", "application/json")).await, StatusCode::BAD_REQUEST, "InvalidJson");
    assert!(e["message"].as_str().unwrap().contains("line 1"), "{e}");
    error_of(&h.send(raw("", "application/json")).await, StatusCode::BAD_REQUEST, "InvalidJson");
    error_of(&h.send(raw("{}", "text/plain")).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType");
    let bad_tin = json!({"performanceYear": h.demo_year.get(), "tin": "12345", "election": "OPT_IN", "confirmation": "CONFIRM"});
    let e = error_of(&h.send(raw(&bad_tin.to_string(), "application/json")).await, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert_eq!(e["details"][0]["path"], "$.tin");
    assert!(e["details"][0]["message"].as_str().unwrap().contains("exactly 9"), "{e}");
    let bad_choice = json!({"performanceYear": h.demo_year.get(), "tin": OPT_IN_ELIGIBLE, "election": "MAYBE", "confirmation": "CONFIRM"});
    let e = error_of(&h.send(raw(&bad_choice.to_string(), "application/json")).await, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert_eq!(e["details"][0]["path"], "$.election");
    let missing = json!({"tin": OPT_IN_ELIGIBLE});
    error_of(&h.send(raw(&missing.to_string(), "application/json")).await, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none(), "nothing stored");
}

async fn practices_are_only_the_users_own(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list: PracticesResponse = serde_json::from_value(r.body).unwrap();
    let tins: Vec<&str> = list.practices.iter().map(|p| p.tin.as_str()).collect();
    assert_eq!(tins.len(), 5, "{tins:?}");
    assert!(!tins.contains(&NOT_CONNECTED));
    let pazderova = list.practices.iter().find(|p| p.tin.as_str() == PAZDEROVA).unwrap();
    assert_eq!(pazderova.name, "Pazderová, Dudek and Zelený");
    assert_eq!(pazderova.eligibility.figures.allowed_charges_cents, 5_002_700);
    assert_eq!(pazderova.eligibility.status.badge(), "MIPS EXEMPT");
    assert_eq!(pazderova.eligibility.status.qualifier(), Some("Opt-in eligible"));
    assert!(pazderova.eligibility.can_elect.allowed);
    assert_eq!(pazderova.eligibility.special_statuses.len(), 3);
    assert!(pazderova.is_demo);
    let riverside = list.practices.iter().find(|p| p.tin.as_str() == MIPS_ELIGIBLE).unwrap();
    assert_eq!(riverside.eligibility.status.badge(), "MIPS ELIGIBLE");
    assert!(!riverside.eligibility.can_elect.allowed);
    let other = h.sign_in("other-practice", "other-password-1").await;
    let r = h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&other)).await;
    let list: PracticesResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(list.practices.iter().map(|p| p.tin.as_str()).collect::<Vec<_>>(), vec![NOT_CONNECTED]);
}

async fn reading_or_electing_for_another_practice_is_refused(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::GET, &format!("{}?year={}", paths::practice(NOT_CONNECTED), h.demo_year), None, Some(&s)).await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    // A TIN that does not exist at all is answered the same way: no probing for TINs.
    let r = h.call(Method::GET, &format!("{}?year={}", paths::practice("999999999"), h.demo_year), None, Some(&s)).await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(NOT_CONNECTED, "OPT_IN", "CONFIRM")), Some(&s)).await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    assert!(h.stored(NOT_CONNECTED).await.is_none());
    let r = h.call(Method::GET, &format!("{}?year={}", paths::practice("12AB"), h.demo_year), None, Some(&s)).await;
    error_of(&r, StatusCode::BAD_REQUEST, "InvalidFormatTin");
}

async fn electing_outside_the_window_is_refused_with_dates(h: Harness) {
    let s = h.demo().await;
    let body = json!({"performanceYear": 2021, "tin": OPT_IN_ELIGIBLE, "election": "OPT_IN", "confirmation": "CONFIRM"});
    let r = h.call(Method::POST, paths::ELECTIONS, Some(body), Some(&s)).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionWindowClosed");
    assert!(e["message"].as_str().unwrap().contains("March 31, 2022 at 8:00 p.m. ET"), "{e}");
    assert!(h.store.election(PerformanceYear::new(2021).unwrap(), &Tin::parse(OPT_IN_ELIGIBLE).unwrap(), None).await.unwrap().is_none());
    // The card of that year shows the options as unavailable with the same reason.
    let r = h.call(Method::GET, &format!("{}?year=2021", paths::practice(OPT_IN_ELIGIBLE)), None, Some(&s)).await;
    let card: PracticeCard = serde_json::from_value(r.body).unwrap();
    assert!(!card.eligibility.can_elect.allowed);
    assert!(card.eligibility.can_elect.reason.unwrap().contains("closed"));
    // The demo window closes too: a year later the same request is refused.
    h.clock.store(Timestamp::from_eastern(2027, 12, 1, 12, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s)).await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionWindowClosed");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn only_opt_in_eligible_practices_can_elect(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(NOT_OPT_IN_ELIGIBLE, "VOLUNTARY", "CONFIRM")), Some(&s)).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "NotOptInEligible");
    assert!(e["message"].as_str().unwrap().contains("not opt-in eligible"));
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(MIPS_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s)).await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "AlreadyMipsEligible");
    assert!(h.stored(NOT_OPT_IN_ELIGIBLE).await.is_none() && h.stored(MIPS_ELIGIBLE).await.is_none());
    // A practice connected but without data for the year.
    let body = json!({"performanceYear": 2019, "tin": OPT_IN_ELIGIBLE, "election": "OPT_IN", "confirmation": "CONFIRM"});
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body), Some(&s)).await, StatusCode::NOT_FOUND, "NoPracticeInformation");
}

async fn mutations_need_the_csrf_token_and_same_origin(h: Harness) {
    let s = h.demo().await;
    let no_csrf = Session { cookie: s.cookie.clone(), csrf: String::new() };
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&no_csrf)).await;
    error_of(&r, StatusCode::FORBIDDEN, "CsrfTokenMissing");
    let wrong = Session { cookie: s.cookie.clone(), csrf: "0".repeat(64) };
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&wrong)).await, StatusCode::FORBIDDEN, "CsrfTokenMissing");
    let req = Request::builder()
        .method(Method::POST)
        .uri(paths::ELECTIONS)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://attacker.example")
        .header(header::COOKIE, &s.cookie)
        .header(CSRF_HEADER, &s.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM").to_string()))
        .unwrap();
    error_of(&h.send(req).await, StatusCode::FORBIDDEN, "CrossSiteRequest");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn confirmation_word_is_checked_by_the_server(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRMED")), Some(&s)).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ConfirmationMismatch");
    assert_eq!(e["details"][0]["path"], "$.confirmation");
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "  ")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "ConfirmationRequired");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn opt_in_is_recorded_with_audit_and_shown_on_the_card(h: Harness) {
    let s = h.demo().await;
    h.advance_minutes(5);
    let r = h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", " confirm ")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made: ElectionResponse = serde_json::from_value(r.body).unwrap();
    assert!(made.created);
    assert_eq!(made.election.elected_by, "Tessa H");
    assert_eq!(made.election.channel, ElectionChannel::Web);
    let elected_at = Timestamp(start_time().0 + 5 * 60_000);
    assert_eq!(made.election.elected_at, elected_at);
    let audit = h.store.audit(h.demo_year, &Tin::parse(OPT_IN_ELIGIBLE).unwrap(), None).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_user_id, "demo-practice");
    assert_eq!(audit[0].channel, ElectionChannel::Web);
    assert_eq!(audit[0].occurred_at, elected_at);
    assert_eq!(audit[0].statement_of_truth_agreed_at, start_time(), "the sign-in's Statement of Truth time");
    let r = h.call(Method::GET, &format!("{}?year={}", paths::practice(OPT_IN_ELIGIBLE), h.demo_year), None, Some(&s)).await;
    let card: PracticeCard = serde_json::from_value(r.body).unwrap();
    assert_eq!(card.eligibility.status.badge(), "MIPS ELIGIBLE VIA OPT-IN");
    assert!(!card.eligibility.can_elect.allowed, "no way to elect again");
    assert_eq!(card.eligibility.election.unwrap().election, mips_elections::domain::Election::OptIn);
}

async fn retry_returns_the_same_election_and_a_change_is_a_conflict(h: Harness) {
    let s = h.demo().await;
    let first = h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "VOLUNTARY", "CONFIRM")), Some(&s)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    h.advance_minutes(3);
    let retry = h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "VOLUNTARY", "confirm")), Some(&s)).await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.body["created"], false);
    assert_eq!(retry.body["election"], first.body["election"], "the existing election, unchanged");
    let change = h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s)).await;
    let e = error_of(&change, StatusCode::CONFLICT, "ElectionAlreadyMade");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("Report Voluntarily") && msg.contains("Tessa H") && msg.contains("final"), "{msg}");
    assert_eq!(h.stored(PAZDEROVA).await.unwrap().election, mips_elections::domain::Election::ReportVoluntarily);
    // A retry after the window closed still answers with the election.
    h.clock.store(Timestamp::from_eastern(2028, 1, 1, 0, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "VOLUNTARY", "CONFIRM")), Some(&s)).await.status, StatusCode::OK);
}

async fn the_database_refuses_to_change_an_election(h: Harness) {
    let s = h.demo().await;
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s)).await.status, StatusCode::CREATED);
    let update = h.store.execute_raw("UPDATE elections SET election = 'VOLUNTARY'").await;
    assert!(update.unwrap_err().to_string().contains("elections are final"));
    let delete = h.store.execute_raw("DELETE FROM elections").await;
    assert!(delete.unwrap_err().to_string().contains("elections are final"));
    let audit = h.store.execute_raw("DELETE FROM election_audit").await;
    assert!(audit.unwrap_err().to_string().contains("append-only"));
    let dup = h.store.execute_raw(&format!("INSERT INTO elections (performance_year, tin, npi, election, elected_at, elected_by, channel) VALUES ({}, '{OPT_IN_ELIGIBLE}', '', 'VOLUNTARY', 1, 'x', 'WEB')", h.demo_year)).await;
    assert!(dup.is_err(), "the unique key refuses a second group election");
    assert_eq!(h.stored(OPT_IN_ELIGIBLE).await.unwrap().election, mips_elections::domain::Election::OptIn);
}

async fn fifty_concurrent_conflicting_attempts_make_exactly_one_election(h: Harness) {
    let s = h.demo().await;
    let h = Arc::new(h);
    let mut tasks = vec![];
    for i in 0..50 {
        let (h, s) = (h.clone(), s.clone());
        let choice = if i % 2 == 0 { "OPT_IN" } else { "VOLUNTARY" };
        tasks.push(tokio::spawn(async move { (choice, h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, choice, "CONFIRM")), Some(&s)).await) }));
    }
    let mut results = vec![];
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let created: Vec<_> = results.iter().filter(|(_, r)| r.status == StatusCode::CREATED).collect();
    assert_eq!(created.len(), 1, "exactly one creates: {:?}", results.iter().map(|(c, r)| (c, r.status, r.body.to_string())).collect::<Vec<_>>());
    let winner = created[0].0;
    for (choice, r) in &results {
        if r.status == StatusCode::CREATED {
            continue;
        }
        if *choice == winner {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        } else {
            error_of(r, StatusCode::CONFLICT, "ElectionAlreadyMade");
        }
    }
    let stored = h.stored(PAZDEROVA).await.unwrap();
    assert_eq!(stored.election.code(), winner);
    assert_eq!(h.store.audit(h.demo_year, &Tin::parse(PAZDEROVA).unwrap(), None).await.unwrap().len(), 1);
}

async fn unknown_paths_and_methods_answer_in_json(h: Harness) {
    error_of(&h.call(Method::GET, "/api/nothing-here", None, None).await, StatusCode::NOT_FOUND, "NotFound");
    error_of(&h.call(Method::PUT, paths::ELECTIONS, Some(json!({})), None).await, StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed");
    assert_eq!(h.call(Method::GET, paths::HEALTH, None, None).await.body["status"], "ok");
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, None).await, StatusCode::UNAUTHORIZED, "Unauthorized");
}

async fn year_parameter_is_validated(h: Harness) {
    let s = h.demo().await;
    let e = error_of(&h.call(Method::GET, paths::PRACTICES, None, Some(&s)).await, StatusCode::BAD_REQUEST, "MissingParameter");
    assert_eq!(e["details"][0]["path"], "year");
    error_of(&h.call(Method::GET, &format!("{}?year=2018", paths::PRACTICES), None, Some(&s)).await, StatusCode::BAD_REQUEST, "InvalidParameter");
    error_of(&h.call(Method::GET, &format!("{}?year=abcd", paths::PRACTICES), None, Some(&s)).await, StatusCode::BAD_REQUEST, "InvalidParameter");
}

async fn years_list_windows_and_defaults_to_the_open_year(h: Harness) {
    let r = h.call(Method::GET, paths::PERFORMANCE_YEARS, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let years: PerformanceYearsResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(years.default_year, h.demo_year);
    assert_eq!(years.years.last().unwrap().performance_year.get(), 2019);
    let y2024 = years.years.iter().find(|y| y.performance_year.get() == 2024).unwrap();
    assert_eq!(y2024.window.as_ref().unwrap().election_closes_at.format_eastern(), "March 31, 2025 at 8:00 p.m. ET");
    assert_eq!(y2024.window_phase, Some(mips_elections::domain::WindowPhase::Closed));
    let demo = years.years.iter().find(|y| y.performance_year == h.demo_year).unwrap();
    assert_eq!(demo.window.as_ref().unwrap().source, mips_elections::domain::WindowSource::Demo);
    // Seeding again changes nothing (idempotent), and keeps the demo window.
    seed::seed_reference_data(&h.store).await.unwrap();
    seed::seed_demo_data(&h.store, Timestamp::from_eastern(2027, 6, 1, 0, 0)).await.unwrap();
    let again: PerformanceYearsResponse = serde_json::from_value(h.call(Method::GET, paths::PERFORMANCE_YEARS, None, None).await.body).unwrap();
    assert_eq!(again.default_year, h.demo_year);
    assert_eq!(again.years.iter().find(|y| y.performance_year == h.demo_year).unwrap().window, demo.window, "the demo window is kept, not re-made");
    let s = h.demo().await;
    let list: PracticesResponse = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!((list.practices.len(), list.clinicians.len()), (5, 11), "nothing doubled");
    let row: Option<PracticeRow> = h.store.practice(h.demo_year, &Tin::parse(PAZDEROVA).unwrap()).await.unwrap();
    assert_eq!(row.unwrap().medicare_patients, 33);
}

fn npi(base8: &str) -> String {
    mips_elections::domain::Npi::with_check_digit(&format!("1{base8}")).unwrap().to_string()
}

async fn clinicians_are_listed_with_their_own_eligibility(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::GET, &format!("{}?year={}", paths::clinicians(MIPS_ELIGIBLE), h.demo_year), None, Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list: CliniciansResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(list.practice.eligibility.status.badge(), "MIPS ELIGIBLE");
    let park = list.clinicians.iter().find(|c| c.last_name == "Park").unwrap();
    assert_eq!(park.eligibility.status.qualifier(), Some("Opt-in eligible"), "opt-in eligible individually in a MIPS eligible practice");
    assert!(park.eligibility.can_elect.allowed);
    let okafor = list.clinicians.iter().find(|c| c.last_name == "Okafor").unwrap();
    assert_eq!(okafor.eligibility.status.badge(), "MIPS ELIGIBLE");
    // All practices' clinicians come with the practices list (for the page and its CSV).
    let all: PracticesResponse = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::PRACTICES, h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!(all.clinicians.len(), 11);
    assert!(all.clinicians.iter().all(|c| c.tin.as_str() != NOT_CONNECTED));
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::clinicians(NOT_CONNECTED), h.demo_year), None, Some(&s)).await, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let one = h.call(Method::GET, &format!("{}?year={}", paths::clinician(PAZDEROVA, &npi("10300001")), h.demo_year), None, Some(&s)).await;
    let card: ClinicianCard = serde_json::from_value(one.body).unwrap();
    assert_eq!(card.full_name(), "Tereza Pazderová");
    assert_eq!(card.practice_name, "Pazderová, Dudek and Zelený");
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::clinician(PAZDEROVA, &npi("10600014")), h.demo_year), None, Some(&s)).await, StatusCode::NOT_FOUND, "NoProviderInformation");
    error_of(&h.call(Method::GET, &format!("{}?year={}", paths::clinician(PAZDEROVA, "123"), h.demo_year), None, Some(&s)).await, StatusCode::BAD_REQUEST, "InvalidFormatNpi");
}

async fn individual_elections_follow_the_same_rules(h: Harness) {
    let s = h.demo().await;
    let body = |tin: &str, n: &str, e: &str| json!({"performanceYear": h.demo_year.get(), "tin": tin, "npi": n, "election": e, "confirmation": "confirm"});
    let r = h.call(Method::POST, paths::ELECTIONS, Some(body(PAZDEROVA, &npi("10300001"), "OPT_IN")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["election"]["npi"], npi("10300001"));
    // The group is untouched: individual and group elections are separate.
    assert!(h.stored(PAZDEROVA).await.is_none());
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body(PAZDEROVA, &npi("10300001"), "VOLUNTARY")), Some(&s)).await, StatusCode::CONFLICT, "ElectionAlreadyMade");
    // Opt-in eligible individually inside a MIPS eligible practice.
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(body(MIPS_ELIGIBLE, &npi("10600014"), "VOLUNTARY")), Some(&s)).await.status, StatusCode::CREATED);
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body(MIPS_ELIGIBLE, &npi("10600012"), "OPT_IN")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "AlreadyMipsEligible");
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body(OPT_IN_ELIGIBLE, &npi("10400011"), "OPT_IN")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "NotOptInEligible");
    // A clinician of another TIN, and a clinician of a practice not yours.
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body(PAZDEROVA, &npi("10600014"), "OPT_IN")), Some(&s)).await, StatusCode::NOT_FOUND, "NoProviderInformation");
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body(NOT_CONNECTED, &npi("10800014"), "OPT_IN")), Some(&s)).await, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let audit = h.store.audit(h.demo_year, &Tin::parse(PAZDEROVA).unwrap(), Some(&mips_elections::domain::Npi::parse(&npi("10300001")).unwrap())).await.unwrap();
    assert_eq!(audit.len(), 1);
}

async fn app_only_after_opt_in_and_never_for_voluntary_reporters(h: Harness) {
    let s = h.demo().await;
    const KOWALCZYK: &str = "105000117";
    let agnieszka = npi("10500011");
    let pathway = |n: Option<&str>, p: &str| json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "npi": n, "pathway": p});
    // Before any election: elect first.
    error_of(&h.call(Method::POST, paths::PATHWAYS, Some(pathway(None, "APP")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "ElectionRequired");
    // Group opts in, then chooses the APP; the card offers nothing more and shows the choice.
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(KOWALCZYK, "OPT_IN", "CONFIRM")), Some(&s)).await.status, StatusCode::CREATED);
    let card: PracticeCard = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::practice(KOWALCZYK), h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!(card.eligibility.offered_pathways, vec![mips_elections::domain::ReportingPathway::TraditionalMips, mips_elections::domain::ReportingPathway::App]);
    let r = h.call(Method::POST, paths::PATHWAYS, Some(pathway(None, "APP")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(h.call(Method::POST, paths::PATHWAYS, Some(pathway(None, "APP")), Some(&s)).await.status, StatusCode::OK, "repeat is harmless");
    error_of(&h.call(Method::POST, paths::PATHWAYS, Some(pathway(None, "TRADITIONAL_MIPS")), Some(&s)).await, StatusCode::CONFLICT, "PathwayAlreadyChosen");
    let card: PracticeCard = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::practice(KOWALCZYK), h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!(card.eligibility.pathway.unwrap().pathway, mips_elections::domain::ReportingPathway::App);
    assert!(card.eligibility.offered_pathways.is_empty());
    // An APM participant who reports voluntarily is never offered, nor allowed, the APP.
    let vol = json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "npi": agnieszka, "election": "VOLUNTARY", "confirmation": "CONFIRM"});
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(vol), Some(&s)).await.status, StatusCode::CREATED);
    let c: ClinicianCard = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::clinician(KOWALCZYK, &agnieszka), h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!(c.eligibility.offered_pathways, vec![mips_elections::domain::ReportingPathway::TraditionalMips]);
    let e = error_of(&h.call(Method::POST, paths::PATHWAYS, Some(pathway(Some(&agnieszka), "APP")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "VoluntaryReportingViaAppNotPermitted");
    assert!(e["message"].as_str().unwrap().contains("can't voluntarily report"));
    // Not a MIPS APM participant.
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s)).await.status, StatusCode::CREATED);
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "pathway": "APP"});
    error_of(&h.call(Method::POST, paths::PATHWAYS, Some(body), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "NotApmParticipant");
    let upd = h.store.execute_raw("UPDATE reporting_pathways SET pathway = 'TRADITIONAL_MIPS'").await;
    assert!(upd.unwrap_err().to_string().contains("final"));
}

async fn connections_show_only_what_the_user_has(h: Harness) {
    let s = h.demo().await;
    let c: ConnectionsResponse = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::CONNECTIONS, h.demo_year), None, Some(&s)).await.body).unwrap();
    assert_eq!(c.apm_entities.len(), 1);
    assert_eq!(c.apm_entities[0].apm_name, "Medicare Shared Savings Program");
    assert_eq!(c.virtual_groups.len(), 1);
    assert!(c.registries.is_empty());
    let r = h.sign_in("demo-registry", DEMO_PASSWORD).await;
    let c: ConnectionsResponse = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::CONNECTIONS, h.demo_year), None, Some(&r)).await.body).unwrap();
    assert_eq!(c.registries.len(), 1);
    assert!(c.apm_entities.is_empty() && c.virtual_groups.is_empty());
    let y: PerformanceYearsResponse = serde_json::from_value(h.call(Method::GET, paths::PERFORMANCE_YEARS, None, None).await.body).unwrap();
    assert_eq!(y.years.iter().find(|i| i.performance_year == h.demo_year).unwrap().data_runs.len(), 2);
    assert!(y.years.iter().find(|i| i.performance_year.get() == 2021).unwrap().data_runs[1].description.contains("Segment 2"));
}

async fn npi_lookup_masks_tins_unless_connected(h: Harness) {
    let tereza = npi("10300001");
    let path = format!("{}?year={}", paths::eligibility_npi(&tereza), h.demo_year);
    let anon = h.call(Method::GET, &path, None, None).await;
    assert_eq!(anon.status, StatusCode::OK, "{}", anon.body);
    let org = &anon.body["data"]["organizations"][0];
    assert_eq!(org["TIN"], MASKED_TIN);
    assert_eq!(org["individualScenario"]["isOptInEligible"], true);
    assert_eq!(org["individualScenario"]["isOptedIn"], Value::Null, "null = no decision");
    assert_eq!(org["individualScenario"]["lowVolumeStatusReasons"][0]["lowVolStusRsnCd"], "BOTH");
    let s = h.demo().await;
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "npi": tereza, "election": "VOLUNTARY", "confirmation": "CONFIRM"});
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(body), Some(&s)).await.status, StatusCode::CREATED);
    let signed = h.call(Method::GET, &path, None, Some(&s)).await;
    let org = &signed.body["data"]["organizations"][0];
    assert_eq!(org["TIN"], PAZDEROVA, "connected: the TIN shows");
    assert_eq!(org["individualScenario"]["isOptedIn"], false, "false = voluntary reporting");
    assert_eq!(org["individualScenario"]["optInDecisionDate"], start_time().to_iso8601());
    let other = h.sign_in("other-practice", "other-password-1").await;
    assert_eq!(h.call(Method::GET, &path, None, Some(&other)).await.body["data"]["organizations"][0]["TIN"], MASKED_TIN, "signed in but not connected");
    let e = error_of(&h.call(Method::GET, &paths::eligibility_npi("12345"), None, None).await, StatusCode::BAD_REQUEST, "InvalidFormatNpi");
    assert_eq!(e["message"], "Please supply a valid NPI");
    let e = error_of(&h.call(Method::GET, &paths::eligibility_npi("1234567893"), None, None).await, StatusCode::NOT_FOUND, "NoProviderInformation");
    assert_eq!(e["message"], "No individual clinician information exists for this NPI");
}

async fn opt_in_read_answers_each_entity(h: Harness) {
    let s = h.demo().await;
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s)).await.status, StatusCode::CREATED);
    let read = |header: &str, sess: Option<&Session>| {
        let mut req = Request::builder().uri(format!("{}?year={}", paths::ELIGIBILITY_OPT_IN, h.demo_year)).header(OPT_IN_ENTITIES_HEADER, header);
        if let Some(s) = sess {
            req = req.header(header::COOKIE, &s.cookie);
        }
        req.body(Body::empty()).unwrap()
    };
    let r = h.send(read(&format!("{OPT_IN_ELIGIBLE},{PAZDEROVA}|{},{MIPS_ELIGIBLE}", npi("10300001")), Some(&s))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows: OptInResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(rows.data.len(), 3);
    assert_eq!((rows.data[0].is_opt_in_eligible, rows.data[0].is_opted_in), (true, Some(true)));
    assert!(rows.data[0].opt_in_decision_date.is_some());
    assert_eq!((rows.data[1].is_opt_in_eligible, rows.data[1].is_opted_in), (true, None));
    assert_eq!((rows.data[2].is_opt_in_eligible, rows.data[2].is_opted_in), (false, None), "MIPS eligible: not opt-in eligible");
    assert_eq!(rows.data[2].run_num, 2);
    error_of(&h.send(read(NOT_CONNECTED, Some(&s))).await, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let e = error_of(&h.send(read("12|34", Some(&s))).await, StatusCode::BAD_REQUEST, "InvalidOptInEntities");
    assert_eq!(e["details"][0]["path"], "qpp-opt-in-entities[0]");
    error_of(&h.send(read("", Some(&s))).await, StatusCode::BAD_REQUEST, "MissingOptInEntities");
    error_of(&h.send(read(OPT_IN_ELIGIBLE, None)).await, StatusCode::UNAUTHORIZED, "Unauthorized");
}

async fn openapi_documents_every_route_from_the_shared_types(h: Harness) {
    let r = h.call(Method::GET, paths::OPENAPI, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), p.clone())))
        .collect();
    let expected = [
        ("GET", "/api/health"), ("POST", "/api/session"), ("GET", "/api/session"), ("DELETE", "/api/session"),
        ("GET", "/api/performance-years"), ("GET", "/api/practices"), ("GET", "/api/practices/{tin}"),
        ("GET", "/api/practices/{tin}/clinicians"), ("GET", "/api/practices/{tin}/clinicians/{npi}"), ("GET", "/api/connections"),
        ("POST", "/api/elections"), ("POST", "/api/pathways"), ("GET", "/api/eligibility/npi/{npi}"), ("GET", "/api/eligibility/opt-in"),
        ("POST", "/api/qpp/validate"),
        ("GET", "/api/registries/{registryId}/submissions"), ("POST", "/api/registries/{registryId}/participants"),
        ("POST", "/api/registries/{registryId}/uploads"), ("POST", "/api/registries/{registryId}/elections"),
        ("GET", "/api/registries/{registryId}/opt-in"), ("GET", "/api/registries/{registryId}/api-token"),
        ("POST", "/api/registries/{registryId}/api-token"), ("DELETE", "/api/registries/{registryId}/api-token"),
    ];
    for (m, p) in expected {
        assert!(documented.contains(&(m.to_string(), p.to_string())), "{m} {p} is documented; have {documented:?}");
    }
    // Every documented route answers (not the API's 404 fallback).
    for (m, p) in &documented {
        let path = p.replace("{tin}", PAZDEROVA).replace("{npi}", "1103000016");
        let r = h.call(Method::from_bytes(m.as_bytes()).unwrap(), &path, None, None).await;
        assert_ne!(r.body["error"]["type"], "NotFound", "{m} {p} is routed");
    }
    // Schemas come from the shared types, with serde's names and the domain's enums.
    let schemas = &doc["components"]["schemas"];
    let election = &schemas["ElectionRequest"]["properties"];
    for field in ["performanceYear", "tin", "npi", "election", "confirmation"] {
        assert!(election.get(field).is_some(), "ElectionRequest.{field}");
    }
    assert_eq!(schemas["Election"]["enum"], json!(["OPT_IN", "VOLUNTARY"]));
    assert_eq!(schemas["ReportingPathway"]["enum"], json!(["TRADITIONAL_MIPS", "APP"]));
    assert_eq!(schemas["Tin"]["type"], "string");
    assert!(schemas["OptInRow"]["properties"].get("isOptedIn").is_some());
    assert!(schemas["OrganizationEligibility"]["properties"].get("TIN").is_some());
}

async fn repeated_wrong_passwords_lock_the_user_id_for_a_while(h: Harness) {
    let attempt = |pw: &str| json!({"userId": "demo-practice", "password": pw, "agreeStatementOfTruth": true});
    for _ in 0..5 {
        error_of(&h.call(Method::POST, paths::SESSION, Some(attempt("wrong")), None).await, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    }
    let locked = h.call(Method::POST, paths::SESSION, Some(attempt(DEMO_PASSWORD)), None).await;
    let e = error_of(&locked, StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts");
    assert!(e["message"].as_str().unwrap().contains("Try again after"), "{e}");
    assert!(locked.headers.get(header::SET_COOKIE).is_none(), "even the right password is refused while locked");
    // Another user is not affected; after the window the right password works again.
    h.sign_in("other-practice", "other-password-1").await;
    h.advance_minutes(16);
    h.demo().await;
}

async fn virtual_group_members_elect_through_their_virtual_group(h: Harness) {
    let vg = VirtualGroupSummary { vg_id: "VG-T1".into(), name: "Test VG".into(), member_tins: vec![Tin::parse(PAZDEROVA).unwrap()], elected_on: "2025-12-01".into(), is_demo: false };
    h.store.upsert_virtual_group(h.demo_year, &vg, "other-practice").await.unwrap();
    let s = h.demo().await;
    let e = error_of(&h.call(Method::POST, paths::ELECTIONS, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "VirtualGroupCannotElect");
    assert!(e["message"].as_str().unwrap().contains("virtual-group election"));
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "npi": npi("10300001"), "election": "OPT_IN", "confirmation": "CONFIRM"});
    error_of(&h.call(Method::POST, paths::ELECTIONS, Some(body), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "VirtualGroupCannotElect");
    let card: PracticeCard = serde_json::from_value(h.call(Method::GET, &format!("{}?year={}", paths::practice(PAZDEROVA), h.demo_year), None, Some(&s)).await.body).unwrap();
    assert!(!card.eligibility.can_elect.allowed);
    assert!(h.stored(PAZDEROVA).await.is_none());
}

async fn unreadable_paths_get_the_error_shape(h: Harness) {
    let s = h.demo().await;
    error_of(&h.call(Method::GET, &format!("/api/practices/%FF?year={}", h.demo_year), None, Some(&s)).await, StatusCode::BAD_REQUEST, "InvalidPath");
    error_of(&h.call(Method::GET, "/api/eligibility/npi/%FF", None, None).await, StatusCode::BAD_REQUEST, "InvalidPath");
}

async fn sessions_end_after_twelve_hours_even_when_active(h: Harness) {
    let s = h.demo().await;
    for _ in 0..(12 * 60 / 25) {
        h.advance_minutes(25);
        assert_eq!(h.call(Method::GET, paths::SESSION, None, Some(&s)).await.status, StatusCode::OK);
    }
    h.advance_minutes(25);
    assert_eq!(h.call(Method::GET, paths::SESSION, None, Some(&s)).await.status, StatusCode::NO_CONTENT, "12-hour cap");
}

async fn pathways_only_while_data_can_be_submitted(h: Harness) {
    let s = h.demo().await;
    const KOWALCZYK: &str = "105000117";
    assert_eq!(h.call(Method::POST, paths::ELECTIONS, Some(h.election(KOWALCZYK, "OPT_IN", "CONFIRM")), Some(&s)).await.status, StatusCode::CREATED);
    h.clock.store(Timestamp::from_eastern(2028, 6, 1, 12, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    let body = json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "pathway": "APP"});
    let e = error_of(&h.call(Method::POST, paths::PATHWAYS, Some(body), Some(&s)).await, StatusCode::UNPROCESSABLE_ENTITY, "SubmissionWindowClosed");
    assert!(e["message"].as_str().unwrap().contains("8:00 p.m. ET"));
}

async fn post_raw(h: &Harness, path: &str, body: Vec<u8>) -> Reply {
    let req = Request::builder().method(Method::POST).uri(path).header(header::HOST, "127.0.0.1:8080").header(header::CONTENT_TYPE, "application/json").header(header::CONTENT_LENGTH, body.len()).body(Body::from(body)).unwrap();
    h.send(req).await
}

fn qpp_group(tin: &str, performance_met: u32) -> Value {
    json!({
        "entityType": "group", "taxpayerIdentificationNumber": tin, "performanceYear": 2025,
        "measurementSets": [{ "category": "ia", "submissionMethod": "registry", "performanceStart": "2025-01-01", "performanceEnd": "2025-12-31",
            "measurements": [{ "measureId": "IA_AHE_1", "value": true }] },
          { "category": "quality", "submissionMethod": "registry", "performanceStart": "2025-01-01", "performanceEnd": "2025-12-31",
            "measurements": [{ "measureId": "001", "value": { "isEndToEndReported": false, "performanceMet": performance_met, "eligiblePopulation": 10 } }] }]
    })
}

async fn validate_endpoint_answers_with_the_shared_rules(h: Harness) {
    // Valid: 200 with the report (participants found).
    let r = post_raw(&h, paths::QPP_VALIDATE, serde_json::to_vec(&json!([qpp_group("000456789", 5), qpp_group("000111222", 6)])).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["errors"], 0);
    assert_eq!(r.body["report"]["submissions"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["report"]["submissions"][1]["taxpayerIdentificationNumber"], "000111222");
    // Errors: 422 in the API error shape, each finding a detail with its place and code.
    let r = post_raw(&h, paths::QPP_VALIDATE, serde_json::to_vec_pretty(&qpp_group("000456789", 11)).unwrap()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["error"]["type"], "ValidationError");
    assert_eq!(r.body["error"]["message"], "The file has 1 error and 0 warnings. Nothing was stored.");
    let d = &r.body["error"]["details"][0];
    assert_eq!(d["path"], "measurementSets[1].measurements[0].value.performanceMet");
    assert_eq!(d["code"], "PerformanceMetExceedsEligiblePopulation");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["measureId"], "001");
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() > 1);
    // Malformed: not JSON, not UTF-8, truncated — one clear finding, same shape.
    for (body, code) in [(&b"<ClinicalDocument/>"[..], "NotJson"), (b"\xff{", "NotUtf8"), (b"{\"entityType\": \"gr", "UnexpectedEnd")] {
        let r = post_raw(&h, paths::QPP_VALIDATE, body.to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["error"]["details"][0]["code"], code, "{}", r.body);
    }
    // Too large: a clear 413 in the error shape, refused before reading (Content-Length) and
    // while reading (no Content-Length).
    let big = vec![b' '; mips_elections::qpp::MAX_FILE_BYTES + 1];
    let r = post_raw(&h, paths::QPP_VALIDATE, big.clone()).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["error"]["type"], "FileTooLarge");
    let stream = futures_stream(big);
    let req = Request::builder().method(Method::POST).uri(paths::QPP_VALIDATE).header(header::HOST, "127.0.0.1:8080").body(stream).unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("64 MB"));
}

/// A body without Content-Length (chunked), as a slow client would send it.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = bytes.chunks(1 << 20).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

// ---- registry workflow (issue 5) -------------------------------------------------------------

mod registry {
    use super::*;
    use mips_elections::server::seed::{DEMO_REGISTRY_ID, DEMO_REGISTRY_STAFF_USER};

    on_both!(
        lookup_says_where_each_participant_stands,
        upload_records_elections_and_data_together,
        participant_without_election_is_refused_by_name,
        unsubmittable_participants_need_explicit_consent_and_non_clients_are_refused,
        failure_mid_upload_stores_nothing,
        new_measurement_sets_replace_same_category_method_and_program,
        re_sending_the_same_upload_stores_nothing_twice,
        no_decision_is_never_stored_and_an_empty_upload_is_refused,
        voluntary_reporters_get_no_app_data,
        api_token_is_for_the_security_official_and_can_be_revoked,
        files_with_errors_or_another_year_are_refused,
    );

    mod large {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn ten_thousand_participants_and_the_body_limit() {
            super::ten_thousand_participants_and_the_body_limit(super::harness(super::Db::Sqlite).await).await
        }
    }

    const DEMO_JSON: &str = include_str!("../public/demo-files/registry-clients-2026.json");
    const DEMO_XML: &str = include_str!("../public/demo-files/lakeside-internal-medicine-2026.xml");
    const WITH_ERRORS: &str = include_str!("../public/demo-files/harbor-point-with-errors.json");
    const HARBOR: &str = "201000019";
    const MAYA: &str = "1201000019";
    const OMAR: &str = "1201000027";
    const ANA: &str = "1202000034";
    const LAKESIDE: &str = "206000069";

    fn base() -> String {
        paths::registry_uploads(DEMO_REGISTRY_ID)
    }

    fn multipart(manifest: &Value, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
        let boundary = "----mips-test-boundary-7e3f";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n{manifest}\r\n").as_bytes());
        for (name, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    enum Auth<'a> {
        Session(&'a Session),
        Token(&'a str),
    }

    async fn upload(h: &Harness, auth: Auth<'_>, manifest: Value, files: &[(&str, &[u8])], key: Option<&str>) -> Reply {
        let (ct, body) = multipart(&manifest, files);
        let mut req = Request::builder().method(Method::POST).uri(base()).header(header::HOST, "127.0.0.1:8080").header(header::CONTENT_TYPE, ct);
        req = match auth {
            Auth::Session(s) => req.header(header::COOKIE, &s.cookie).header(CSRF_HEADER, &s.csrf),
            Auth::Token(t) => req.header(header::AUTHORIZATION, format!("Bearer {t}")),
        };
        if let Some(k) = key {
            req = req.header(IDEMPOTENCY_KEY_HEADER, k);
        }
        h.send(req.body(Body::from(body)).unwrap()).await
    }

    async fn with_token(h: &Harness, method: Method, path: &str, token: &str, body: Option<Value>, extra: Option<(&str, &str)>) -> Reply {
        let mut req = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some((k, v)) = extra {
            req = req.header(k, v);
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())).unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        h.send(req).await
    }

    async fn registry(h: &Harness) -> Session {
        h.sign_in("demo-registry", DEMO_PASSWORD).await
    }

    /// The choices the screens would send for the demo file plus the QRDA file.
    fn full_manifest(h: &Harness) -> Value {
        json!({
            "performanceYear": h.demo_year.get(),
            "elections": [
                {"tin": HARBOR, "election": "OPT_IN"},
                {"tin": HARBOR, "npi": MAYA, "election": "VOLUNTARY"},
                {"tin": HARBOR, "npi": OMAR, "election": "NO_DECISION"},
                {"tin": "202000027", "npi": ANA, "election": "OPT_IN"},
                {"tin": LAKESIDE, "election": "OPT_IN"},
            ],
            "skipUnsubmittable": true,
            "confirmation": "confirm",
        })
    }

    async fn details(h: &Harness, s: &Session) -> RegistrySubmissionsResponse {
        let r = h.call(Method::GET, &format!("{}?year={}", paths::registry_submissions(DEMO_REGISTRY_ID), h.demo_year), None, Some(s)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        serde_json::from_value(r.body).unwrap()
    }

    async fn nothing_stored(h: &Harness, s: &Session) {
        let d = details(h, s).await;
        assert!(d.participants.is_empty(), "no data: {:?}", d.participants);
        assert_eq!(d.uploads, 0);
        assert!(h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap().is_none(), "no election");
    }

    async fn lookup_says_where_each_participant_stands(h: Harness) {
        let s = registry(&h).await;
        let p = |tin: &str, npi: Option<&str>, et: &str| json!({"tin": tin, "npi": npi, "entityType": et});
        let body = json!({"performanceYear": h.demo_year.get(), "participants": [
            p(HARBOR, None, "group"), p(HARBOR, Some(MAYA), "individual"), p("202000027", None, "group"), p("203000035", None, "group"),
            p("204000043", None, "group"), p("205000051", None, "group"), p("208000085", None, "group"), p(HARBOR, None, "apm"),
        ]});
        let r = h.call(Method::POST, &paths::registry_participants(DEMO_REGISTRY_ID), Some(body), Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rows = r.body["participants"].as_array().unwrap();
        let st = |i: usize| rows[i]["standing"]["status"].as_str().unwrap().to_string();
        let code = |i: usize| rows[i]["standing"]["code"].as_str().unwrap_or("").to_string();
        assert_eq!(st(0), "NEEDS_ELECTION");
        assert_eq!(rows[0]["name"], "Harbor Point Family Practice");
        assert_eq!((st(1), rows[1]["name"].as_str().unwrap()), ("NEEDS_ELECTION".into(), "Maya Chen"));
        assert_eq!(st(2), "MIPS_ELIGIBLE");
        assert_eq!((st(3), rows[3]["standing"]["election"].as_str().unwrap()), ("ALREADY_ELECTED".into(), "OPT_IN"));
        assert_eq!(code(4), "NotEligible");
        assert_eq!(code(5), "NotAClient");
        assert_eq!(rows[5]["name"], "", "another organization's practice name is not shown");
        assert_eq!(code(6), "NoEligibilityInformation");
        assert_eq!(code(7), "ApmEntity");
        // Practice representatives are not registry staff.
        let practice = h.demo().await;
        let r = h.call(Method::POST, &paths::registry_participants(DEMO_REGISTRY_ID), Some(json!({"performanceYear": h.demo_year.get(), "participants": []})), Some(&practice)).await;
        error_of(&r, StatusCode::FORBIDDEN, "NotRegistryStaff");
    }

    async fn upload_records_elections_and_data_together(h: Harness) {
        let s = registry(&h).await;
        let r = upload(&h, Auth::Session(&s), full_manifest(&h), &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let up: UploadResponse = serde_json::from_value(r.body).unwrap();
        assert_eq!(up.elections_recorded.len(), 4, "Harbor, Maya, Ana, Lakeside");
        assert_eq!(up.files[1].format, FileFormat::QrdaIii);
        assert_eq!(up.files[1].participants_stored, 1);
        // Stored: Harbor group, Maya, Summit group + Ravi (MIPS eligible), Ana, Prairie (already elected), Lakeside.
        assert_eq!(up.participants_stored, 7, "{:?}", up.skipped);
        let skipped: Vec<&str> = up.skipped.iter().map(|s| s.participant.as_str()).collect();
        assert!(skipped.contains(&format!("TIN/NPI {HARBOR}/{OMAR}").as_str()), "No Decision is skipped: {skipped:?}");
        assert!(skipped.contains(&"TIN 205000051") && skipped.contains(&"TIN 204000043") && skipped.contains(&"TIN 208000085"), "{skipped:?}");
        // Elections: final, by registry upload, with the audit row; No Decision left none.
        let harbor = h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap().unwrap();
        assert_eq!((harbor.election, harbor.channel), (mips_elections::domain::Election::OptIn, ElectionChannel::RegistryUpload));
        assert_eq!(h.store.audit(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap()[0].actor_user_id, "demo-registry");
        let omar = mips_elections::domain::Npi::parse(OMAR).unwrap();
        assert!(h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), Some(&omar)).await.unwrap().is_none(), "Omar stays exempt");
        // Details: per participant, sets with measure counts, source file and time.
        let d = details(&h, &s).await;
        assert_eq!(d.participants.len(), 7);
        assert!(d.participants.iter().all(|p| p.npi.as_ref() != Some(&omar)));
        let lakeside = d.participants.iter().find(|p| p.tin.as_str() == LAKESIDE).unwrap();
        assert_eq!((lakeside.measurement_sets[0].category.as_str(), lakeside.measurement_sets[0].measure_count, lakeside.measurement_sets[0].source_file.as_str()), ("quality", 3, "lakeside.xml"));
        let harbor = d.participants.iter().find(|p| p.tin.as_str() == HARBOR && p.npi.is_none()).unwrap();
        assert_eq!(harbor.measurement_sets.len(), 3);
        assert!(harbor.measurement_sets.iter().all(|m| m.source_file == "clients.json" && m.submitted_at == start_time()));
        // What was sent is what was stored.
        let body = h.store.measurement_set_body(DEMO_REGISTRY_ID, h.demo_year, &Tin::parse(HARBOR).unwrap(), None, "ia").await.unwrap();
        let sent: Value = serde_json::from_str(DEMO_JSON).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&body[0]).unwrap(), sent[0]["measurementSets"][2]);
        // The practice sees the election on its own screens.
        assert_eq!(harbor.election, Some(mips_elections::domain::Election::OptIn));
    }

    async fn participant_without_election_is_refused_by_name(h: Harness) {
        let s = registry(&h).await;
        let mut m = full_manifest(&h);
        m["elections"].as_array_mut().unwrap().remove(0);
        let r = upload(&h, Auth::Session(&s), m, &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionRequired");
        assert!(e["message"].as_str().unwrap().contains("TIN 201000019 is opt-in eligible and has no election"), "{e}");
        assert!(e["details"].as_array().unwrap().iter().any(|d| d["path"] == "TIN 201000019"), "{e}");
        nothing_stored(&h, &s).await;
        // Elections need the typed confirmation.
        let mut m = full_manifest(&h);
        m["confirmation"] = json!("yes");
        let r = upload(&h, Auth::Session(&s), m, &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ConfirmationRequired");
        nothing_stored(&h, &s).await;
    }

    async fn unsubmittable_participants_need_explicit_consent_and_non_clients_are_refused(h: Harness) {
        let s = registry(&h).await;
        let mut m = full_manifest(&h);
        m["skipUnsubmittable"] = json!(false);
        let r = upload(&h, Auth::Session(&s), m, &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
        let details: Vec<String> = e["details"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect();
        assert!(details.iter().any(|d| d.contains("TIN 205000051 is not a client of Demo Qualified Registry")), "{details:?}");
        assert!(details.iter().any(|d| d.contains("204000043") && d.contains("not eligible")), "{details:?}");
        nothing_stored(&h, &s).await;
        // The opt-in read is for clients only.
        let r = h.call(Method::GET, &paths::registry_opt_in(DEMO_REGISTRY_ID), None, Some(&s)).await;
        error_of(&r, StatusCode::BAD_REQUEST, "MissingOptInEntities");
    }

    async fn failure_mid_upload_stores_nothing(h: Harness) {
        let s = registry(&h).await;
        let failing = h.with_config(Config { fail_upload_after_sets: Some(5), ..Config::default() });
        let r = upload(&failing, Auth::Session(&s), full_manifest(&h), &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        error_of(&r, StatusCode::INTERNAL_SERVER_ERROR, "InternalError");
        nothing_stored(&h, &s).await;
        // The same upload then goes through whole (the failed attempt left no idempotency record).
        let r = upload(&h, Auth::Session(&s), full_manifest(&h), &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())], None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }

    fn harbor_file(year: u16, ia: &[&str], program: Option<&str>) -> Vec<u8> {
        let mut set = json!({"category": "ia", "submissionMethod": "registry", "performanceStart": format!("{year}-01-01"), "performanceEnd": format!("{year}-12-31"),
            "measurements": ia.iter().map(|m| json!({"measureId": m, "value": true})).collect::<Vec<_>>()});
        if let Some(p) = program {
            set["programName"] = json!(p);
        }
        serde_json::to_vec(&json!({"entityType": "group", "taxpayerIdentificationNumber": "202000027", "performanceYear": year, "measurementSets": [set]})).unwrap()
    }

    async fn new_measurement_sets_replace_same_category_method_and_program(h: Harness) {
        let s = registry(&h).await;
        let y = h.demo_year.get();
        let ia: Vec<String> = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[3]["measurementSets"][2]["measurements"].as_array().unwrap().iter().map(|m| m["measureId"].as_str().unwrap().to_string()).collect();
        let ia: Vec<&str> = ia.iter().map(String::as_str).collect();
        let m = json!({"performanceYear": y});
        assert_eq!(upload(&h, Auth::Session(&s), m.clone(), &[("first.json", &harbor_file(y, &ia[..2], None))], None).await.status, StatusCode::CREATED);
        assert_eq!(upload(&h, Auth::Session(&s), m.clone(), &[("second.json", &harbor_file(y, &ia[..1], Some("mips")))], None).await.status, StatusCode::CREATED);
        let d = details(&h, &s).await;
        let sets = &d.participants[0].measurement_sets;
        assert_eq!(sets.len(), 1, "same category, method and program (mips is the default): replaced");
        assert_eq!((sets[0].measure_count, sets[0].source_file.as_str()), (1, "second.json"));
        assert_eq!(d.uploads, 2);
    }

    async fn re_sending_the_same_upload_stores_nothing_twice(h: Harness) {
        let s = registry(&h).await;
        let files: [(&str, &[u8]); 2] = [("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())];
        let first = upload(&h, Auth::Session(&s), full_manifest(&h), &files, None).await;
        assert_eq!(first.status, StatusCode::CREATED);
        h.advance_minutes(1);
        let again = upload(&h, Auth::Session(&s), full_manifest(&h), &files, None).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert_eq!(again.body["replayed"], true);
        assert_eq!(again.body["uploadId"], first.body["uploadId"]);
        assert_eq!(details(&h, &s).await.uploads, 1);
        // With an Idempotency-Key: the same request is answered from the first; the same key with
        // other content is another upload, never answered with the first one's result.
        let y = h.demo_year.get();
        let ia: Vec<String> = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[3]["measurementSets"][2]["measurements"].as_array().unwrap().iter().map(|m| m["measureId"].as_str().unwrap().to_string()).collect();
        let m = json!({"performanceYear": y});
        let a = upload(&h, Auth::Session(&s), m.clone(), &[("a.json", &harbor_file(y, &[&ia[0]], None))], Some("batch-42")).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let b = upload(&h, Auth::Session(&s), m.clone(), &[("a.json", &harbor_file(y, &[&ia[0]], None))], Some("batch-42")).await;
        assert_eq!((b.status, &b.body["uploadId"]), (StatusCode::OK, &a.body["uploadId"]));
        let c = upload(&h, Auth::Session(&s), m, &[("a.json", &harbor_file(y, &[&ia[0], &ia[1]], None))], Some("batch-42")).await;
        assert_eq!(c.status, StatusCode::CREATED, "other content under the same key: {}", c.body);
        assert_ne!(c.body["uploadId"], a.body["uploadId"]);
    }

    async fn voluntary_reporters_get_no_app_data(h: Harness) {
        let s = registry(&h).await;
        let y = h.demo_year.get();
        // Maya Chen's data, her Improvement Activities sent for the APM Performance Pathway.
        let mut doc: Value = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[1].clone();
        doc["measurementSets"] = json!([doc["measurementSets"][2].clone()]);
        doc["measurementSets"][0]["programName"] = json!("app1");
        let file = serde_json::to_vec(&doc).unwrap();
        let m = |e: &str| json!({"performanceYear": y, "elections": [{"tin": HARBOR, "npi": MAYA, "election": e}], "confirmation": "CONFIRM"});
        let r = upload(&h, Auth::Session(&s), m("VOLUNTARY"), &[("maya-app.json", &file)], None).await;
        if r.status == StatusCode::UNPROCESSABLE_ENTITY && r.body["error"]["type"] == "FileHasErrors" {
            panic!("the test file must be valid QPP JSON: {}", r.body);
        }
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
        assert!(e["message"].as_str().unwrap().contains("voluntary reporting through the APM Performance Pathway (APP) isn't permitted"), "{e}");
        nothing_stored(&h, &s).await;
        let r = upload(&h, Auth::Session(&s), m("OPT_IN"), &[("maya-app.json", &file)], None).await;
        assert_eq!(r.status, StatusCode::CREATED, "Opt-In may report through the APP: {}", r.body);
    }

    async fn no_decision_is_never_stored_and_an_empty_upload_is_refused(h: Harness) {
        let s = registry(&h).await;
        let y = h.demo_year.get();
        // Summit is MIPS eligible: an explicit No Decision (the table's value if its standing
        // changed meanwhile) still keeps its data out.
        let ia: Vec<String> = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[3]["measurementSets"][2]["measurements"].as_array().unwrap().iter().map(|m| m["measureId"].as_str().unwrap().to_string()).collect();
        let m = json!({"performanceYear": y, "elections": [{"tin": "202000027", "election": "NO_DECISION"}]});
        let r = upload(&h, Auth::Session(&s), m, &[("summit.json", &harbor_file(y, &[&ia[0]], None))], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "NothingToStore");
        assert!(e["message"].as_str().unwrap().contains("Nothing was stored"));
        nothing_stored(&h, &s).await;
    }

    async fn api_token_is_for_the_security_official_and_can_be_revoked(h: Harness) {
        let path = paths::registry_token(DEMO_REGISTRY_ID);
        let staff = h.sign_in(DEMO_REGISTRY_STAFF_USER, DEMO_PASSWORD).await;
        error_of(&h.call(Method::POST, &path, None, Some(&staff)).await, StatusCode::FORBIDDEN, "SecurityOfficialOnly");
        let so = registry(&h).await;
        let r = h.call(Method::POST, &path, None, Some(&so)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let token = r.body["token"].as_str().unwrap().to_string();
        assert!(token.starts_with("mipsreg_") && token.len() > 60);
        // Shown once: the info never carries it, and the database holds only its hash.
        let info = h.call(Method::GET, &path, None, Some(&staff)).await;
        assert_eq!(info.body["lastFour"], token[token.len() - 4..]);
        assert!(!info.body.to_string().contains(&token));
        assert!(h.store.api_token(&token).await.unwrap().is_none(), "the token itself is not a key");
        assert!(h.store.api_token(&mips_elections::server::auth::token_hash(&token)).await.unwrap().is_some(), "its SHA-256 is");
        // What a program can do with it: read opt-in status, elect, upload, read details.
        let year = h.demo_year.get();
        let r = with_token(&h, Method::GET, &format!("{}?year={year}", paths::registry_opt_in(DEMO_REGISTRY_ID)), &token, None, Some((OPT_IN_ENTITIES_HEADER, &format!("{HARBOR}|{MAYA},{HARBOR}")))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["data"][0]["isOptInEligible"], true);
        assert_eq!(r.body["data"][0]["isOptedIn"], Value::Null);
        let r = with_token(&h, Method::GET, &format!("{}?year={year}", paths::registry_opt_in(DEMO_REGISTRY_ID)), &token, None, Some((OPT_IN_ENTITIES_HEADER, "205000051"))).await;
        error_of(&r, StatusCode::FORBIDDEN, "NotAClient");
        let el = json!({"performanceYear": year, "confirmation": "CONFIRM", "elections": [{"tin": HARBOR, "npi": MAYA, "election": "OPT_IN"}]});
        let r = with_token(&h, Method::POST, &paths::registry_elections(DEMO_REGISTRY_ID), &token, Some(el.clone()), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let maya = h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), Some(&mips_elections::domain::Npi::parse(MAYA).unwrap())).await.unwrap().unwrap();
        assert_eq!(maya.channel, ElectionChannel::Api);
        // The same rules and error shapes as the screens: a changed election is refused.
        let mut change = el.clone();
        change["elections"][0]["election"] = json!("VOLUNTARY");
        error_of(&with_token(&h, Method::POST, &paths::registry_elections(DEMO_REGISTRY_ID), &token, Some(change), None).await, StatusCode::UNPROCESSABLE_ENTITY, "ElectionRefused");
        let ia: Vec<String> = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[3]["measurementSets"][2]["measurements"].as_array().unwrap().iter().map(|m| m["measureId"].as_str().unwrap().to_string()).collect();
        let r = upload(&h, Auth::Token(&token), json!({"performanceYear": year}), &[("api.json", &harbor_file(year, &[&ia[0]], None))], None).await;
        assert!(r.status == StatusCode::CREATED || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.status, StatusCode::CREATED, "a program uploads with the token: {}", r.body);
        let up = h.store.registry_sets(DEMO_REGISTRY_ID, h.demo_year).await.unwrap();
        assert_eq!(up[0].set.source_file, "api.json");
        // A token can't manage tokens.
        error_of(&with_token(&h, Method::POST, &path, &token, None, None).await, StatusCode::FORBIDDEN, "TokenCannotManageTokens");
        // Rotation: the old token stops working at once.
        let r = h.call(Method::POST, &path, None, Some(&so)).await;
        assert_eq!(r.body["replacedEarlier"], true);
        let new_token = r.body["token"].as_str().unwrap().to_string();
        let read = |t: String| {
            let h = &h;
            async move { with_token(h, Method::GET, &format!("{}?year={year}", paths::registry_submissions(DEMO_REGISTRY_ID)), &t, None, None).await }
        };
        error_of(&read(token.clone()).await, StatusCode::UNAUTHORIZED, "InvalidApiToken");
        assert_eq!(read(new_token.clone()).await.status, StatusCode::OK);
        // Revocation.
        assert_eq!(h.call(Method::DELETE, &path, None, Some(&so)).await.status, StatusCode::NO_CONTENT);
        error_of(&read(new_token).await, StatusCode::UNAUTHORIZED, "InvalidApiToken");
        error_of(&h.call(Method::DELETE, &path, None, Some(&so)).await, StatusCode::NOT_FOUND, "NoApiToken");
    }

    async fn files_with_errors_or_another_year_are_refused(h: Harness) {
        let s = registry(&h).await;
        let r = upload(&h, Auth::Session(&s), full_manifest(&h), &[("clients.json", DEMO_JSON.as_bytes()), ("bad.json", WITH_ERRORS.as_bytes())], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
        assert!(e["message"].as_str().unwrap().starts_with("bad.json has 2 errors"), "{e}");
        nothing_stored(&h, &s).await;
        let r = upload(&h, Auth::Session(&s), json!({"performanceYear": 2025}), &[("clients.json", DEMO_JSON.as_bytes())], None).await;
        error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "PerformanceYearMismatch");
        let r = upload(&h, Auth::Session(&s), full_manifest(&h), &[("x.xml", b"<ClinicalDocument><title>cut")], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
        assert!(e["message"].as_str().unwrap().contains("QRDA III"), "{e}");
        // Malformed requests get the same error shape.
        let r = h.call(Method::POST, &base(), Some(json!({})), Some(&s)).await;
        error_of(&r, StatusCode::BAD_REQUEST, "MalformedUpload");
        let r = upload(&h, Auth::Session(&s), json!({"performanceYear": "soon"}), &[("clients.json", DEMO_JSON.as_bytes())], None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
        assert_eq!(e["details"][0]["path"], "$.performanceYear");
        nothing_stored(&h, &s).await;
    }

    async fn ten_thousand_participants_and_the_body_limit(h: Harness) {
        use mips_elections::server::seed::{network_npi, seed_registry_clients, NETWORK_SIZE, NETWORK_TIN};
        seed_registry_clients(&h.store, h.demo_year, start_time(), true).await.unwrap();
        let catalogue = mips_elections::qpp::embedded::year(h.demo_year.get()).unwrap();
        let who: Vec<(String, Option<String>)> = (0..NETWORK_SIZE).map(|i| (NETWORK_TIN.to_string(), Some(network_npi(i).as_str().to_string()))).collect();
        let full: Value = serde_json::from_str(&mips_elections::qpp::generate::generate_for(catalogue, &who, 7)).unwrap();
        // One IA set each keeps the debug-build test quick; the full generator file (≈53 MB) is
        // the browser benchmark's.
        let lean: Vec<Value> = full.as_array().unwrap().iter().map(|s| { let mut s = s.clone(); let ia = s["measurementSets"][2].clone(); s["measurementSets"] = json!([ia]); s }).collect();
        let bytes = serde_json::to_vec(&lean).unwrap();
        assert!(bytes.len() < MAX_UPLOAD_BYTES);
        let s = registry(&h).await;
        let elections: Vec<Value> = (0..NETWORK_SIZE).map(|i| json!({"tin": NETWORK_TIN, "npi": network_npi(i).as_str(), "election": if i % 2 == 0 { "OPT_IN" } else { "VOLUNTARY" }})).collect();
        let m = json!({"performanceYear": h.demo_year.get(), "elections": elections, "confirmation": "CONFIRM"});
        let r = upload(&h, Auth::Session(&s), m, &[("network.json", &bytes)], None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body.to_string().chars().take(600).collect::<String>());
        assert_eq!(r.body["electionsRecorded"].as_array().unwrap().len(), NETWORK_SIZE);
        assert_eq!(details(&h, &s).await.participants.len(), NETWORK_SIZE);
        // Over the limit: a clear 413 in the error shape, nothing stored.
        let big = vec![b' '; MAX_UPLOAD_BYTES + 1024];
        let r = upload(&h, Auth::Session(&s), json!({"performanceYear": h.demo_year.get()}), &[("huge.json", &big)], None).await;
        let e = error_of(&r, StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge");
        assert!(e["message"].as_str().unwrap().contains("128 MB"), "{e}");
        assert_eq!(details(&h, &s).await.uploads, 1);
    }
}
