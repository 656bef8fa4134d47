//! `mips-elections import eligibility`: CMS's determinations replace a year's data in one
//! transaction, a bad record stores nothing, the same file again changes nothing, and elections
//! outlive the runs that made them possible.

use crate::harness::*;
use crate::registry_harness::{registry, DEMO_REGISTRY_ID};
use mips_elections::domain::{Election, Npi};
use mips_elections::server::services::import::{import, text_of, ImportFailure, ImportOutcome};
use mips_elections::server::store::data_runs::RunFacts;

on_both!(
    a_later_run_replaces_determinations_and_keeps_elections,
    a_bad_record_stores_nothing_and_the_same_file_changes_nothing,
    each_kind_of_bad_record_is_named_by_its_place_and_field,
    cms_exclusions_refuse_elections_with_their_own_sentence,
    excluded_clinicians_report_voluntarily_through_a_registry_without_an_election,
    virtual_group_members_in_the_file_are_never_offered_an_election,
);

/// One clinician line in CMS's v6 shape for the demo year's practices.
fn line(npi: &str, tin: &str, name: &str, group_opt_in: bool, individual: Value) -> String {
    let mut scenario =
        json!({"isEligible": {"individual": false}, "isOptInEligible": true, "mipsEligibleSwitch": true});
    for (k, v) in individual.as_object().unwrap() {
        scenario[k] = v.clone();
    }
    json!({
        "npi": npi, "firstName": "Imported", "lastName": name, "newlyEnrolled": false, "qpStatus": "N",
        "organizations": [{
            "TIN": tin, "prvdrOrgName": format!("{name} Practice"), "addressLineOne": "1 Main Street",
            "city": "Duluth", "state": "MN", "zip": "558020000",
            "individualScenario": scenario,
            "groupScenario": {"isEligible": {"group": false}, "isOptInEligible": group_opt_in},
        }]
    })
    .to_string()
}

async fn run(h: &Harness, lines: &[String]) -> Result<ImportOutcome, ImportFailure> {
    run_text(h, h.demo_year, &(lines.join("\n") + "\n")).await
}

async fn run_text(h: &Harness, year: PerformanceYear, text: &str) -> Result<ImportOutcome, ImportFailure> {
    let text = text_of(text.as_bytes().to_vec()).unwrap();
    let facts = RunFacts {
        file_name: "eligibility.ndjson",
        content_sha256: mips_elections::server::secrets::sha256_hex(text.as_bytes()),
        released_on: "2026-11-02".into(),
        now: start_time(),
        demo: false,
        description: None,
    };
    import(&h.store, year, &text, facts, &mut |_, _| {}).await
}

