//! The API's handlers. Each one checks every rule on the server, whatever the browser checked.

use super::auth::{self, CurrentUser};
use super::error::ApiError;
use super::extract::{JsonBody, YearQuery};
use super::cards;
use super::store::{ElectionRow, NewElection, PracticeRow, RecordOutcome};
use super::AppState;
use crate::api::*;
use crate::domain::election::{conflict_reason, ConfirmationError};
use crate::domain::lvt::{threshold_is_verified, LowVolumeAssessment};
use crate::domain::pathway::PathwayRefusal;
use crate::domain::{
    check_can_elect, check_confirmation, check_pathway, low_volume_threshold, resolve_against_existing, ElectionOutcome, ElectionWindow, Npi,
    PerformanceYear, Timestamp, Tin, VolumeFigures,
};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/session", get(get_session).post(sign_in).delete(sign_out))
        .route("/performance-years", get(performance_years))
        .route("/practices", get(list_practices))
        .route("/practices/{tin}", get(get_practice))
        .route("/practices/{tin}/clinicians", get(list_clinicians))
        .route("/practices/{tin}/clinicians/{npi}", get(get_clinician))
        .route("/elections", axum::routing::post(make_election))
        .route("/pathways", axum::routing::post(choose_pathway))
        .route("/connections", get(connections))
        .route("/eligibility/npi/{npi}", get(super::eligibility::npi_lookup))
        .route("/eligibility/opt-in", get(super::eligibility::opt_in_read))
        .route("/qpp/validate", axum::routing::post(super::qpp::validate))
        .route("/registries/{id}/submissions", get(super::registry::submissions))
        .route("/registries/{id}/participants", axum::routing::post(super::registry::participants))
        .route(
            "/registries/{id}/uploads",
            axum::routing::post(super::registry::upload).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/registries/{id}/elections", axum::routing::post(super::registry::elections))
        .route("/registries/{id}/opt-in", get(super::registry::opt_in))
        .route("/registries/{id}/api-token", get(super::registry::token_info).post(super::registry::create_token).delete(super::registry::revoke_token))
        .route("/openapi.json", get(super::openapi::document))
        .fallback(|| async { ApiError::not_found("NotFound", "There is no API endpoint at this address.") })
        .method_not_allowed_fallback(|| async { ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "This API endpoint does not accept that HTTP method.") })
}

#[utoipa::path(get, path = "/api/health", tag = "service", responses((status = 200, description = "The service is up")))]
pub(crate) async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

// ---- session ------------------------------------------------------------------------------

fn session_info(user: &super::store::UserRow, csrf: &str, agreed: Timestamp, expires: Timestamp) -> SessionInfo {
    SessionInfo {
        user: UserSummary { user_id: user.user_id.clone(), display_name: user.display_name.clone(), role: user.role },
        csrf_token: csrf.to_string(),
        statement_of_truth_agreed_at: agreed,
        expires_at: expires,
    }
}

