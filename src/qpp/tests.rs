//! Every rule has a passing case (the base submission, which yields no finding at all) and a
//! failing case (one change to it), written from docs/qpp-json.md. Measure IDs are real PY2025
//! ones from CMS's measures data.

use super::rules::{validate, Evidence, Report, Severity};
use serde_json::{json, Value};

fn check_bytes(bytes: &[u8]) -> Report {
    validate(bytes, &super::embedded::year, &mut |_| {})
}

fn check(v: &Value) -> Report {
    check_bytes(serde_json::to_string_pretty(v).unwrap().as_bytes())
}

/// A complete, valid PY2025 group submission: MIPS CQM, QCDR and eCQM quality, PI and IA.
fn base() -> Value {
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

fn codes(r: &Report) -> Vec<(String, String, Severity)> {
    r.diagnostics.iter().map(|d| (d.code.clone(), d.path.clone(), d.severity)).collect()
}

/// Applies `change` to the base and asserts exactly one finding: `code` at `path`.
#[track_caller]
fn fails(change: impl FnOnce(&mut Value), code: &str, path: &str, severity: Severity) -> super::Diagnostic {
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

fn set(v: &mut Value, i: usize) -> &mut Value {
    &mut v["measurementSets"][i]
}

fn measurement(v: &mut Value, s: usize, m: usize) -> &mut Value {
    &mut v["measurementSets"][s]["measurements"][m]
}

use Severity::{Error, Warning};

#[test]
fn the_base_submission_passes_every_rule() {
    let r = check(&base());
    assert_eq!(codes(&r), vec![], "{:#?}", r.diagnostics);
    assert!(r.is_valid());
    assert_eq!(r.submissions.len(), 1);
    let s = &r.submissions[0];
    assert_eq!(s.entity_type, Some(crate::domain::EntityType::Group));
    assert_eq!(s.taxpayer_identification_number.as_deref(), Some("000456789"));
    assert_eq!(s.measurement_sets.len(), 4);
    assert_eq!(s.measurement_sets[2].measurements, 10);
    assert_eq!(s.measurement_sets[0].program_name, "mips");
}

#[test]
fn entity_type_and_identifiers() {
    fails(
        |v| v.as_object_mut().unwrap().remove("entityType").map(|_| ()).unwrap(),
        "MissingField",
        "entityType",
        Error,
    );
    let d = fails(|v| v["entityType"] = json!("Group"), "InvalidEntityType", "entityType", Error);
    assert!(d.hint.unwrap().contains("\"group\""));
    fails(
        |v| v["taxpayerIdentificationNumber"] = json!("00045678"),
        "InvalidTin",
        "taxpayerIdentificationNumber",
        Error,
    );
    let d = fails(
        |v| v["taxpayerIdentificationNumber"] = json!(456789),
        "WrongType",
        "taxpayerIdentificationNumber",
        Error,
    );
    assert!(d.hint.unwrap().contains("double quotes"));
    fails(
        |v| v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber").map(|_| ()).unwrap(),
        "MissingField",
        "taxpayerIdentificationNumber",
        Error,
    );
    fails(
        |v| v["nationalProviderIdentifier"] = json!("1234567893"),
        "NpiNotAllowed",
        "nationalProviderIdentifier",
        Error,
    );
    // Individual: NPI required, 10 digits, check digit a warning only.
    let individual = |v: &mut Value| v["entityType"] = json!("individual");
    fails(individual, "MissingField", "nationalProviderIdentifier", Error);
    fails(
        |v| {
            individual(v);
            v["nationalProviderIdentifier"] = json!("123456789")
        },
        "InvalidNpi",
        "nationalProviderIdentifier",
        Error,
    );
    fails(
        |v| {
            individual(v);
            v["nationalProviderIdentifier"] = json!("9876543210")
        },
        "NpiCheckDigit",
        "nationalProviderIdentifier",
        Warning,
    );
    let mut ok = base();
    individual(&mut ok);
    ok["nationalProviderIdentifier"] = json!("1234567893");
    assert_eq!(check(&ok).diagnostics, vec![]);
    // APM Entity, virtual group, subgroup: entityId.
    fails(
        |v| {
            v["entityType"] = json!("apm");
            v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber");
        },
        "MissingField",
        "entityId",
        Error,
    );
    fails(
        |v| {
            v["entityType"] = json!("virtualGroup");
            v["entityId"] = json!(" ");
        },
        "EntityIdRequired",
        "entityId",
        Error,
    );
    fails(|v| v["entityId"] = json!("A1234"), "EntityIdNotUsed", "entityId", Warning);
    fails(
        |v| {
            v["entityType"] = json!("apm");
            v["entityId"] = json!("A1234");
        },
        "TinNotUsed",
        "taxpayerIdentificationNumber",
        Warning,
    );
}

#[test]
fn performance_year() {
    fails(
        |v| {
            v.as_object_mut().unwrap().remove("performanceYear");
        },
        "MissingField",
        "performanceYear",
        Error,
    );
    let d = fails(
        |v| v["performanceYear"] = json!("< performanceYearToBeReported >"),
        "PerformanceYearPlaceholder",
        "performanceYear",
        Error,
    );
    assert!(d.hint.unwrap().contains("2025"));
    fails(|v| v["performanceYear"] = json!("2025"), "WrongType", "performanceYear", Error);
    fails(|v| v["performanceYear"] = json!(1999), "InvalidPerformanceYear", "performanceYear", Error);
    fails(|v| v["performanceYear"] = json!(2018), "PerformanceYearNotSupported", "performanceYear", Error);
}

#[test]
fn categories_methods_and_file_upload() {
    fails(|v| set(v, 3)["category"] = json!("aci"), "InvalidCategory", "measurementSets[3].category", Error);
    fails(|v| set(v, 3)["category"] = json!("cost"), "InvalidCategory", "measurementSets[3].category", Error);
    fails(
        |v| {
            set(v, 3).as_object_mut().unwrap().remove("category");
        },
        "MissingField",
        "measurementSets[3].category",
        Error,
    );
    let d = fails(
        |v| set(v, 3)["submissionMethod"] = json!("claims"),
        "SubmissionMethodNotAllowed",
        "measurementSets[3].submissionMethod",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("'claims' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods."));
    assert_eq!(d.evidence, Evidence::Confirmed);
    fails(
        |v| {
            set(v, 3).as_object_mut().unwrap().remove("submissionMethod");
        },
        "MissingField",
        "measurementSets[3].submissionMethod",
        Error,
    );
    let d = fails(
        |v| {
            v.as_object_mut().unwrap().remove("measurementSets");
        },
        "NoMeasurementSets",
        "measurementSets",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("At least one measurementSet must be defined to use this functionality"));
    fails(|v| v["measurementSets"] = json!([]), "NoMeasurementSets", "measurementSets", Error);
    fails(|v| set(v, 3)["measurements"] = json!([]), "NoMeasurements", "measurementSets[3].measurements", Warning);
}

#[test]
fn program_names_per_year() {
    fails(|v| set(v, 3)["programName"] = json!("pcf"), "ProgramRemoved", "measurementSets[3].programName", Error);
    fails(|v| set(v, 3)["programName"] = json!("cpcPlus"), "ProgramRemoved", "measurementSets[3].programName", Error);
    fails(|v| set(v, 3)["programName"] = json!("G9999"), "UnknownMvp", "measurementSets[3].programName", Error);
    let d = fails(
        |v| set(v, 3)["programName"] = json!("MIPS"),
        "InvalidProgramName",
        "measurementSets[3].programName",
        Error,
    );
    assert!(d.hint.unwrap().contains("\"mips\""));
    // A real 2025 MVP is accepted for the IA activities it lists (IA_BE_4 is in G0053).
    let mut ok = base();
    set(&mut ok, 3)["programName"] = json!("G0053");
    set(&mut ok, 3)["measurements"] = json!([{ "measureId": "IA_BE_4", "value": true }]);
    assert_eq!(codes(&check(&ok)), vec![]);
    fails(
        |v| {
            set(v, 3)["programName"] = json!("G0053");
        },
        "MeasureNotInMvp",
        "measurementSets[3].measurements[0].measureId",
        Warning,
    );
    // Measure 492 is in MVP G0055 but not open to individuals (allowedRegistrationTypes).
    fails(
        |v| {
            v["entityType"] = json!("individual");
            v["nationalProviderIdentifier"] = json!("1234567893");
            set(v, 0)["programName"] = json!("G0055");
            set(v, 0)["measurements"] = json!([{ "measureId": "492", "value": { "score": 1 } }]);
        },
        "RegistrationTypeNotAllowed",
        "measurementSets[0].measurements[0].measureId",
        Warning,
    );
    fails(
        |v| {
            v["entityType"] = json!("virtualGroup");
            v["entityId"] = json!("VG-1");
            v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber");
            set(v, 3)["programName"] = json!("app1");
        },
        "ProgramNotForEntity",
        "measurementSets[3].programName",
        Error,
    );
    fails(
        |v| {
            v["entityType"] = json!("subgroup");
            v["entityId"] = json!("SG1");
            v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber");
        },
        "ProgramNotForEntity",
        "measurementSets[3].programName",
        Error,
    );
    fails(|v| v["programName"] = json!("mips"), "LegacyProgramName", "programName", Warning);
    // 2021 still had pcf and cpcPlus.
    let mut y2021 = json!({ "entityType": "group", "taxpayerIdentificationNumber": "000456789", "performanceYear": 2021, "measurementSets": [
        { "category": "ia", "submissionMethod": "registry", "programName": "pcf", "performanceStart": "2021-01-01", "performanceEnd": "2021-12-31", "measurements": [ { "measureId": "IA_EPA_1", "value": true } ] } ] });
    assert!(
        codes(&check(&y2021)).iter().all(|(c, _, _)| c != "ProgramRemoved" && c != "InvalidProgramName"),
        "{:?}",
        codes(&check(&y2021))
    );
    y2021["measurementSets"][0]["programName"] = json!("appPlus");
    assert!(codes(&check(&y2021)).iter().any(|(c, _, _)| c == "InvalidProgramName"));
}

#[test]
fn cehrt_id() {
    fails(
        |v| {
            set(v, 2).as_object_mut().unwrap().remove("cehrtId");
        },
        "MissingField",
        "measurementSets[2].cehrtId",
        Error,
    );
    fails(
        |v| {
            set(v, 1).as_object_mut().unwrap().remove("cehrtId");
        },
        "MissingField",
        "measurementSets[1].cehrtId",
        Error,
    );
    fails(|v| set(v, 2)["cehrtId"] = json!("XX15EXXXXXXXXXX"), "InvalidCehrtId", "measurementSets[2].cehrtId", Error);
    let d = fails(
        |v| set(v, 2)["cehrtId"] = json!("0015cabcdefghij"),
        "InvalidCehrtId",
        "measurementSets[2].cehrtId",
        Error,
    );
    assert!(d.hint.unwrap().contains("capitals"));
    fails(|v| set(v, 3)["cehrtId"] = json!("0015CABCDEFGHIJ"), "CehrtIdNotUsed", "measurementSets[3].cehrtId", Warning);
    // eCQMs needed no CEHRT ID before 2025.
    let mut y2024 = base();
    y2024["performanceYear"] = json!(2024);
    set(&mut y2024, 1).as_object_mut().unwrap().remove("cehrtId");
    assert!(!codes(&check(&y2024)).iter().any(|(c, p, _)| c == "MissingField" && p.ends_with("cehrtId")));
}

#[test]
fn performance_period() {
    fails(
        |v| set(v, 3)["performanceStart"] = json!("01/01/2025"),
        "InvalidDate",
        "measurementSets[3].performanceStart",
        Error,
    );
    let d = fails(
        |v| set(v, 3)["performanceEnd"] = json!("2025-12-31T00:00:00Z"),
        "InvalidDate",
        "measurementSets[3].performanceEnd",
        Error,
    );
    assert!(d.hint.unwrap().contains("\"2025-12-31\""));
    fails(
        |v| set(v, 3)["performanceEnd"] = json!("2025-02-30"),
        "InvalidDate",
        "measurementSets[3].performanceEnd",
        Error,
    );
    fails(
        |v| {
            set(v, 3).as_object_mut().unwrap().remove("performanceEnd");
        },
        "MissingField",
        "measurementSets[3].performanceEnd",
        Error,
    );
    fails(
        |v| {
            set(v, 0)["performanceStart"] = json!("2025-12-31");
            set(v, 0)["performanceEnd"] = json!("2025-01-01");
        },
        "PerformancePeriodOrder",
        "measurementSets[0].performanceEnd",
        Warning,
    );
    fails(
        |v| set(v, 0)["performanceEnd"] = json!("2026-01-31"),
        "PerformancePeriodOutsideYear",
        "measurementSets[0].performanceEnd",
        Warning,
    );
    fails(
        |v| set(v, 3)["performanceEnd"] = json!("2025-02-28"),
        "ShortPerformancePeriod",
        "measurementSets[3].performanceStart",
        Warning,
    );
    fails(
        |v| set(v, 3)["measureSet"] = json!("generalPracticeFamilyMedicine"),
        "FieldRemoved",
        "measurementSets[3].measureSet",
        Error,
    );
    fails(|v| set(v, 3)["practiceId"] = json!("T1AR0001"), "FieldRemoved", "measurementSets[3].practiceId", Error);
}

#[test]
fn measure_ids_categories_methods_programs() {
    let d = fails(
        |v| measurement(v, 3, 0)["measureId"] = json!("IA_EPA_00"),
        "UnknownMeasure",
        "measurementSets[3].measurements[0].measureId",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("invalid measureId, see mips-data-format for list of valid measureIds."));
    assert_eq!(d.measure_id.as_deref(), Some("IA_EPA_00"));
    let d = fails(
        |v| measurement(v, 0, 0)["measureId"] = json!("1"),
        "UnknownMeasure",
        "measurementSets[0].measurements[0].measureId",
        Error,
    );
    assert!(d.hint.unwrap().contains("001"));
    let d = fails(
        |v| measurement(v, 3, 0)["measureId"] = json!("ia_ahe_1"),
        "UnknownMeasure",
        "measurementSets[3].measurements[0].measureId",
        Error,
    );
    assert!(d.hint.unwrap().contains("IA_AHE_1"));
    fails(
        |v| measurement(v, 3, 0)["measureId"] = json!("PI_PPHI_1"),
        "MeasureCategoryMismatch",
        "measurementSets[3].measurements[0].measureId",
        Error,
    );
    // 009 is an eCQM only (electronicHealthRecord).
    fails(
        |v| *measurement(v, 0, 0) = json!({ "measureId": "009", "value": { "isEndToEndReported": false, "performanceMet": 1, "eligiblePopulation": 2 } }),
        "MeasureMethodNotAllowed",
        "measurementSets[0].measurements[0].measureId",
        Warning,
    );
    // 128 may not be submitted to mips (the Submissions API's message, CT issue #1454).
    let d = fails(
        |v| *measurement(v, 0, 0) = json!({ "measureId": "128", "value": { "isEndToEndReported": false, "performanceMet": 1, "eligiblePopulation": 2 } }),
        "MeasureProgramNotAllowed",
        "measurementSets[0].measurements[0].measureId",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("measure ID 128 is not allowed to be submitted to the mips program.  Please remove the invalid measure from the measurement set."));
    fails(
        |v| {
            let m = measurement(v, 3, 0).clone();
            set(v, 3)["measurements"].as_array_mut().unwrap().push(m);
        },
        "DuplicateMeasure",
        "measurementSets[3].measurements[2].measureId",
        Error,
    );
    fails(
        |v| {
            let s = set(v, 3).clone();
            v["measurementSets"].as_array_mut().unwrap().push(s);
        },
        "DuplicateMeasurementSet",
        "measurementSets[4]",
        Error,
    );
    fails(
        |v| *measurement(v, 0, 0) = json!({ "measureId": "321", "value": { "score": 1 } }),
        "MeasureNotSubmittable",
        "measurementSets[0].measurements[0].value",
        Error,
    );
}

#[test]
fn value_shapes_by_metric_type() {
    let d = fails(
        |v| measurement(v, 3, 0)["value"] = json!("yes"),
        "InvalidValue",
        "measurementSets[3].measurements[0].value",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("field 'value' in Submission.measurementSets[3].measurements[0] is invalid: \"yes\" is invalid for measureId IA_AHE_1"));
    fails(
        |v| {
            measurement(v, 3, 0).as_object_mut().unwrap().remove("value");
        },
        "MissingField",
        "measurementSets[3].measurements[0].value",
        Error,
    );
    fails(
        |v| measurement(v, 0, 0)["value"] = json!({ "isEndToEndReported": false, "strata": [] }),
        "InvalidValue",
        "measurementSets[0].measurements[0].value",
        Error,
    );
    fails(
        |v| {
            measurement(v, 1, 0)["value"] =
                json!({ "isEndToEndReported": true, "performanceMet": 1, "eligiblePopulation": 2 })
        },
        "InvalidValue",
        "measurementSets[1].measurements[0].value",
        Error,
    );
    let d = fails(
        |v| {
            measurement(v, 0, 0)["value"].as_object_mut().unwrap().remove("isEndToEndReported");
        },
        "MissingField",
        "measurementSets[0].measurements[0].value.isEndToEndReported",
        Error,
    );
    assert_eq!(
        d.api_message.as_deref(),
        Some("field 'isEndToEndReported' in Submission.measurementSets[0].measurements[0] is missing")
    );
    fails(
        |v| {
            measurement(v, 0, 0)["value"].as_object_mut().unwrap().remove("performanceMet");
        },
        "MissingField",
        "measurementSets[0].measurements[0].value.performanceMet",
        Error,
    );
    fails(
        |v| measurement(v, 0, 0)["value"]["eligiblePopulation"] = json!("100"),
        "WrongType",
        "measurementSets[0].measurements[0].value.eligiblePopulation",
        Error,
    );
    fails(
        |v| measurement(v, 0, 0)["value"]["performanceMet"] = json!(40.5),
        "NotAWholeNumber",
        "measurementSets[0].measurements[0].value.performanceMet",
        Error,
    );
    fails(
        |v| measurement(v, 0, 0)["value"]["performanceNotMet"] = json!(-1),
        "NegativeCount",
        "measurementSets[0].measurements[0].value.performanceNotMet",
        Error,
    );
    fails(
        |v| measurement(v, 0, 0)["value"]["perfomanceMet"] = json!(1),
        "UnknownField",
        "measurementSets[0].measurements[0].value.perfomanceMet",
        Warning,
    );
    // nonProportion: numbers unconstrained, all four required.
    fails(
        |v| {
            measurement(v, 0, 3)["value"].as_object_mut().unwrap().remove("observationInstances");
        },
        "MissingField",
        "measurementSets[0].measurements[3].value.observationInstances",
        Error,
    );
    let mut ok = base();
    measurement(&mut ok, 0, 3)["value"]["numerator"] = json!(50.25);
    assert_eq!(codes(&check(&ok)), vec![]);
}

#[test]
fn arithmetic() {
    fails(
        |v| measurement(v, 0, 0)["value"]["performanceMet"] = json!(101),
        "PerformanceMetExceedsEligiblePopulation",
        "measurementSets[0].measurements[0].value.performanceMet",
        Error,
    );
    let d = fails(
        |v| measurement(v, 0, 0)["value"]["performanceNotMet"] = json!(51),
        "SumExceedsEligiblePopulation",
        "measurementSets[0].measurements[0].value",
        Error,
    );
    assert_eq!(d.api_message.as_deref(), Some("fields 'performanceNotMet, eligiblePopulationException, eligiblePopulationExclusion, eligiblePopulation' in Submission.measurementSets[0].measurements[0] are invalid: The sum of performanceMet, performanceNotMet, eligiblePopulationException and eligiblePopulationExclusion must not exceed eligiblePopulation"));
    fails(
        |v| {
            measurement(v, 0, 0)["value"]["eligiblePopulationExclusion"] = json!(5);
            measurement(v, 0, 0)["value"]["performanceNotMet"] = json!(45);
        },
        "CqmExclusionNotZero",
        "measurementSets[0].measurements[0].value.eligiblePopulationExclusion",
        Error,
    );
    fails(
        |v| measurement(v, 2, 0)["value"] = json!({ "numerator": 121, "denominator": 120 }),
        "NumeratorExceedsDenominator",
        "measurementSets[2].measurements[0].value.numerator",
        Error,
    );
    let d = fails(
        |v| measurement(v, 2, 5)["value"] = json!({ "numerator": 1, "denominator": 0 }),
        "NumeratorExceedsDenominator",
        "measurementSets[2].measurements[5].value.numerator",
        Error,
    );
    assert!(d.message.contains("denominator is 0"));
    fails(
        |v| {
            measurement(v, 2, 5)["value"].as_object_mut().unwrap().remove("denominator");
        },
        "MissingField",
        "measurementSets[2].measurements[5].value.denominator",
        Error,
    );
    fails(
        |v| measurement(v, 0, 1)["value"]["performanceRate"] = json!(-1),
        "PerformanceRateOutOfRange",
        "measurementSets[0].measurements[1].value.performanceRate",
        Error,
    );
    fails(
        |v| measurement(v, 0, 1)["value"]["performanceRate"] = json!(100.5),
        "PerformanceRateOutOfRange",
        "measurementSets[0].measurements[1].value.performanceRate",
        Error,
    );
    fails(
        |v| {
            measurement(v, 0, 1)["value"].as_object_mut().unwrap().remove("performanceRate");
        },
        "MissingField",
        "measurementSets[0].measurements[1].value.performanceRate",
        Error,
    );
    fails(
        |v| measurement(v, 1, 0)["value"]["strata"][0]["performanceNotMet"] = json!(40),
        "PerformanceNotMetMismatch",
        "measurementSets[1].measurements[0].value.strata[0].performanceNotMet",
        Warning,
    );
}

#[test]
fn strata() {
    fails(
        |v| measurement(v, 0, 2)["value"]["strata"][0]["stratum"] = json!("Resection"),
        "StratumNameCase",
        "measurementSets[0].measurements[2].value.strata[0].stratum",
        Warning,
    );
    let d = fails(
        |v| measurement(v, 0, 2)["value"]["strata"][0]["stratum"] = json!("excision"),
        "InvalidStratum",
        "measurementSets[0].measurements[2].value.strata[0].stratum",
        Error,
    );
    assert!(d.hint.unwrap().contains("resection, reconstruction, overall"));
    fails(
        |v| {
            measurement(v, 0, 2)["value"]["strata"].as_array_mut().unwrap().pop();
        },
        "MissingStrata",
        "measurementSets[0].measurements[2].value.strata",
        Error,
    );
    fails(
        |v| {
            measurement(v, 1, 1)["value"]["strata"].as_array_mut().unwrap().pop();
        },
        "MissingStrata",
        "measurementSets[1].measurements[1].value.strata",
        Warning,
    );
    fails(
        |v| measurement(v, 0, 2)["value"]["strata"][1]["stratum"] = json!("resection"),
        "DuplicateStratum",
        "measurementSets[0].measurements[2].value.strata[1].stratum",
        Error,
    );
    fails(
        |v| {
            measurement(v, 0, 2)["value"]["strata"][1].as_object_mut().unwrap().remove("stratum");
        },
        "MissingField",
        "measurementSets[0].measurements[2].value.strata[1].stratum",
        Error,
    );
    fails(
        |v| measurement(v, 0, 2)["value"]["strata"][1]["performanceMet"] = json!(11),
        "PerformanceMetExceedsEligiblePopulation",
        "measurementSets[0].measurements[2].value.strata[1].performanceMet",
        Error,
    );
    fails(
        |v| {
            measurement(v, 0, 2)["value"]["strata"][1].as_object_mut().unwrap().remove("performanceRate");
        },
        "MissingField",
        "measurementSets[0].measurements[2].value.strata[1].performanceRate",
        Error,
    );
}

#[test]
fn promoting_interoperability() {
    // PI_HIE_1 is replaced by PI_HIE_5 (its substitute); PI_LVPP_1 is PI_EP_1's exclusion.
    fails(
        |v| {
            set(v, 2)["measurements"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "measureId": "PI_HIE_1", "value": { "numerator": 1, "denominator": 2 } }))
        },
        "PiSubstituteConflict",
        "measurementSets[2].measurements[2].measureId",
        Error,
    );
    fails(
        |v| set(v, 2)["measurements"].as_array_mut().unwrap().push(json!({ "measureId": "PI_LVPP_1", "value": true })),
        "PiExclusionConflict",
        "measurementSets[2].measurements[0].measureId",
        Error,
    );
    let d = fails(
        |v| {
            set(v, 2)["measurements"].as_array_mut().unwrap().remove(9);
        },
        "RequiredPiMeasureMissing",
        "measurementSets[2].measurements",
        Warning,
    );
    assert!(d.message.contains("PI_PPHI_2"));
    // Claiming the exclusion instead of the measure is fine.
    let mut ok = base();
    set(&mut ok, 2)["measurements"][0] = json!({ "measureId": "PI_LVPP_1", "value": true });
    assert_eq!(codes(&check(&ok)), vec![]);
    fails(
        |v| {
            v["entityType"] = json!("apm");
            v["entityId"] = json!("A1234");
            v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber");
        },
        "PiNotAllowedForEntity",
        "measurementSets[2]",
        Error,
    );
    // Virtual groups and subgroups: CMS's change log and measures data disagree, so a warning.
    fails(
        |v| {
            v["entityType"] = json!("virtualGroup");
            v["entityId"] = json!("VG-1");
            v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber");
        },
        "PiNotForEntity",
        "measurementSets[2]",
        Warning,
    );
}

