//! The submission level: entity, identifiers, year, categories, methods, programs, CEHRT ID.

use super::helpers::*;

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
    let d = set_fails("entityType", json!("Group"), "InvalidEntityType", Error);
    assert!(d.hint.unwrap().contains("\"group\""));
    set_fails("taxpayerIdentificationNumber", json!("00045678"), "InvalidTin", Error);
    let d = set_fails("taxpayerIdentificationNumber", json!(456789), "WrongType", Error);
    assert!(d.hint.unwrap().contains("double quotes"));
    fails(
        |v| v.as_object_mut().unwrap().remove("taxpayerIdentificationNumber").map(|_| ()).unwrap(),
        "MissingField",
        "taxpayerIdentificationNumber",
        Error,
    );
    set_fails("nationalProviderIdentifier", json!("1234567893"), "NpiNotAllowed", Error);
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
        |v| patch(v, json!({"entityType": "apm", "taxpayerIdentificationNumber": null})),
        "MissingField",
        "entityId",
        Error,
    );
    fails(|v| patch(v, json!({"entityType": "virtualGroup", "entityId": " "})), "EntityIdRequired", "entityId", Error);
    set_fails("entityId", json!("A1234"), "EntityIdNotUsed", Warning);
    fails(
        |v| patch(v, json!({"entityType": "apm", "entityId": "A1234"})),
        "TinNotUsed",
        "taxpayerIdentificationNumber",
        Warning,
    );
}

#[test]
fn performance_year() {
    fails(|v| patch(v, json!({"performanceYear": null})), "MissingField", "performanceYear", Error);
    let d = set_fails("performanceYear", json!("< performanceYearToBeReported >"), "PerformanceYearPlaceholder", Error);
    assert!(d.hint.unwrap().contains("2025"));
    set_fails("performanceYear", json!("2025"), "WrongType", Error);
    set_fails("performanceYear", json!(1999), "InvalidPerformanceYear", Error);
    set_fails("performanceYear", json!(2018), "PerformanceYearNotSupported", Error);
}

#[test]
fn categories_methods_and_file_upload() {
    set_fails("measurementSets[3].category", json!("aci"), "InvalidCategory", Error);
    set_fails("measurementSets[3].category", json!("cost"), "InvalidCategory", Error);
    drop_fails("measurementSets[3].category", "MissingField", Error);
    let d = set_fails("measurementSets[3].submissionMethod", json!("claims"), "SubmissionMethodNotAllowed", Error);
    assert_eq!(d.api_message.as_deref(), Some("'claims' submission method is not allowed via file upload. registry and electronicHealthRecord are the only allowed submission methods."));
    assert_eq!(d.evidence, Evidence::Confirmed);
    drop_fails("measurementSets[3].submissionMethod", "MissingField", Error);
    let d = fails(|v| patch(v, json!({"measurementSets": null})), "NoMeasurementSets", "measurementSets", Error);
    assert_eq!(d.api_message.as_deref(), Some("At least one measurementSet must be defined to use this functionality"));
    set_fails("measurementSets", json!([]), "NoMeasurementSets", Error);
    set_fails("measurementSets[3].measurements", json!([]), "NoMeasurements", Warning);
}

#[test]
fn program_names_per_year() {
    set_fails("measurementSets[3].programName", json!("pcf"), "ProgramRemoved", Error);
    set_fails("measurementSets[3].programName", json!("cpcPlus"), "ProgramRemoved", Error);
    set_fails("measurementSets[3].programName", json!("G9999"), "UnknownMvp", Error);
    let d = set_fails("measurementSets[3].programName", json!("MIPS"), "InvalidProgramName", Error);
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
        |v| patch(v, json!({"entityType": "subgroup", "entityId": "SG1", "taxpayerIdentificationNumber": null})),
        "ProgramNotForEntity",
        "measurementSets[3].programName",
        Error,
    );
    set_fails("programName", json!("mips"), "LegacyProgramName", Warning);
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
    drop_fails("measurementSets[2].cehrtId", "MissingField", Error);
    drop_fails("measurementSets[1].cehrtId", "MissingField", Error);
    set_fails("measurementSets[2].cehrtId", json!("XX15EXXXXXXXXXX"), "InvalidCehrtId", Error);
    let d = set_fails("measurementSets[2].cehrtId", json!("0015cabcdefghij"), "InvalidCehrtId", Error);
    assert!(d.hint.unwrap().contains("capitals"));
    set_fails("measurementSets[3].cehrtId", json!("0015CABCDEFGHIJ"), "CehrtIdNotUsed", Warning);
    // eCQMs needed no CEHRT ID before 2025.
    let mut y2024 = base();
    y2024["performanceYear"] = json!(2024);
    set(&mut y2024, 1).as_object_mut().unwrap().remove("cehrtId");
    assert!(!codes(&check(&y2024)).iter().any(|(c, p, _)| c == "MissingField" && p.ends_with("cehrtId")));
}