/// The refusal a file gets, as the terminal prints it.
async fn refusal(h: &Harness, year: PerformanceYear, text: &str) -> String {
    match run_text(h, year, text).await {
        Err(ImportFailure::Refused(e)) => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The demo year's practice rows among the demo TINs.
async fn practice_count(h: &Harness) -> usize {
    let tins: Vec<Tin> = ["103000013", "104000093", "105000117", "106000125", "107000133", "108000141"]
        .iter()
        .map(|t| Tin::parse(t).unwrap())
        .collect();
    h.store.practices_in(mips_elections::server::store::Scope::Tins(&tins), h.demo_year).await.unwrap().len()
}

async fn a_later_run_replaces_determinations_and_keeps_elections(h: Harness) {
    let s = h.demo().await;
    let r = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // CMS's later run no longer calls the practice opt-in eligible.
    let out = run(&h, &[line(&npi("04000009"), OPT_IN_ELIGIBLE, "Dittrich", false, json!({}))]).await.unwrap();
    assert_eq!((out.unchanged, out.clinicians, out.practices, out.opt_in_eligible), (false, 1, 1, 1));
    // The election stands, and the card says so with CMS's status.
    let stored = h.stored(OPT_IN_ELIGIBLE).await.expect("the election is kept");
    assert_eq!(stored.election, Election::OptIn);
    // The Eligibility API reads CMS's determination, not figures, and keeps the decision.
    let path = format!("{}?year={}", endpoints::ELIGIBILITY_NPI.url(&[&npi("04000009")]), h.demo_year);
    let r = h.call(Method::GET, &path, None, Some(&s)).await;
    let org = &r.body["data"]["organizations"][0];
    assert_eq!(org["groupScenario"]["isOptInEligible"], false, "{}", r.body);
    assert_eq!(org["groupScenario"]["isOptedIn"], true, "the election stands");
    assert_eq!(org["individualScenario"]["isOptInEligible"], true);
    assert_eq!(org["individualScenario"]["isEligible"]["individual"], false);
    assert_eq!(org["individualScenario"]["lowVolumeStatusReasons"], json!([]), "no figures, no reason");
    let path = format!("{}?year={}", endpoints::PRACTICE.url(&[OPT_IN_ELIGIBLE]), h.demo_year);
    let r = h.call(Method::GET, &path, None, Some(&s)).await;
    let card: PracticeCard = serde_json::from_value(r.body.clone()).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    assert_eq!(card.name, "Dittrich Practice");
    assert!(!card.eligibility.figures_provided);
    let said = &card.eligibility.status_explanation;
    assert!(said.contains("CMS determined it is not opt-in eligible") && said.contains("stands"), "{said}");
    // The year's other demo practices are gone: the run replaced the year's determinations.
    let r = h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await;
    let tins: Vec<String> = serde_json::from_value::<PracticesResponse>(r.body)
        .unwrap()
        .practices
        .iter()
        .map(|p| p.tin.to_string())
        .collect();
    assert_eq!(tins, vec![OPT_IN_ELIGIBLE.to_string()]);
    // The year names its new data run.
    let r = h.call(Method::GET, endpoints::PERFORMANCE_YEARS.path, None, Some(&s)).await;
    let years: PerformanceYearsResponse = serde_json::from_value(r.body).unwrap();
    let info = years.years.iter().find(|y| y.performance_year == h.demo_year).unwrap();
    let last = info.data_runs.last().unwrap();
    assert_eq!(last.run_number, out.run_number);
    assert!(
        last.description.contains("eligibility.ndjson: 1 clinicians, 1 practices, 1 opt-in eligible"),
        "{}",
        last.description
    );
}

async fn a_bad_record_stores_nothing_and_the_same_file_changes_nothing(h: Harness) {
    let before = practice_count(&h).await;
    let runs_before = h.store.data_runs().await.unwrap().len();
    let good = line(&npi("04000009"), OPT_IN_ELIGIBLE, "Dittrich", true, json!({}));
    let bad = line(&npi("04000010"), "10400009", "Short", true, json!({}));
    match run(&h, &[good.clone(), bad]).await {
        Err(ImportFailure::Refused(e)) => {
            assert_eq!((e.line, e.field.as_str()), (2, "organizations[0].TIN"));
            assert!(e.message.contains("has 8 digits"), "{e}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(practice_count(&h).await, before, "nothing imported");
    assert_eq!(h.store.data_runs().await.unwrap().len(), runs_before);
    let first = run(&h, std::slice::from_ref(&good)).await.unwrap();
    assert!(!first.unchanged);
    let again = run(&h, &[good]).await.unwrap();
    assert!(again.unchanged);
    assert_eq!(again.run_number, first.run_number);
    assert_eq!(h.store.data_runs().await.unwrap().len(), runs_before + 1);
}

/// Not JSON, an NPI that is not 10 digits, a group scenario that disagrees between two clinicians
/// of one TIN, a year outside the table: each refuses the whole file, saying where and what. Two
/// clinicians of one TIN in different APMs are not a disagreement (APM participation is each
/// clinician's own). In a JSON array the place is the item's number.
async fn each_kind_of_bad_record_is_named_by_its_place_and_field(h: Harness) {
    let before = practice_count(&h).await;
    let y = h.demo_year;
    let good = line(&npi("04000009"), OPT_IN_ELIGIBLE, "Dittrich", true, json!({}));
    let said = refusal(&h, y, &format!("{good}\n{{\"npi\": \n")).await;
    assert!(said.starts_with("line 2: not valid JSON at column"), "{said}");
    let said =
        refusal(&h, y, &format!("{good}\n{}\n", line("123456789", OPT_IN_ELIGIBLE, "Nine", true, json!({})))).await;
    assert!(said.starts_with("line 2, npi: NPI \"123456789\" has 9 digits"), "{said}");
    let other = line(&npi("04000010"), OPT_IN_ELIGIBLE, "Other", false, json!({}));
    let said = refusal(&h, y, &format!("{good}\n\n{other}\n")).await;
    assert_eq!(said, format!("line 3, organizations[0].groupScenario: disagrees with the group scenario of TIN {OPT_IN_ELIGIBLE} on line 1: a TIN has one group determination"));
    let array = format!("[{good},{other}]");
    let said = refusal(&h, y, &array).await;
    assert!(
        said.starts_with("array item 2, organizations[0].groupScenario: disagrees with the group scenario of TIN")
            && said.contains("on array item 1"),
        "{said}"
    );
    let said = refusal(
        &h,
        PerformanceYear::new(mips_elections::domain::lvt::last_threshold_year() + 1).unwrap(),
        &format!("{good}\n"),
    )
    .await;
    assert!(said.contains("is outside the low-volume threshold table"), "{said}");
    assert_eq!(practice_count(&h).await, before, "nothing imported");
    // One clinician of the TIN in a MIPS APM, the other not: the TIN is in a MIPS APM.
    let in_apm = line(&npi("04000010"), OPT_IN_ELIGIBLE, "Apm", true, json!({}))
        .replace("\"groupScenario\"", "\"apms\":[{\"mipsApmFlag\":true,\"apmId\":\"08\"}],\"groupScenario\"");
    let out = run(&h, &[good, in_apm]).await.unwrap();
    assert_eq!((out.clinicians, out.practices), (2, 1));
    let tin = Tin::parse(OPT_IN_ELIGIBLE).unwrap();
    let p = h.store.practices_in(mips_elections::server::store::Scope::Tins(&[tin]), y).await.unwrap();
    assert!(p[0].facts.mips_apm_participant, "any clinician in a MIPS APM makes the TIN one");
}

async fn cms_exclusions_refuse_elections_with_their_own_sentence(h: Harness) {
    let s = h.demo().await;
    let qp = npi("04000009");
    let newly = npi("04000010");
    run(
        &h,
        &[
            line(&qp, OPT_IN_ELIGIBLE, "Quinn", true, json!({})).replace("\"qpStatus\":\"N\"", "\"qpStatus\":\"Y\""),
            line(&newly, OPT_IN_ELIGIBLE, "Newman", true, json!({}))
                .replace("\"newlyEnrolled\":false", "\"newlyEnrolled\":true"),
        ],
    )
    .await
    .unwrap();
    for (n, code, words) in
        [(&qp, "QualifyingApmParticipant", "Qualifying APM Participant"), (&newly, "NewlyEnrolled", "newly enrolled")]
    {
        let mut body = h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM");
        body["npi"] = json!(n);
        let r = h.call(Method::POST, endpoints::ELECTIONS.path, Some(body), Some(&s)).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, code);
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
        // The card says the same, and that no election can ever be made here (no way to one).
        let path = format!("{}?year={}", endpoints::CLINICIAN.url(&[OPT_IN_ELIGIBLE, n]), h.demo_year);
        let card = h.call(Method::GET, &path, None, Some(&s)).await.body;
        let can = &card["eligibility"]["canElect"];
        assert_eq!((&can["allowed"], &can["never"]), (&json!(false), &json!(true)), "{card}");
        assert!(can["reason"].as_str().unwrap().contains(words), "{card}");
    }
    // The public lookup says who is a QP, from the imported qpStatus.
    for (n, qp) in [(&qp, "Y"), (&newly, "N")] {
        let path = format!("{}?year={}", endpoints::ELIGIBILITY_NPI.url(&[n]), h.demo_year);
        assert_eq!(h.call(Method::GET, &path, None, None).await.body["data"]["qpStatus"], qp);
    }
    // The group is still opt-in eligible (CMS's group scenario), and elects.
    let r = h
        .call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "VOLUNTARY", "CONFIRM")),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// `virtualGroups[]` in CMS's data makes the TIN a virtual-group member: the virtual group's
/// election is its members', so neither the group nor its clinicians may elect; a later run
/// without the membership lifts that. A masked identifier refuses the whole file.
async fn virtual_group_members_in_the_file_are_never_offered_an_election(h: Harness) {
    let s = h.demo().await;
    let clinician = npi("04000011");
    let member = line(&clinician, OPT_IN_ELIGIBLE, "Virta", true, json!({})).replace(
        "\"groupScenario\"",
        "\"virtualGroups\":[{\"virtualGroupIdentifier\":\"VG-77001\",\"claimsTypes\":\"CAH2\"}],\"groupScenario\"",
    );
    run(&h, std::slice::from_ref(&member)).await.unwrap();
    let e = error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")),
            Some(&s),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VirtualGroupCannotElect",
    );
    assert!(e["message"].as_str().unwrap().contains("virtual-group election"), "{e}");
    let mut individual = h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM");
    individual["npi"] = json!(clinician);
    let r = h.call(Method::POST, endpoints::ELECTIONS.path, Some(individual.clone()), Some(&s)).await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "VirtualGroupCannotElect");
    let card: PracticeCard = serde_json::from_value(
        h.call(
            Method::GET,
            &format!("{}?year={}", endpoints::PRACTICE.url(&[OPT_IN_ELIGIBLE]), h.demo_year),
            None,
            Some(&s),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(!card.eligibility.can_elect.allowed);
    // The next run no longer lists the membership: the clinician may elect again.
    run(&h, &[line(&clinician, OPT_IN_ELIGIBLE, "Virta", true, json!({}))]).await.unwrap();
    let r = h.call(Method::POST, endpoints::ELECTIONS.path, Some(individual), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // An identifier masked as in CMS's public answers can't be imported.
    let masked = member.replace("VG-77001", "XXXXXX");
    match run(&h, &[masked]).await {
        Err(ImportFailure::Refused(e)) => {
            let said = e.to_string();
            assert!(said.contains("organizations[0].virtualGroups[0].virtualGroupIdentifier"), "{said}");
            assert!(said.contains("looks masked"), "{said}");
        }
        other => panic!("{other:?}"),
    }
}

/// A QP, a newly enrolled clinician and a clinician type not eligible for MIPS can't elect
/// through a registry either, each with its own sentence; their data is accepted as voluntary
/// reporting without an election, saying why (CMS: clinicians excluded from MIPS may report
/// voluntarily with no election).
async fn excluded_clinicians_report_voluntarily_through_a_registry_without_an_election(h: Harness) {
    let (qp, newly, other) = (npi("04000009"), npi("04000010"), npi("04000011"));
    run(
        &h,
        &[
            line(&qp, OPT_IN_ELIGIBLE, "Quinn", true, json!({})).replace("\"qpStatus\":\"N\"", "\"qpStatus\":\"Y\""),
            line(&newly, OPT_IN_ELIGIBLE, "Newman", true, json!({}))
                .replace("\"newlyEnrolled\":false", "\"newlyEnrolled\":true"),
            line(&other, OPT_IN_ELIGIBLE, "Ot", true, json!({"mipsEligibleSwitch": false})),
        ],
    )
    .await
    .unwrap();
    let s = registry(&h).await;
    let people = [
        (&qp, "QUALIFYING_APM_PARTICIPANT", "Qualifying APM Participant"),
        (&newly, "NEWLY_ENROLLED", "newly enrolled"),
        (&other, "INELIGIBLE_CLINICIAN_TYPE", "not a clinician type eligible"),
    ];
    let body = json!({"performanceYear": h.demo_year.get(), "participants": people.iter().map(|(n, _, _)| json!({"tin": OPT_IN_ELIGIBLE, "npi": n, "entityType": "individual"})).collect::<Vec<_>>()});
    let r =
        h.call(Method::POST, &endpoints::REGISTRY_PARTICIPANTS.url(&[DEMO_REGISTRY_ID]), Some(body), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for (row, (_, code, words)) in r.body["participants"].as_array().unwrap().iter().zip(people) {
        assert_eq!(
            (&row["standing"]["status"], &row["standing"]["exclusion"]),
            (&json!("EXCLUDED_FROM_MIPS"), &json!(code)),
            "{row}"
        );
        let said = mips_elections::domain::registry::ParticipantStanding::ExcludedFromMips {
            exclusion: serde_json::from_value(json!(code)).unwrap(),
        }
        .no_election_reason()
        .unwrap();
        assert!(said.starts_with("Voluntary reporting, no election needed") && said.contains(words), "{said}");
    }
    let elections: Vec<Value> =
        people.iter().map(|(n, _, _)| json!({"tin": OPT_IN_ELIGIBLE, "npi": n, "election": "OPT_IN"})).collect();
    let body = json!({"performanceYear": h.demo_year.get(), "elections": elections, "confirmation": "CONFIRM"});
    let r = h.call(Method::POST, &endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]), Some(body), Some(&s)).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionRefused");
    let details = e["details"].as_array().unwrap();
    assert_eq!(details.len(), 3, "one refusal each: {e}");
    for (d, (_, _, words)) in details.iter().zip(people) {
        assert!(d["message"].as_str().unwrap().contains(words), "each its own sentence: {e}");
    }
    for (n, _, _) in people {
        assert!(h
            .store
            .election(h.demo_year, &Tin::parse(OPT_IN_ELIGIBLE).unwrap(), Some(&Npi::parse(n).unwrap()))
            .await
            .unwrap()
            .is_none());
    }
}
