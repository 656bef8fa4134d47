//! The base submission and how the tests change it.

pub use crate::qpp::rules::{validate, Diagnostic, Evidence, Report, Severity};
pub use serde_json::{json, Value};

pub fn check_bytes(bytes: &[u8]) -> Report {
    validate(bytes, &crate::qpp::embedded::year, &mut |_| {})
}

pub fn check(v: &Value) -> Report {
    check_bytes(serde_json::to_string_pretty(v).unwrap().as_bytes())
}

/// A complete, valid PY2025 group submission: MIPS CQM, QCDR and eCQM quality, PI and IA.
pub fn base() -> Value {
    json!({
        "entityType": "group",
        "taxpayerIdentificationNumber": "000456789",
        "performanceYear": 2025,
        "measurementSets": [
            {
                "category": "quality",
                "submissionMethod": "registry",
                "performanceStart": "2025-01-01",
                "performanceEnd": "2025-12-31",
                "measurements": [
                    { "measureId": "001", "value": { "isEndToEndReported": false, "performanceMet": 40, "performanceNotMet": 50, "eligiblePopulation": 100, "eligiblePopulationExclusion": 0, "eligiblePopulationException": 10 } },
                    { "measureId": "AAD6", "value": { "isEndToEndReported": false, "performanceMet": 30, "eligiblePopulation": 40, "performanceNotMet": 10, "performanceRate": 75 } },
                    { "measureId": "AAD16", "value": { "isEndToEndReported": false, "strata": [
                        { "stratum": "resection", "performanceMet": 5, "eligiblePopulation": 10, "performanceRate": 50 },
                        { "stratum": "reconstruction", "performanceMet": 6, "eligiblePopulation": 10, "performanceRate": 60 },
                        { "stratum": "overall", "performanceMet": 11, "eligiblePopulation": 20, "performanceRate": 55 }
                    ] } },
                    { "measureId": "483", "value": { "numerator": 2.5, "denominator": 10, "isEndToEndReported": false, "observationInstances": 12 } }
                ]
            },
            {
                "category": "quality",
                "submissionMethod": "electronicHealthRecord",
                "cehrtId": "0015CABCDEFGHIJ",
                "performanceStart": "2025-01-01",
                "performanceEnd": "2025-12-31",
                "measurements": [
                    { "measureId": "238", "value": { "isEndToEndReported": true, "strata": [
                        { "stratum": "overall", "performanceMet": 5, "eligiblePopulation": 50, "performanceNotMet": 45 },
                        { "stratum": "appropriateDiagnosis", "performanceMet": 3, "eligiblePopulation": 50, "performanceNotMet": 45, "eligiblePopulationExclusion": 2 },
                        { "stratum": "totalRate", "performanceMet": 8, "eligiblePopulation": 50, "performanceNotMet": 42 }
                    ] } },
                    { "measureId": "305", "value": { "isEndToEndReported": true, "strata": [
                        { "stratum": "14Days", "performanceMet": 47, "eligiblePopulation": 60, "performanceNotMet": 13 },
                        { "stratum": "34Days", "performanceMet": 121, "eligiblePopulation": 147, "performanceNotMet": 26 }
                    ] } }
                ]
            },
            {
                "category": "pi",
                "submissionMethod": "registry",
                "cehrtId": "2025CABCDEFGHIJ",
                "performanceStart": "2025-01-01",
                "performanceEnd": "2025-03-31",
                "measurements": [
                    { "measureId": "PI_EP_1", "value": { "numerator": 100.0, "denominator": 120 } },
                    { "measureId": "PI_EP_2", "value": true },
                    { "measureId": "PI_HIE_5", "value": true },
                    { "measureId": "PI_INFBLO_1", "value": true },
                    { "measureId": "PI_ONCDIR_1", "value": true },
                    { "measureId": "PI_PEA_1", "value": { "numerator": 0, "denominator": 0 } },
                    { "measureId": "PI_PHCDRR_1", "value": true },
                    { "measureId": "PI_PHCDRR_3", "value": true },
                    { "measureId": "PI_PPHI_1", "value": true },
                    { "measureId": "PI_PPHI_2", "value": true }
                ]
            },
            {
                "category": "ia",
                "submissionMethod": "registry",
                "performanceStart": "2025-01-01",
                "performanceEnd": "2025-12-31",
                "measurements": [
                    { "measureId": "IA_AHE_1", "value": true },
                    { "measureId": "IA_BE_4", "value": false }
                ]
            }
        ]
    })
}

pub fn codes(r: &Report) -> Vec<(String, String, Severity)> {
    r.diagnostics.iter().map(|d| (d.code.clone(), d.path.clone(), d.severity)).collect()
}

/// Applies `change` to the base and asserts exactly one finding: `code` at `path`.
#[track_caller]
pub fn fails(change: impl FnOnce(&mut Value), code: &str, path: &str, severity: Severity) -> Diagnostic {
    let mut v = base();
    change(&mut v);
    let r = check(&v);
    let found = codes(&r);
    assert!(
        found.iter().any(|(c, p, s)| c == code && p == path && *s == severity),
        "expected {code} at {path} ({severity:?}), got {found:#?}"
    );
    let d = r.diagnostics.iter().find(|d| d.code == code && d.path == path).unwrap().clone();
    assert!(!d.message.is_empty() && d.line > 0 && d.column > 0);
    d
}

/// Sets the submission's top-level fields to the patch's values; a null removes the field.
pub fn patch(v: &mut Value, patch: Value) {
    let fields = v.as_object_mut().expect("a submission object");
    for (k, value) in patch.as_object().expect("a patch object") {
        if value.is_null() {
            fields.remove(k);
        } else {
            fields.insert(k.clone(), value.clone());
        }
    }
}

pub fn set(v: &mut Value, i: usize) -> &mut Value {
    &mut v["measurementSets"][i]
}

pub fn measurement(v: &mut Value, s: usize, m: usize) -> &mut Value {
    &mut v["measurementSets"][s]["measurements"][m]
}

pub use Severity::{Error, Warning};

/// The value at a finding's path (`measurementSets[3].measurements[0].value`), for changing it.
pub fn at<'v>(v: &'v mut Value, path: &str) -> &'v mut Value {
    path.split('.').fold(v, |v, part| match part.split_once('[') {
        Some((key, index)) => &mut v[key][index.trim_end_matches(']').parse::<usize>().expect("an index")],
        None => &mut v[part],
    })
}

/// Sets the field at `path` to `value` and asserts exactly that finding there.
#[track_caller]
pub fn set_fails(path: &str, value: Value, code: &str, severity: Severity) -> Diagnostic {
    fails(|v| *at(v, path) = value, code, path, severity)
}

/// Removes the field at `path` and asserts exactly that finding there.
#[track_caller]
pub fn drop_fails(path: &str, code: &str, severity: Severity) -> Diagnostic {
    let (parent, field) = path.rsplit_once('.').map_or(("", path), |(p, f)| (p, f));
    fails(
        |v| {
            let parent = if parent.is_empty() { v } else { at(v, parent) };
            parent.as_object_mut().expect("an object").remove(field);
        },
        code,
        path,
        severity,
    )
}
