//! The registry's participant lookup, its API token, and an upload of 10,000 participants.

use crate::harness::*;
use crate::registry_harness::*;

on_both!(
    lookup_says_where_each_participant_stands,
    api_token_is_for_the_security_official_and_can_be_revoked,
    a_registry_elects_for_a_tin_it_never_dealt_with,
    concurrent_registry_elections_make_one_each_and_answer_by_choice,
    a_list_of_elections_is_answered_per_entity,
);

// 10,000 participants: SQLite only, for time.
on_one!(large, Sqlite, ten_thousand_participants_and_the_body_limit);

/// Pazderová, Dudek and Zelený (opt-in eligible) has never had anything to do with the demo
/// registry: the registry may still make its election, as CMS allows for any TIN.
async fn a_registry_elects_for_a_tin_it_never_dealt_with(h: Harness) {
    let s = registry(&h).await;
    let el = json!({"performanceYear": h.demo_year.get(), "confirmation": "CONFIRM", "elections": [{"tin": "103000013", "election": "VOLUNTARY"}]});
    let r = h.call(Method::POST, &endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]), Some(el), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let stored = h.store.election(h.demo_year, &Tin::parse("103000013").unwrap(), None).await.unwrap().unwrap();
    assert_eq!(stored.election, mips_elections::domain::Election::ReportVoluntarily);
}

/// CMS's shape for programs: a list of elections in, an answer per entity out. What the rules
/// allow is recorded even when others in the list are refused, each refusal with its code; when
/// nothing could be recorded, the call is refused as a whole (409 naming the recorded election).
async fn a_list_of_elections_is_answered_per_entity(h: Harness) {
    let s = registry(&h).await;
    let path = endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]);
    let el = |tin: &str, election: &str| json!({"tin": tin, "election": election});
    let body = json!({"performanceYear": h.demo_year.get(), "confirmation": "CONFIRM", "elections": [
        el(HARBOR, "OPT_IN"), el("203000035", "OPT_IN"), el("205000051", "OPT_IN"), el("204000043", "VOLUNTARY"), el(HARBOR, "VOLUNTARY"),
    ]});
    let r = h.call(Method::POST, &path, Some(body), Some(&s)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["recorded"], json!([{"tin": HARBOR, "election": "OPT_IN"}]));
    assert_eq!(r.body["alreadyMade"], json!([{"tin": "203000035", "election": "OPT_IN"}]));
    let refused: Vec<(String, String)> = r.body["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["path"].as_str().unwrap().to_string(), x["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        refused,
        [
            ("$.elections[2]".to_string(), "AlreadyMipsEligible".to_string()),
            ("$.elections[3]".to_string(), "NotOptInEligible".to_string()),
            ("$.elections[4]".to_string(), "NamedTwice".to_string()),
        ]
    );
    assert!(h.store.election(h.demo_year, &Tin::parse("205000051").unwrap(), None).await.unwrap().is_none());
    // Nothing recordable: refused as a whole, naming each participant.
    let body = json!({"performanceYear": h.demo_year.get(), "confirmation": "CONFIRM", "elections": [
        el("205000051", "OPT_IN"), el(HARBOR, "VOLUNTARY"),
    ]});
    let r = h.call(Method::POST, &path, Some(body), Some(&s)).await;
    let e = error_of(&r, StatusCode::CONFLICT, "ElectionAlreadyMade");
    assert!(e["message"].as_str().unwrap().contains(HARBOR), "{e}");
    let details: Vec<&str> = e["details"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(details, ["$.elections[0]", "$.elections[1]"]);
    let stored = h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap().unwrap();
    assert_eq!(stored.election, mips_elections::domain::Election::OptIn, "unchanged");
}

