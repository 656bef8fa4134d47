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
    fn user_ids_are_bounded_and_printable() {
        assert_eq!(user_id_problem(" demo-practice "), None);
        assert_eq!(user_id_problem(&"x".repeat(MAX_USER_ID_CHARS)), None);
        assert!(user_id_problem(&"x".repeat(MAX_USER_ID_CHARS + 1)).unwrap().contains("at most 128"));
        assert!(user_id_problem("demo\0practice").unwrap().contains("NUL"));
    }
}