#[utoipa::path(post, path = "/api/session", tag = "session", request_body = SignInRequest, responses((status = 200, description = "Signed in; sets the HttpOnly session cookie", body = SessionInfo), (status = 401, description = "Wrong User ID or password", body = ApiErrorBody), (status = 422, description = "Missing fields or Statement of Truth not agreed", body = ApiErrorBody)))]
pub(crate) async fn sign_in(State(state): State<AppState>, headers: HeaderMap, JsonBody(req): JsonBody<SignInRequest>) -> Result<Response, ApiError> {
    auth::check_origin(&headers)?;
    let user_id = req.user_id.trim();
    let mut problems = vec![];
    if user_id.is_empty() {
        problems.push(("$.userId", "Enter your User ID."));
    }
    if req.password.is_empty() {
        problems.push(("$.password", "Enter your password."));
    }
    if !req.agree_statement_of_truth {
        problems.push(("$.agreeStatementOfTruth", "You must agree to the Statement of Truth to sign in."));
    }
    if !problems.is_empty() {
        let kind = if problems.len() == 1 && problems[0].0 == "$.agreeStatementOfTruth" { "StatementOfTruthRequired" } else { "ValidationError" };
        let message = problems.iter().map(|p| p.1).collect::<Vec<_>>().join(" ");
        let mut err = ApiError::unprocessable(kind, message);
        for (path, msg) in problems {
            err = err.with_detail(path, msg);
        }
        return Err(err);
    }
    let now = state.now();
    if let Some(until) = state.sign_in_limiter.locked_until(user_id, now) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManySignInAttempts",
            format!("Too many failed sign-in attempts for this User ID. Try again after {}, or reset your password with HARP.", until.format_eastern()),
        ));
    }
    let user = state.store.user(user_id).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| auth::dummy_hash().to_string());
    let password = req.password.clone();
    // Hashing is CPU-bound: keep it off the async workers, a few at a time.
    let permit = state.hashing.clone().acquire_owned().await.map_err(|_| ApiError::internal())?;
    let ok = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        auth::verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);
    let user = match (user, ok) {
        (Some(u), true) => {
            state.sign_in_limiter.record_success(user_id);
            u
        }
        _ => {
            state.sign_in_limiter.record_failure(user_id, now);
            return Err(ApiError::unauthorized("The User ID or password you entered is incorrect.").with_kind("InvalidCredentials"));
        }
    };
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = Timestamp(now.0 + auth::SESSION_IDLE_MS);
    state.store.create_session(&auth::token_hash(&token), &user.user_id, &csrf, &auth::random_token(), now, expires).await?;
    let cookie = auth::session_cookie(&token, &headers, state.config.force_secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(session_info(&user, &csrf, now, expires))).into_response())
}

