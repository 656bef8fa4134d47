//! Signing in with the Statement of Truth, reading the session, signing out.

use crate::api::endpoints;
use crate::api::{ApiErrorBody, SessionInfo, SignInRequest, UserSummary};
use crate::domain::sign_in::{
    missing_sign_in_fields, user_id_problem, AttemptCount, AttemptCounts, SignInField, SignInThrottle,
    SIGN_IN_LINK_INVALID,
};
use crate::domain::Timestamp;
use crate::server::http::error::ApiError;
use crate::server::http::extract::{ClientAddress, JsonBody};
use crate::server::http::session::{
    check_origin, clear_session_cookie, session_cookie, session_token_from, CurrentUser,
};
use crate::server::secrets::{dummy_hash, random_token, token_hash, verify_password, SignInBuckets, SESSION_IDLE_MS};
use crate::server::state::AppState;
use crate::server::store::users::UserRow;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_session, sign_in, sign_out))
}

fn session_info(user: &UserRow, csrf: &str, agreed: Timestamp, expires: Timestamp) -> SessionInfo {
    SessionInfo {
        user: UserSummary { user_id: user.user_id.clone(), display_name: user.display_name.clone(), role: user.role },
        csrf_token: csrf.to_string(),
        statement_of_truth_agreed_at: agreed,
        expires_at: expires,
    }
}

/// Every missing field at once, in the page's words.
fn missing_fields(req: &SignInRequest) -> Result<(), ApiError> {
    let missing = missing_sign_in_fields(&req.user_id, &req.password, req.agree_statement_of_truth);
    if missing.is_empty() {
        return Ok(());
    }
    let kind = if missing == [SignInField::StatementOfTruth] { "StatementOfTruthRequired" } else { "ValidationError" };
    let message = missing.iter().map(|f| f.message()).collect::<Vec<_>>().join(" ");
    Err(missing.iter().fold(ApiError::unprocessable(kind, message), |e, f| e.with_detail(f.json_path(), f.message())))
}

/// 429 until the counter's window ends.
fn too_many(throttle: SignInThrottle, now: Timestamp) -> ApiError {
    let wait_s = ((throttle.until().0 - now.0) / 1000).max(1);
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts", throttle.message())
        .with_retry_after(wait_s as u64)
}

fn link_invalid() -> ApiError {
    ApiError::unprocessable("SignInLinkInvalid", SIGN_IN_LINK_INVALID).with_detail("$.signInLink", SIGN_IN_LINK_INVALID)
}

/// The hash of a one-time sign-in link that works for this User ID now. A link that doesn't is
/// refused before any password is checked, and counted against the address, so that guessing
/// links is limited like guessing passwords.
async fn sign_in_link(
    state: &AppState, buckets: &SignInBuckets, token: &str, user_id: &str, now: Timestamp,
) -> Result<String, ApiError> {
    let hash = token_hash(token);
    if state.store.sign_in_link_works(&hash, user_id, now).await? {
        return Ok(hash);
    }
    let from_address = state.store.count_sign_in_attempt(&buckets.address, now).await?;
    let zero = AttemptCount { attempts: 0, window_start: now };
    let counts = AttemptCounts { account_and_address: zero, account: zero, address: from_address };
    if let Some(throttle) = SignInThrottle::check(counts) {
        return Err(too_many(throttle, now));
    }
    Err(link_invalid())
}

/// Checks the password off the async workers, a few at a time; the same work for an unknown
/// user (a dummy hash) so timing does not reveal which User IDs exist.
async fn password_matches(state: &AppState, user: Option<&UserRow>, password: String) -> Result<bool, ApiError> {
    let hash = user.map(|u| u.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    // A flood of sign-ins waits a little for a place, then is told to come back (503).
    let place = tokio::time::timeout(std::time::Duration::from_secs(10), state.hashing.clone().acquire_owned()).await;
    let permit = match place {
        Ok(Ok(permit)) => permit,
        _ => return Err(ApiError::busy("every password-check place is taken")),
    };
    Ok(tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false))
}

