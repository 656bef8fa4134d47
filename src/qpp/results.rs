//! How validation results are grouped, named and exported — file → participant → measurement
//! set, errors first — so the page and its CSV/JSON exports say the same thing.

use super::rules::{Diagnostic, Report, SetSummary, Severity, SubmissionSummary};
use crate::domain::{csv, entity};

/// "Group TIN 000456789", "Clinician TIN 000456789 / NPI 1234567893", "APM Entity A1234".
pub fn participant_label(s: &SubmissionSummary) -> String {
    match s.entity_type {
        Some(et) => et.participant_label(
            s.taxpayer_identification_number.as_deref(),
            s.national_provider_identifier.as_deref(),
            s.entity_id.as_deref(),
        ),
        None => format!("Submission {} (entity type missing or invalid)", s.index + 1),
    }
}

fn category_label(c: Option<&str>) -> &str {
    c.map(entity::category_label).unwrap_or("(no category)")
}

/// "Measurement set 1: Quality, registry, mips".
pub fn set_label(index: usize, set: Option<&SetSummary>) -> String {
    match set {
        Some(s) => format!(
            "Measurement set {}: {}, {}, {}",
            index + 1,
            category_label(s.category.as_deref()),
            s.submission_method.as_deref().unwrap_or("(no submission method)"),
            s.program_name
        ),
        None => format!("Measurement set {}", index + 1),
    }
}

/// The measurement set a finding's path points into: `[2].measurementSets[3]…` → 3.
pub fn set_index(path: &str) -> Option<usize> {
    let rest = path.split("measurementSets[").nth(1)?;
    rest.split(']').next()?.parse().ok()
}

/// A participant's findings, grouped by measurement set (None: the submission itself).
pub struct ParticipantFindings<'r> {
    pub summary: Option<&'r SubmissionSummary>,
    pub submission: usize,
    pub groups: Vec<(Option<usize>, Vec<&'r Diagnostic>)>,
    pub errors: usize,
    pub warnings: usize,
}

/// One file's findings: those about the file as a whole, then each participant with findings
/// (participants with errors first), and how many participants had none.
pub struct FileFindings<'r> {
    pub file_level: Vec<&'r Diagnostic>,
    pub participants: Vec<ParticipantFindings<'r>>,
    pub clean_participants: usize,
}

pub fn group(report: &Report) -> FileFindings<'_> {
    let mut file_level = vec![];
    let mut by_submission: std::collections::BTreeMap<usize, Vec<&Diagnostic>> = Default::default();
    for d in &report.diagnostics {
        match d.submission {
            Some(i) => by_submission.entry(i).or_default().push(d),
            None => file_level.push(d),
        }
    }
    let mut participants: Vec<ParticipantFindings> = by_submission
        .into_iter()
        .map(|(i, diags)| {
            let mut groups: Vec<(Option<usize>, Vec<&Diagnostic>)> = vec![];
            for d in &diags {
                let k = set_index(&d.path);
                match groups.iter_mut().find(|(g, _)| *g == k) {
                    Some((_, v)) => v.push(d),
                    None => groups.push((k, vec![d])),
                }
            }
            // The submission's own findings first, then sets in file order; errors first within.
            groups.sort_by_key(|(k, _)| k.map(|k| k + 1).unwrap_or(0));
            for (_, v) in groups.iter_mut() {
                v.sort_by_key(|d| d.severity != Severity::Error);
            }
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            ParticipantFindings {
                summary: report.submissions.iter().find(|s| s.index == i),
                submission: i,
                groups,
                errors,
                warnings: diags.len() - errors,
            }
        })
        .collect();
    participants.sort_by_key(|p| (p.errors == 0, p.submission));
    let with_findings = participants.len();
    FileFindings {
        file_level,
        participants,
        clean_participants: report.submissions.len().saturating_sub(with_findings),
    }
}

pub const CSV_HEADER: &[&str] = &[
    "File",
    "Submission",
    "Participant",
    "Severity",
    "Code",
    "Message",
    "Path",
    "Line",
    "Column",
    "Measure ID",
    "How to fix",
    "Submissions API message",
    "Evidence",
];

/// Every finding of every file as CSV rows (spreadsheet-safe: see `domain::csv`).
pub fn csv_export(files: &[(String, &Report)]) -> String {
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::row(CSV_HEADER));
    for (name, report) in files {
        for d in &report.diagnostics {
            let participant = d
                .submission
                .and_then(|i| report.submissions.iter().find(|s| s.index == i))
                .map(participant_label)
                .unwrap_or_default();
            out.push_str(&csv::row(&[
                name.clone(),
                d.submission.map(|i| (i + 1).to_string()).unwrap_or_default(),
                participant,
                format!("{:?}", d.severity).to_lowercase(),
                d.code.clone(),
                d.message.clone(),
                d.path.clone(),
                d.line.to_string(),
                d.column.to_string(),
                d.measure_id.clone().unwrap_or_default(),
                d.hint.clone().unwrap_or_default(),
                d.api_message.clone().unwrap_or_default(),
                format!("{:?}", d.evidence).to_lowercase(),
            ]));
        }
    }
    out
}

