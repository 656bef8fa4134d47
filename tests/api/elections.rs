//! Elections and reporting pathways: every rule on the server, finality in the database, races.

use crate::harness::*;

on_both!(
    electing_outside_the_window_is_refused_with_dates,
    only_opt_in_eligible_practices_can_elect,
    confirmation_word_is_checked_by_the_server,
    opt_in_is_recorded_with_audit_and_shown_on_the_card,
    retry_returns_the_same_election_and_a_change_is_a_conflict,
    the_database_refuses_to_change_an_election,
    fifty_concurrent_conflicting_attempts_make_exactly_one_election,
    individual_elections_follow_the_same_rules,
    app_only_after_opt_in_and_never_for_voluntary_reporters,
    virtual_group_members_elect_through_their_virtual_group,
    pathways_only_while_data_can_be_submitted,
);

async fn electing_outside_the_window_is_refused_with_dates(h: Harness) {
    let s = h.demo().await;
    let body =
        json!({"performanceYear": 2021, "tin": OPT_IN_ELIGIBLE, "election": "OPT_IN", "confirmation": "CONFIRM"});
    let r = h.call(Method::POST, endpoints::ELECTIONS.path, Some(body), Some(&s)).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionWindowClosed");
    assert!(e["message"].as_str().unwrap().contains("March 31, 2022 at 8:00 p.m. ET"), "{e}");
    assert!(h
        .store
        .election(PerformanceYear::new(2021).unwrap(), &Tin::parse(OPT_IN_ELIGIBLE).unwrap(), None)
        .await
        .unwrap()
        .is_none());
    // The card of that year shows the options as unavailable with the same reason.
    let r = h
        .call(Method::GET, &format!("{}?year=2021", endpoints::PRACTICE.url(&[OPT_IN_ELIGIBLE])), None, Some(&s))
        .await;
    let card: PracticeCard = serde_json::from_value(r.body).unwrap();
    assert!(!card.eligibility.can_elect.allowed);
    assert!(card.eligibility.can_elect.reason.unwrap().contains("closed"));
    // The demo window closes too: a year later the same request is refused.
    h.clock.store(Timestamp::from_eastern(2027, 12, 1, 12, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    let r = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionWindowClosed");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn only_opt_in_eligible_practices_can_elect(h: Harness) {
    let s = h.demo().await;
    let r = h
        .call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(NOT_OPT_IN_ELIGIBLE, "VOLUNTARY", "CONFIRM")),
            Some(&s),
        )
        .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "NotOptInEligible");
    assert!(e["message"].as_str().unwrap().contains("not opt-in eligible"));
    let r = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(MIPS_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "AlreadyMipsEligible");
    assert!(h.stored(NOT_OPT_IN_ELIGIBLE).await.is_none() && h.stored(MIPS_ELIGIBLE).await.is_none());
    // A practice connected but without data for the year.
    let body =
        json!({"performanceYear": 2019, "tin": OPT_IN_ELIGIBLE, "election": "OPT_IN", "confirmation": "CONFIRM"});
    error_of(
        &h.call(Method::POST, endpoints::ELECTIONS.path, Some(body), Some(&s)).await,
        StatusCode::NOT_FOUND,
        "NoPracticeInformation",
    );
}