#[utoipa::path(post, path = endpoints::SIGN_IN.path, tag = "session", request_body = SignInRequest, responses((status = 200, description = "Signed in; sets the HttpOnly session cookie", body = SessionInfo), (status = 401, description = "Wrong User ID or password", body = ApiErrorBody), (status = 422, description = "Missing fields or Statement of Truth not agreed", body = ApiErrorBody)))]
pub(crate) async fn sign_in(
    State(state): State<AppState>, ClientAddress(address): ClientAddress, headers: HeaderMap,
    JsonBody(req): JsonBody<SignInRequest>,
) -> Result<Response, ApiError> {
    check_origin(&headers)?;
    missing_fields(&req)?;
    if let Some(problem) = user_id_problem(&req.user_id) {
        return Err(ApiError::unprocessable("InvalidUserId", problem.clone()).with_detail("$.userId", problem));
    }
    let user_id = req.user_id.trim();
    let now = state.now();
    // Counted before the password is checked, so attempts in flight count too.
    let key = state.sign_in_key.get_or_try_init(|| state.store.shared_secret("sign-in-buckets")).await?;
    let buckets = SignInBuckets::of(key, user_id, &address);
    let link = match &req.sign_in_link {
        Some(token) => Some(sign_in_link(&state, &buckets, token, user_id, now).await?),
        None => None,
    };
    let throttle = match &link {
        Some(link_hash) => SignInThrottle::check_link(
            state.store.count_sign_in_attempt(&SignInBuckets::of_link(link_hash), now).await?,
        ),
        None => SignInThrottle::check(AttemptCounts {
            account_and_address: state.store.count_sign_in_attempt(&buckets.account_and_address, now).await?,
            account: state.store.count_sign_in_attempt(&buckets.account, now).await?,
            address: state.store.count_sign_in_attempt(&buckets.address, now).await?,
        }),
    };
    if let Some(throttle) = throttle {
        // A link that has had its wrong passwords is used up, not merely paused.
        if let (Some(link_hash), SignInThrottle::SignInLink { .. }) = (&link, throttle) {
            state.store.use_sign_in_link(link_hash, now).await?;
        }
        return Err(too_many(throttle, now));
    }
    let user = state.store.user(user_id).await?;
    let user = match (password_matches(&state, user.as_ref(), req.password.clone()).await?, user) {
        (true, Some(u)) => {
            match &link {
                // The link's attempt was counted only against the link: nothing to give back.
                Some(link_hash) => {
                    if !state.store.use_sign_in_link(link_hash, now).await? {
                        return Err(link_invalid());
                    }
                }
                None => {
                    let given_back = [buckets.account.as_str(), buckets.address.as_str()];
                    state.store.sign_in_succeeded(&buckets.account_and_address, given_back).await?
                }
            }
            u
        }
        _ => {
            return Err(ApiError::unauthorized("The User ID or password you entered is incorrect.")
                .with_kind("InvalidCredentials"));
        }
    };
    let (token, csrf) = (random_token(), random_token());
    let expires = Timestamp(now.0 + SESSION_IDLE_MS);
    state.store.create_session(&token_hash(&token), &user.user_id, &csrf, &random_token(), now, expires).await?;
    let cookie = session_cookie(&token, &headers, state.config.force_secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(session_info(&user, &csrf, now, expires))).into_response())
}

/// 200 with the session, or 204 when signed out: asking "am I signed in?" is not an error, and
/// answering 401 would log a failed request in every visitor's console.
#[utoipa::path(get, path = endpoints::SESSION.path, tag = "session", responses((status = 200, description = "The current session", body = SessionInfo), (status = 204, description = "Not signed in")))]
pub(crate) async fn get_session(
    State(state): State<AppState>, headers: HeaderMap, current: Result<CurrentUser, ApiError>,
) -> Result<Response, ApiError> {
    match current {
        Ok(current) => {
            let s = &current.session;
            let info = session_info(&current.user, &s.csrf_token, s.statement_of_truth_agreed_at, s.expires_at);
            Ok(Json(info).into_response())
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let clear =
                session_token_from(&headers).map(|_| clear_session_cookie(&headers, state.config.force_secure_cookies));
            Ok(match clear {
                Some(cookie) => (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response(),
                None => StatusCode::NO_CONTENT.into_response(),
            })
        }
        Err(e) => Err(e),
    }
}

#[utoipa::path(delete, path = endpoints::SIGN_OUT.path, tag = "session", params(("x-csrf-token" = String, Header, description = "The session's CSRF token")), responses((status = 204, description = "Signed out"), (status = 401, body = ApiErrorBody), (status = 403, description = "Missing CSRF token or cross-site request", body = ApiErrorBody)))]
pub(crate) async fn sign_out(
    State(state): State<AppState>, headers: HeaderMap, current: CurrentUser,
) -> Result<Response, ApiError> {
    state.store.delete_session(&current.token_hash).await?;
    let cookie = clear_session_cookie(&headers, state.config.force_secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