#[test]
fn fields_duplicate_read_only_and_unknown() {
    let text = serde_json::to_string(&base()).unwrap().replacen(
        "\"entityType\":\"group\"",
        "\"entityType\":\"group\",\"entityType\":\"individual\"",
        1,
    );
    let r = check_bytes(text.as_bytes());
    assert!(codes(&r).iter().any(|(c, p, _)| c == "DuplicateField" && p == "entityType"), "{:?}", codes(&r));
    fails(|v| v["id"] = json!("abc"), "ReadOnlyField", "id", Warning);
    let d = fails(|v| v["measurmentSets"] = json!([]), "UnknownField", "measurmentSets", Warning);
    assert!(d.hint.unwrap().contains("measurementSets"));
}

#[test]
fn arrays_of_submissions_and_positions() {
    let mut second = base();
    second["taxpayerIdentificationNumber"] = json!("000111222");
    measurement(&mut second, 0, 0)["value"]["performanceMet"] = json!(101);
    let file = serde_json::to_string_pretty(&json!([base(), second, base()])).unwrap();
    let r = check_bytes(file.as_bytes());
    assert!(r.is_array);
    assert_eq!(r.submissions.len(), 3);
    assert_eq!(r.submissions[1].errors, 1);
    let d = r.diagnostics.iter().find(|d| d.code == "PerformanceMetExceedsEligiblePopulation").unwrap();
    assert_eq!(d.path, "[1].measurementSets[0].measurements[0].value.performanceMet");
    assert_eq!(d.submission, Some(1));
    // The line and column point at the value 101.
    let line = file.lines().nth(d.line as usize - 1).unwrap();
    assert!(line[d.column as usize - 1..].starts_with("101"), "{line}");
    assert!(r.diagnostics.iter().any(|d| d.code == "DuplicateParticipant" && d.submission == Some(2)));
    // Byte ranges hold exactly each submission.
    let s = &r.submissions[1];
    let slice: Value = serde_json::from_str(&file[s.start..s.end]).unwrap();
    assert_eq!(slice["taxpayerIdentificationNumber"], "000111222");
    // An empty array, a non-object element.
    assert_eq!(codes(&check_bytes(b"[]"))[0].0, "EmptyArray");
    assert_eq!(codes(&check_bytes(b"[42]"))[0].0, "NotASubmission");
}

