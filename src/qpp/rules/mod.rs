//! The QPP JSON rules: what CMS's Submissions API and its upload client check (CMS's QPP
//! JSON developer documentation and the Submissions API's messages), plus stricter checks as
//! warnings where the evidence is only inferred.
//!
//! Every finding is a `Diagnostic`: severity, a stable code, a plain-English message, the exact
//! Submissions API message where one is publicly known, the JSON path, line and column, the
//! measure, a hint how to fix it, and how sure we are that CMS enforces it (`evidence`).
//! Errors mean CMS would refuse the submission (or we refuse to send it); warnings mean it may
//! be accepted but is probably not what the sender meant.

mod file;
mod measurement;
mod measurement_set;
mod report;
mod sink;
mod submission;
mod vocabulary;

pub use file::{sniff_years, validate};
pub use report::{
    plural, summary_sentence, Catalogues, Diagnostic, Evidence, Progress, Report, SetSummary, Severity,
    SubmissionSummary, FIRST_YEAR, LAST_YEAR, MAX_LISTED,
};
pub use vocabulary::{cehrt_id_ok, npi_check_digit_ok, parse_date};