/// Sixty concurrent registry elections for three participants, with mixed choices: exactly one
/// election each; every answer whose choice is the stored one is a 201 or a replay (200), every
/// other a 409 naming the stored election. Never a 5xx.
async fn concurrent_registry_elections_make_one_each_and_answer_by_choice(h: Harness) {
    let s = registry(&h).await;
    let h = Arc::new(h);
    let participants = [(HARBOR, None), (LAKESIDE, None), (HARBOR, Some(MAYA))];
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let (h, s) = (h.clone(), s.clone());
            let (tin, npi) = participants[i % 3];
            let choice = if (i / 3) % 2 == 0 { "OPT_IN" } else { "VOLUNTARY" };
            tokio::spawn(async move {
                let el = json!({"performanceYear": h.demo_year.get(), "confirmation": "CONFIRM",
                    "elections": [{"tin": tin, "npi": npi, "election": choice}]});
                let path = endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]);
                (i % 3, choice, h.call(Method::POST, &path, Some(el), Some(&s)).await)
            })
        })
        .collect();
    let mut answers = vec![];
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    for (p, (tin, npi)) in participants.iter().enumerate() {
        let tin = Tin::parse(tin).unwrap();
        let npi = npi.map(|n| mips_elections::domain::Npi::parse(n).unwrap());
        let stored = h.store.election(h.demo_year, &tin, npi.as_ref()).await.unwrap().expect("one election each");
        let created = answers.iter().filter(|(q, _, r)| *q == p && r.status == StatusCode::CREATED).count();
        assert_eq!(created, 1, "participant {p}: exactly one answer made the election");
        for (_, choice, r) in answers.iter().filter(|(q, _, _)| *q == p) {
            if *choice == stored.election.code() {
                assert!(matches!(r.status, StatusCode::CREATED | StatusCode::OK), "{choice}: {} {}", r.status, r.body);
            } else {
                let e = error_of(r, StatusCode::CONFLICT, "ElectionAlreadyMade");
                assert!(e["message"].as_str().unwrap().contains(stored.election.label()), "{e}");
            }
        }
    }
}

