//! The API's handlers. Each one checks every rule on the server, whatever the browser checked.

use super::auth::{self, CurrentUser};
use super::error::ApiError;
use super::extract::{JsonBody, YearQuery};
use super::store::{ElectionRow, NewElection, PracticeRow, RecordOutcome};
use super::AppState;
use crate::api::*;
use crate::domain::election::{conflict_reason, ConfirmationError};
use crate::domain::lvt::{threshold_is_verified, LowVolumeAssessment};
use crate::domain::{
    check_can_elect, check_confirmation, low_volume_threshold, resolve_against_existing, ElectionOutcome, ElectionWindow, EntityKind, ParticipationStatus,
    PerformanceYear, Timestamp, Tin, VolumeFigures, WindowPhase,
};
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
        .route("/elections", axum::routing::post(make_election))
        .fallback(|| async { ApiError::not_found("NotFound", "There is no API endpoint at this address.") })
        .method_not_allowed_fallback(|| async { ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "This API endpoint does not accept that HTTP method.") })
}

async fn health() -> Json<serde_json::Value> {
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

async fn sign_in(State(state): State<AppState>, headers: HeaderMap, JsonBody(req): JsonBody<SignInRequest>) -> Result<Response, ApiError> {
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
    let user = state.store.user(user_id).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| auth::dummy_hash().to_string());
    let password = req.password.clone();
    // Hashing is CPU-bound: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash)).await.unwrap_or(false);
    let user = match (user, ok) {
        (Some(u), true) => u,
        _ => return Err(ApiError::unauthorized("The User ID or password you entered is incorrect.").with_kind("InvalidCredentials")),
    };
    let now = state.now();
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = Timestamp(now.0 + auth::SESSION_IDLE_MS);
    state.store.create_session(&auth::token_hash(&token), &user.user_id, &csrf, &auth::random_token(), now, expires).await?;
    let cookie = auth::session_cookie(&token, &headers, state.config.force_secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(session_info(&user, &csrf, now, expires))).into_response())
}

/// 200 with the session, or 204 when signed out: asking "am I signed in?" is not an error, and
/// answering 401 would log a failed request in every visitor's console.
async fn get_session(State(state): State<AppState>, headers: HeaderMap, current: Result<CurrentUser, ApiError>) -> Result<Response, ApiError> {
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

async fn sign_out(State(state): State<AppState>, headers: HeaderMap, current: CurrentUser) -> Result<Response, ApiError> {
    state.store.delete_session(&current.token_hash).await?;
    let cookie = auth::clear_session_cookie(&headers, state.config.force_secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

// ---- years and practices ----------------------------------------------------------------

async fn performance_years(State(state): State<AppState>) -> Result<Json<PerformanceYearsResponse>, ApiError> {
    let now = state.now();
    let windows = state.store.windows().await?;
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
        });
    }
    let default_year = years
        .iter()
        .find(|y| y.window_phase == Some(WindowPhase::Open))
        .or_else(|| years.iter().find(|y| y.window.is_some()))
        .map(|y| y.performance_year)
        .unwrap_or(years[0].performance_year);
    Ok(Json(PerformanceYearsResponse { default_year, years, server_time: now }))
}

fn election_record(e: &ElectionRow) -> ElectionRecord {
    ElectionRecord {
        performance_year: e.performance_year,
        tin: e.tin.clone(),
        npi: e.npi.clone(),
        election: e.election,
        elected_at: e.elected_at,
        elected_by: e.elected_by.clone(),
        channel: e.channel,
    }
}