/// The results as JSON: `{"files":[{"name","bytes","report"}]}`.
pub fn json_export(files: &[(String, &Report)]) -> String {
    let list: Vec<serde_json::Value> =
        files.iter().map(|(n, r)| serde_json::json!({ "name": n, "bytes": r.bytes, "report": r })).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "files": list })).unwrap_or_default()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn files_over_the_limit_are_refused_in_one_sentence() {
        let limit = super::super::MAX_FILE_BYTES as f64;
        assert_eq!(super::too_large(limit), None);
        assert_eq!(
            super::too_large(limit + 1.0).unwrap(),
            "The file is 64.0 MB; files may be up to 64.0 MB. Split the submissions into several files."
        );
    }

    use super::*;

    fn report() -> Report {
        let text = br#"[{"entityType":"group","taxpayerIdentificationNumber":"000456789","performanceYear":2025,"measurementSets":[{"category":"ia","submissionMethod":"registry","performanceStart":"2025-01-01","performanceEnd":"2025-12-31","measurements":[{"measureId":"IA_NOPE","value":true}]}]},
            {"entityType":"individual","taxpayerIdentificationNumber":"000456789","nationalProviderIdentifier":"1234567893","performanceYear":2025,"measurementSets":[{"category":"ia","submissionMethod":"registry","performanceStart":"2025-01-01","performanceEnd":"2025-12-31","measurements":[{"measureId":"IA_AHE_1","value":true}]}]},
            {"entityType":"individual","taxpayerIdentificationNumber":"000456789","nationalProviderIdentifier":"9876543210","performanceYear":2025,"measurementSets":[{"category":"ia","submissionMethod":"registry","performanceStart":"2025-01-01","performanceEnd":"2025-12-31","measurements":[{"measureId":"IA_AHE_1","value":true}]}]}]"#;
        crate::qpp::validate(text, &crate::qpp::embedded::year, &mut |_| {})
    }

    #[test]
    fn findings_group_by_participant_and_set_errors_first() {
        let r = report();
        let g = group(&r);
        assert_eq!(g.participants.len(), 2);
        assert_eq!(g.clean_participants, 1);
        assert_eq!(participant_label(g.participants[0].summary.unwrap()), "Group TIN 000456789");
        assert_eq!(g.participants[0].groups[0].0, Some(0));
        assert_eq!(participant_label(g.participants[1].summary.unwrap()), "Clinician TIN 000456789 / NPI 9876543210");
        assert_eq!(g.participants[1].warnings, 1);
        assert_eq!(
            set_label(0, r.submissions[0].measurement_sets.first()),
            "Measurement set 1: Improvement Activities, registry, mips"
        );
        assert_eq!(set_index("[2].measurementSets[13].measurements[0]"), Some(13));
    }

    #[test]
    fn exports_hold_every_finding() {
        let r = report();
        let csv = csv_export(&[("a.json".into(), &r)]);
        assert_eq!(csv.lines().count(), 1 + r.diagnostics.len());
        assert!(csv.contains("UnknownMeasure") && csv.contains("Group TIN 000456789"));
        let json: serde_json::Value = serde_json::from_str(&json_export(&[("a.json".into(), &r)])).unwrap();
        assert_eq!(json["files"][0]["report"]["errors"], 1);
    }
}

/// "12.3 MB", "512 KB": file sizes as people read them (1 MB = 1,048,576 bytes, as file
/// managers show it).
pub fn format_size(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{} KB", ((bytes / 1024.0).ceil() as i64).max(1))
    }
}

/// Why a chosen file is refused before it is read: larger than `MAX_FILE_BYTES`. One sentence for
/// every page that takes files (the server answers 413 with its own).
pub fn too_large(bytes: f64) -> Option<String> {
    (bytes > super::MAX_FILE_BYTES as f64).then(|| {
        format!(
            "The file is {}; files may be up to {}. Split the submissions into several files.",
            format_size(bytes),
            format_size(super::MAX_FILE_BYTES as f64)
        )
    })
}

/// The verdict under the summary sentence.
pub fn verdict(errors: usize, warnings: usize, unchecked: usize) -> String {
    let checked = if unchecked > 0 { " in the files that were checked" } else { "" };
    let mut s = match (errors, warnings) {
        (0, 0) => format!("No errors or warnings{checked}: CMS's known rules are met."),
        (0, _) => format!(
            "No errors{checked}. Review the warnings: CMS may accept the data, but it is probably not what you meant."
        ),
        _ => "Correct the errors before you submit: CMS would refuse these submissions.".to_string(),
    };
    if unchecked > 0 {
        s.push_str(&format!(" {} could not be checked.", super::rules::plural(unchecked, "file")));
    }
    s
}

#[cfg(test)]
mod format_tests {
    #[test]
    fn sizes_and_verdicts() {
        assert_eq!(super::format_size(52_428_800.0), "50.0 MB");
        assert_eq!(super::format_size(300.0), "1 KB");
        assert_eq!(super::verdict(0, 0, 1), "No errors or warnings in the files that were checked: CMS's known rules are met. 1 file could not be checked.");
        assert_eq!(super::verdict(0, 0, 0), "No errors or warnings: CMS's known rules are met.");
    }
}