async fn confirmation_word_is_checked_by_the_server(h: Harness) {
    let s = h.demo().await;
    let r = h
        .call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRMED")),
            Some(&s),
        )
        .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ConfirmationMismatch");
    assert_eq!(e["details"][0]["path"], "$.confirmation");
    error_of(
        &h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "  ")), Some(&s))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ConfirmationRequired",
    );
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn opt_in_is_recorded_with_audit_and_shown_on_the_card(h: Harness) {
    let s = h.demo().await;
    h.advance_minutes(5);
    let r = h
        .call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", " confirm ")),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made: ElectionResponse = serde_json::from_value(r.body).unwrap();
    assert!(made.created);
    assert_eq!(made.election.elected_by, "Tessa H");
    assert_eq!(made.election.channel, ElectionChannel::Web);
    let elected_at = Timestamp(start_time().0 + 5 * 60_000);
    assert_eq!(made.election.elected_at, elected_at);
    let audit = h.store.audit(h.demo_year, &Tin::parse(OPT_IN_ELIGIBLE).unwrap(), None).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_user_id, "demo-practice");
    assert_eq!(audit[0].channel, ElectionChannel::Web);
    assert_eq!(audit[0].occurred_at, elected_at);
    assert_eq!(audit[0].statement_of_truth_agreed_at, start_time(), "the sign-in's Statement of Truth time");
    let r = h
        .call(
            Method::GET,
            &format!("{}?year={}", endpoints::PRACTICE.url(&[OPT_IN_ELIGIBLE]), h.demo_year),
            None,
            Some(&s),
        )
        .await;
    let card: PracticeCard = serde_json::from_value(r.body).unwrap();
    assert_eq!(card.eligibility.status.badge(), "MIPS ELIGIBLE VIA OPT-IN");
    assert!(!card.eligibility.can_elect.allowed, "no way to elect again");
    assert_eq!(card.eligibility.election.unwrap().election, mips_elections::domain::Election::OptIn);
}

async fn retry_returns_the_same_election_and_a_change_is_a_conflict(h: Harness) {
    let s = h.demo().await;
    let first = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "VOLUNTARY", "CONFIRM")), Some(&s))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    h.advance_minutes(3);
    let retry = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "VOLUNTARY", "confirm")), Some(&s))
        .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.body["created"], false);
    assert_eq!(retry.body["election"], first.body["election"], "the existing election, unchanged");
    let change = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    let e = error_of(&change, StatusCode::CONFLICT, "ElectionAlreadyMade");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("Report Voluntarily") && msg.contains("Tessa H") && msg.contains("final"), "{msg}");
    assert_eq!(h.stored(PAZDEROVA).await.unwrap().election, mips_elections::domain::Election::ReportVoluntarily);
    // A retry after the window closed still answers with the election.
    h.clock.store(Timestamp::from_eastern(2028, 1, 1, 0, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    assert_eq!(
        h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "VOLUNTARY", "CONFIRM")), Some(&s))
            .await
            .status,
        StatusCode::OK
    );
}