#[test]
fn malformed_files_get_one_clear_finding() {
    for (input, code) in [
        (&b""[..], "EmptyFile"),
        (b"<?xml version=\"1.0\"?><ClinicalDocument/>", "NotJson"),
        (b"{\"entityType\": \"group\",", "UnexpectedEnd"),
        (b"\xff\xfe{", "NotUtf8"),
        (b"{\"performanceYear\": 1e999}", "NumberOutOfRange"),
        (b"{\"a\": 1,}", "TrailingComma"),
    ] {
        let r = check_bytes(input);
        assert_eq!(r.errors, 1, "{input:?}: {:?}", codes(&r));
        assert_eq!(r.diagnostics[0].code, code);
        assert_eq!(r.diagnostics[0].evidence, Evidence::Syntax);
        assert!(r.diagnostics[0].hint.is_some());
    }
    let deep = "[".repeat(100_000);
    assert_eq!(check_bytes(deep.as_bytes()).diagnostics[0].code, "TooDeep");
    // A syntax error after two good submissions: both are still checked and listed.
    let good = serde_json::to_string(&base()).unwrap();
    let text = format!("[{good},{good},{{\"entityType\": ]");
    let r = check_bytes(text.as_bytes());
    assert_eq!(r.submissions.len(), 2);
    assert!(r.diagnostics.iter().any(|d| d.code == "UnexpectedCharacter"));
}