/// 200 with the session, or 204 when signed out: asking "am I signed in?" is not an error, and
/// answering 401 would log a failed request in every visitor's console.
#[utoipa::path(get, path = "/api/session", tag = "session", responses((status = 200, description = "The current session", body = SessionInfo), (status = 204, description = "Not signed in")))]
pub(crate) async fn get_session(State(state): State<AppState>, headers: HeaderMap, current: Result<CurrentUser, ApiError>) -> Result<Response, ApiError> {
    match current {
        Ok(current) => {
            let s = &current.session;
            Ok(Json(session_info(&current.user, &s.csrf_token, s.statement_of_truth_agreed_at, s.expires_at)).into_response())
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let clear = auth::session_token_from(&headers).map(|_| auth::clear_session_cookie(&headers, state.config.force_secure_cookies));
            Ok(match clear {
                Some(cookie) => (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response(),
                None => StatusCode::NO_CONTENT.into_response(),
            })
        }
        Err(e) => Err(e),
    }
}

#[utoipa::path(delete, path = "/api/session", tag = "session", params(("x-csrf-token" = String, Header, description = "The session's CSRF token")), responses((status = 204, description = "Signed out"), (status = 401, body = ApiErrorBody), (status = 403, description = "Missing CSRF token or cross-site request", body = ApiErrorBody)))]
pub(crate) async fn sign_out(State(state): State<AppState>, headers: HeaderMap, current: CurrentUser) -> Result<Response, ApiError> {
    state.store.delete_session(&current.token_hash).await?;
    let cookie = auth::clear_session_cookie(&headers, state.config.force_secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

// ---- years and practices ----------------------------------------------------------------

#[utoipa::path(get, path = "/api/performance-years", tag = "eligibility", responses((status = 200, description = "Years 2019 to now with election windows, thresholds and data runs", body = PerformanceYearsResponse)))]
pub(crate) async fn performance_years(State(state): State<AppState>) -> Result<Json<PerformanceYearsResponse>, ApiError> {
    let now = state.now();
    let windows = state.store.windows().await?;
    let runs = state.store.data_runs().await?;
    let current = now.to_eastern().year as u16;
    let last = windows.iter().map(|w| w.performance_year.get()).max().unwrap_or(current).max(current);
    let mut years = vec![];
    for y in (crate::domain::year::FIRST_OPT_IN_YEAR..=last).rev() {
        let py = PerformanceYear::new(y).map_err(|_| ApiError::internal())?;
        let window = windows.iter().find(|w| w.performance_year == py).cloned();
        years.push(PerformanceYearInfo {
            performance_year: py,
            window_phase: window.as_ref().map(|w| w.phase(now)),
            window,
            threshold: low_volume_threshold(py),
            threshold_verified: threshold_is_verified(py),
            data_runs: runs.iter().filter(|r| r.performance_year == py).cloned().collect(),
        });
    }
    let default_year = crate::domain::window::default_year(&windows, now);
    Ok(Json(PerformanceYearsResponse { default_year, years, server_time: now }))
}

#[utoipa::path(get, path = "/api/practices", tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "The signed-in user's practices and their clinicians", body = PracticesResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn list_practices(State(state): State<AppState>, current: CurrentUser, YearQuery(year): YearQuery) -> Result<Json<PracticesResponse>, ApiError> {
    let now = state.now();
    let uid = &current.user.user_id;
    let practices = state.store.practices_for_user(uid, year).await?;
    let elections = state.store.elections_for_user(uid, year).await?;
    let pathways = state.store.pathways_for_user(uid, year).await?;
    let clinicians = state.store.clinicians_for_user(uid, year).await?;
    let window = state.store.window(year).await?;
    let election_of = |tin: &Tin, npi: Option<&Npi>| elections.iter().find(|e| e.tin == *tin && e.npi.as_ref() == npi);
    let pathway_of = |tin: &Tin, npi: Option<&Npi>| pathways.iter().find(|p| p.0 == *tin && p.1.as_ref() == npi).map(|p| &p.2);
    let mut in_vg = vec![];
    for p in &practices {
        if state.store.in_virtual_group(year, &p.tin).await? {
            in_vg.push(p.tin.clone());
        }
    }
    let cards = practices
        .iter()
        .map(|p| {
            let n = clinicians.iter().filter(|c| c.tin == p.tin).count() as i64;
            cards::practice_card(p, election_of(&p.tin, None), pathway_of(&p.tin, None), n, in_vg.contains(&p.tin), window.as_ref(), now)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let clinician_cards = clinicians
        .iter()
        .map(|c| {
            let name = practices.iter().find(|p| p.tin == c.tin).map(|p| p.name.as_str()).unwrap_or("");
            cards::clinician_card(c, name, election_of(&c.tin, Some(&c.npi)), pathway_of(&c.tin, Some(&c.npi)), in_vg.contains(&c.tin), window.as_ref(), now)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(PracticesResponse { performance_year: year, window_phase: window.as_ref().map(|w| w.phase(now)), window, practices: cards, clinicians: clinician_cards }))
}

/// Path segments that are not valid UTF-8 (or otherwise unreadable) get the API's error shape.
pub(crate) fn path_value<T>(raw: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    raw.map(|Path(v)| v).map_err(|e| ApiError::bad_request("InvalidPath", format!("The address could not be read: {e}")))
}

fn parse_tin(raw: &str, path: &str) -> Result<Tin, ApiError> {
    Tin::parse(raw).map_err(|e| ApiError::bad_request("InvalidFormatTin", e.0.clone()).with_detail(path, e.0))
}

async fn require_connection(state: &AppState, current: &CurrentUser, tin: &Tin) -> Result<(), ApiError> {
    if state.store.is_connected(&current.user.user_id, tin).await? {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "NotConnectedToPractice",
            format!("You are not connected to the practice with TIN {tin}. Ask the practice's Security Official to connect you to it."),
        ))
    }
}

async fn load_practice(state: &AppState, year: PerformanceYear, tin: &Tin) -> Result<(PracticeRow, Option<ElectionWindow>), ApiError> {
    let p = state
        .store
        .practice(year, tin)
        .await?
        .ok_or_else(|| ApiError::not_found("NoPracticeInformation", format!("There is no eligibility information for TIN {tin} in performance year {year}.")))?;
    Ok((p, state.store.window(year).await?))
}

async fn practice_card_for(state: &AppState, year: PerformanceYear, tin: &Tin) -> Result<PracticeCard, ApiError> {
    let (p, window) = load_practice(state, year, tin).await?;
    let election = state.store.election(year, tin, None).await?;
    let pathway = state.store.pathway(year, tin, None).await?;
    let count = state.store.clinicians_of_practice(year, tin).await?.len() as i64;
    let in_vg = state.store.in_virtual_group(year, tin).await?;
    cards::practice_card(&p, election.as_ref(), pathway.as_ref(), count, in_vg, window.as_ref(), state.now())
}

#[utoipa::path(get, path = "/api/practices/{tin}", tag = "eligibility", params(("tin" = String, Path, description = "9-digit TIN"), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = PracticeCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected to this practice", body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_practice(State(state): State<AppState>, current: CurrentUser, raw: Result<Path<String>, PathRejection>, YearQuery(year): YearQuery) -> Result<Json<PracticeCard>, ApiError> {
    let tin = parse_tin(&path_value(raw)?, "tin")?;
    require_connection(&state, &current, &tin).await?;
    Ok(Json(practice_card_for(&state, year, &tin).await?))
}

#[utoipa::path(get, path = "/api/practices/{tin}/clinicians", tag = "eligibility", params(("tin" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = CliniciansResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_clinicians(State(state): State<AppState>, current: CurrentUser, raw: Result<Path<String>, PathRejection>, YearQuery(year): YearQuery) -> Result<Json<CliniciansResponse>, ApiError> {
    let tin = parse_tin(&path_value(raw)?, "tin")?;
    require_connection(&state, &current, &tin).await?;
    let practice = practice_card_for(&state, year, &tin).await?;
    let window = state.store.window(year).await?;
    let now = state.now();
    let in_vg = state.store.in_virtual_group(year, &tin).await?;
    let mut clinicians = vec![];
    for c in state.store.clinicians_of_practice(year, &tin).await? {
        let election = state.store.election(year, &tin, Some(&c.npi)).await?;
        let pathway = state.store.pathway(year, &tin, Some(&c.npi)).await?;
        clinicians.push(cards::clinician_card(&c, &practice.name, election.as_ref(), pathway.as_ref(), in_vg, window.as_ref(), now)?);
    }
    Ok(Json(CliniciansResponse { practice, clinicians }))
}

#[utoipa::path(get, path = "/api/practices/{tin}/clinicians/{npi}", tag = "eligibility", params(("tin" = String, Path), ("npi" = String, Path), ("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, body = ClinicianCard), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_clinician(State(state): State<AppState>, current: CurrentUser, raw: Result<Path<(String, String)>, PathRejection>, YearQuery(year): YearQuery) -> Result<Json<ClinicianCard>, ApiError> {
    let (raw_tin, raw_npi) = path_value(raw)?;
    let tin = parse_tin(&raw_tin, "tin")?;
    let npi = Npi::parse(&raw_npi).map_err(|e| ApiError::bad_request("InvalidFormatNpi", e.0.clone()).with_detail("npi", e.0))?;
    require_connection(&state, &current, &tin).await?;
    let (p, window) = load_practice(&state, year, &tin).await?;
    let c = state
        .store
        .clinician(year, &tin, &npi)
        .await?
        .ok_or_else(|| ApiError::not_found("NoProviderInformation", format!("There is no eligibility information for NPI {npi} at TIN {tin} in performance year {year}.")))?;
    let election = state.store.election(year, &tin, Some(&npi)).await?;
    let pathway = state.store.pathway(year, &tin, Some(&npi)).await?;
    let in_vg = state.store.in_virtual_group(year, &tin).await?;
    Ok(Json(cards::clinician_card(&c, &p.name, election.as_ref(), pathway.as_ref(), in_vg, window.as_ref(), state.now())?))
}