async fn the_database_refuses_to_change_an_election(h: Harness) {
    let s = h.demo().await;
    assert_eq!(
        h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")),
            Some(&s)
        )
        .await
        .status,
        StatusCode::CREATED
    );
    // A Reporting Option on record too (its choices are an audit trail).
    const KOWALCZYK: &str = "105000117";
    let opt_in =
        h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(KOWALCZYK, "OPT_IN", "CONFIRM")), Some(&s));
    assert_eq!(opt_in.await.status, StatusCode::CREATED);
    let app = json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "pathway": "TRADITIONAL_MIPS"});
    assert_eq!(h.call(Method::POST, endpoints::PATHWAYS.path, Some(app), Some(&s)).await.status, StatusCode::CREATED);
    let before = final_rows(&h).await;
    let y = h.demo_year;
    let values = format!("({y}, '{OPT_IN_ELIGIBLE}', '', 'VOLUNTARY', 1, 'x', 'WEB')");
    let columns = "(performance_year, tin, npi, election, elected_at, elected_by, channel)";
    let audit_values = format!("({y}, '{OPT_IN_ELIGIBLE}', '', 'VOLUNTARY', 'x', 'X', 'WEB', 1, 1)");
    let audit_columns = "(performance_year, tin, npi, election, actor_user_id, actor_display_name, channel, occurred_at, statement_of_truth_agreed_at)";
    // Every statement that could change or remove a final row, on both databases; each is refused
    // or has no effect.
    let mut hostile = vec![
        "UPDATE elections SET election = 'VOLUNTARY'".to_string(),
        "DELETE FROM elections".to_string(),
        "UPDATE election_audit SET election = 'VOLUNTARY'".to_string(),
        "DELETE FROM election_audit".to_string(),
        format!("INSERT INTO elections {columns} VALUES {values}"),
        format!("INSERT INTO elections {columns} VALUES {values} ON CONFLICT (performance_year, tin, npi) DO UPDATE SET election = excluded.election"),
        format!("INSERT INTO election_audit {audit_columns} VALUES {audit_values} ON CONFLICT (performance_year, tin, npi) DO UPDATE SET election = excluded.election"),
    ];
    match h.store.backend() {
        Backend::Sqlite => hostile.extend([
            format!("INSERT OR REPLACE INTO elections {columns} VALUES {values}"),
            format!("REPLACE INTO elections {columns} VALUES {values}"),
            format!("INSERT OR REPLACE INTO election_audit {audit_columns} VALUES {audit_values}"),
            "UPDATE OR REPLACE elections SET election = 'VOLUNTARY'".to_string(),
            // A NULL NPI: REPLACE stores the column's default ('') in its place, which is the
            // group's key (a hole until migration 0013).
            format!("INSERT OR REPLACE INTO elections {columns} VALUES {}", values.replace("'', 'VOLUNTARY'", "NULL, 'VOLUNTARY'")),
            format!(
                "INSERT OR REPLACE INTO election_audit {audit_columns} VALUES {}",
                audit_values.replace("'', 'VOLUNTARY'", "NULL, 'VOLUNTARY'")
            ),
            format!(
                "INSERT OR REPLACE INTO reporting_pathway_choices (performance_year, tin, npi, choice_number, pathway, chosen_at, chosen_by, actor_user_id) \
                 VALUES ({y}, '{KOWALCZYK}', NULL, 1, 'APP', 1, 'x', 'x')"
            ),
        ]),
        Backend::Postgres => hostile.extend([
            "TRUNCATE elections CASCADE".to_string(),
            "TRUNCATE election_audit".to_string(),
            "TRUNCATE reporting_pathway_choices".to_string(),
        ]),
    }
    for sql in &hostile {
        match h.store.execute_raw(sql).await {
            Err(e) => {
                let said = e.to_string();
                assert!(
                    ["final", "append-only", "audit trail", "UNIQUE", "duplicate key"].iter().any(|w| said.contains(w)),
                    "{sql}: {said}"
                );
            }
            Ok(n) => assert_eq!(n, 0, "{sql} changed {n} rows"),
        }
        assert_eq!(final_rows(&h).await, before, "{sql}");
    }
    assert_eq!(h.stored(OPT_IN_ELIGIBLE).await.unwrap().election, mips_elections::domain::Election::OptIn);
}

/// The election, audit and Reporting Option rows as text, to compare before and after.
async fn final_rows(h: &Harness) -> Vec<String> {
    let mut out = vec![];
    for sql in [
        "SELECT performance_year, tin, npi, election, elected_at, elected_by, channel FROM elections ORDER BY tin, npi",
        "SELECT performance_year, tin, npi, election, actor_user_id, occurred_at FROM election_audit ORDER BY tin, npi",
        "SELECT performance_year, tin, npi, choice_number, pathway, chosen_at FROM reporting_pathway_choices ORDER BY tin, npi, choice_number",
    ] {
        out.extend(h.store.rows_as_text(sql).await.unwrap());
    }
    out
}

