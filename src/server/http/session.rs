//! Sessions and CSRF protection, as HTTP sees them.
//!
//! - The session cookie holds a random 256-bit token; the database holds only its SHA-256, so a
//!   leaked database does not yield live sessions. Cookie: HttpOnly, SameSite=Strict, Path=/,
//!   and Secure whenever the request arrived over HTTPS (directly or per X-Forwarded-Proto).
//! - Sessions end after 30 minutes without activity and at most 12 hours after sign-in.
//! - Mutating requests of a signed-in user must carry the session's CSRF token in the
//!   `x-csrf-token` header (synchronizer token), and any request with an `Origin` header must
//!   come from this site. SameSite=Strict alone would leave older browsers exposed.

use super::error::ApiError;
use crate::api::{CSRF_HEADER, SESSION_COOKIE};
use crate::domain::Timestamp;
use crate::server::secrets::{token_hash, SESSION_IDLE_MS, SESSION_MAX_MS};
use crate::server::state::AppState;
use crate::server::store::sessions::SessionRow;
use crate::server::store::users::UserRow;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};

/// Compares without stopping at the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn session_token_from(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
    })
}

fn is_https(headers: &HeaderMap, force_secure: bool) -> bool {
    force_secure
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.eq_ignore_ascii_case("https"))
            .unwrap_or(false)
}

pub fn session_cookie(token: &str, headers: &HeaderMap, force_secure: bool) -> String {
    let secure = if is_https(headers, force_secure) { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}", SESSION_MAX_MS / 1000)
}

pub fn clear_session_cookie(headers: &HeaderMap, force_secure: bool) -> String {
    let secure = if is_https(headers, force_secure) { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// Refuses a request whose `Origin` names another site. Requests without `Origin` (same-origin
/// GETs, programs) pass; browsers always send it on cross-site POSTs.
pub fn check_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return Ok(()) };
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    let same_host = ["x-forwarded-host", "host"]
        .iter()
        .filter_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
        .any(|host| !host.is_empty() && origin_host.eq_ignore_ascii_case(host));
    // A proxy that rewrites Host without X-Forwarded-Host: name the public origin(s) here.
    let configured = std::env::var("ALLOWED_ORIGINS")
        .unwrap_or_default()
        .split(',')
        .any(|o| !o.trim().is_empty() && o.trim().eq_ignore_ascii_case(origin));
    if same_host || configured {
        Ok(())
    } else {
        Err(ApiError::forbidden("CrossSiteRequest", "This request came from another website and was refused."))
    }
}

/// The signed-in user of a request. Rejects with 401 when there is no live session, and with
/// 403 when a mutating request lacks the session's CSRF token.
pub struct CurrentUser {
    pub user: UserRow,
    pub session: SessionRow,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token_from(&parts.headers).ok_or_else(|| ApiError::unauthorized("Sign in to continue."))?;
        let hash = token_hash(&token);
        let now = state.now();
        let session = state
            .store
            .session(&hash)
            .await?
            .filter(|s| s.expires_at > now)
            .ok_or_else(|| ApiError::unauthorized("Your session has ended. Sign in again to continue."))?;
        let mutating = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if mutating {
            check_origin(&parts.headers)?;
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::forbidden(
                    "CsrfTokenMissing",
                    "This request is missing its security token. Reload the page and try again.",
                ));
            }
        }
        // Slide the idle expiry, but write at most once a minute and never past the maximum.
        let new_expiry = Timestamp((now.0 + SESSION_IDLE_MS).min(session.created_at.0 + SESSION_MAX_MS));
        if new_expiry.0 - session.expires_at.0 > 60_000 {
            state.store.extend_session(&hash, new_expiry).await?;
        }
        Ok(CurrentUser { user: session.user.clone(), session, token_hash: hash })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_flags() {
        let mut h = HeaderMap::new();
        let c = session_cookie("abc", &h, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(session_cookie("abc", &h, false).ends_with("; Secure"));
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, format!("a=1; {SESSION_COOKIE}=tok123; b=2").parse().unwrap());
        assert_eq!(session_token_from(&h).as_deref(), Some("tok123"));
    }

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(check_origin(&h).is_ok());
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(check_origin(&h).is_ok());
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(check_origin(&h).is_err());
    }
}
