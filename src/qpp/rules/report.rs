//! What the validator says: findings (`Diagnostic`), what the file holds (`SubmissionSummary`,
//! `SetSummary`) and the `Report`; the catalogues it needs and the progress it reports.

use super::super::catalogue::Index;
use crate::domain::entity::EntityType;
use serde::{Deserialize, Serialize};

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// How we know CMS enforces a rule: confirmed by CMS's own messages, documented, or inferred.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// The file is not valid JSON (RFC 8259): no reader can take it.
    Syntax,
    /// The Submissions API's own message has been seen in public.
    Confirmed,
    /// A documented rule (field reference, change log, upload client).
    Documented,
    /// Plausible but not publicly confirmed: always a warning unless it is plainly impossible data.
    Inferred,
    /// A limit of this application (file size, supported years).
    Application,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// The Submissions API's wording, where it is publicly known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_message: Option<String>,
    /// `measurementSets[0].measurements[3].value.performanceMet`; in a file holding an array of
    /// submissions it starts with the submission's index, `[2].measurementSets[0]…`. Empty for
    /// the file as a whole.
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// Byte offset in the file, so a viewer can show the place without keeping the file.
    #[serde(default)]
    pub offset: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The submission (participant) it belongs to: its index in the file's array, 0 for a file
    /// holding one submission; none for problems with the file as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<usize>,
    pub evidence: Evidence,
}

/// One measurement set as found in the file.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetSummary {
    pub category: Option<String>,
    pub submission_method: Option<String>,
    /// `mips` when the file leaves it out (CMS's default).
    pub program_name: String,
    pub measurements: usize,
}

/// One submission (participant) as found in the file: who it is for and what it holds.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionSummary {
    pub index: usize,
    pub entity_type: Option<EntityType>,
    pub taxpayer_identification_number: Option<String>,
    pub national_provider_identifier: Option<String>,
    pub entity_id: Option<String>,
    pub performance_year: Option<i64>,
    pub line: u32,
    /// Byte range of the submission in the file, so the server can store exactly what was sent.
    pub start: usize,
    pub end: usize,
    pub measurement_sets: Vec<SetSummary>,
    pub errors: usize,
    pub warnings: usize,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub bytes: usize,
    /// True when the top level is an array of submissions.
    pub is_array: bool,
    pub submissions: Vec<SubmissionSummary>,
    /// Errors first, then warnings, each in file order. At most `MAX_LISTED` are listed.
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    /// Findings counted but not listed (beyond `MAX_LISTED`).
    pub unlisted: usize,
    /// Years the file uses whose catalogue was not supplied: the browser fetches them and runs
    /// the check again. Never reported as findings.
    pub missing_years: Vec<u16>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors == 0 && self.missing_years.is_empty()
    }
}

/// The most findings listed per file; all are counted. A broken exporter can produce one per
/// measurement of 10,000 participants, and nobody reads past the first few thousand.
pub const MAX_LISTED: usize = 5_000;

/// The years a catalogue exists for: measures are checked only for these.
pub const FIRST_YEAR: i64 = 2019;
pub const LAST_YEAR: i64 = 2027;

/// Where the validator finds a year's catalogue.
pub trait Catalogues {
    fn get(&self, year: u16) -> Option<&Index>;
}

impl<F: Fn(u16) -> Option<&'static Index>> Catalogues for F {
    fn get(&self, year: u16) -> Option<&Index> {
        self(year)
    }
}

/// Progress, reported every few submissions: how many were checked and how far into the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub submissions: usize,
    pub offset: usize,
    pub bytes: usize,
}

/// "1 error", "1,204 participants".
pub fn plural(n: usize, word: &str) -> String {
    format!("{} {word}{}", crate::domain::format::format_count(n as i64), if n == 1 { "" } else { "s" })
}

/// The results summary: "3 files, 1,204 participants, 17 errors, 4 warnings".
pub fn summary_sentence(files: usize, participants: usize, errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}, {}, {}",
        plural(files, "file"),
        plural(participants, "participant"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod sentence_tests {
    #[test]
    fn summary_sentence_counts_with_separators_and_plurals() {
        assert_eq!(super::summary_sentence(3, 1204, 17, 4), "3 files, 1,204 participants, 17 errors, 4 warnings");
        assert_eq!(super::summary_sentence(1, 1, 1, 0), "1 file, 1 participant, 1 error, 0 warnings");
    }
}