async fn fifty_concurrent_conflicting_attempts_make_exactly_one_election(h: Harness) {
    let s = h.demo().await;
    let h = Arc::new(h);
    let mut tasks = vec![];
    for i in 0..50 {
        let (h, s) = (h.clone(), s.clone());
        let choice = if i % 2 == 0 { "OPT_IN" } else { "VOLUNTARY" };
        tasks.push(tokio::spawn(async move {
            (
                choice,
                h.call(
                    Method::POST,
                    endpoints::ELECTIONS.path,
                    Some(h.election(PAZDEROVA, choice, "CONFIRM")),
                    Some(&s),
                )
                .await,
            )
        }));
    }
    let mut results = vec![];
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let created: Vec<_> = results.iter().filter(|(_, r)| r.status == StatusCode::CREATED).collect();
    assert_eq!(
        created.len(),
        1,
        "exactly one creates: {:?}",
        results.iter().map(|(c, r)| (c, r.status, r.body.to_string())).collect::<Vec<_>>()
    );
    let winner = created[0].0;
    for (choice, r) in &results {
        if r.status == StatusCode::CREATED {
            continue;
        }
        if *choice == winner {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        } else {
            error_of(r, StatusCode::CONFLICT, "ElectionAlreadyMade");
        }
    }
    let stored = h.stored(PAZDEROVA).await.unwrap();
    assert_eq!(stored.election.code(), winner);
    assert_eq!(h.store.audit(h.demo_year, &Tin::parse(PAZDEROVA).unwrap(), None).await.unwrap().len(), 1);
}

