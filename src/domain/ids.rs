//! Identifiers CMS uses for the entities that elect — the practice's TIN and the clinician's NPI —
//! and the entity ID that names APM Entities, virtual groups and subgroups.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a TIN or NPI was not accepted, in words a practice manager can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text, parsing from and printing to: an identifier kept as text (`Tin`, `Npi`, `EntityId`).
macro_rules! text_identifier {
    ($id:ident) => {
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $id {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                $id::parse(&s)
            }
        }
        impl From<$id> for String {
            fn from(id: $id) -> String {
                id.0
            }
        }
    };
}

/// How the messages about one kind of identifier are worded.
struct DigitWords {
    name: &'static str,
    digits: usize,
    /// Said when something other than a digit is found.
    only_digits: &'static str,
    /// Said when the number of digits is wrong.
    exactly: &'static str,
}

const TIN_WORDS: DigitWords = DigitWords {
    name: "TIN",
    digits: 9,
    only_digits: "must contain digits only (no dashes or spaces)",
    exactly: "a TIN has exactly 9 (keep leading zeros)",
};

const NPI_WORDS: DigitWords =
    DigitWords { name: "NPI", digits: 10, only_digits: "must contain digits only", exactly: "an NPI has exactly 10" };

/// The trimmed identifier when it is exactly `words.digits` ASCII digits.
fn digits(input: &str, words: &DigitWords) -> Result<String, IdError> {
    let DigitWords { name, digits, only_digits, exactly } = words;
    let s = input.trim();
    if s.is_empty() {
        let article = if *name == "NPI" { "an" } else { "a" };
        return Err(IdError(format!("Enter {article} {name}: {digits} digits.")));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError(format!("{name} \"{s}\" {only_digits}: {digits} digits.")));
    }
    if s.len() != *digits {
        return Err(IdError(format!("{name} \"{s}\" has {} digits; {exactly}.", s.len())));
    }
    Ok(s.to_owned())
}

/// Taxpayer Identification Number of a practice: exactly nine digits. Kept as text because
/// leading zeros are significant (`000010101` is a different TIN from `10101`).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), schema(value_type = String, example = "103000013"))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tin(String);