#[utoipa::path(get, path = "/api/connections", tag = "eligibility", params(("year" = u16, Query, description = "Performance year, e.g. 2025")), responses((status = 200, description = "APM Entities, registries and virtual groups of the user", body = ConnectionsResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody)))]
pub(crate) async fn connections(State(state): State<AppState>, current: CurrentUser, YearQuery(year): YearQuery) -> Result<Json<ConnectionsResponse>, ApiError> {
    let uid = &current.user.user_id;
    Ok(Json(ConnectionsResponse {
        performance_year: year,
        apm_entities: state.store.apm_entities_for_user(uid, year).await?,
        registries: state.store.registries_for_user(uid).await?,
        virtual_groups: state.store.virtual_groups_for_user(uid, year).await?,
    }))
}

/// Records the reporting pathway of a MIPS APM participant after its election.
#[utoipa::path(post, path = "/api/pathways", tag = "elections", request_body = PathwayRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, body = PathwayResponse), (status = 200, description = "Already chosen, same pathway", body = PathwayResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, description = "Another pathway was chosen", body = ApiErrorBody), (status = 422, description = "Not an APM participant, no election, or APP after a voluntary election", body = ApiErrorBody)))]
pub(crate) async fn choose_pathway(State(state): State<AppState>, current: CurrentUser, JsonBody(req): JsonBody<PathwayRequest>) -> Result<Response, ApiError> {
    let (year, tin) = (req.performance_year, req.tin.clone());
    require_connection(&state, &current, &tin).await?;
    let (figures, apm) = match &req.npi {
        None => state.store.practice(year, &tin).await?.map(|p| ((p.allowed_charges_cents, p.medicare_patients, p.covered_services), p.mips_apm_participant)),
        Some(npi) => state.store.clinician(year, &tin, npi).await?.map(|c| ((c.allowed_charges_cents, c.medicare_patients, c.covered_services), c.mips_apm_participant)),
    }
    .ok_or_else(|| ApiError::not_found("NoEligibilityInformation", format!("There is no eligibility information for this entity in performance year {year}.")))?;
    let threshold = low_volume_threshold(year).ok_or_else(ApiError::internal)?;
    let lv = LowVolumeAssessment::of(&VolumeFigures { allowed_charges_cents: figures.0, medicare_patients: figures.1, covered_services: figures.2 }, &threshold).status();
    let election = state.store.election(year, &tin, req.npi.as_ref()).await?.map(|e| e.election);
    let existing = state.store.pathway(year, &tin, req.npi.as_ref()).await?;
    if existing.is_none() {
        let window = state.store.window(year).await?;
        if let Some(w) = &window {
            let now = state.now();
            if now < w.opens_at || now >= w.submission_closes_at {
                return Err(ApiError::unprocessable(
                    "SubmissionWindowClosed",
                    format!("A reporting pathway can be chosen only while {year} data can be submitted ({} to {}).", w.opens_at.format_eastern(), w.submission_closes_at.format_eastern()),
                ));
            }
        }
    }
    check_pathway(apm, lv, election, existing.as_ref().map(|p| p.pathway), req.pathway).map_err(|r| match r {
        PathwayRefusal::AlreadyChosen { .. } => ApiError::conflict(r.code(), r.reason()).with_detail("$.pathway", r.reason()),
        _ => ApiError::unprocessable(r.code(), r.reason()).with_detail("$.pathway", r.reason()),
    })?;
    let (created, row) = state.store.record_pathway(year, &tin, req.npi.as_ref(), req.pathway, state.now(), &current.user.user_id, &current.user.display_name).await?;
    if row.pathway != req.pathway {
        let r = PathwayRefusal::AlreadyChosen { existing: row.pathway };
        return Err(ApiError::conflict(r.code(), r.reason()));
    }
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PathwayResponse { pathway: cards::pathway_record(&row), created })).into_response())
}