async fn individual_elections_follow_the_same_rules(h: Harness) {
    let s = h.demo().await;
    let body = |tin: &str, n: &str, e: &str| json!({"performanceYear": h.demo_year.get(), "tin": tin, "npi": n, "election": e, "confirmation": "confirm"});
    let r = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(body(PAZDEROVA, &npi("10300001"), "OPT_IN")), Some(&s))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["election"]["npi"], npi("10300001"));
    // The group is untouched: individual and group elections are separate.
    assert!(h.stored(PAZDEROVA).await.is_none());
    error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(body(PAZDEROVA, &npi("10300001"), "VOLUNTARY")),
            Some(&s),
        )
        .await,
        StatusCode::CONFLICT,
        "ElectionAlreadyMade",
    );
    // Opt-in eligible individually inside a MIPS eligible practice.
    assert_eq!(
        h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(body(MIPS_ELIGIBLE, &npi("10600014"), "VOLUNTARY")),
            Some(&s)
        )
        .await
        .status,
        StatusCode::CREATED
    );
    error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(body(MIPS_ELIGIBLE, &npi("10600012"), "OPT_IN")),
            Some(&s),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "AlreadyMipsEligible",
    );
    error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(body(OPT_IN_ELIGIBLE, &npi("10400011"), "OPT_IN")),
            Some(&s),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "NotOptInEligible",
    );
    // A clinician of another TIN, and a clinician of a practice not yours.
    error_of(
        &h.call(Method::POST, endpoints::ELECTIONS.path, Some(body(PAZDEROVA, &npi("10600014"), "OPT_IN")), Some(&s))
            .await,
        StatusCode::NOT_FOUND,
        "NoProviderInformation",
    );
    error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(body(NOT_CONNECTED, &npi("10800014"), "OPT_IN")),
            Some(&s),
        )
        .await,
        StatusCode::FORBIDDEN,
        "NotConnectedToPractice",
    );
    let audit = h
        .store
        .audit(
            h.demo_year,
            &Tin::parse(PAZDEROVA).unwrap(),
            Some(&mips_elections::domain::Npi::parse(&npi("10300001")).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

async fn app_only_after_opt_in_and_never_for_voluntary_reporters(h: Harness) {
    let s = h.demo().await;
    const KOWALCZYK: &str = "105000117";
    let agnieszka = npi("10500011");
    let pathway = |n: Option<&str>, p: &str| json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "npi": n, "pathway": p});
    // Before any election: elect first.
    error_of(
        &h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(None, "APP")), Some(&s)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ElectionRequired",
    );
    // Group opts in, then chooses the APP; the card offers nothing more and shows the choice.
    assert_eq!(
        h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(KOWALCZYK, "OPT_IN", "CONFIRM")), Some(&s))
            .await
            .status,
        StatusCode::CREATED
    );
    let card: PracticeCard = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&[KOWALCZYK]), h.demo_year), None, Some(&s))
            .await
            .body,
    )
    .unwrap();
    use mips_elections::domain::ReportingPathway::{App, Both, TraditionalMips};
    assert_eq!(card.eligibility.offered_pathways, vec![TraditionalMips, App, Both]);
    let r = h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(None, "APP")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(None, "APP")), Some(&s)).await.status,
        StatusCode::OK,
        "repeat is harmless"
    );
    // Unlike the election, the Reporting Option may be changed while data can be submitted
    // ("traditional MIPS and/or the APP"), and each change is kept.
    h.advance_minutes(5);
    let r = h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(None, "BOTH")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["pathway"]["pathway"], "BOTH");
    assert_eq!(r.body["pathway"]["earlierChoices"], 1);
    let card: PracticeCard = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&[KOWALCZYK]), h.demo_year), None, Some(&s))
            .await
            .body,
    )
    .unwrap();
    let current = card.eligibility.pathway.unwrap();
    assert_eq!((current.pathway, current.earlier_choices), (Both, 1));
    assert_eq!(card.eligibility.offered_pathways, vec![TraditionalMips, App, Both], "still changeable");
    let trail = h
        .store
        .rows_as_text(&format!(
            "SELECT pathway FROM reporting_pathway_choices WHERE tin = '{KOWALCZYK}' AND npi = '' ORDER BY choice_number"
        ))
        .await
        .unwrap();
    assert_eq!(trail, ["APP", "BOTH"], "the audit trail keeps every choice");
    // An APM participant who reports voluntarily is never offered, nor allowed, the APP.
    let vol = json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "npi": agnieszka, "election": "VOLUNTARY", "confirmation": "CONFIRM"});
    assert_eq!(h.call(Method::POST, endpoints::ELECTIONS.path, Some(vol), Some(&s)).await.status, StatusCode::CREATED);
    let c: ClinicianCard = serde_json::from_value(
        h.call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIAN.url(&[KOWALCZYK, &agnieszka]), h.demo_year),
            None,
            Some(&s),
        )
        .await
        .body,
    )
    .unwrap();
    // A voluntary reporter is never sent to Reporting Options: it has no option to choose (the 2021
    // guide: "If you elected to opt-in, you'll be brought to the Reporting Options page").
    assert!(c.eligibility.offered_pathways.is_empty());
    error_of(
        &h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(Some(&agnieszka), "TRADITIONAL_MIPS")), Some(&s))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "NoReportingOptionForVoluntaryReporters",
    );
    let e = error_of(
        &h.call(Method::POST, endpoints::PATHWAYS.path, Some(pathway(Some(&agnieszka), "APP")), Some(&s)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VoluntaryReportingViaAppNotPermitted",
    );
    assert!(e["message"].as_str().unwrap().contains("can't voluntarily report"));
    // Not a MIPS APM participant.
    assert_eq!(
        h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s))
            .await
            .status,
        StatusCode::CREATED
    );
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "pathway": "APP"});
    error_of(
        &h.call(Method::POST, endpoints::PATHWAYS.path, Some(body), Some(&s)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "NotApmParticipant",
    );
    let upd = h.store.execute_raw("UPDATE reporting_pathway_choices SET pathway = 'TRADITIONAL_MIPS'").await;
    assert!(upd.unwrap_err().to_string().contains("audit trail"));
    let del = h.store.execute_raw("DELETE FROM reporting_pathway_choices").await;
    assert!(del.unwrap_err().to_string().contains("audit trail"));
}

async fn virtual_group_members_elect_through_their_virtual_group(h: Harness) {
    let vg = VirtualGroupSummary {
        vg_id: "VG-T1".into(),
        name: "Test VG".into(),
        member_tins: vec![Tin::parse(PAZDEROVA).unwrap()],
        elected_on: "2025-12-01".into(),
        is_demo: false,
    };
    h.store.upsert_virtual_group(h.demo_year, &vg, "other-practice").await.unwrap();
    let s = h.demo().await;
    let e = error_of(
        &h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(PAZDEROVA, "OPT_IN", "CONFIRM")), Some(&s))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VirtualGroupCannotElect",
    );
    assert!(e["message"].as_str().unwrap().contains("virtual-group election"));
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "npi": npi("10300001"), "election": "OPT_IN", "confirmation": "CONFIRM"});
    error_of(
        &h.call(Method::POST, endpoints::ELECTIONS.path, Some(body), Some(&s)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VirtualGroupCannotElect",
    );
    let card: PracticeCard = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&[PAZDEROVA]), h.demo_year), None, Some(&s))
            .await
            .body,
    )
    .unwrap();
    assert!(!card.eligibility.can_elect.allowed);
    assert!(h.stored(PAZDEROVA).await.is_none());
}

