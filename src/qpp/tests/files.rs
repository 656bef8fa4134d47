//! Whole files: fields, arrays, malformed input, catalogues, CMS's own examples, expected
//! findings shared with the wasm run, and the demo upload files.

use super::helpers::*;

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
    let none = |_: u16| -> Option<&'static crate::qpp::catalogue::Index> { None };
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
    assert_eq!(r.diagnostics.len(), crate::qpp::rules::MAX_LISTED);
    assert_eq!(r.unlisted, 1000);
}

#[test]
fn catalogues_hold_what_the_rules_need() {
    let c = crate::qpp::embedded::year(2025).unwrap();
    let m = c.measure("AAD16").unwrap();
    assert_eq!(m.strata, ["resection", "reconstruction", "overall"]);
    assert!(m.qcdr);
    assert!(c.has_program("G0053") && c.has_program("appPlus") && !c.has_program("pcf"));
    assert!(crate::qpp::embedded::year(2021).unwrap().has_program("pcf"));
    assert!(crate::qpp::embedded::year(2019).unwrap().has_program("cpcPlus"));
    assert!(crate::qpp::embedded::year(2019).unwrap().measure("001").unwrap().programs.is_none());
    assert_eq!(crate::qpp::catalogue_files::years().collect::<Vec<_>>(), (2019..=2027).collect::<Vec<_>>());
    assert!(crate::qpp::catalogue_files::url(2025).unwrap().starts_with("/qpp-catalogue/2025."));
}

/// CMS's own QPP JSON examples (tests/fixtures/qpp, see its README) give the findings that
/// CMS's documentation predicts for them.
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
    let q = crate::qpp::qrda::read(&std::fs::read(format!("{dir}/lakeside-internal-medicine-2026.xml")).unwrap());
    assert!(q.is_usable(), "{:?}", q.problems);
    assert_eq!(
        (q.tin.as_deref(), q.performance_year, q.entity_type),
        (Some("206000069"), Some(2026), Some(crate::domain::EntityType::Group))
    );
}

/// Hostile XML: a DTD (billion laughs, an external entity naming /etc/passwd) or any entity
/// other than the five predefined ones is refused, in text and in attributes, before anything
/// is read; predefined entities and character references stay allowed.
#[test]
fn qrda_refuses_dtds_and_unknown_entities() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo-files");
    let good = std::fs::read_to_string(format!("{dir}/lakeside-internal-medicine-2026.xml")).unwrap();
    let (decl, body) = good.split_once("?>").unwrap();
    let first_code = |xml: &str| crate::qpp::qrda::read(xml.as_bytes()).problems.first().map(|p| p.code.clone());
    let laughs =
        format!("{decl}?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>{body}");
    assert_eq!(first_code(&laughs).as_deref(), Some("XmlDoctype"));
    let external = format!("{decl}?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{body}");
    let q = crate::qpp::qrda::read(external.as_bytes());
    assert_eq!(q.problems[0].code, "XmlDoctype");
    assert!(q.problems[0].message.contains("DOCTYPE") && q.problems[0].line == Some(2), "{:?}", q.problems[0]);
    let in_text = good.replacen("<realmCode code=\"US\"/>", "<realmCode code=\"US\"/><title>&xxe;</title>", 1);
    assert_eq!(first_code(&in_text).as_deref(), Some("XmlEntity"));
    let in_attr = good.replacen("<realmCode code=\"US\"/>", "<realmCode code=\"&xxe;\"/>", 1);
    let q = crate::qpp::qrda::read(in_attr.as_bytes());
    assert_eq!(q.problems[0].code, "XmlEntity");
    assert!(q.problems[0].message.contains("&xxe;"), "{}", q.problems[0].message);
    let allowed =
        good.replacen("<realmCode code=\"US\"/>", "<realmCode code=\"US\"/><title>A &amp; B &#233; &lt;</title>", 1);
    assert!(crate::qpp::qrda::read(allowed.as_bytes()).is_usable(), "predefined entities and character references");
}