#[test]
fn missing_catalogues_are_reported_not_guessed() {
    let none = |_: u16| -> Option<&'static super::catalogue::Index> { None };
    let r = validate(serde_json::to_string(&base()).unwrap().as_bytes(), &none, &mut |_| {});
    assert_eq!(r.missing_years, vec![2025]);
    assert!(!r.is_valid());
    assert!(!r.diagnostics.iter().any(|d| d.code == "UnknownMeasure"));
}

#[test]
fn many_findings_are_counted_but_listing_is_capped() {
    let mut v = base();
    let bad: Vec<Value> = (0..6000).map(|i| json!({ "measureId": format!("IA_NOPE_{i}"), "value": true })).collect();
    set(&mut v, 3)["measurements"] = Value::Array(bad);
    let r = check(&v);
    assert_eq!(r.errors, 6000);
    assert_eq!(r.diagnostics.len(), super::rules::MAX_LISTED);
    assert_eq!(r.unlisted, 1000);
}

#[test]
fn catalogues_hold_what_the_rules_need() {
    let c = super::embedded::year(2025).unwrap();
    let m = c.measure("AAD16").unwrap();
    assert_eq!(m.strata, ["resection", "reconstruction", "overall"]);
    assert!(m.qcdr);
    assert!(c.has_program("G0053") && c.has_program("appPlus") && !c.has_program("pcf"));
    assert!(super::embedded::year(2021).unwrap().has_program("pcf"));
    assert!(super::embedded::year(2019).unwrap().has_program("cpcPlus"));
    assert!(super::embedded::year(2019).unwrap().measure("001").unwrap().programs.is_none());
    assert_eq!(super::catalogue_files::years().collect::<Vec<_>>(), (2019..=2027).collect::<Vec<_>>());
    assert!(super::catalogue_files::url(2025).unwrap().starts_with("/qpp-catalogue/2025."));
}