async fn pathways_only_while_data_can_be_submitted(h: Harness) {
    let s = h.demo().await;
    const KOWALCZYK: &str = "105000117";
    assert_eq!(
        h.call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(KOWALCZYK, "OPT_IN", "CONFIRM")), Some(&s))
            .await
            .status,
        StatusCode::CREATED
    );
    let choose = |p: &str| json!({"performanceYear": h.demo_year.get(), "tin": KOWALCZYK, "pathway": p});
    let r = h.call(Method::POST, endpoints::PATHWAYS.path, Some(choose("TRADITIONAL_MIPS")), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    h.clock.store(Timestamp::from_eastern(2028, 6, 1, 12, 0).0, Ordering::SeqCst);
    let s = h.demo().await;
    // After the submission window, the choice stands: no change, and the card offers none; the
    // same choice again is still answered as it stands.
    let e = error_of(
        &h.call(Method::POST, endpoints::PATHWAYS.path, Some(choose("APP")), Some(&s)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "SubmissionWindowClosed",
    );
    assert!(e["message"].as_str().unwrap().contains("8:00 p.m. ET"), "{e}");
    let again = h.call(Method::POST, endpoints::PATHWAYS.path, Some(choose("TRADITIONAL_MIPS")), Some(&s)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let card: PracticeCard = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&[KOWALCZYK]), h.demo_year), None, Some(&s))
            .await
            .body,
    )
    .unwrap();
    assert!(card.eligibility.offered_pathways.is_empty());
}

// Only PostgreSQL has roles.
on_one!(application_role, Postgres, the_application_role_elects_but_can_never_change_an_election);

/// With `DATABASE_OWNER_URL`, the server's own role can do everything the app does and nothing
/// that changes or removes a final row, whatever SQL it runs.
async fn the_application_role_elects_but_can_never_change_an_election(h: Harness) {
    let database = h.url.rsplit('/').next().unwrap().to_string();
    let role = format!("app_{database}");
    h.store.execute_raw(&format!("CREATE ROLE {role} LOGIN")).await.unwrap();
    let app_url = h.url.replacen("postgres@", &format!("{role}@"), 1);
    let app_store = Store::connect_application(&app_url, &h.url).await.unwrap();
    let app = h.through(app_store.clone(), Config::default(), None);
    // The whole election flow runs as the application role.
    let s = app.demo().await;
    let r = app
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let before = final_rows(&h).await;
    for sql in [
        "UPDATE elections SET election = 'VOLUNTARY'",
        "DELETE FROM elections",
        "DELETE FROM election_audit",
        "TRUNCATE elections CASCADE",
        "TRUNCATE election_audit",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'x', true, '\\x00', 0)",
        "ALTER TABLE elections DISABLE TRIGGER ALL",
        "DROP TRIGGER elections_are_final_no_update ON elections",
        "DROP TABLE election_audit",
        "SET session_replication_role = replica",
        "UPDATE reporting_pathway_choices SET pathway = 'APP'",
        "DELETE FROM reporting_pathway_choices",
        "TRUNCATE reporting_pathway_choices",
        "DROP TABLE reporting_pathway_choices",
    ] {
        let e = app_store.execute_raw(sql).await.expect_err(sql).to_string();
        assert!(e.contains("permission denied") || e.contains("must be owner"), "{sql}: {e}");
        assert_eq!(final_rows(&h).await, before, "{sql}");
    }
    app_store.close().await;
}
