//! The QPP JSON rules: what CMS's Submissions API and its upload client check (docs/qpp-json.md
//! §2.1, §2.3), plus the stricter checks of §2.6 as warnings where the evidence is inferred.
//!
//! Every finding is a `Diagnostic`: severity, a stable code, a plain-English message, the exact
//! Submissions API message where one is publicly known, the JSON path, line and column, the
//! measure, a hint how to fix it, and how sure we are that CMS enforces it (`evidence`).
//! Errors mean CMS would refuse the submission (or we refuse to send it); warnings mean it may
//! be accepted but is probably not what the sender meant.

use super::catalogue::{Index, Measure};
use super::json::{self, Layout, Limits, Node, Pos, Value};
use crate::domain::entity::EntityType;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// How we know CMS enforces a rule (the grades of docs/qpp-json.md §2).
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
            sink.error_at(
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

/// Collects findings; works out columns cheaply (see `column`).
struct Sink<'s> {
    src: &'s [u8],
    list: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
    unlisted: usize,
    /// (line start, offset, column) of the last column computed: findings come in file order,
    /// so the next one on the same line counts on from there. Counting from the line start each
    /// time would be quadratic on a minified one-line file.
    last_column: (usize, usize, u32),
}

impl<'s> Sink<'s> {
    fn new(src: &'s [u8]) -> Sink<'s> {
        Sink { src, list: vec![], errors: 0, warnings: 0, unlisted: 0, last_column: (usize::MAX, 0, 1) }
    }

    fn column(&mut self, pos: Pos) -> u32 {
        let (ls, off, col) = self.last_column;
        let column = if ls == pos.line_start && off <= pos.offset {
            let span = self.src.get(off..pos.offset.min(self.src.len())).unwrap_or(&[]);
            col + span.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u32
        } else {
            pos.column(self.src)
        };
        self.last_column = (pos.line_start, pos.offset, column);
        column
    }

    fn push(&mut self, d: Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        if self.list.len() < MAX_LISTED {
            self.list.push(d);
        } else {
            self.unlisted += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        severity: Severity,
        code: &str,
        pos: Pos,
        path: &str,
        submission: Option<usize>,
        measure: Option<&str>,
        message: String,
        api: Option<String>,
        hint: Option<String>,
        evidence: Evidence,
    ) {
        if self.list.len() >= MAX_LISTED {
            // Counted, not listed: skip the column work.
            match severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            self.unlisted += 1;
            return;
        }
        let column = self.column(pos);
        self.push(Diagnostic {
            severity,
            code: code.into(),
            message,
            api_message: api,
            path: path.into(),
            line: pos.line,
            column,
            offset: pos.offset,
            measure_id: measure.map(str::to_owned),
            hint,
            submission,
            evidence,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn error_at(
        &mut self,
        code: &str,
        pos: Pos,
        path: &str,
        submission: Option<usize>,
        measure: Option<&str>,
        message: String,
        api: Option<String>,
        hint: Option<String>,
        evidence: Evidence,
    ) {
        self.emit(Severity::Error, code, pos, path, submission, measure, message, api, hint, evidence)
    }
}

/// The entity types of QPP JSON (docs §1.2).
const CATEGORIES: &[&str] = &["quality", "pi", "ia"];
const METHODS: &[&str] = &[
    "registry",
    "electronicHealthRecord",
    "claims",
    "certifiedSurveyVendor",
    "administrativeClaims",
    "cmsWebInterface",
];
const UPLOAD_METHODS: &[&str] = &["registry", "electronicHealthRecord"];

const SUBMISSION_FIELDS: &[&str] = &[
    "entityType",
    "entityId",
    "taxpayerIdentificationNumber",
    "nationalProviderIdentifier",
    "performanceYear",
    "measurementSets",
    "programName",
];
const READ_ONLY: &[&str] =
    &["id", "createdAt", "updatedAt", "submissionId", "submitterId", "submitterType", "suppressed", "version", "score"];
const SET_FIELDS: &[&str] = &[
    "category",
    "submissionMethod",
    "programName",
    "cehrtId",
    "performanceStart",
    "performanceEnd",
    "measurements",
    "measureSet",
    "practiceId",
    "practiceDetails",
    "source",
];
const MEASUREMENT_FIELDS: &[&str] = &["measureId", "value"];
const SINGLE_FIELDS: &[&str] = &[
    "isEndToEndReported",
    "performanceMet",
    "eligiblePopulation",
    "performanceNotMet",
    "eligiblePopulationExclusion",
    "eligiblePopulationException",
    "numeratorExclusion",
    "performanceRate",
];
const STRATUM_FIELDS: &[&str] = &[
    "stratum",
    "performanceMet",
    "eligiblePopulation",
    "performanceNotMet",
    "eligiblePopulationExclusion",
    "eligiblePopulationException",
    "numeratorExclusion",
    "performanceRate",
];
const NON_PROPORTION_FIELDS: &[&str] = &[
    "numerator",
    "denominator",
    "isEndToEndReported",
    "observationInstances",
    "numeratorExclusion",
    "denominatorException",
];
const PROPORTION_FIELDS: &[&str] = &["numerator", "denominator"];

/// Largest integer a JSON number holds exactly (the Submissions API is JavaScript).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

struct Submission<'r, 's> {
    sink: &'r mut Sink<'s>,
    catalogues: &'r dyn Catalogues,
    /// The path of the submission itself: "" or "[i]".
    path: String,
    index: usize,
    missing_years: &'r mut Vec<u16>,
}

/// What a measurement set's checks need to know about its submission.
struct SetContext<'c> {
    year: Option<u16>,
    catalogue: Option<&'c Index>,
    entity_type: Option<String>,
}

fn join(base: &str, field: &str) -> String {
    if base.is_empty() {
        field.to_owned()
    } else {
        format!("{base}.{field}")
    }
}

/// "Submission.measurementSets[0].measurements[3]" as the Submissions API names places.
fn api_place(path: &str) -> String {
    // Drop our "[i]." submission prefix: the API sees one submission at a time.
    let rest = if path.starts_with('[') { path.split_once('.').map(|(_, r)| r).unwrap_or("") } else { path };
    if rest.is_empty() {
        "Submission".into()
    } else {
        format!("Submission.{rest}")
    }
}

/// A short rendering of a value for messages, as the API quotes it.
fn snippet(node: &Node) -> String {
    let s = match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number { raw, .. } => raw.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!("[…{} items]", items.len()),
        Value::Object(m) => {
            let keys: Vec<String> = m.iter().take(4).filter_map(|(k, _)| k.as_str().map(str::to_owned)).collect();
            format!("{{{}{}}}", keys.join(", "), if m.len() > 4 { ", …" } else { "" })
        }
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// The closest known field name (for "did you mean"): same letters ignoring case, or at most two
/// edits away.
fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (k, if k.to_ascii_lowercase() == lower { 0 } else { edit_distance(&lower, &k.to_ascii_lowercase()) }))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| *k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return 3;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The NPI check digit: Luhn over "80840" + the NPI (the NPI standard; docs §2.5). CMS's own
/// test NPIs often fail it, so this is only ever a warning.
pub fn npi_check_digit_ok(npi: &str) -> bool {
    crate::domain::ids::Npi::parse(npi).is_ok_and(|n| n.has_valid_check_digit())
}

/// A calendar date written exactly `YYYY-MM-DD` (RFC 3339 full-date), as days since 0000-03-01.
pub fn parse_date(s: &str) -> Option<(i64, i64)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r).filter(|d| d.bytes().all(|c| c.is_ascii_digit())).and_then(|d| d.parse::<i64>().ok())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm), enough for ordering and differences.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe, y))
}

/// A CMS EHR Certification ID: `XX15C` + 10, or a year-prefixed `2025C` + 10 (docs §1.3).
pub fn cehrt_id_ok(id: &str) -> bool {
    let b = id.as_bytes();
    let alnum = |s: &[u8]| s.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    b.len() == 15 && alnum(b) && ((&b[2..5] == b"15C") || (b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'C'))
}

