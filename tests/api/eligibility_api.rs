//! The Eligibility API: the public NPI lookup (TINs masked) and the opt-in read.

use crate::harness::*;

on_both!(npi_lookup_masks_tins_unless_connected, opt_in_read_answers_each_entity,);

async fn npi_lookup_masks_tins_unless_connected(h: Harness) {
    let tereza = npi("10300001");
    let path = format!("{}?year={}", endpoints::ELIGIBILITY_NPI.url(&[&tereza]), h.demo_year);
    let anon = h.call(Method::GET, &path, None, None).await;
    assert_eq!(anon.status, StatusCode::OK, "{}", anon.body);
    let org = &anon.body["data"]["organizations"][0];
    assert_eq!(org["TIN"], MASKED_TIN);
    assert_eq!(org["individualScenario"]["isOptInEligible"], true);
    assert_eq!(org["individualScenario"]["isOptedIn"], Value::Null, "null = no decision");
    assert_eq!(org["individualScenario"]["lowVolumeStatusReasons"][0]["lowVolStusRsnCd"], "BOTH");
    let s = h.demo().await;
    let body = json!({"performanceYear": h.demo_year.get(), "tin": PAZDEROVA, "npi": tereza, "election": "VOLUNTARY", "confirmation": "CONFIRM"});
    assert_eq!(h.call(Method::POST, endpoints::ELECTIONS.path, Some(body), Some(&s)).await.status, StatusCode::CREATED);
    let signed = h.call(Method::GET, &path, None, Some(&s)).await;
    let org = &signed.body["data"]["organizations"][0];
    assert_eq!(org["TIN"], PAZDEROVA, "connected: the TIN shows");
    assert_eq!(org["individualScenario"]["isOptedIn"], false, "false = voluntary reporting");
    assert_eq!(org["individualScenario"]["optInDecisionDate"], start_time().to_iso8601());
    let other = h.sign_in("other-practice", "other-password-1").await;
    assert_eq!(
        h.call(Method::GET, &path, None, Some(&other)).await.body["data"]["organizations"][0]["TIN"],
        MASKED_TIN,
        "signed in but not connected"
    );
    let e = error_of(
        &h.call(Method::GET, &endpoints::ELIGIBILITY_NPI.url(&["12345"]), None, None).await,
        StatusCode::BAD_REQUEST,
        "InvalidFormatNpi",
    );
    assert_eq!(e["message"], "Please supply a valid NPI");
    let e = error_of(
        &h.call(Method::GET, &endpoints::ELIGIBILITY_NPI.url(&["1234567893"]), None, None).await,
        StatusCode::NOT_FOUND,
        "NoProviderInformation",
    );
    assert_eq!(e["message"], "No individual clinician information exists for this NPI");
}

async fn opt_in_read_answers_each_entity(h: Harness) {
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
    let read = |header: &str, sess: Option<&Session>| {
        let mut req = Request::builder()
            .uri(format!("{}?year={}", endpoints::ELIGIBILITY_OPT_IN.path, h.demo_year))
            .header(OPT_IN_ENTITIES_HEADER, header);
        if let Some(s) = sess {
            req = req.header(header::COOKIE, &s.cookie);
        }
        req.body(Body::empty()).unwrap()
    };
    let r = h.send(read(&format!("{OPT_IN_ELIGIBLE},{PAZDEROVA}|{},{MIPS_ELIGIBLE}", npi("10300001")), Some(&s))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows: OptInResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(rows.data.len(), 3);
    assert_eq!((rows.data[0].is_opt_in_eligible, rows.data[0].is_opted_in), (true, Some(true)));
    assert!(rows.data[0].opt_in_decision_date.is_some());
    assert_eq!((rows.data[1].is_opt_in_eligible, rows.data[1].is_opted_in), (true, None));
    assert_eq!(
        (rows.data[2].is_opt_in_eligible, rows.data[2].is_opted_in),
        (false, None),
        "MIPS eligible: not opt-in eligible"
    );
    assert_eq!(rows.data[2].run_num, 1, "the demo year's one imported run");
    error_of(&h.send(read(NOT_CONNECTED, Some(&s))).await, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let e = error_of(&h.send(read("12|34", Some(&s))).await, StatusCode::BAD_REQUEST, "InvalidOptInEntities");
    assert_eq!(e["details"][0]["path"], "qpp-opt-in-entities[0]");
    error_of(&h.send(read("", Some(&s))).await, StatusCode::BAD_REQUEST, "MissingOptInEntities");
    error_of(&h.send(read(OPT_IN_ELIGIBLE, None)).await, StatusCode::UNAUTHORIZED, "Unauthorized");
}