impl Tin {
    pub fn parse(input: &str) -> Result<Tin, IdError> {
        digits(input, &TIN_WORDS).map(Tin)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_identifier!(Tin);

/// National Provider Identifier of a clinician: exactly ten digits. The check digit is
/// verified separately (`Npi::has_valid_check_digit`) because CMS test data and some
/// reference files carry NPIs that fail it, and the caller decides whether that is an error
/// or a warning.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), schema(value_type = String, example = "1234567893"))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Npi(String);

impl Npi {
    pub fn parse(input: &str) -> Result<Npi, IdError> {
        digits(input, &NPI_WORDS).map(Npi)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The NPI check digit is the Luhn check digit of the nine-digit base prefixed with the
    /// card issuer prefix 80840 (ISO 7812, as the NPI standard specifies).
    pub fn has_valid_check_digit(&self) -> bool {
        luhn_valid_with_prefix(&self.0)
    }

    /// Completes a nine-digit base with its check digit (used to make realistic test data).
    pub fn with_check_digit(base9: &str) -> Option<Npi> {
        if base9.len() != 9 || !base9.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (0..=9).map(|d| format!("{base9}{d}")).find(|s| luhn_valid_with_prefix(s)).map(Npi)
    }

    /// A precise message for a failed check digit, for callers that report it.
    pub fn check_digit_problem(&self) -> Option<String> {
        if self.has_valid_check_digit() {
            None
        } else {
            Some(format!("NPI {} fails the NPI check digit (Luhn with prefix 80840); check it for a typo.", self.0))
        }
    }
}

fn luhn_valid_with_prefix(ten_digits: &str) -> bool {
    let full: Vec<u32> = "80840".chars().chain(ten_digits.chars()).filter_map(|c| c.to_digit(10)).collect();
    let mut sum = 0;
    // Walk from the rightmost digit (the check digit); double every second digit.
    for (i, d) in full.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

text_identifier!(Npi);

/// The ID of an APM Entity, a virtual group or a subgroup (QPP JSON's `entityId`). CMS publishes
/// no format for it, so any printable text is kept as given; the length bound is this app's, so
/// that no input grows a row without bound.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), schema(value_type = String, example = "A1234"))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EntityId(String);

impl EntityId {
    /// The most characters an entity ID may have here.
    pub const MAX_CHARS: usize = 64;

    pub fn parse(input: &str) -> Result<EntityId, IdError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(IdError("Enter the entity ID (the APM Entity, virtual group or subgroup ID).".into()));
        }
        if s.chars().count() > Self::MAX_CHARS || s.chars().any(char::is_control) {
            return Err(IdError(format!(
                "Entity ID \"{}\" must be at most {} printable characters.",
                s.chars().take(Self::MAX_CHARS).filter(|c| !c.is_control()).collect::<String>(),
                Self::MAX_CHARS
            )));
        }
        Ok(EntityId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_identifier!(EntityId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tin_keeps_leading_zeros() {
        assert_eq!(Tin::parse("000010101").unwrap().as_str(), "000010101");
        assert_eq!(Tin::parse(" 103000013 ").unwrap().as_str(), "103000013");
    }

    #[test]
    fn tin_rejects_wrong_length_and_non_digits_with_reason() {
        let e = Tin::parse("10101").unwrap_err();
        assert!(e.0.contains("5 digits"), "{e}");
        let e = Tin::parse("10-3000013").unwrap_err();
        assert!(e.0.contains("digits only"), "{e}");
        assert!(Tin::parse("").unwrap_err().0.contains("Enter a TIN"));
        assert!(Tin::parse("1030000130").is_err());
        assert!(Tin::parse("１０３０００００１").is_err(), "full-width digits are not ASCII digits");
    }

    #[test]
    fn npi_length_and_digits() {
        assert!(Npi::parse("1234567893").is_ok());
        assert!(Npi::parse("123456789").unwrap_err().0.contains("9 digits"));
        assert!(Npi::parse("12345678930").is_err());
        assert!(Npi::parse("12345x7893").unwrap_err().0.contains("digits only"));
    }

    #[test]
    fn npi_check_digit_is_luhn_with_80840_prefix() {
        // 1234567893 is the worked example of the NPI check-digit standard.
        assert!(Npi::parse("1234567893").unwrap().has_valid_check_digit());
        assert!(!Npi::parse("1234567890").unwrap().has_valid_check_digit());
        assert!(Npi::parse("1234567890").unwrap().check_digit_problem().is_some());
        // Format is valid even when the check digit is not: the two checks are separate.
        assert!(Npi::parse("1234567890").is_ok());
        assert_eq!(Npi::with_check_digit("123456789").unwrap().as_str(), "1234567893");
        assert!(Npi::with_check_digit("12345").is_none());
    }

    #[test]
    fn ids_round_trip_through_json_and_refuse_bad_values() {
        let t: Tin = serde_json::from_str("\"000043560\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"000043560\"");
        assert!(serde_json::from_str::<Tin>("\"43560\"").is_err());
        assert!(serde_json::from_str::<Npi>("\"1\"").is_err());
    }

    #[test]
    fn entity_ids_are_kept_as_given_within_bounds() {
        assert_eq!(EntityId::parse(" A1234 ").unwrap().as_str(), "A1234");
        assert!(EntityId::parse("").unwrap_err().0.contains("Enter the entity ID"));
        assert!(EntityId::parse(&"x".repeat(65)).unwrap_err().0.contains("at most 64"));
        assert!(EntityId::parse("A\u{0}1").is_err());
        assert!(serde_json::from_str::<EntityId>("\"\"").is_err());
    }
}