fn is_15e(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 15 && &b[2..5] == b"15E"
}

fn looks_like_mvp(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 5 && (b[0] == b'G' || b[0] == b'M') && b[1..].iter().all(u8::is_ascii_digit)
}

impl<'r, 's> Submission<'r, 's> {
    #[allow(clippy::too_many_arguments)]
    fn err(
        &mut self,
        code: &str,
        pos: Pos,
        path: &str,
        measure: Option<&str>,
        message: String,
        api: Option<String>,
        hint: Option<String>,
        evidence: Evidence,
    ) {
        self.sink.emit(Severity::Error, code, pos, path, Some(self.index), measure, message, api, hint, evidence)
    }

    fn warn(
        &mut self,
        code: &str,
        pos: Pos,
        path: &str,
        measure: Option<&str>,
        message: String,
        hint: Option<String>,
        evidence: Evidence,
    ) {
        self.sink.emit(Severity::Warning, code, pos, path, Some(self.index), measure, message, None, hint, evidence)
    }

    /// Flags duplicate, read-only and unknown fields of an object.
    fn fields(&mut self, obj: &[(Node, Node)], path: &str, known: &[&str], measure: Option<&str>) {
        for (i, (k, _)) in obj.iter().enumerate() {
            let Some(name) = k.as_str() else { continue };
            // Known fields are the common case: no allocation for them.
            if known.contains(&name) && !obj[..i].iter().any(|(o, _)| o.as_str() == Some(name)) {
                continue;
            }
            let p = join(path, name);
            if obj[..i].iter().any(|(o, _)| o.as_str() == Some(name)) {
                self.err("DuplicateField", k.pos, &p, measure, format!("The field '{name}' appears twice here. JSON readers keep only the last one, so one of the two values is silently lost."), None, Some(format!("Keep one '{name}'.")), Evidence::Inferred);
            } else if known.contains(&name) {
            } else if READ_ONLY.contains(&name) {
                self.warn(
                    "ReadOnlyField",
                    k.pos,
                    &p,
                    measure,
                    format!("'{name}' is set by CMS, not by the sender; it will be ignored."),
                    Some(format!("Remove '{name}'.")),
                    Evidence::Documented,
                );
            } else {
                let hint = match closest(name, known) {
                    Some(k) => format!("Did you mean '{k}'? Field names are case-sensitive."),
                    None => format!("QPP JSON has no field '{name}' here: remove it."),
                };
                self.warn(
                    "UnknownField",
                    k.pos,
                    &p,
                    measure,
                    format!("'{name}' is not a QPP JSON field here. The Submissions API may refuse or ignore it."),
                    Some(hint),
                    Evidence::Inferred,
                );
            }
        }
    }

    fn missing(&mut self, at: &Node, path: &str, field: &str, measure: Option<&str>, why: &str) {
        let p = join(path, field);
        let api = format!("field '{field}' in {} is missing", api_place(path));
        self.err(
            "MissingField",
            at.pos,
            &p,
            measure,
            format!("'{field}' is missing. {why}"),
            Some(api),
            Some(format!("Add \"{field}\" to this object.")),
            Evidence::Confirmed,
        );
    }

    fn wrong_type(&mut self, node: &Node, path: &str, measure: Option<&str>, expected: &str, hint: Option<String>) {
        let field = path.rsplit('.').next().unwrap_or(path);
        let api = format!(
            "field '{field}' in {} is invalid: {} is not {expected}",
            api_place(path.rsplit_once('.').map(|(b, _)| b).unwrap_or("")),
            snippet(node)
        );
        self.err(
            "WrongType",
            node.pos,
            path,
            measure,
            format!("'{field}' must be {expected}, but it is {} {}.", article(node.kind()), node.kind()),
            Some(api),
            hint,
            Evidence::Documented,
        );
    }