/// CMS's own QPP JSON examples (tests/fixtures/qpp, see its README) give the findings that
/// docs/qpp-json.md predicts for them.
#[test]
fn cms_examples_give_the_findings_the_docs_predict() {
    let file = |name: &str, year: Option<u32>| {
        let text = std::fs::read_to_string(format!("tests/fixtures/qpp/{name}")).unwrap();
        let text = match year {
            Some(y) => text
                .replace("\"< performanceYearToBeReported >\"", &y.to_string())
                .replace("< performanceYearToBeReported >", &y.to_string()),
            None => text,
        };
        let r = check_bytes(text.as_bytes());
        let mut found: Vec<String> =
            r.diagnostics.iter().map(|d| format!("{:?} {} {}", d.severity, d.code, d.path)).collect();
        found.sort();
        found
    };
    let expect = |mut v: Vec<&str>| {
        v.sort();
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    // §1.6: the IA example's IA_EPA_1 is absent from 2025; §2.5: 9876543210 fails Luhn.
    assert_eq!(
        file("submission-example-ia.json", Some(2025)),
        expect(vec![
            "Error UnknownMeasure measurementSets[0].measurements[2].measureId",
            "Warning NpiCheckDigit nationalProviderIdentifier"
        ])
    );
    // §1.6: 305 is eCQM-only but sent under registry; strata 14days/34days vs 14Days/34Days.
    assert_eq!(
        file("submission-example-quality.json", Some(2025)),
        expect(vec![
            "Warning MeasureMethodNotAllowed measurementSets[0].measurements[0].measureId",
            "Warning NpiCheckDigit nationalProviderIdentifier",
            "Warning StratumNameCase measurementSets[0].measurements[0].value.strata[0].stratum",
            "Warning StratumNameCase measurementSets[0].measurements[0].value.strata[1].stratum",
        ])
    );
    // The PI example is valid but does not report every measure 2025 requires.
    assert_eq!(
        file("submission-example-aci.json", Some(2025)),
        expect(vec![
            "Warning NpiCheckDigit nationalProviderIdentifier",
            "Warning RequiredPiMeasureMissing measurementSets[0].measurements"
        ])
    );
    // The upload client's PY2021 app1 file: valid then (15E CEHRT IDs were dropped for 2024).
    assert_eq!(
        file("test-file.json", None),
        expect(vec![
            "Warning LegacyProgramName programName",
            "Warning RequiredPiMeasureMissing measurementSets[2].measurements"
        ])
    );
    let text = std::fs::read_to_string("tests/fixtures/qpp/test-file.json").unwrap().replace("2021", "2024");
    assert!(check_bytes(text.as_bytes()).diagnostics.iter().any(|d| d.code == "InvalidCehrtId"));
    // Real conversion-tool output (PY2022): no errors; its test NPI 0777777777 fails Luhn (§2.5).
    assert_eq!(
        file("valid-QRDA-III-latest-qpp.PY2022.json", None),
        expect(vec![
            "Warning NpiCheckDigit nationalProviderIdentifier",
            "Warning RequiredPiMeasureMissing measurementSets[1].measurements"
        ])
    );
    // PY2020 conversion-tool outputs: the MIPS ones are clean; PI for an APM Entity is refused.
    for name in [
        "CPCPLUS-1e-MIPS_INDIV_07012020-qpp.json",
        "CPCPLUS-1f-MIPS_GROUP_07012020-qpp.json",
        "CPCPLUS-23c-AdditionalMeasureReported_07102020-qpp.json",
    ] {
        assert_eq!(file(name, None), Vec::<String>::new(), "{name}");
    }
    assert!(file("CPCPLUS-9b-IAandPISectionAdded_07012020-qpp.json", None)
        .contains(&"Error PiNotAllowedForEntity measurementSets[1]".to_string()));
    // The archived 2017 schema's example: aci, cmsWebInterface, and a year we don't check.
    let old = file("submission.json", None);
    for f in [
        "Error PerformanceYearNotSupported performanceYear",
        "Error InvalidCategory measurementSets[1].category",
        "Error SubmissionMethodNotAllowed measurementSets[0].submissionMethod",
    ] {
        assert!(old.contains(&f.to_string()), "{old:?}");
    }
    // The scoring example is a request body, not a file: the submission is wrapped.
    let scoring = file("scoring-example-submission-input.json", Some(2025));
    assert!(scoring.contains(&"Error WrappedSubmission ".to_string()), "{scoring:?}");
    assert!(
        scoring.contains(&"Error PerformanceYearNotSupported data.submission.performanceYear".to_string()),
        "{scoring:?}"
    );
}

/// Inputs whose complete findings are kept in `tests/fixtures/qpp/expected/`: the native run
/// must produce exactly these, and so must the wasm run (tests/wasm_components.rs) — the same
/// diagnostics in both. `UPDATE_EXPECTED=1 cargo test` rewrites them after a deliberate change.
pub const GOLDEN: &[&str] = &["submission-example-quality.json", "fuzz-seed.json", "cut-off.json"];

pub fn golden_input(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/qpp/{name}"))
        .unwrap()
        .replace("\"< performanceYearToBeReported >\"", "2025")
        .replace("< performanceYearToBeReported >", "2025")
}

#[test]
fn native_findings_match_the_expected_files() {
    for name in GOLDEN {
        let report = check_bytes(golden_input(name).as_bytes());
        let actual = serde_json::to_string_pretty(&report.diagnostics).unwrap() + "\n";
        let path = format!("tests/fixtures/qpp/expected/{name}");
        if std::env::var("UPDATE_EXPECTED").is_ok() {
            std::fs::create_dir_all("tests/fixtures/qpp/expected").unwrap();
            std::fs::write(&path, &actual).unwrap();
        }
        assert_eq!(
            actual,
            std::fs::read_to_string(&path).unwrap_or_default(),
            "{name}: run with UPDATE_EXPECTED=1 if the change is deliberate"
        );
    }
}

/// The demo upload files (public/demo-files) do what their README says.
#[test]
fn demo_upload_files() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo-files");
    let good = check_bytes(&std::fs::read(format!("{dir}/registry-clients-2026.json")).unwrap());
    assert_eq!(
        (good.errors, good.submissions.len()),
        (0, 10),
        "{:?}",
        good.diagnostics.iter().filter(|d| d.severity == Error).collect::<Vec<_>>()
    );
    let bad = check_bytes(&std::fs::read(format!("{dir}/harbor-point-with-errors.json")).unwrap());
    assert_eq!(bad.errors, 2, "{:?}", codes(&bad));
    let q = super::qrda::read(&std::fs::read(format!("{dir}/lakeside-internal-medicine-2026.xml")).unwrap());
    assert!(q.is_usable(), "{:?}", q.problems);
    assert_eq!(
        (q.tin.as_deref(), q.performance_year, q.entity_type),
        (Some("206000069"), Some(2026), Some(crate::domain::EntityType::Group))
    );
}