/// Builds a card from stored data with the domain's rules; the card says whether an election
/// can be made now and, if not, why.
fn practice_card(p: &PracticeRow, election: Option<&ElectionRow>, clinicians: i64, window: Option<&ElectionWindow>, now: Timestamp) -> Result<PracticeCard, ApiError> {
    let threshold = low_volume_threshold(p.performance_year).ok_or_else(|| {
        tracing::error!(year = %p.performance_year, "no low-volume threshold for a year with data");
        ApiError::internal()
    })?;
    let figures = VolumeFigures { allowed_charges_cents: p.allowed_charges_cents, medicare_patients: p.medicare_patients, covered_services: p.covered_services };
    let assessment = LowVolumeAssessment::of(&figures, &threshold);
    let lv = assessment.status();
    let can_elect = match election {
        Some(e) => ElectionAvailability {
            allowed: false,
            reason: Some(format!("An election to {} was made on {}. Elections are final.", e.election.label(), e.elected_at.format_eastern())),
        },
        None => match check_can_elect(EntityKind::Group, lv, window, p.performance_year, now) {
            Ok(()) => ElectionAvailability { allowed: true, reason: None },
            Err(r) => ElectionAvailability { allowed: false, reason: Some(r.reason()) },
        },
    };
    Ok(PracticeCard {
        performance_year: p.performance_year,
        tin: p.tin.clone(),
        name: p.name.clone(),
        address: Address { line1: p.address_line1.clone(), city: p.city.clone(), state: p.state.clone(), zip: p.zip.clone() },
        figures,
        threshold,
        assessment,
        low_volume_status: lv,
        status: ParticipationStatus::of(lv, election.map(|e| e.election)),
        status_explanation: lv.explanation(&assessment),
        special_statuses: p.special_statuses.clone(),
        mips_apm_participant: p.mips_apm_participant,
        clinician_count: clinicians,
        is_demo: p.is_demo,
        election: election.map(election_record),
        can_elect,
    })
}

async fn list_practices(State(state): State<AppState>, current: CurrentUser, YearQuery(year): YearQuery) -> Result<Json<PracticesResponse>, ApiError> {
    let now = state.now();
    let uid = &current.user.user_id;
    let (practices, elections, counts, window) = (
        state.store.practices_for_user(uid, year).await?,
        state.store.group_elections_for_user(uid, year).await?,
        state.store.clinician_counts_for_user(uid, year).await?,
        state.store.window(year).await?,
    );
    let cards = practices
        .iter()
        .map(|p| {
            let e = elections.iter().find(|e| e.tin == p.tin);
            let n = counts.iter().find(|(t, _)| *t == p.tin).map(|c| c.1).unwrap_or(0);
            practice_card(p, e, n, window.as_ref(), now)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(PracticesResponse { performance_year: year, window_phase: window.as_ref().map(|w| w.phase(now)), window, practices: cards }))
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

async fn get_practice(State(state): State<AppState>, current: CurrentUser, Path(raw_tin): Path<String>, YearQuery(year): YearQuery) -> Result<Json<PracticeCard>, ApiError> {
    let tin = parse_tin(&raw_tin, "tin")?;
    require_connection(&state, &current, &tin).await?;
    let p = state
        .store
        .practice(year, &tin)
        .await?
        .ok_or_else(|| ApiError::not_found("NoPracticeInformation", format!("There is no eligibility information for TIN {tin} in performance year {year}.")))?;
    let election = state.store.election(year, &tin, None).await?;
    let window = state.store.window(year).await?;
    let count = state.store.clinician_counts_for_user(&current.user.user_id, year).await?.into_iter().find(|(t, _)| *t == tin).map(|c| c.1).unwrap_or(0);
    Ok(Json(practice_card(&p, election.as_ref(), count, window.as_ref(), state.now())?))
}

// ---- elections ----------------------------------------------------------------------------

async fn make_election(State(state): State<AppState>, current: CurrentUser, JsonBody(req): JsonBody<ElectionRequest>) -> Result<Response, ApiError> {
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
            return Ok((StatusCode::OK, Json(ElectionResponse { election: election_record(&e), created: false })).into_response());
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
    let kind = if req.npi.is_some() { EntityKind::Individual } else { EntityKind::Group };
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
        RecordOutcome::Created(e) => Ok((StatusCode::CREATED, Json(ElectionResponse { election: election_record(&e), created: true })).into_response()),
        // Lost a race with a concurrent request: same rules as above.
        RecordOutcome::Existing(e) if e.election == req.election => Ok((StatusCode::OK, Json(ElectionResponse { election: election_record(&e), created: false })).into_response()),
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
