//! Measurement sets and measurements: periods, measure IDs, values, arithmetic, strata, PI.

use super::helpers::*;

#[test]
fn performance_period() {
    set_fails("measurementSets[3].performanceStart", json!("01/01/2025"), "InvalidDate", Error);
    let d = set_fails("measurementSets[3].performanceEnd", json!("2025-12-31T00:00:00Z"), "InvalidDate", Error);
    assert!(d.hint.unwrap().contains("\"2025-12-31\""));
    set_fails("measurementSets[3].performanceEnd", json!("2025-02-30"), "InvalidDate", Error);
    drop_fails("measurementSets[3].performanceEnd", "MissingField", Error);
    fails(
        |v| {
            set(v, 0)["performanceStart"] = json!("2025-12-31");
            set(v, 0)["performanceEnd"] = json!("2025-01-01");
        },
        "PerformancePeriodOrder",
        "measurementSets[0].performanceEnd",
        Warning,
    );
    set_fails("measurementSets[0].performanceEnd", json!("2026-01-31"), "PerformancePeriodOutsideYear", Warning);
    fails(
        |v| set(v, 3)["performanceEnd"] = json!("2025-02-28"),
        "ShortPerformancePeriod",
        "measurementSets[3].performanceStart",
        Warning,
    );
    set_fails("measurementSets[3].measureSet", json!("generalPracticeFamilyMedicine"), "FieldRemoved", Error);
    set_fails("measurementSets[3].practiceId", json!("T1AR0001"), "FieldRemoved", Error);
}

#[test]
fn measure_ids_categories_methods_programs() {
    let d = set_fails("measurementSets[3].measurements[0].measureId", json!("IA_EPA_00"), "UnknownMeasure", Error);
    assert_eq!(d.api_message.as_deref(), Some("invalid measureId, see mips-data-format for list of valid measureIds."));
    assert_eq!(d.measure_id.as_deref(), Some("IA_EPA_00"));
    let d = set_fails("measurementSets[0].measurements[0].measureId", json!("1"), "UnknownMeasure", Error);
    assert!(d.hint.unwrap().contains("001"));
    let d = set_fails("measurementSets[3].measurements[0].measureId", json!("ia_ahe_1"), "UnknownMeasure", Error);
    assert!(d.hint.unwrap().contains("IA_AHE_1"));
    set_fails("measurementSets[3].measurements[0].measureId", json!("PI_PPHI_1"), "MeasureCategoryMismatch", Error);
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
    let d = set_fails("measurementSets[3].measurements[0].value", json!("yes"), "InvalidValue", Error);
    assert_eq!(d.api_message.as_deref(), Some("field 'value' in Submission.measurementSets[3].measurements[0] is invalid: \"yes\" is invalid for measureId IA_AHE_1"));
    drop_fails("measurementSets[3].measurements[0].value", "MissingField", Error);
    set_fails(
        "measurementSets[0].measurements[0].value",
        json!({ "isEndToEndReported": false, "strata": [] }),
        "InvalidValue",
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
        |v| patch(v, json!({"entityType": "apm", "entityId": "A1234", "taxpayerIdentificationNumber": null})),
        "PiNotAllowedForEntity",
        "measurementSets[2]",
        Error,
    );
    // Virtual groups and subgroups: CMS's change log and measures data disagree, so a warning.
    fails(
        |v| patch(v, json!({"entityType": "virtualGroup", "entityId": "VG-1", "taxpayerIdentificationNumber": null})),
        "PiNotForEntity",
        "measurementSets[2]",
        Warning,
    );
}