    /// A string field; reports a wrong type. `None` if absent, null or not a string.
    fn string<'n>(&mut self, obj: &'n Node, path: &str, field: &str, measure: Option<&str>) -> Option<(&'n str, Pos)> {
        let v = obj.get(field)?;
        match &v.value {
            Value::String(s) => Some((s, v.pos)),
            Value::Null => None,
            _ => {
                let hint = (v.kind() == "number").then(|| format!("Write it in double quotes: \"{}\".", snippet(v)));
                self.wrong_type(v, &join(path, field), measure, "a string", hint);
                None
            }
        }
    }

    fn check(&mut self, node: &Node, summary: &mut SubmissionSummary) {
        let path = self.path.clone();
        let Value::Object(members) = &node.value else {
            self.err(
                "NotASubmission",
                node.pos,
                &path,
                None,
                format!(
                    "Expected a submission object {{ … }} here, but found {} {}.",
                    article(node.kind()),
                    node.kind()
                ),
                None,
                Some("A QPP JSON file holds one submission object, or an array [ … ] of submission objects.".into()),
                Evidence::Documented,
            );
            return;
        };
        // The Submissions API answers with {"data": {"submission": …}}: a file saved from a
        // response, or a scoring request, wraps the submission. Say so, then check the inside.
        if let Some(inner) =
            node.get("data").and_then(|d| d.get("submission")).filter(|_| node.get("entityType").is_none())
        {
            self.err("WrappedSubmission", node.pos, &path, None, "The submission is wrapped in {\"data\": {\"submission\": …}}, as in an API response. A file holds the submission object itself.".into(), None, Some("Save only the object inside data.submission.".into()), Evidence::Documented);
            self.path = join(&path, "data.submission");
            self.check(inner, summary);
            self.path = path;
            return;
        }
        self.fields(members, &path, SUBMISSION_FIELDS, None);

        // Entity.
        let entity_type = match self.string(node, &path, "entityType", None) {
            Some((et, _)) if EntityType::from_code(et).is_some() => Some(et.to_owned()),
            Some((et, pos)) => {
                let hint = closest(et, &EntityType::ALL.map(EntityType::code))
                    .map(|k| format!("Did you mean \"{k}\"?"))
                    .unwrap_or_else(|| "Use individual, group, virtualGroup, apm or subgroup.".into());
                self.err("InvalidEntityType", pos, &join(&path, "entityType"), None, format!("\"{et}\" is not an entity type. It must be one of individual, group, virtualGroup, apm or subgroup."), Some(format!("field 'entityType' in Submission is invalid: \"{et}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                None
            }
            None => {
                if node.get("entityType").is_none() {
                    self.missing(
                        node,
                        &path,
                        "entityType",
                        None,
                        "Every submission says whom it is for: individual, group, virtualGroup, apm or subgroup.",
                    );
                }
                None
            }
        };
        summary.entity_type = entity_type.as_deref().and_then(EntityType::from_code);
        let et = entity_type.as_deref();

        let tin = self.string(node, &path, "taxpayerIdentificationNumber", None).map(|(s, p)| (s.to_owned(), p));
        match (&tin, et) {
            (Some((t, pos)), _) if !is_digits(t, 9) => {
                let hint = if t.bytes().filter(u8::is_ascii_digit).count() == 9 {
                    "Remove the dashes and spaces: the TIN is 9 digits only.".to_string()
                } else if t.bytes().all(|b| b.is_ascii_digit()) && t.len() < 9 {
                    "Leading zeros count: a TIN is exactly 9 digits, e.g. \"000123456\".".to_string()
                } else {
                    "A TIN is exactly 9 digits, written as a string.".to_string()
                };
                self.err("InvalidTin", *pos, &join(&path, "taxpayerIdentificationNumber"), None, format!("The TIN \"{t}\" is not 9 digits."), Some(format!("field 'taxpayerIdentificationNumber' in Submission is invalid: \"{t}\" must be a 9-digit string")), Some(hint), Evidence::Documented);
            }
            (Some((_, pos)), Some("apm" | "subgroup" | "virtualGroup")) => {
                self.warn(
                    "TinNotUsed",
                    *pos,
                    &join(&path, "taxpayerIdentificationNumber"),
                    None,
                    format!(
                        "A TIN is only read for individual and group submissions; for entity type {} it is ignored.",
                        et.unwrap_or("")
                    ),
                    Some("Identify this entity by entityId.".into()),
                    Evidence::Documented,
                );
            }
            (None, Some("individual" | "group")) if node.get("taxpayerIdentificationNumber").is_none() => {
                self.missing(
                    node,
                    &path,
                    "taxpayerIdentificationNumber",
                    None,
                    "Individual and group submissions are identified by their 9-digit TIN.",
                );
            }
            _ => {}
        }
        summary.taxpayer_identification_number = tin.as_ref().map(|(t, _)| t.clone());

        let npi = self.string(node, &path, "nationalProviderIdentifier", None).map(|(s, p)| (s.to_owned(), p));
        let npi_path = join(&path, "nationalProviderIdentifier");
        match (&npi, et) {
            (Some((n, pos)), Some("group" | "apm" | "subgroup")) => {
                self.err("NpiNotAllowed", *pos, &npi_path, None, format!("An NPI may only be given when entityType is individual; this submission is for a {}.", et.unwrap_or("")), Some("field 'nationalProviderIdentifier' in Submission is invalid: writable only if entityType is individual".into()), Some(format!("Remove the NPI {n}, or set entityType to \"individual\" if this is one clinician's data.")), Evidence::Documented);
            }
            (Some((n, pos)), _) if !is_digits(n, 10) => {
                self.err("InvalidNpi", *pos, &npi_path, None, format!("The NPI \"{n}\" is not 10 digits."), Some(format!("field 'nationalProviderIdentifier' in Submission is invalid: \"{n}\" must be a 10-digit string")), Some("An NPI is exactly 10 digits, written as a string.".into()), Evidence::Documented);
            }
            (Some((n, pos)), _) if !npi_check_digit_ok(n) => {
                self.warn("NpiCheckDigit", *pos, &npi_path, None, format!("The NPI {n} fails the NPI check digit (Luhn with prefix 80840): it is probably mistyped. CMS's test NPIs often fail this check, so it is not an error."), Some("Compare the NPI with NPPES.".into()), Evidence::Inferred);
            }
            (None, Some("individual")) if node.get("nationalProviderIdentifier").is_none() => {
                self.missing(
                    node,
                    &path,
                    "nationalProviderIdentifier",
                    None,
                    "An individual submission is for one clinician, identified by TIN and 10-digit NPI.",
                );
            }
            _ => {}
        }
        summary.national_provider_identifier = npi.as_ref().map(|(n, _)| n.clone());

        let entity_id = self.string(node, &path, "entityId", None).map(|(s, p)| (s.to_owned(), p));
        match (&entity_id, et) {
            (Some((id, pos)), Some("apm" | "virtualGroup" | "subgroup")) if id.trim().is_empty() => {
                self.err(
                    "EntityIdRequired",
                    *pos,
                    &join(&path, "entityId"),
                    None,
                    "entityId is empty.".into(),
                    None,
                    Some("Give the APM Entity, virtual group or subgroup ID.".into()),
                    Evidence::Documented,
                );
            }
            (None, Some(kind @ ("apm" | "virtualGroup" | "subgroup"))) if node.get("entityId").is_none() => {
                let what = match kind {
                    "apm" => "APM Entity ID",
                    "virtualGroup" => "virtual group ID",
                    _ => "subgroup ID",
                };
                self.missing(
                    node,
                    &path,
                    "entityId",
                    None,
                    &format!("A {kind} submission is identified by its {what} in entityId."),
                );
            }
            (Some((_, pos)), Some("individual" | "group")) => {
                self.warn(
                    "EntityIdNotUsed",
                    *pos,
                    &join(&path, "entityId"),
                    None,
                    "entityId is only read for apm, virtualGroup and subgroup submissions; here it is ignored.".into(),
                    Some("Remove entityId.".into()),
                    Evidence::Documented,
                );
            }
            _ => {}
        }
        summary.entity_id = entity_id.as_ref().map(|(e, _)| e.clone());

        // Performance year.
        let year_path = join(&path, "performanceYear");
        let mut year: Option<u16> = None;
        match node.get("performanceYear") {
            None => self.missing(
                node,
                &path,
                "performanceYear",
                None,
                "Say which performance year the data is for, e.g. 2025.",
            ),
            Some(v) => match &v.value {
                Value::Number { value, .. } if value.fract() == 0.0 => {
                    let y = *value as i64;
                    summary.performance_year = Some(y);
                    if !(2017..=2100).contains(&y) {
                        self.err(
                            "InvalidPerformanceYear",
                            v.pos,
                            &year_path,
                            None,
                            format!("{y} is not a QPP performance year (the program began in 2017)."),
                            None,
                            Some("Write the year the data is for, e.g. 2025.".into()),
                            Evidence::Documented,
                        );
                    } else if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                        self.err("PerformanceYearNotSupported", v.pos, &year_path, None, format!("This app checks performance years {FIRST_YEAR}–{LAST_YEAR}; {y} is outside them, so its measures can't be checked."), None, None, Evidence::Application);
                    } else {
                        year = Some(y as u16);
                    }
                }
                Value::String(s) if s.contains("performanceYear") || s.contains('<') => {
                    self.err("PerformanceYearPlaceholder", v.pos, &year_path, None, format!("performanceYear still holds the placeholder \"{s}\" from CMS's example."), Some(format!("field 'performanceYear' in Submission is invalid: \"{s}\" is not a number")), Some("Replace the placeholder with the year as a number, e.g. 2025 (also in performanceStart and performanceEnd).".into()), Evidence::Documented);
                }
                Value::String(s) if s.parse::<i64>().is_ok() => {
                    summary.performance_year = s.parse().ok();
                    self.wrong_type(v, &year_path, None, "a whole number", Some(format!("Write {s} without quotes.")));
                }
                _ => self.wrong_type(
                    v,
                    &year_path,
                    None,
                    "a whole number",
                    Some("Write the year as a number, e.g. 2025.".into()),
                ),
            },
        }
        let catalogue = year.and_then(|y| {
            let c = self.catalogues.get(y);
            if c.is_none() {
                self.missing_years.push(y);
            }
            c
        });

        if let Some(p) = node.get("programName") {
            self.warn("LegacyProgramName", p.pos, &join(&path, "programName"), None, "programName at the top of a submission is a legacy field; the program is read from each measurement set (default mips).".into(), Some("Move programName into each measurement set.".into()), Evidence::Documented);
        }

        // Measurement sets.
        let sets_path = join(&path, "measurementSets");
        let Some(sets_node) = node.get("measurementSets") else {
            self.err(
                "NoMeasurementSets",
                node.pos,
                &sets_path,
                None,
                "The submission has no measurementSets, so it holds no data to submit.".into(),
                Some("At least one measurementSet must be defined to use this functionality".into()),
                Some("Add \"measurementSets\": [ … ] with at least one set.".into()),
                Evidence::Documented,
            );
            return;
        };
        let Some(sets) = sets_node.as_array() else {
            self.wrong_type(sets_node, &sets_path, None, "an array", None);
            return;
        };
        if sets.is_empty() {
            self.err(
                "NoMeasurementSets",
                sets_node.pos,
                &sets_path,
                None,
                "measurementSets is empty, so the submission holds no data to submit.".into(),
                Some("At least one measurementSet must be defined to use this functionality".into()),
                Some("Add at least one measurement set.".into()),
                Evidence::Documented,
            );
        }
        let ctx = SetContext { year, catalogue, entity_type: entity_type.clone() };
        let mut keys: Vec<(String, String, String, usize)> = vec![];
        for (i, set) in sets.iter().enumerate() {
            let sp = format!("{sets_path}[{i}]");
            let summary_set = self.measurement_set(set, &sp, &ctx);
            if let Some(s) = summary_set {
                if let (Some(c), Some(m)) = (&s.category, &s.submission_method) {
                    if let Some((_, _, _, first)) =
                        keys.iter().find(|(kc, km, kp, _)| kc == c && km == m && *kp == s.program_name)
                    {
                        let msg = format!("There is already a {c} / {m} / {} measurement set at measurementSets[{first}]. Each measurement set in a submission is identified by category, submission method and program.", s.program_name);
                        self.err(
                            "DuplicateMeasurementSet",
                            set.pos,
                            &sp,
                            None,
                            msg,
                            Some(format!(
                                "Category/SubmissionMethod/ProgramName {c}/{m}/{} already exists for this submission",
                                s.program_name
                            )),
                            Some("Merge the measurements into one set.".into()),
                            Evidence::Documented,
                        );
                    } else {
                        keys.push((c.clone(), m.clone(), s.program_name.clone(), i));
                    }
                }
                summary.measurement_sets.push(s);
            }
        }
    }

    fn measurement_set(&mut self, set: &Node, sp: &str, ctx: &SetContext) -> Option<SetSummary> {
        let Value::Object(members) = &set.value else {
            self.wrong_type(set, sp, None, "an object", None);
            return None;
        };
        self.fields(members, sp, SET_FIELDS, None);
        let mut summary = SetSummary { program_name: "mips".into(), ..Default::default() };
        let et = ctx.entity_type.as_deref();

        // Category.
        let category = match self.string(set, sp, "category", None) {
            Some(("aci", pos)) => {
                self.err("InvalidCategory", pos, &join(sp, "category"), None, "The category \"aci\" was renamed \"pi\" (Promoting Interoperability) in 2018.".into(), Some("field 'category' in Submission.measurementSets is invalid: \"aci\" is not one of the allowed values".into()), Some("Write \"category\": \"pi\".".into()), Evidence::Documented);
                None
            }
            Some(("cost", pos)) => {
                self.err(
                    "InvalidCategory",
                    pos,
                    &join(sp, "category"),
                    None,
                    "Cost is calculated by CMS from claims; it is not submitted.".into(),
                    None,
                    Some("Remove this measurement set.".into()),
                    Evidence::Documented,
                );
                None
            }
            Some((c, _)) if CATEGORIES.contains(&c) => Some(c.to_owned()),
            Some((c, pos)) => {
                let hint = closest(c, CATEGORIES)
                    .map(|k| format!("Did you mean \"{k}\"?"))
                    .unwrap_or_else(|| "Use quality, pi or ia.".into());
                self.err("InvalidCategory", pos, &join(sp, "category"), None, format!("\"{c}\" is not a category. It must be quality, pi or ia."), Some(format!("field 'category' in Submission.measurementSets is invalid: \"{c}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                None
            }
            None => {
                if set.get("category").is_none() {
                    self.missing(
                        set,
                        sp,
                        "category",
                        None,
                        "Say which performance category the set holds: quality, pi or ia.",
                    );
                }
                None
            }
        };
        summary.category = category.clone();

        // Submission method.
        let method = match self.string(set, sp, "submissionMethod", None) {
            Some((m, pos)) if UPLOAD_METHODS.contains(&m) => {
                let _ = pos;
                Some(m.to_owned())
            }
            Some((m, pos)) if METHODS.contains(&m) => {
                self.err("SubmissionMethodNotAllowed", pos, &join(sp, "submissionMethod"), None, format!("\"{m}\" data is not sent by third parties: a file upload may only use registry or electronicHealthRecord."), Some(format!("'{m}' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods.")), Some("Use \"registry\" (MIPS CQMs, QCDR measures, PI and IA) or \"electronicHealthRecord\" (eCQMs).".into()), Evidence::Confirmed);
                Some(m.to_owned())
            }
            Some((m, pos)) => {
                let hint = closest(m, UPLOAD_METHODS)
                    .map(|k| format!("Did you mean \"{k}\"?"))
                    .unwrap_or_else(|| "Use \"registry\" or \"electronicHealthRecord\".".into());
                self.err("SubmissionMethodNotAllowed", pos, &join(sp, "submissionMethod"), None, format!("\"{m}\" is not a submission method."), Some(format!("'{m}' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods.")), Some(hint), Evidence::Confirmed);
                None
            }
            None => {
                if set.get("submissionMethod").is_none() {
                    self.missing(
                        set,
                        sp,
                        "submissionMethod",
                        None,
                        "Say how the data was collected: registry or electronicHealthRecord.",
                    );
                }
                None
            }
        };
        summary.submission_method = method.clone();

        // Program.
        let mut program_is_mvp = None;
        if let Some((p, pos)) = self.string(set, sp, "programName", None) {
            summary.program_name = p.to_owned();
            let pp = join(sp, "programName");
            if let (Some(y), Some(cat)) = (ctx.year, ctx.catalogue) {
                let known = cat.has_program(p);
                if !known {
                    if p == "cpcPlus" && y >= 2022 {
                        self.err(
                            "ProgramRemoved",
                            pos,
                            &pp,
                            None,
                            "CPC+ ended in 2021: the program cpcPlus can't be submitted for 2022 or later.".into(),
                            None,
                            Some("Use \"mips\" or the APM's program.".into()),
                            Evidence::Documented,
                        );
                    } else if p == "pcf" && y >= 2025 {
                        self.err(
                            "ProgramRemoved",
                            pos,
                            &pp,
                            None,
                            "Primary Care First (pcf) was removed for performance year 2025.".into(),
                            None,
                            Some("Use \"mips\", \"app1\" or \"appPlus\".".into()),
                            Evidence::Documented,
                        );
                    } else if looks_like_mvp(p) {
                        let hint = if y < 2023 {
                            "MVPs began in performance year 2023.".to_string()
                        } else {
                            format!(
                                "The MVPs of {y} are {}.",
                                cat.catalogue.mvps.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ")
                            )
                        };
                        self.err(
                            "UnknownMvp",
                            pos,
                            &pp,
                            None,
                            format!("{p} is not an MVP in performance year {y}."),
                            None,
                            Some(hint),
                            Evidence::Documented,
                        );
                    } else {
                        let names: Vec<&str> =
                            cat.catalogue.programs.iter().map(String::as_str).filter(|p| !looks_like_mvp(p)).collect();
                        let hint = closest(p, &names)
                            .map(|k| format!("Did you mean \"{k}\"? Program names are case-sensitive."))
                            .unwrap_or_else(|| format!("Use one of {} or an MVP ID.", names.join(", ")));
                        self.err("InvalidProgramName", pos, &pp, None, format!("\"{p}\" is not a program for performance year {y}."), Some(format!("field 'programName' in Submission.measurementSets is invalid: \"{p}\" is not one of the allowed values")), Some(hint), Evidence::Documented);
                    }
                } else if looks_like_mvp(p) {
                    program_is_mvp = Some(p.to_owned());
                }
                if p == "app1" && et == Some("virtualGroup") {
                    self.err(
                        "ProgramNotForEntity",
                        pos,
                        &pp,
                        None,
                        "Virtual groups can't report the APM Performance Pathway (app1).".into(),
                        None,
                        Some("Use \"mips\" for a virtual group.".into()),
                        Evidence::Documented,
                    );
                }
            }
        }
        if et == Some("subgroup") && program_is_mvp.is_none() && ctx.catalogue.is_some() {
            let pos = set.get("programName").map(|n| n.pos).unwrap_or(set.pos);
            self.err(
                "ProgramNotForEntity",
                pos,
                &join(sp, "programName"),
                None,
                format!("Subgroups can only report MVPs; this set's program is {}.", summary.program_name),
                None,
                Some("Set programName to the subgroup's registered MVP ID.".into()),
                Evidence::Documented,
            );
        }

        // Promoting Interoperability: who may report it.
        if category.as_deref() == Some("pi") {
            match et {
                Some("apm") => self.err("PiNotAllowedForEntity", set.pos, sp, None, "Promoting Interoperability can't be submitted for an APM Entity: PI is reported by the group or the individual clinicians.".into(), None, Some("Submit this PI set under each participant's TIN (group) or TIN/NPI (individual).".into()), Evidence::Documented),
                Some(kind @ ("virtualGroup" | "subgroup")) => self.warn("PiNotForEntity", set.pos, sp, None, format!("CMS's change log says PI can only be submitted where entityType is group or individual; this is a {kind}. (The measures data lists {kind} for PI, so CMS's rule is unclear.)"), Some("If CMS refuses it, submit PI at the group level.".into()), Evidence::Documented),
                _ => {}
            }
        }

        // CEHRT ID.
        let is_ecqm = category.as_deref() == Some("quality") && method.as_deref() == Some("electronicHealthRecord");
        let needs_cehrt = category.as_deref() == Some("pi") || (is_ecqm && ctx.year.is_some_and(|y| y >= 2025));
        match self.string(set, sp, "cehrtId", None) {
            Some((id, pos)) => {
                let cp = join(sp, "cehrtId");
                if is_15e(id) && ctx.year.is_some_and(|y| y >= 2024) {
                    self.err("InvalidCehrtId", pos, &cp, None, format!("The CEHRT ID {id} is a 2015 Edition (15E) ID; these are not accepted from performance year 2024."), None, Some("Use your current CMS EHR Certification ID (…15C… or 2025C…) from the CHPL.".into()), Evidence::Documented);
                } else if !cehrt_id_ok(id) && !is_15e(id) {
                    let hint = if cehrt_id_ok(&id.trim().to_ascii_uppercase()) {
                        "Write it in capitals without spaces.".to_string()
                    } else {
                        "It has 15 characters: XX15C + 10 letters or digits, or a year such as 2025C + 10.".to_string()
                    };
                    self.err("InvalidCehrtId", pos, &cp, None, format!("\"{id}\" is not a CMS EHR Certification ID. It must look like 2025CXXXXXXXXXX or XX15CXXXXXXXXXX."), Some("CEHRT ID must be in the format 2025CXXXXXXXXXX or XX15CXXXXXXXXXX".into()), Some(hint), Evidence::Documented);
                }
                if category.as_deref() == Some("ia") {
                    self.warn(
                        "CehrtIdNotUsed",
                        pos,
                        &cp,
                        None,
                        "A CEHRT ID is read only for PI and eCQM quality sets; on an IA set it is ignored.".into(),
                        None,
                        Evidence::Documented,
                    );
                }
            }
            None if needs_cehrt && set.get("cehrtId").is_none() => {
                let why = if is_ecqm {
                    "From performance year 2025, eCQM quality sets need the CMS EHR Certification ID."
                } else {
                    "Promoting Interoperability sets need the CMS EHR Certification ID of the certified EHR used."
                };
                self.missing(set, sp, "cehrtId", None, why);
            }
            _ => {}
        }

        // Performance period.
        let mut dates = [None, None];
        for (k, field) in ["performanceStart", "performanceEnd"].into_iter().enumerate() {
            match self.string(set, sp, field, None) {
                Some((d, pos)) => {
                    match parse_date(d) {
                        Some(v) => dates[k] = Some((v, pos)),
                        None => {
                            let hint = if d.len() > 10 && parse_date(&d[..10]).is_some() {
                                format!("Write only the date: \"{}\".", &d[..10])
                            } else {
                                "Write the date as YYYY-MM-DD, e.g. \"2025-01-01\".".to_string()
                            };
                            self.err("InvalidDate", pos, &join(sp, field), None, format!("\"{d}\" is not a date written YYYY-MM-DD."), Some(format!("field '{field}' in {} is invalid: \"{d}\" is not a valid date (RFC 3339 full-date)", api_place(sp))), Some(hint), Evidence::Documented);
                        }
                    }
                }
                None if set.get(field).is_none() => self.missing(
                    set,
                    sp,
                    field,
                    None,
                    "A measurement set needs its performance period's first and last day (YYYY-MM-DD).",
                ),
                None => {}
            }
        }
        if let [Some(((start, sy), spos)), Some(((end, ey), epos))] = dates {
            if start > end {
                self.warn(
                    "PerformancePeriodOrder",
                    epos,
                    &join(sp, "performanceEnd"),
                    None,
                    "The performance period ends before it starts.".into(),
                    Some("Swap performanceStart and performanceEnd, or correct the dates.".into()),
                    Evidence::Inferred,
                );
            }
            if let Some(y) = ctx.year {
                for (yy, pos, field) in [(sy, spos, "performanceStart"), (ey, epos, "performanceEnd")] {
                    if yy != y as i64 {
                        self.warn(
                            "PerformancePeriodOutsideYear",
                            pos,
                            &join(sp, field),
                            None,
                            format!("{field} is in {yy}, outside performance year {y}."),
                            Some(format!("Dates must fall between {y}-01-01 and {y}-12-31.")),
                            Evidence::Inferred,
                        );
                    }
                }
            }
            if start <= end && end - start + 1 < 90 && matches!(category.as_deref(), Some("pi" | "ia")) {
                self.warn("ShortPerformancePeriod", spos, &join(sp, "performanceStart"), None, format!("The performance period is {} days; PI and improvement activities need at least 90 continuous days.", end - start + 1), None, Evidence::Inferred);
            }
        }

        // Removed fields.
        if let (Some(v), Some(y)) = (set.get("measureSet"), ctx.year) {
            if y >= 2025 {
                self.err(
                    "FieldRemoved",
                    v.pos,
                    &join(sp, "measureSet"),
                    None,
                    "measureSet was removed from measurement sets for performance year 2025.".into(),
                    None,
                    Some("Remove measureSet.".into()),
                    Evidence::Documented,
                );
            }
        }
        if let (Some(v), Some(y)) = (set.get("practiceId"), ctx.year) {
            if y >= 2022 {
                self.err(
                    "FieldRemoved",
                    v.pos,
                    &join(sp, "practiceId"),
                    None,
                    "practiceId belonged to CPC+, which ended in 2021.".into(),
                    None,
                    Some("Remove practiceId.".into()),
                    Evidence::Documented,
                );
            }
        }

        // Measurements.
        let mp = join(sp, "measurements");
        let Some(list_node) = set.get("measurements") else {
            self.missing(set, sp, "measurements", None, "A measurement set holds its data in measurements: [ … ].");
            return Some(summary);
        };
        let Some(list) = list_node.as_array() else {
            self.wrong_type(list_node, &mp, None, "an array", None);
            return Some(summary);
        };
        summary.measurements = list.len();
        if list.is_empty() {
            self.warn(
                "NoMeasurements",
                list_node.pos,
                &mp,
                None,
                "This measurement set has no measurements.".into(),
                Some("Add the measures, or remove the set.".into()),
                Evidence::Inferred,
            );
        }
        let mut present: Vec<(String, Pos, String)> = Vec::with_capacity(list.len());
        for (j, m) in list.iter().enumerate() {
            let path = format!("{mp}[{j}]");
            if let Some(id) = self.measurement(
                m,
                &path,
                ctx,
                category.as_deref(),
                method.as_deref(),
                &summary.program_name,
                program_is_mvp.as_deref(),
            ) {
                if let Some((_, _, first)) = present.iter().find(|(p, _, _)| *p == id) {
                    let first = first.clone();
                    let pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
                    self.err("DuplicateMeasure", pos, &join(&path, "measureId"), Some(&id), format!("Measure {id} is already in this measurement set at {first}. A measure may appear once per set."), None, Some("Keep one entry per measure.".into()), Evidence::Documented);
                } else {
                    let pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
                    present.push((id, pos, path));
                }
            }
        }

        // PI exclusions and substitutes, and required PI measures.
        if let (Some("pi"), Some(cat)) = (category.as_deref(), ctx.catalogue) {
            let has = |id: &str| present.iter().any(|(p, _, _)| p == id);
            let mut reported: Vec<(String, String)> = vec![];
            for (id, pos, path) in &present {
                let Some(measure) = cat.measure(id) else { continue };
                for (list, code, what) in [
                    (&measure.exclusion, "PiExclusionConflict", "is an exclusion for"),
                    (&measure.substitutes, "PiSubstituteConflict", "substitutes for"),
                ] {
                    for other in list.iter().filter(|o| has(o)) {
                        let pair = if id < other { (id.clone(), other.clone()) } else { (other.clone(), id.clone()) };
                        if reported.contains(&pair) {
                            continue;
                        }
                        reported.push(pair);
                        let msg = if code == "PiExclusionConflict" {
                            format!("{other} {what} {id}: the two can't be in the same measurement set.")
                        } else {
                            format!("{other} {what} {id}: report one or the other, not both.")
                        };
                        self.err(
                            code,
                            *pos,
                            &join(path, "measureId"),
                            Some(id),
                            msg,
                            None,
                            Some(format!("Remove {id} or {other}.")),
                            Evidence::Documented,
                        );
                    }
                }
            }
            let missing_ids: Vec<&str> = cat
                .catalogue
                .measures
                .iter()
                .filter(|m| m.category == "pi" && m.required && !has(&m.id))
                // `_PRE`/`_PROD` are the engagement-level variants of a public-health measure:
                // reporting the variant covers the measure, and the variants aren't required
                // on their own.
                .filter(|m| !m.id.ends_with("_PRE") && !m.id.ends_with("_PROD"))
                .filter(|m| !present.iter().any(|(p, _, _)| p.starts_with(&format!("{}_", m.id))))
                .filter(|m| m.programs.as_ref().is_none_or(|p| p.iter().any(|p| *p == summary.program_name)))
                .filter(|m| !m.exclusion.iter().chain(m.substitutes.iter()).any(|o| has(o)))
                .filter(|m| !cat.catalogue.measures.iter().any(|o| o.substitutes.contains(&m.id) && has(&o.id)))
                .map(|m| m.id.as_str())
                .collect();
            // A measure and its substitutes are one requirement: "PI_HIE_1 (or PI_HIE_4, …)".
            let mut missing: Vec<String> = vec![];
            let mut mentioned: Vec<&str> = vec![];
            for id in &missing_ids {
                if mentioned.contains(id) {
                    continue;
                }
                let subs: Vec<&str> =
                    cat.measure(id).map(|m| m.substitutes.iter().map(String::as_str).collect()).unwrap_or_default();
                mentioned.push(id);
                mentioned.extend(subs.iter().copied());
                missing.push(if subs.is_empty() { id.to_string() } else { format!("{id} (or {})", subs.join(", ")) });
            }
            if !missing.is_empty() && !present.is_empty() {
                self.warn("RequiredPiMeasureMissing", list_node.pos, &mp, None, format!("Required Promoting Interoperability measures are missing: {}. Without them (or their exclusion) the PI category scores zero.", missing.join(", ")), Some("Report each required measure, its exclusion, or its substitute.".into()), Evidence::Inferred);
            }
        }
        Some(summary)
    }

    /// Checks one measurement; returns its measure ID if it has one.
    #[allow(clippy::too_many_arguments)]
    fn measurement(
        &mut self,
        m: &Node,
        path: &str,
        ctx: &SetContext,
        category: Option<&str>,
        method: Option<&str>,
        program: &str,
        mvp: Option<&str>,
    ) -> Option<String> {
        let Value::Object(members) = &m.value else {
            self.wrong_type(m, path, None, "an object", None);
            return None;
        };
        let id = match self.string(m, path, "measureId", None) {
            Some((id, _)) => id.to_owned(),
            None => {
                if m.get("measureId").is_none() {
                    self.missing(m, path, "measureId", None, "Each measurement names its measure.");
                }
                return None;
            }
        };
        let mid = Some(id.as_str());
        self.fields(members, path, MEASUREMENT_FIELDS, mid);
        let id_pos = m.get("measureId").map(|n| n.pos).unwrap_or(m.pos);
        let value = m.get("value");
        if value.is_none() {
            self.missing(m, path, "value", mid, "Each measurement carries its data in value.");
        }
        let (Some(cat), Some(year)) = (ctx.catalogue, ctx.year) else { return Some(id) };
        let Some(measure) = cat.measure(&id) else {
            let hint = match cat.suggestion(&id) {
                Some(s) => format!("Did you mean {s}? Measure IDs are exact, including case and leading zeros."),
                None => format!("Check the measure ID against CMS's measures list for {year}."),
            };
            self.err(
                "UnknownMeasure",
                id_pos,
                &join(path, "measureId"),
                mid,
                format!("{id} is not a measure in performance year {year}."),
                Some("invalid measureId, see mips-data-format for list of valid measureIds.".into()),
                Some(hint),
                Evidence::Confirmed,
            );
            return Some(id);
        };
        if let Some(c) = category {
            if measure.category != c {
                self.err(
                    "MeasureCategoryMismatch",
                    id_pos,
                    &join(path, "measureId"),
                    mid,
                    format!(
                        "Measure {id} belongs to the {} category, but this measurement set is {c}.",
                        category_name(&measure.category)
                    ),
                    None,
                    Some(format!("Move {id} into a \"{}\" measurement set.", measure.category)),
                    Evidence::Inferred,
                );
                return Some(id);
            }
        }
        if let Some(me) = method {
            if !measure.methods.is_empty() && !measure.methods.iter().any(|x| x == me) {
                self.warn(
                    "MeasureMethodNotAllowed",
                    id_pos,
                    &join(path, "measureId"),
                    mid,
                    format!(
                        "Measure {id} can't be reported by {me} in {year}; CMS lists it for {}.",
                        measure.methods.join(", ")
                    ),
                    Some("Move it to a set with one of those submission methods.".into()),
                    Evidence::Inferred,
                );
            }
        }
        if let Some(programs) = &measure.programs {
            if !programs.iter().any(|p| p == program) && cat.has_program(program) {
                self.err(
                    "MeasureProgramNotAllowed",
                    id_pos,
                    &join(path, "measureId"),
                    mid,
                    format!("Measure {id} can't be submitted to the {program} program in {year}."),
                    Some(format!("measure ID {id} is not allowed to be submitted to the {program} program.  Please remove the invalid measure from the measurement set.")),
                    Some("Remove the measure from this set.".into()),
                    Evidence::Confirmed,
                );
            }
        }
        if let Some(mvp_id) = mvp {
            if let Some(def) = cat.mvp(mvp_id) {
                if !def.measures.iter().any(|x| *x == id) && measure.category != "pi" {
                    self.warn(
                        "MeasureNotInMvp",
                        id_pos,
                        &join(path, "measureId"),
                        mid,
                        format!("Measure {id} is not part of MVP {mvp_id}."),
                        Some("Report it under \"mips\", or choose the MVP's measures.".into()),
                        Evidence::Inferred,
                    );
                }
            }
            if let (Some(types), Some(et)) = (&measure.registration_types, ctx.entity_type.as_deref()) {
                if et != "virtualGroup" && !types.iter().any(|t| t == et) {
                    self.warn(
                        "RegistrationTypeNotAllowed",
                        id_pos,
                        &join(path, "measureId"),
                        mid,
                        format!("Measure {id} is not available to a {et} registered for an MVP."),
                        None,
                        Evidence::Inferred,
                    );
                }
            }
        }
        if let Some(v) = value {
            self.value(v, &join(path, "value"), path, measure, method);
        }
        Some(id)
    }

    /// The value's shape is decided by the measure's metricType (docs §1.4).
    fn value(&mut self, v: &Node, vp: &str, mpath: &str, measure: &Measure, method: Option<&str>) {
        let id = measure.id.as_str();
        let mid = Some(id);
        let shape_error = |s: &mut Self, expected: &str| {
            let api = format!(
                "field 'value' in {} is invalid: {} is invalid for measureId {id}",
                api_place(mpath),
                snippet(v)
            );
            s.err(
                "InvalidValue",
                v.pos,
                vp,
                mid,
                format!("Measure {id} takes {expected}, but the value is {} {}.", article(v.kind()), v.kind()),
                Some(api),
                Some(value_hint(&measure.metric_type).into()),
                Evidence::Confirmed,
            );
        };
        match measure.metric_type.as_str() {
            "boolean" => {
                if !matches!(v.value, Value::Bool(_)) {
                    shape_error(self, "true or false");
                }
            }
            "proportion" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "a numerator and a denominator");
                };
                self.fields(members, vp, PROPORTION_FIELDS, mid);
                let n = self.count(v, vp, "numerator", true, mid);
                let d = self.count(v, vp, "denominator", true, mid);
                if let (Some(n), Some(d)) = (n, d) {
                    if n > d {
                        let pos = v.get("numerator").map(|x| x.pos).unwrap_or(v.pos);
                        let msg = if d == 0.0 {
                            format!("The denominator is 0, so the numerator must be 0 too (it is {n}).")
                        } else {
                            format!("The numerator ({n}) is larger than the denominator ({d}).")
                        };
                        self.err(
                            "NumeratorExceedsDenominator",
                            pos,
                            &join(vp, "numerator"),
                            mid,
                            msg,
                            None,
                            Some("The numerator counts a subset of the denominator.".into()),
                            Evidence::Documented,
                        );
                    }
                }
            }
            "singlePerformanceRate" | "registrySinglePerformanceRate" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "an object with performanceMet and eligiblePopulation");
                };
                if v.get("strata").is_some() {
                    return shape_error(self, "one performance rate (performanceMet, eligiblePopulation…), not strata");
                }
                self.fields(members, vp, SINGLE_FIELDS, mid);
                self.boolean(v, vp, "isEndToEndReported", mpath, mid);
                self.rate_counts(v, vp, mpath, measure, method);
            }
            "multiPerformanceRate" | "registryMultiPerformanceRate" => {
                let Value::Object(members) = &v.value else { return shape_error(self, "an object with strata") };
                if v.get("strata").is_none() && v.get("performanceMet").is_some() {
                    return shape_error(self, "several performance rates (strata), not one");
                }
                self.fields(members, vp, &["isEndToEndReported", "strata"], mid);
                self.boolean(v, vp, "isEndToEndReported", mpath, mid);
                let Some(strata_node) = v.get("strata") else {
                    self.missing(
                        v,
                        vp,
                        "strata",
                        mid,
                        &format!("Measure {id} is reported per stratum: {}.", measure.strata.join(", ")),
                    );
                    return;
                };
                let Some(strata) = strata_node.as_array() else {
                    self.wrong_type(strata_node, &join(vp, "strata"), mid, "an array", None);
                    return;
                };
                let qcdr = measure.metric_type == "registryMultiPerformanceRate";
                let mut names: Vec<String> = vec![];
                for (k, s) in strata.iter().enumerate() {
                    let sp = format!("{vp}.strata[{k}]");
                    let Value::Object(members) = &s.value else {
                        self.wrong_type(s, &sp, mid, "an object", None);
                        continue;
                    };
                    self.fields(members, &sp, STRATUM_FIELDS, mid);
                    match self.string(s, &sp, "stratum", mid) {
                        Some((name, pos)) => {
                            let np = join(&sp, "stratum");
                            if names.iter().any(|n| n == name) {
                                self.err(
                                    "DuplicateStratum",
                                    pos,
                                    &np,
                                    mid,
                                    format!("Stratum \"{name}\" of measure {id} appears twice."),
                                    None,
                                    Some("Report each stratum once.".into()),
                                    Evidence::Documented,
                                );
                            } else if !measure.strata.is_empty() && !measure.strata.iter().any(|n| n == name) {
                                if let Some(real) = measure.strata.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                                    self.warn("StratumNameCase", pos, &np, mid, format!("Stratum \"{name}\" of measure {id} is written \"{real}\" in CMS's measures data; whether CMS matches names case-sensitively is not known."), Some(format!("Write \"{real}\".")), Evidence::Inferred);
                                    names.push(real.clone());
                                } else {
                                    self.err(
                                        "InvalidStratum",
                                        pos,
                                        &np,
                                        mid,
                                        format!("\"{name}\" is not a stratum of measure {id}."),
                                        None,
                                        Some(format!("Measure {id}'s strata are: {}.", measure.strata.join(", "))),
                                        Evidence::Documented,
                                    );
                                }
                            } else {
                                names.push(name.to_owned());
                            }
                        }
                        None if s.get("stratum").is_none() => self.missing(
                            s,
                            &sp,
                            "stratum",
                            mid,
                            &format!(
                                "Each stratum names which of measure {id}'s strata it is: {}.",
                                measure.strata.join(", ")
                            ),
                        ),
                        None => {}
                    }
                    self.rate_counts(s, &sp, &sp, measure, method);
                }
                let absent: Vec<&str> =
                    measure.strata.iter().filter(|n| !names.contains(n)).map(String::as_str).collect();
                if !absent.is_empty() && !strata.is_empty() {
                    let msg =
                        format!("Measure {id} has {} strata; missing: {}.", measure.strata.len(), absent.join(", "));
                    let hint = Some("Report every stratum (use 0 counts for an empty one).".to_string());
                    if qcdr {
                        self.err(
                            "MissingStrata",
                            strata_node.pos,
                            &join(vp, "strata"),
                            mid,
                            msg,
                            None,
                            hint,
                            Evidence::Documented,
                        );
                    } else {
                        self.warn(
                            "MissingStrata",
                            strata_node.pos,
                            &join(vp, "strata"),
                            mid,
                            msg,
                            hint,
                            Evidence::Inferred,
                        );
                    }
                }
            }
            "nonProportion" => {
                let Value::Object(members) = &v.value else {
                    return shape_error(self, "numerator, denominator, isEndToEndReported and observationInstances");
                };
                self.fields(members, vp, NON_PROPORTION_FIELDS, mid);
                for f in ["numerator", "denominator"] {
                    self.number(v, vp, f, true, mid);
                }
                self.boolean(v, vp, "isEndToEndReported", mpath, mid);
                self.count(v, vp, "observationInstances", true, mid);
                for f in ["numeratorExclusion", "denominatorException"] {
                    self.number(v, vp, f, false, mid);
                }
            }
            other => {
                self.err("MeasureNotSubmittable", v.pos, vp, mid, format!("Measure {id} ({other}) is calculated by CMS or a survey vendor; third parties can't submit it."), None, Some(format!("Remove measure {id}.")), Evidence::Documented);
            }
        }
    }

    fn boolean(&mut self, obj: &Node, path: &str, field: &str, mpath: &str, mid: Option<&str>) {
        match obj.get(field) {
            None => {
                let api = format!("field '{field}' in {} is missing", api_place(mpath));
                self.err("MissingField", obj.pos, &join(path, field), mid, format!("'{field}' is missing: say whether the data came straight from the EHR to the submission without manual steps (true or false)."), Some(api), Some(format!("Add \"{field}\": true or false.")), Evidence::Confirmed);
            }
            Some(v) if !matches!(v.value, Value::Bool(_)) => {
                self.wrong_type(v, &join(path, field), mid, "true or false", None)
            }
            _ => {}
        }
    }

    /// A number field (any finite value). Returns it.
    fn number(&mut self, obj: &Node, path: &str, field: &str, required: bool, mid: Option<&str>) -> Option<f64> {
        match obj.get(field) {
            None => {
                if required {
                    self.missing(obj, path, field, mid, "");
                }
                None
            }
            Some(v) => match &v.value {
                Value::Number { value, .. } => Some(*value),
                Value::Null if !required => None,
                _ => {
                    let hint =
                        matches!(v.value, Value::String(_)).then(|| "Write the number without quotes.".to_string());
                    self.wrong_type(v, &join(path, field), mid, "a number", hint);
                    None
                }
            },
        }
    }

    /// A count: a whole number ≥ 0 (`100.0` counts as whole: the API is JavaScript).
    fn count(&mut self, obj: &Node, path: &str, field: &str, required: bool, mid: Option<&str>) -> Option<f64> {
        let n = self.number(obj, path, field, required, mid)?;
        if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) {
            return Some(n);
        }
        let v = obj.get(field).expect("number() found it");
        let p = join(path, field);
        if n.fract() != 0.0 {
            self.err(
                "NotAWholeNumber",
                v.pos,
                &p,
                mid,
                format!("'{field}' is {}, but it counts patients or cases, so it must be a whole number.", snippet(v)),
                Some(format!("field '{field}' in {} is invalid: {} is not an integer", api_place(path), snippet(v))),
                None,
                Evidence::Documented,
            );
            None
        } else if n < 0.0 {
            self.err(
                "NegativeCount",
                v.pos,
                &p,
                mid,
                format!("'{field}' is {}; a count can't be negative.", snippet(v)),
                Some(format!(
                    "field '{field}' in {} is invalid: {} must be greater than or equal to 0",
                    api_place(path),
                    snippet(v)
                )),
                None,
                Evidence::Documented,
            );
            None
        } else if n > MAX_SAFE_INTEGER {
            self.err(
                "NumberOutOfRange",
                v.pos,
                &p,
                mid,
                format!("'{field}' is {}, too large to be a count.", snippet(v)),
                None,
                None,
                Evidence::Documented,
            );
            None
        } else {
            Some(n)
        }
    }

    /// The counts of one performance rate (a single-rate value or one stratum), and their
    /// arithmetic.
    fn rate_counts(&mut self, v: &Node, vp: &str, place: &str, measure: &Measure, method: Option<&str>) {
        let mid = Some(measure.id.as_str());
        let met = self.count(v, vp, "performanceMet", true, mid);
        let ep = self.count(v, vp, "eligiblePopulation", true, mid);
        let not_met = self.count(v, vp, "performanceNotMet", false, mid);
        let excl = self.count(v, vp, "eligiblePopulationExclusion", false, mid);
        let exc = self.count(v, vp, "eligiblePopulationException", false, mid);
        if measure.metric_type.starts_with("registry") {
            self.count(v, vp, "numeratorExclusion", false, mid);
            match self.number(v, vp, "performanceRate", true, mid) {
                Some(r) if !(0.0..=100.0).contains(&r) => {
                    let n = v.get("performanceRate").expect("found");
                    self.err(
                        "PerformanceRateOutOfRange",
                        n.pos,
                        &join(vp, "performanceRate"),
                        mid,
                        format!("performanceRate is {}; it is a percentage from 0 to 100.", snippet(n)),
                        None,
                        Some("Write e.g. 87.5 for 87.5%, not 0.875 or a negative number.".into()),
                        Evidence::Documented,
                    );
                }
                _ => {}
            }
        }
        let (Some(met), Some(ep)) = (met, ep) else { return };
        if met > ep {
            let pos = v.get("performanceMet").map(|n| n.pos).unwrap_or(v.pos);
            self.err(
                "PerformanceMetExceedsEligiblePopulation",
                pos,
                &join(vp, "performanceMet"),
                mid,
                format!("performanceMet ({met}) is larger than eligiblePopulation ({ep})."),
                Some(format!(
                    "field 'performanceMet' in {} is invalid: must be less than or equal to eligiblePopulation",
                    api_place(place)
                )),
                Some("performanceMet counts patients of the eligible population who met the measure.".into()),
                Evidence::Documented,
            );
        } else if met + not_met.unwrap_or(0.0) + excl.unwrap_or(0.0) + exc.unwrap_or(0.0) > ep {
            let sum = met + not_met.unwrap_or(0.0) + excl.unwrap_or(0.0) + exc.unwrap_or(0.0);
            let api = format!("fields 'performanceNotMet, eligiblePopulationException, eligiblePopulationExclusion, eligiblePopulation' in {} are invalid: The sum of performanceMet, performanceNotMet, eligiblePopulationException and eligiblePopulationExclusion must not exceed eligiblePopulation", api_place(place));
            self.err("SumExceedsEligiblePopulation", v.pos, vp, mid, format!("performanceMet + performanceNotMet + eligiblePopulationException + eligiblePopulationExclusion is {sum}, more than eligiblePopulation ({ep})."), Some(api), Some("Each patient of the eligible population is counted in at most one of the four.".into()), Evidence::Confirmed);
        }
        let is_cqm = method == Some("registry") && measure.category == "quality" && !measure.qcdr;
        if is_cqm && excl.is_some_and(|e| e != 0.0) {
            let pos = v.get("eligiblePopulationExclusion").map(|n| n.pos).unwrap_or(v.pos);
            self.err("CqmExclusionNotZero", pos, &join(vp, "eligiblePopulationExclusion"), mid, format!("For MIPS CQM {} eligiblePopulationExclusion must be 0 or null: CQM denominator exclusions are taken out of eligiblePopulation before it is reported.", measure.id), None, Some("Subtract the excluded patients from eligiblePopulation and set eligiblePopulationExclusion to 0.".into()), Evidence::Documented);
        }
        if method == Some("electronicHealthRecord") {
            if let Some(nm) = not_met {
                let expected = ep - met - excl.unwrap_or(0.0) - exc.unwrap_or(0.0);
                if expected >= 0.0 && nm != expected {
                    let pos = v.get("performanceNotMet").map(|n| n.pos).unwrap_or(v.pos);
                    self.warn("PerformanceNotMetMismatch", pos, &join(vp, "performanceNotMet"), mid, format!("performanceNotMet is {nm}, but eligiblePopulation − performanceMet − exclusions − exceptions is {expected}."), Some("CMS's conversion tool computes performanceNotMet that way for eCQMs.".into()), Evidence::Inferred);
                }
            }
        }
    }
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn category_name(c: &str) -> &str {
    match c {
        "ia" => "Improvement Activities (ia)",
        "pi" => "Promoting Interoperability (pi)",
        "quality" => "Quality (quality)",
        "cost" => "Cost (cost)",
        other => other,
    }
}

fn value_hint(metric: &str) -> &'static str {
    match metric {
        "boolean" => "Write \"value\": true (or false).",
        "proportion" => "Write \"value\": { \"numerator\": 40, \"denominator\": 50 }.",
        "singlePerformanceRate" => "Write \"value\": { \"isEndToEndReported\": false, \"performanceMet\": 40, \"eligiblePopulation\": 50, … }.",
        "registrySinglePerformanceRate" => "Write \"value\": { \"isEndToEndReported\": false, \"performanceMet\": 40, \"eligiblePopulation\": 50, \"performanceRate\": 80, … }.",
        "multiPerformanceRate" | "registryMultiPerformanceRate" => "Write \"value\": { \"isEndToEndReported\": false, \"strata\": [ { \"stratum\": \"…\", \"performanceMet\": …, \"eligiblePopulation\": … }, … ] }.",
        "nonProportion" => "Write \"value\": { \"numerator\": …, \"denominator\": …, \"isEndToEndReported\": false, \"observationInstances\": … }.",
        _ => "See CMS's measurement formats.",
    }
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
