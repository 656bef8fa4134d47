//! What a sign-in request must hold before any password is checked (2021 guide, "Sign in"):
//! a User ID, a password, and agreement to the Statement of Truth. The page and the server ask
//! the same questions in the same words.

/// A field of the sign-in form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInField {
    UserId,
    Password,
    StatementOfTruth,
}

impl SignInField {
    /// Where the field is in the JSON request body.
    pub fn json_path(self) -> &'static str {
        match self {
            SignInField::UserId => "$.userId",
            SignInField::Password => "$.password",
            SignInField::StatementOfTruth => "$.agreeStatementOfTruth",
        }
    }

    pub fn from_json_path(path: &str) -> Option<SignInField> {
        [SignInField::UserId, SignInField::Password, SignInField::StatementOfTruth]
            .into_iter()
            .find(|f| f.json_path() == path)
    }

    /// What the person is asked to do.
    pub fn message(self) -> &'static str {
        match self {
            SignInField::UserId => "Enter your User ID.",
            SignInField::Password => "Enter your password.",
            SignInField::StatementOfTruth => "Agree to the Statement of Truth to sign in.",
        }
    }
}

/// The longest User ID accepted. Anything longer is refused before it is looked up or counted
/// as a failed attempt, so unauthenticated requests can't fill memory with User IDs.
pub const MAX_USER_ID_CHARS: usize = 128;

/// Why a (trimmed) User ID can't be anyone's: too long, or holding a control character such as
/// a NUL byte. `None` when it may be looked up.
pub fn user_id_problem(user_id: &str) -> Option<String> {
    let id = user_id.trim();
    let n = id.chars().count();
    if n > MAX_USER_ID_CHARS {
        Some(format!("A User ID has at most {MAX_USER_ID_CHARS} characters; this one has {n}. Check what was pasted into the User ID field."))
    } else if id.chars().any(char::is_control) {
        Some("A User ID can't contain control characters (such as a line break or a NUL byte).".into())
    } else {
        None
    }
}

/// The fields still missing, in form order. The User ID is read trimmed; the password as typed.
pub fn missing_sign_in_fields(user_id: &str, password: &str, agreed: bool) -> Vec<SignInField> {
    let mut missing = vec![];
    if user_id.trim().is_empty() {
        missing.push(SignInField::UserId);
    }
    if password.is_empty() {
        missing.push(SignInField::Password);
    }
    if !agreed {
        missing.push(SignInField::StatementOfTruth);
    }
    missing
}

/// How long the sign-in counters count: attempts are counted from the first in a window.
pub const SIGN_IN_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Attempts one User ID may have from one client address in a window.
pub const MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Attempts one User ID may have in a window from all addresses together, so that guessing from
/// many addresses is limited too. Anyone can use up this limit for someone else's User ID, so a
/// one-time sign-in link from the operator (`SIGN_IN_LINK_HOURS`) lets the owner in past it.
pub const MAX_ATTEMPTS_PER_ACCOUNT: i64 = 20;
/// Attempts one client address may have in a window, whatever User IDs it tries (a spray).
/// A successful sign-in gives its attempt back, so an office behind one address is not limited.
pub const MAX_ATTEMPTS_PER_ADDRESS: i64 = 100;
/// Passwords that may be tried with one one-time sign-in link; the next attempt uses it up.
pub const MAX_ATTEMPTS_PER_SIGN_IN_LINK: i64 = 5;
/// How long a one-time sign-in link made by the operator works, from when it was made.
pub const SIGN_IN_LINK_HOURS: i64 = 24;

/// One counter as the attempt in hand left it: attempts in the window including this one, and
/// when the window started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptCount {
    pub attempts: i64,
    pub window_start: super::Timestamp,
}

impl AttemptCount {
    fn over(self, limit: i64) -> Option<super::Timestamp> {
        (self.attempts > limit).then_some(super::Timestamp(self.window_start.0 + SIGN_IN_WINDOW_MS))
    }
}

/// The counters an attempt without a sign-in link is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptCounts {
    pub account_and_address: AttemptCount,
    pub account: AttemptCount,
    pub address: AttemptCount,
}

/// Why a sign-in attempt is refused before any password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInThrottle {
    /// This User ID from this address, until the window ends.
    AccountFromAddress { until: super::Timestamp },
    /// This User ID from anywhere (except with a one-time sign-in link), until the window ends.
    Account { until: super::Timestamp },
    /// This address, for any User ID, until the window ends.
    Address { until: super::Timestamp },
    /// This one-time sign-in link: too many wrong passwords with it, until the window ends.
    SignInLink { until: super::Timestamp },
}

