//! A whole file: one submission or an array of them, each checked as it is read, and the
//! years a file names (for fetching catalogues first).

use super::super::json::{self, Layout, Limits, Pos};
use super::report::{Catalogues, Diagnostic, Evidence, Progress, Report, Severity, SubmissionSummary};
use super::sink::Sink;
use super::submission::Submission;
use crate::domain::entity::EntityType;
use std::collections::HashMap;

/// Checks a QPP JSON file: one submission object, or an array of them.
pub fn validate(bytes: &[u8], catalogues: &dyn Catalogues, progress: &mut dyn FnMut(Progress)) -> Report {
    let mut sink = Sink::new(bytes);
    let mut submissions = vec![];
    let mut missing_years = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let layout = json::for_each_document(bytes, Limits::default(), |index, node, end| {
        let i = index.unwrap_or(0);
        let prefix = index.map(|i| format!("[{i}]")).unwrap_or_default();
        let before = (sink.errors, sink.warnings);
        let mut summary =
            SubmissionSummary { index: i, line: node.pos.line, start: node.pos.offset, end, ..Default::default() };
        let mut s =
            Submission { sink: &mut sink, catalogues, path: prefix, index: i, missing_years: &mut missing_years };
        s.check(&node, &mut summary);
        if let Some(key) = participant_key(&summary) {
            if let Some(first) = seen.get(&key) {
                let msg = format!("This participant is also in submission [{first}] of this file. CMS keeps one submission per participant and year: a measurement set with the same category, submission method and program replaces the earlier one.");
                s.warn(
                    "DuplicateParticipant",
                    node.pos,
                    "",
                    None,
                    msg,
                    Some("Put all of a participant's measurement sets in one submission.".into()),
                    Evidence::Documented,
                );
            } else {
                seen.insert(key, i);
            }
        }
        summary.errors = sink.errors - before.0;
        summary.warnings = sink.warnings - before.1;
        submissions.push(summary);
        if submissions.len() % 100 == 0 {
            progress(Progress { submissions: submissions.len(), offset: end, bytes: bytes.len() });
        }
    });
    let mut is_array = false;
    match layout {
        Ok(Layout::Array { items: 0 }) => {
            is_array = true;
            sink.emit(
                Severity::Error,
                "EmptyArray",
                Pos { line: 1, line_start: 0, offset: 0 },
                "",
                None,
                None,
                "The file holds an empty array: there are no submissions in it.".into(),
                None,
                Some("Put one submission object { … } per participant inside the array.".into()),
                Evidence::Documented,
            );
        }
        Ok(Layout::Array { .. }) => is_array = true,
        Ok(Layout::Single) => {}
        Err(e) => {
            is_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
            let d = Diagnostic {
                severity: Severity::Error,
                code: e.code.into(),
                message: e.message,
                api_message: None,
                path: String::new(),
                line: e.line,
                column: e.column,
                offset: e.offset,
                measure_id: None,
                hint: Some(parse_hint(e.code).into()),
                submission: None,
                evidence: Evidence::Syntax,
            };
            sink.push(d);
        }
    }
    progress(Progress { submissions: submissions.len(), offset: bytes.len(), bytes: bytes.len() });
    missing_years.sort();
    missing_years.dedup();
    let mut diagnostics = sink.list;
    // Errors first, then warnings; each in file order (the sort is stable).
    diagnostics.sort_by_key(|d| d.severity != Severity::Error);
    Report {
        bytes: bytes.len(),
        is_array,
        submissions,
        diagnostics,
        errors: sink.errors,
        warnings: sink.warnings,
        unlisted: sink.unlisted,
        missing_years,
    }
}

fn parse_hint(code: &str) -> &'static str {
    match code {
        "NotUtf8" => "In your editor or exporter choose the encoding \"UTF-8\" when saving.",
        "EmptyFile" => "Choose the exported QPP JSON file, not an empty one.",
        "NotJson" => "Upload QRDA III files with the registry upload; this check reads QPP JSON.",
        "UnexpectedEnd" => "The file may have been cut off while downloading or copying: export it again.",
        "TooDeep" => "Check that this is a QPP JSON submission file.",
        _ => "Open the file in a JSON-aware editor at the line and column given and correct the syntax there.",
    }
}

fn participant_key(s: &SubmissionSummary) -> Option<String> {
    let year = s.performance_year?;
    let et = s.entity_type?;
    let who = match et {
        EntityType::Individual => {
            format!("{}/{}", s.taxpayer_identification_number.as_deref()?, s.national_provider_identifier.as_deref()?)
        }
        EntityType::Group => s.taxpayer_identification_number.clone()?,
        _ => s.entity_id.clone()?,
    };
    Some(format!("{}:{who}:{year}", et.code()))
}

/// The performance years named near the start of a file (`"performanceYear": 2025`), so the
/// browser can fetch those catalogues before the one full pass. Only a hint: the full pass
/// reports any year it still lacks in `Report::missing_years`.
pub fn sniff_years(prefix: &[u8]) -> Vec<u16> {
    const KEY: &[u8] = b"\"performanceYear\"";
    let mut years = vec![];
    let mut i = 0;
    while let Some(at) = prefix[i..].windows(KEY.len()).position(|w| w == KEY) {
        let mut j = i + at + KEY.len();
        while prefix.get(j).is_some_and(|b| b.is_ascii_whitespace() || *b == b':') {
            j += 1;
        }
        let digits: Vec<u8> = prefix[j..].iter().take_while(|b| b.is_ascii_digit()).copied().collect();
        if let Some(y) = std::str::from_utf8(&digits).ok().filter(|d| d.len() == 4).and_then(|d| d.parse::<u16>().ok())
        {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        i = j;
    }
    years
}

#[cfg(test)]
mod sniff_tests {
    #[test]
    fn sniffs_years_near_the_start() {
        assert_eq!(super::sniff_years(b"[{\"performanceYear\" : 2025},{\"performanceYear\":2024},{\"performanceYear\":2025}, {\"performanceYear\": \"x\"}]"), vec![2025, 2024]);
        assert_eq!(super::sniff_years(b"{\"performanceYe"), Vec::<u16>::new());
    }
}