async fn lookup_says_where_each_participant_stands(h: Harness) {
    let s = registry(&h).await;
    let p = |tin: &str, npi: Option<&str>, et: &str| json!({"tin": tin, "npi": npi, "entityType": et});
    let body = json!({"performanceYear": h.demo_year.get(), "participants": [
        p(HARBOR, None, "group"), p(HARBOR, Some(MAYA), "individual"), p("202000027", None, "group"), p("203000035", None, "group"),
        p("204000043", None, "group"), p("205000051", None, "group"), p("208000085", None, "group"), p(HARBOR, None, "apm"),
    ]});
    let r =
        h.call(Method::POST, &endpoints::REGISTRY_PARTICIPANTS.url(&[DEMO_REGISTRY_ID]), Some(body), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.body["participants"].as_array().unwrap();
    let st = |i: usize| rows[i]["standing"]["status"].as_str().unwrap().to_string();
    let code = |i: usize| rows[i]["standing"]["code"].as_str().unwrap_or("").to_string();
    assert_eq!(st(0), "NEEDS_ELECTION");
    assert_eq!(rows[0]["name"], "Harbor Point Family Practice");
    assert_eq!((st(1), rows[1]["name"].as_str().unwrap()), ("NEEDS_ELECTION".into(), "Maya Chen"));
    assert_eq!(st(2), "MIPS_ELIGIBLE");
    assert_eq!((st(3), rows[3]["standing"]["election"].as_str().unwrap()), ("ALREADY_ELECTED".into(), "OPT_IN"));
    assert_eq!(st(4), "VOLUNTARY_WITHOUT_ELECTION", "exempt and not opt-in eligible: voluntary, no election");
    // A registry may act for any TIN: Northgate is in the eligibility data, MIPS eligible.
    assert_eq!((st(5), rows[5]["name"].as_str().unwrap()), ("MIPS_ELIGIBLE".into(), "Northgate Orthopedics"));
    assert_eq!(code(6), "NoEligibilityInformation");
    assert_eq!(code(7), "EntityNamedById", "an APM Entity is named by its entityId, not by a TIN");
    // Practice representatives are not registry staff.
    let practice = h.demo().await;
    let r = h
        .call(
            Method::POST,
            &endpoints::REGISTRY_PARTICIPANTS.url(&[DEMO_REGISTRY_ID]),
            Some(json!({"performanceYear": h.demo_year.get(), "participants": []})),
            Some(&practice),
        )
        .await;
    error_of(&r, StatusCode::FORBIDDEN, "NotRegistryStaff");
    // Which registry IDs exist is not told to callers who are not its own: the same answer for
    // the demo registry and for one that does not exist.
    for id in [DEMO_REGISTRY_ID, "QR-9999"] {
        let path = endpoints::REGISTRY_SUBMISSIONS.url(&[id]);
        let anonymous = h.call(Method::GET, &format!("{path}?year={}", h.demo_year), None, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{id}: {}", anonymous.body);
        let stranger = h.call(Method::GET, &format!("{path}?year={}", h.demo_year), None, Some(&practice)).await;
        let e = error_of(&stranger, StatusCode::FORBIDDEN, "NotRegistryStaff");
        assert_eq!(
            e["message"],
            format!(
                "You are not connected to registry {id}. Ask the registry's Security Official to connect you to it."
            )
        );
        let forged =
            with_token(&h, Method::GET, &format!("{path}?year={}", h.demo_year), "mipsreg_forged", None, None).await;
        error_of(&forged, StatusCode::UNAUTHORIZED, "InvalidApiToken");
    }
}

async fn api_token_is_for_the_security_official_and_can_be_revoked(h: Harness) {
    let path = endpoints::API_TOKEN.url(&[DEMO_REGISTRY_ID]);
    let staff = h.sign_in(DEMO_REGISTRY_STAFF_USER, DEMO_PASSWORD).await;
    error_of(&h.call(Method::POST, &path, None, Some(&staff)).await, StatusCode::FORBIDDEN, "SecurityOfficialOnly");
    let so = registry(&h).await;
    let r = h.call(Method::POST, &path, None, Some(&so)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("mipsreg_") && token.len() > 60);
    // Shown once: the info never carries it, and the database holds only its hash.
    let info = h.call(Method::GET, &path, None, Some(&staff)).await;
    assert_eq!(info.body["lastFour"], token[token.len() - 4..]);
    assert!(!info.body.to_string().contains(&token));
    assert!(h.store.api_token(&token).await.unwrap().is_none(), "the token itself is not a key");
    assert!(
        h.store.api_token(&mips_elections::server::secrets::token_hash(&token)).await.unwrap().is_some(),
        "its SHA-256 is"
    );
    a_program_uses_the_token(&h, &token).await;
    let year = h.demo_year.get();
    // A token can't manage tokens.
    error_of(
        &with_token(&h, Method::POST, &path, &token, None, None).await,
        StatusCode::FORBIDDEN,
        "TokenCannotManageTokens",
    );
    // Rotation: the old token stops working at once.
    let r = h.call(Method::POST, &path, None, Some(&so)).await;
    assert_eq!(r.body["replacedEarlier"], true);
    let new_token = r.body["token"].as_str().unwrap().to_string();
    let read = |t: String| {
        let h = &h;
        async move {
            with_token(
                h,
                Method::GET,
                &format!("{}?year={year}", endpoints::REGISTRY_SUBMISSIONS.url(&[DEMO_REGISTRY_ID])),
                &t,
                None,
                None,
            )
            .await
        }
    };
    error_of(&read(token.clone()).await, StatusCode::UNAUTHORIZED, "InvalidApiToken");
    assert_eq!(read(new_token.clone()).await.status, StatusCode::OK);
    // Revocation.
    assert_eq!(h.call(Method::DELETE, &path, None, Some(&so)).await.status, StatusCode::NO_CONTENT);
    error_of(&read(new_token).await, StatusCode::UNAUTHORIZED, "InvalidApiToken");
    error_of(&h.call(Method::DELETE, &path, None, Some(&so)).await, StatusCode::NOT_FOUND, "NoApiToken");
}

async fn ten_thousand_participants_and_the_body_limit(h: Harness) {
    use mips_elections::server::seed::{network_npi, seed_network, NETWORK_SIZE, NETWORK_TIN};
    seed_network(&h.store, h.demo_year, start_time()).await.unwrap();
    let catalogue = mips_elections::qpp::embedded::year(h.demo_year.get()).unwrap();
    let who: Vec<(String, Option<String>)> =
        (0..NETWORK_SIZE).map(|i| (NETWORK_TIN.to_string(), Some(network_npi(i).as_str().to_string()))).collect();
    let full: Value = serde_json::from_str(&mips_elections::qpp::generate::generate_for(catalogue, &who, 7)).unwrap();
    // One IA set each keeps the debug-build test quick; the full generator file (≈53 MB) is
    // the browser benchmark's.
    let lean: Vec<Value> = full
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let ia = s["measurementSets"][2].clone();
            s["measurementSets"] = json!([ia]);
            s
        })
        .collect();
    let bytes = serde_json::to_vec(&lean).unwrap();
    assert!(bytes.len() < MAX_UPLOAD_BYTES);
    let s = registry(&h).await;
    let elections: Vec<Value> = (0..NETWORK_SIZE).map(|i| json!({"tin": NETWORK_TIN, "npi": network_npi(i).as_str(), "election": if i % 2 == 0 { "OPT_IN" } else { "VOLUNTARY" }})).collect();
    let m = json!({"performanceYear": h.demo_year.get(), "elections": elections, "confirmation": "CONFIRM"});
    let r = upload(&h, Auth::Session(&s), m, &[("network.json", &bytes)], None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body.to_string().chars().take(600).collect::<String>());
    assert_eq!(r.body["electionsRecorded"].as_array().unwrap().len(), NETWORK_SIZE);
    assert_eq!(details(&h, &s).await.participants.len(), NETWORK_SIZE);
    // Over the limit: a clear 413 in the error shape, nothing stored.
    let big = vec![b' '; MAX_UPLOAD_BYTES + 1024];
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": h.demo_year.get()}), &[("huge.json", &big)], None)
        .await;
    let e = error_of(&r, StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge");
    assert!(e["message"].as_str().unwrap().contains("128 MB"), "{e}");
    assert_eq!(details(&h, &s).await.uploads, 1);
}

/// What a program can do with the token: read opt-in status, elect (under the same rules as the
/// screens), upload.
async fn a_program_uses_the_token(h: &Harness, token: &str) {
    let year = h.demo_year.get();
    // What a program can do with it: read opt-in status, elect, upload, read details.
    let r = with_token(
        h,
        Method::GET,
        &format!("{}?year={year}", endpoints::REGISTRY_OPT_IN.url(&[DEMO_REGISTRY_ID])),
        token,
        None,
        Some((OPT_IN_ENTITIES_HEADER, &format!("{HARBOR}|{MAYA},{HARBOR}"))),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["data"][0]["isOptInEligible"], true);
    assert_eq!(r.body["data"][0]["isOptedIn"], Value::Null);
    let r = with_token(
        h,
        Method::GET,
        &format!("{}?year={year}", endpoints::REGISTRY_OPT_IN.url(&[DEMO_REGISTRY_ID])),
        token,
        None,
        Some((OPT_IN_ENTITIES_HEADER, "205000051")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "the opt-in read answers for any TIN: {}", r.body);
    assert_eq!(
        (r.body["data"][0]["tin"].as_str(), &r.body["data"][0]["isOptInEligible"]),
        (Some("205000051"), &json!(false))
    );
    let el = json!({"performanceYear": year, "confirmation": "CONFIRM", "elections": [{"tin": HARBOR, "npi": MAYA, "election": "OPT_IN"}]});
    let r = with_token(
        h,
        Method::POST,
        &endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]),
        token,
        Some(el.clone()),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let maya = h
        .store
        .election(h.demo_year, &Tin::parse(HARBOR).unwrap(), Some(&mips_elections::domain::Npi::parse(MAYA).unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(maya.channel, ElectionChannel::Api);
    // The same rules and error shapes as the screens: a changed election is a 409 naming the
    // recorded one, as on /api/elections.
    let mut change = el.clone();
    change["elections"][0]["election"] = json!("VOLUNTARY");
    let e = error_of(
        &with_token(
            h,
            Method::POST,
            &endpoints::REGISTRY_ELECTIONS.url(&[DEMO_REGISTRY_ID]),
            token,
            Some(change),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        "ElectionAlreadyMade",
    );
    assert!(e["message"].as_str().unwrap().contains("already made"), "{e}");
    let ia = demo_ia_measures();
    let r = upload(
        h,
        Auth::Token(token),
        json!({"performanceYear": year}),
        &[("api.json", &harbor_file(year, &[&ia[0]], None))],
        None,
    )
    .await;
    assert!(r.status == StatusCode::CREATED || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.status, StatusCode::CREATED, "a program uploads with the token: {}", r.body);
    let up = h.store.registry_sets(DEMO_REGISTRY_ID, h.demo_year).await.unwrap();
    assert_eq!(up[0].set.source_file, "api.json");
}