// ---- elections ----------------------------------------------------------------------------

#[utoipa::path(post, path = "/api/elections", tag = "elections", request_body = ElectionRequest, params(("x-csrf-token" = String, Header)), responses((status = 201, description = "Election recorded (final)", body = ElectionResponse), (status = 200, description = "The same election was already recorded", body = ElectionResponse), (status = 400, description = "Malformed request", body = ApiErrorBody), (status = 401, description = "Not signed in", body = ApiErrorBody), (status = 403, description = "Not connected, CSRF or cross-site", body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, description = "A different election was already made", body = ApiErrorBody), (status = 422, description = "A rule refused it: window, eligibility, entity kind, CONFIRM", body = ApiErrorBody)))]
pub(crate) async fn make_election(State(state): State<AppState>, current: CurrentUser, JsonBody(req): JsonBody<ElectionRequest>) -> Result<Response, ApiError> {
    if let Err(e) = check_confirmation(&req.confirmation) {
        let kind = match e {
            ConfirmationError::Empty => "ConfirmationRequired",
            ConfirmationError::Mismatch(_) => "ConfirmationMismatch",
        };
        return Err(ApiError::unprocessable(kind, e.message()).with_detail("$.confirmation", e.message()));
    }
    let (year, tin) = (req.performance_year, req.tin.clone());
    require_connection(&state, &current, &tin).await?;

    // The entity's figures: the practice for a group election, the clinician for an individual one.
    let figures = match &req.npi {
        None => state.store.practice(year, &tin).await?.map(|p| (p.allowed_charges_cents, p.medicare_patients, p.covered_services)),
        Some(npi) => state.store.clinician(year, &tin, npi).await?.map(|c| (c.allowed_charges_cents, c.medicare_patients, c.covered_services)),
    };
    let (charges, patients, services) = figures.ok_or_else(|| match &req.npi {
        None => ApiError::not_found("NoPracticeInformation", format!("There is no eligibility information for TIN {tin} in performance year {year}.")),
        Some(npi) => ApiError::not_found("NoProviderInformation", format!("There is no eligibility information for NPI {npi} at TIN {tin} in performance year {year}.")),
    })?;

    // Finality first: a repeat of the recorded election is answered with it, even after the
    // window closed, so that a retry after a lost response is harmless.
    let existing = state.store.election(year, &tin, req.npi.as_ref()).await?;
    match resolve_against_existing(existing.as_ref().map(|e| e.election), req.election) {
        ElectionOutcome::AlreadyMade => {
            let e = existing.expect("AlreadyMade implies an existing election");
            return Ok((StatusCode::OK, Json(ElectionResponse { election: cards::election_record(&e), created: false })).into_response());
        }
        ElectionOutcome::Conflict { existing: prior } => {
            let e = existing.expect("Conflict implies an existing election");
            return Err(conflict_error(prior, &e));
        }
        ElectionOutcome::Create => {}
    }

    let now = state.now();
    let threshold = low_volume_threshold(year).ok_or_else(|| {
        ApiError::unprocessable("NoLowVolumeThreshold", format!("No low-volume threshold is known for performance year {year}, so eligibility cannot be decided."))
    })?;
    let lv = LowVolumeAssessment::of(&VolumeFigures { allowed_charges_cents: charges, medicare_patients: patients, covered_services: services }, &threshold).status();
    let kind = cards::kind_of(req.npi.is_some(), state.store.in_virtual_group(year, &tin).await?);
    let window = state.store.window(year).await?;
    check_can_elect(kind, lv, window.as_ref(), year, now).map_err(|r| ApiError::unprocessable(r.code(), r.reason()))?;

    let outcome = state
        .store
        .record_election(&NewElection {
            performance_year: year,
            tin,
            npi: req.npi.clone(),
            election: req.election,
            at: now,
            actor_user_id: current.user.user_id.clone(),
            actor_display_name: current.user.display_name.clone(),
            channel: ElectionChannel::Web,
            statement_of_truth_agreed_at: current.session.statement_of_truth_agreed_at,
        })
        .await?;
    match outcome {
        RecordOutcome::Created(e) => Ok((StatusCode::CREATED, Json(ElectionResponse { election: cards::election_record(&e), created: true })).into_response()),
        // Lost a race with a concurrent request: same rules as above.
        RecordOutcome::Existing(e) if e.election == req.election => Ok((StatusCode::OK, Json(ElectionResponse { election: cards::election_record(&e), created: false })).into_response()),
        RecordOutcome::Existing(e) => Err(conflict_error(e.election, &e)),
    }
}

fn conflict_error(prior: crate::domain::Election, e: &ElectionRow) -> ApiError {
    ApiError::conflict("ElectionAlreadyMade", format!("{} It was made by {}.", conflict_reason(prior, e.elected_at), e.elected_by))
        .with_detail("$.election", format!("existing election: {} ({})", prior.code(), e.elected_at))
}

impl ApiError {
    pub fn with_kind(mut self, kind: &str) -> ApiError {
        self.kind = kind.into();
        self
    }
}
