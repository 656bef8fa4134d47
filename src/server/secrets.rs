//! Passwords and secrets: argon2id password hashes, random tokens and their SHA-256, and the
//! sign-in counters' buckets. No HTTP here (cookies and CSRF live in `http::session`).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// The three sign-in counters of an attempt (`domain::sign_in`): a hash, keyed with the
/// deployment's secret, of the User ID (case-insensitive) with the client address, of the User
/// ID alone, and of the address, each cut to a fixed number of values so that no input can make the counter table
/// grow past them. Two pairs that share a bucket share a counter, which at 2^20 buckets a
/// legitimate user meets about never — and, the key being secret, nobody can aim for it.
pub struct SignInBuckets {
    pub account_and_address: String,
    pub account: String,
    pub address: String,
}

impl SignInBuckets {
    pub fn of(key: &str, user_id: &str, address: &str) -> SignInBuckets {
        let cut = |input: String, hex_digits: usize| {
            sha256_hex(format!("{key}\n{input}").as_bytes())[..hex_digits].to_string()
        };
        SignInBuckets {
            account_and_address: format!("a:{}", cut(format!("{}\n{address}", user_id.to_lowercase()), 5)),
            account: format!("u:{}", cut(user_id.to_lowercase(), 5)),
            address: format!("n:{}", cut(address.to_string(), 4)),
        }
    }

    /// The counter of a one-time sign-in link, named by its token's hash (only links the operator
    /// made are ever counted, so these are bounded too).
    pub fn of_link(token_hash: &str) -> String {
        format!("l:{}", &token_hash[..16.min(token_hash.len())])
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
    fn sign_in_buckets_are_bounded_and_case_insensitive() {
        let a = SignInBuckets::of("k", "Demo-Practice", "203.0.113.7");
        let b = SignInBuckets::of("k", "demo-practice", "203.0.113.7");
        assert_eq!(a.account_and_address, b.account_and_address);
        assert_eq!(a.address, b.address);
        assert_ne!(a.account_and_address, SignInBuckets::of("k", "demo-practice", "198.51.100.1").account_and_address);
        assert_ne!(a.address, SignInBuckets::of("another key", "demo-practice", "203.0.113.7").address, "keyed");
        assert_eq!(a.account_and_address.len(), 2 + 5, "2^20 values at most");
        assert_eq!(SignInBuckets::of("k", &"x".repeat(128), "::1").address.len(), 2 + 4, "2^16 values at most");
    }
}
