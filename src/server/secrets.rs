//! Passwords and secrets: argon2id password hashes, random tokens and their SHA-256, and the
//! per-User-ID sign-in throttle. No HTTP here (cookies and CSRF live in `http::session`).

use crate::domain::Timestamp;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// Failed sign-ins allowed per User ID within `LOCKOUT_WINDOW_MS` before further attempts are
/// refused until the window has passed.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Counts failed sign-ins per User ID (case-insensitive), so that passwords can't be guessed
/// without limit. In memory: a restart forgets, which is acceptable for a throttle.
#[derive(Default)]
pub struct SignInLimiter {
    failures: std::sync::Mutex<std::collections::HashMap<String, (u32, Timestamp)>>,
}

impl SignInLimiter {
    /// `Some(until)` while the User ID is locked out.
    pub fn locked_until(&self, user_id: &str, now: Timestamp) -> Option<Timestamp> {
        let map = self.failures.lock().expect("limiter lock");
        map.get(&user_id.to_lowercase()).and_then(|(n, first)| {
            let until = Timestamp(first.0 + LOCKOUT_WINDOW_MS);
            (*n >= MAX_FAILED_SIGN_INS && now < until).then_some(until)
        })
    }
    pub fn record_failure(&self, user_id: &str, now: Timestamp) {
        let mut map = self.failures.lock().expect("limiter lock");
        let entry = map.entry(user_id.to_lowercase()).or_insert((0, now));
        if now.0 - entry.1 .0 >= LOCKOUT_WINDOW_MS {
            *entry = (0, now);
        }
        entry.0 += 1;
        // Bound memory: forget stale entries now and then.
        if map.len() > 10_000 {
            map.retain(|_, (_, first)| now.0 - first.0 < LOCKOUT_WINDOW_MS);
        }
    }
    pub fn record_success(&self, user_id: &str) {
        self.failures.lock().expect("limiter lock").remove(&user_id.to_lowercase());
    }
}
pub const SESSION_MAX_MS: i64 = 12 * 60 * 60 * 1000;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Verifying against this when the user does not exist keeps the answer time the same, so
/// response timing does not reveal which user IDs exist.
pub fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("not-a-real-password"))
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// Lower-case hex SHA-256 of bytes (tokens, uploaded files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("demo-password-1");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo-password-1", &h));
        assert!(!verify_password("demo-password-2", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn five_failures_lock_a_user_id_for_the_window() {
        let l = SignInLimiter::default();
        let t0 = Timestamp(1_000_000);
        for i in 0..MAX_FAILED_SIGN_INS {
            assert!(l.locked_until("demo-practice", Timestamp(t0.0 + i as i64)).is_none());
            l.record_failure("Demo-Practice", Timestamp(t0.0 + i as i64));
        }
        assert_eq!(l.locked_until("demo-practice", Timestamp(t0.0 + 10)), Some(Timestamp(t0.0 + LOCKOUT_WINDOW_MS)));
        assert!(l.locked_until("other", Timestamp(t0.0 + 10)).is_none(), "per User ID");
        assert!(l.locked_until("demo-practice", Timestamp(t0.0 + LOCKOUT_WINDOW_MS)).is_none(), "the window passes");
        l.record_failure("demo-practice", Timestamp(t0.0 + LOCKOUT_WINDOW_MS + 1));
        assert!(
            l.locked_until("demo-practice", Timestamp(t0.0 + LOCKOUT_WINDOW_MS + 2)).is_none(),
            "counting starts again"
        );
        l.record_success("demo-practice");
    }
}
