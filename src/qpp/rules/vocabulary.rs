//! The names QPP JSON knows (fields, categories, methods) and the small checks of values
//! (TIN/NPI digits, dates, CEHRT IDs) the rules share.

use super::super::json::{Node, Value};

// The vocabulary reads best as a table, one list to a line or two.
/// The performance categories a QPP JSON measurement set may hold.
pub(super) const CATEGORIES: &[&str] = &["quality", "pi", "ia"];
#[rustfmt::skip]
pub(super) const METHODS: &[&str] =
    &["registry", "electronicHealthRecord", "claims", "certifiedSurveyVendor", "administrativeClaims", "cmsWebInterface"];
pub(super) const UPLOAD_METHODS: &[&str] = &["registry", "electronicHealthRecord"];

/// The fields each level knows, as lists of names (a level may share a list with another).
pub(super) type Known = &'static [&'static [&'static str]];

#[rustfmt::skip]
pub(super) const SUBMISSION_FIELDS: Known = &[&[
    "entityType", "entityId", "taxpayerIdentificationNumber", "nationalProviderIdentifier", "performanceYear",
    "measurementSets", "programName",
]];
#[rustfmt::skip]
pub(super) const READ_ONLY: &[&str] =
    &["id", "createdAt", "updatedAt", "submissionId", "submitterId", "submitterType", "suppressed", "version", "score"];
#[rustfmt::skip]
pub(super) const SET_FIELDS: Known = &[&[
    "category", "submissionMethod", "programName", "cehrtId", "performanceStart", "performanceEnd", "measurements",
    "measureSet", "practiceId", "practiceDetails", "source",
]];
pub(super) const MEASUREMENT_FIELDS: Known = &[&["measureId", "value"]];
/// The counts of one performance rate, whether the measure has one rate or strata.
#[rustfmt::skip]
const RATE_FIELDS: &[&str] = &[
    "performanceMet", "eligiblePopulation", "performanceNotMet", "eligiblePopulationExclusion",
    "eligiblePopulationException", "numeratorExclusion", "performanceRate",
];
pub(super) const SINGLE_FIELDS: Known = &[&["isEndToEndReported"], RATE_FIELDS];
pub(super) const STRATUM_FIELDS: Known = &[&["stratum"], RATE_FIELDS];
#[rustfmt::skip]
pub(super) const NON_PROPORTION_FIELDS: Known =
    &[&["numerator", "denominator", "isEndToEndReported", "observationInstances", "numeratorExclusion", "denominatorException"]];
pub(super) const PROPORTION_FIELDS: Known = &[&["numerator", "denominator"]];

/// Why a required field is needed, as the message for a missing one says.
pub(super) fn required_because(field: &str) -> &'static str {
    match field {
        "entityType" => "Every submission says whom it is for: individual, group, virtualGroup, apm or subgroup.",
        "category" => "Say which performance category the set holds: quality, pi or ia.",
        "submissionMethod" => "Say how the data was collected: registry or electronicHealthRecord.",
        _ => "",
    }
}

/// "Did you mean …?" for the closest allowed value, else `otherwise`.
pub(super) fn did_you_mean(value: &str, allowed: &[&str], otherwise: &str) -> String {
    closest(value, allowed).map(|k| format!("Did you mean \"{k}\"?")).unwrap_or_else(|| otherwise.into())
}

/// Largest integer a JSON number holds exactly (the Submissions API is JavaScript).
pub(super) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

pub(super) fn join(base: &str, field: &str) -> String {
    if base.is_empty() {
        field.to_owned()
    } else {
        format!("{base}.{field}")
    }
}

/// "Submission.measurementSets[0].measurements[3]" as the Submissions API names places.
pub(super) fn api_place(path: &str) -> String {
    // Drop our "[i]." submission prefix: the API sees one submission at a time.
    let rest = if path.starts_with('[') { path.split_once('.').map(|(_, r)| r).unwrap_or("") } else { path };
    if rest.is_empty() {
        "Submission".into()
    } else {
        format!("Submission.{rest}")
    }
}

/// A short rendering of a value for messages, as the API quotes it.
pub(super) fn snippet(node: &Node) -> String {
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
pub(super) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    closest_in(name, known.iter().copied())
}

/// `closest` among several lists.
pub(super) fn closest_in<'k>(name: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let lower = name.to_ascii_lowercase();
    known
        .map(|k| (k, if k.to_ascii_lowercase() == lower { 0 } else { edit_distance(&lower, &k.to_ascii_lowercase()) }))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
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

pub(super) fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The NPI check digit: Luhn over "80840" + the NPI (the NPI standard, 45 CFR 162.406). CMS's own
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

/// A CMS EHR Certification ID: `XX15C` + 10, or a year-prefixed `2025C` + 10 (the CHPL's CMS EHR Certification ID).
pub fn cehrt_id_ok(id: &str) -> bool {
    let b = id.as_bytes();
    let alnum = |s: &[u8]| s.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    b.len() == 15 && alnum(b) && ((&b[2..5] == b"15C") || (b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'C'))
}

pub(super) fn is_15e(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 15 && &b[2..5] == b"15E"
}

pub(super) fn looks_like_mvp(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 5 && (b[0] == b'G' || b[0] == b'M') && b[1..].iter().all(u8::is_ascii_digit)
}

pub(super) fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub(super) fn value_hint(metric: &str) -> &'static str {
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