impl SignInThrottle {
    /// An attempt is refused when any counter, counting it (and every attempt still in flight),
    /// is over its limit.
    pub fn check(counts: AttemptCounts) -> Option<SignInThrottle> {
        let AttemptCounts { account_and_address, account, address } = counts;
        account_and_address
            .over(MAX_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS)
            .map(|until| SignInThrottle::AccountFromAddress { until })
            .or_else(|| account.over(MAX_ATTEMPTS_PER_ACCOUNT).map(|until| SignInThrottle::Account { until }))
            .or_else(|| address.over(MAX_ATTEMPTS_PER_ADDRESS).map(|until| SignInThrottle::Address { until }))
    }

    /// An attempt with a valid one-time sign-in link is counted only against the link, so that
    /// nobody without the link can keep its owner out.
    pub fn check_link(link: AttemptCount) -> Option<SignInThrottle> {
        link.over(MAX_ATTEMPTS_PER_SIGN_IN_LINK).map(|until| SignInThrottle::SignInLink { until })
    }

    pub fn until(self) -> super::Timestamp {
        match self {
            SignInThrottle::AccountFromAddress { until }
            | SignInThrottle::Account { until }
            | SignInThrottle::Address { until }
            | SignInThrottle::SignInLink { until } => until,
        }
    }

    pub fn message(self) -> String {
        let after = self.until().format_eastern();
        match self {
            SignInThrottle::AccountFromAddress { .. } => format!("Too many failed sign-in attempts for this User ID from your network. Try again after {after}, sign in from another network, or reset your password with HARP."),
            SignInThrottle::Account { .. } => format!("Too many failed sign-in attempts for this User ID. Try again after {after}. If these attempts were not yours, ask the people who run this site for a one-time sign-in link: it lets you in however many attempts others make."),
            SignInThrottle::Address { .. } => format!("Too many sign-in attempts from your network. Try again after {after}."),
            SignInThrottle::SignInLink { .. } => "Too many wrong passwords with this one-time sign-in link, so it no longer works. Ask the people who run this site for a new one.".to_string(),
        }
    }
}

/// Why a one-time sign-in link was not accepted (it is checked before anything else).
pub const SIGN_IN_LINK_INVALID: &str = "This one-time sign-in link can't be used: it has been used already, it has expired, or it was made for another User ID. Sign in without it, or ask the people who run this site for a new one.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_missing_field_is_named_in_form_order() {
        assert_eq!(
            missing_sign_in_fields("  ", "", false),
            vec![SignInField::UserId, SignInField::Password, SignInField::StatementOfTruth]
        );
        assert_eq!(missing_sign_in_fields("demo", " ", true), vec![]);
        assert_eq!(SignInField::from_json_path("$.password"), Some(SignInField::Password));
        assert_eq!(SignInField::from_json_path("$.other"), None);
    }

    #[test]
    fn attempts_over_either_limit_are_refused_until_the_window_ends() {
        use crate::domain::Timestamp;
        let start = Timestamp(1_000_000);
        let count = |attempts| AttemptCount { attempts, window_start: start };
        let until = Timestamp(start.0 + SIGN_IN_WINDOW_MS);
        let counts = |pair, account, address| AttemptCounts {
            account_and_address: count(pair),
            account: count(account),
            address: count(address),
        };
        assert_eq!(SignInThrottle::check(counts(5, 20, 100)), None, "the last attempt of each is still checked");
        assert_eq!(SignInThrottle::check(counts(6, 6, 6)), Some(SignInThrottle::AccountFromAddress { until }));
        assert_eq!(SignInThrottle::check(counts(1, 21, 21)), Some(SignInThrottle::Account { until }));
        assert_eq!(SignInThrottle::check(counts(1, 1, 101)), Some(SignInThrottle::Address { until }));
        assert_eq!(SignInThrottle::check_link(count(5)), None);
        assert_eq!(SignInThrottle::check_link(count(6)), Some(SignInThrottle::SignInLink { until }));
        assert!(SignInThrottle::AccountFromAddress { until }.message().contains("from your network"));
        assert!(SignInThrottle::Account { until }.message().contains("one-time sign-in link"));
    }

    #[test]
    fn user_ids_are_bounded_and_printable() {
        assert_eq!(user_id_problem(" demo-practice "), None);
        assert_eq!(user_id_problem(&"x".repeat(MAX_USER_ID_CHARS)), None);
        assert!(user_id_problem(&"x".repeat(MAX_USER_ID_CHARS + 1)).unwrap().contains("at most 128"));
        assert!(user_id_problem("demo\0practice").unwrap().contains("NUL"));
    }
}
