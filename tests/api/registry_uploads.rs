//! Registry uploads: elections and data in one transaction, every rule re-checked, idempotent.

use crate::harness::*;
use crate::registry_harness::*;

on_both!(
    upload_records_elections_and_data_together,
    participant_without_election_is_refused_by_name,
    unsubmittable_participants_need_explicit_consent,
    failure_mid_upload_stores_nothing,
    new_measurement_sets_replace_same_category_method_and_program,
    re_sending_the_same_upload_stores_nothing_twice,
    voluntary_reporters_get_no_app_data,
    exempt_participants_report_voluntarily_without_an_election,
    virtual_group_members_data_is_voluntary,
    entities_named_by_id_submit_without_an_election,
    no_decision_is_never_stored_and_an_empty_upload_is_refused,
    files_with_errors_or_another_year_are_refused,
);

async fn upload_records_elections_and_data_together(h: Harness) {
    let s = registry(&h).await;
    let r = upload(
        &h,
        Auth::Session(&s),
        full_manifest(&h),
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let up: UploadResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(up.elections_recorded.len(), 4, "Harbor, Maya, Ana, Lakeside");
    assert_eq!(up.files[1].format, FileFormat::QrdaIii);
    assert_eq!(up.files[1].participants_stored, 1);
    // Stored: Harbor group, Maya, Summit group + Ravi (MIPS eligible), Ana, Prairie (already elected),
    // Bayview (exempt and not opt-in eligible: voluntary reporting without an election), Northgate
    // (MIPS eligible: a registry may submit for any TIN), Lakeside.
    assert_eq!(up.participants_stored, 9, "{:?}", up.skipped);
    let skipped: Vec<&str> = up.skipped.iter().map(|s| s.participant.as_str()).collect();
    assert!(skipped.contains(&format!("TIN/NPI {HARBOR}/{OMAR}").as_str()), "No Decision is skipped: {skipped:?}");
    assert!(
        skipped.contains(&"TIN 208000085")
            && !skipped.contains(&"TIN 204000043")
            && !skipped.contains(&"TIN 205000051"),
        "{skipped:?}"
    );
    // Elections: final, by registry upload, with the audit row; No Decision left none.
    let harbor = h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap().unwrap();
    assert_eq!(
        (harbor.election, harbor.channel),
        (mips_elections::domain::Election::OptIn, ElectionChannel::RegistryUpload)
    );
    assert_eq!(
        h.store.audit(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap()[0].actor_user_id,
        "demo-registry"
    );
    let omar = mips_elections::domain::Npi::parse(OMAR).unwrap();
    assert!(
        h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), Some(&omar)).await.unwrap().is_none(),
        "Omar stays exempt"
    );
    // Details: per participant, sets with measure counts, source file and time.
    let d = details(&h, &s).await;
    assert_eq!(d.participants.len(), 9);
    let bayview = d.participants.iter().find(|p| p.tin.as_str() == "204000043").unwrap();
    assert!(bayview.voluntary_without_election && bayview.election.is_none(), "stored as voluntary, no election");
    assert!(
        h.store.election(h.demo_year, &Tin::parse("204000043").unwrap(), None).await.unwrap().is_none(),
        "no election is made for a participant that is not opt-in eligible"
    );
    assert!(d.participants.iter().filter(|p| p.tin.as_str() != "204000043").all(|p| !p.voluntary_without_election));
    assert!(d.participants.iter().all(|p| p.npi.as_ref() != Some(&omar)));
    let lakeside = d.participants.iter().find(|p| p.tin.as_str() == LAKESIDE).unwrap();
    assert_eq!(
        (
            lakeside.measurement_sets[0].category.as_str(),
            lakeside.measurement_sets[0].measure_count,
            lakeside.measurement_sets[0].source_file.as_str()
        ),
        ("quality", 3, "lakeside.xml")
    );
    let harbor = d.participants.iter().find(|p| p.tin.as_str() == HARBOR && p.npi.is_none()).unwrap();
    assert_eq!(harbor.measurement_sets.len(), 3);
    assert!(harbor.measurement_sets.iter().all(|m| m.source_file == "clients.json" && m.submitted_at == start_time()));
    // What was sent is what was stored.
    let body = h
        .store
        .measurement_set_body(DEMO_REGISTRY_ID, h.demo_year, &Tin::parse(HARBOR).unwrap(), None, "ia")
        .await
        .unwrap();
    let sent: Value = serde_json::from_str(DEMO_JSON).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&body[0]).unwrap(), sent[0]["measurementSets"][2]);
    // The practice sees the election on its own screens.
    assert_eq!(harbor.election, Some(mips_elections::domain::Election::OptIn));
}

async fn participant_without_election_is_refused_by_name(h: Harness) {
    let s = registry(&h).await;
    let mut m = full_manifest(&h);
    m["elections"].as_array_mut().unwrap().remove(0);
    let r = upload(
        &h,
        Auth::Session(&s),
        m,
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ElectionRequired");
    assert!(e["message"].as_str().unwrap().contains("TIN 201000019 is opt-in eligible and has no election"), "{e}");
    assert!(e["details"].as_array().unwrap().iter().any(|d| d["path"] == "TIN 201000019"), "{e}");
    nothing_stored(&h, &s).await;
    // Elections need the typed confirmation.
    let mut m = full_manifest(&h);
    m["confirmation"] = json!("yes");
    let r = upload(
        &h,
        Auth::Session(&s),
        m,
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ConfirmationRequired");
    nothing_stored(&h, &s).await;
}

async fn unsubmittable_participants_need_explicit_consent(h: Harness) {
    let s = registry(&h).await;
    let mut m = full_manifest(&h);
    m["skipUnsubmittable"] = json!(false);
    let r = upload(
        &h,
        Auth::Session(&s),
        m,
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    let details: Vec<String> =
        e["details"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect();
    assert!(
        details.iter().any(|d| d.contains("TIN 208000085") && d.contains("has no record of TIN 208000085")),
        "{details:?}"
    );
    assert!(!details.iter().any(|d| d.contains("205000051")), "any TIN, no client list: {details:?}");
    assert!(!details.iter().any(|d| d.contains("204000043")), "voluntary reporting needs no consent: {details:?}");
    nothing_stored(&h, &s).await;
    // The opt-in read names its entities.
    let r = h.call(Method::GET, &endpoints::REGISTRY_OPT_IN.url(&[DEMO_REGISTRY_ID]), None, Some(&s)).await;
    error_of(&r, StatusCode::BAD_REQUEST, "MissingOptInEntities");
}

async fn failure_mid_upload_stores_nothing(h: Harness) {
    let s = registry(&h).await;
    let failing = h.with_config(Config { fail_upload_after_sets: Some(5), ..Config::default() });
    let r = upload(
        &failing,
        Auth::Session(&s),
        full_manifest(&h),
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    error_of(&r, StatusCode::INTERNAL_SERVER_ERROR, "InternalError");
    nothing_stored(&h, &s).await;
    // The same upload then goes through whole (the failed attempt left no idempotency record).
    let r = upload(
        &h,
        Auth::Session(&s),
        full_manifest(&h),
        &[("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn new_measurement_sets_replace_same_category_method_and_program(h: Harness) {
    let s = registry(&h).await;
    let y = h.demo_year.get();
    let ia = demo_ia_measures();
    let ia: Vec<&str> = ia.iter().map(String::as_str).collect();
    let m = json!({"performanceYear": y});
    assert_eq!(
        upload(&h, Auth::Session(&s), m.clone(), &[("first.json", &harbor_file(y, &ia[..2], None))], None).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        upload(&h, Auth::Session(&s), m.clone(), &[("second.json", &harbor_file(y, &ia[..1], Some("mips")))], None)
            .await
            .status,
        StatusCode::CREATED
    );
    let d = details(&h, &s).await;
    let sets = &d.participants[0].measurement_sets;
    assert_eq!(sets.len(), 1, "same category, method and program (mips is the default): replaced");
    assert_eq!((sets[0].measure_count, sets[0].source_file.as_str()), (1, "second.json"));
    assert_eq!(d.uploads, 2);
}

async fn re_sending_the_same_upload_stores_nothing_twice(h: Harness) {
    let s = registry(&h).await;
    let files: [(&str, &[u8]); 2] = [("clients.json", DEMO_JSON.as_bytes()), ("lakeside.xml", DEMO_XML.as_bytes())];
    let first = upload(&h, Auth::Session(&s), full_manifest(&h), &files, None).await;
    assert_eq!(first.status, StatusCode::CREATED);
    h.advance_minutes(1);
    let again = upload(&h, Auth::Session(&s), full_manifest(&h), &files, None).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["replayed"], true);
    assert_eq!(again.body["uploadId"], first.body["uploadId"]);
    assert_eq!(details(&h, &s).await.uploads, 1);
    // With an Idempotency-Key: the same request is answered from the first; the same key with
    // other content is another upload, never answered with the first one's result.
    let y = h.demo_year.get();
    let ia = demo_ia_measures();
    let m = json!({"performanceYear": y});
    let a = upload(&h, Auth::Session(&s), m.clone(), &[("a.json", &harbor_file(y, &[&ia[0]], None))], Some("batch-42"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let b = upload(&h, Auth::Session(&s), m.clone(), &[("a.json", &harbor_file(y, &[&ia[0]], None))], Some("batch-42"))
        .await;
    assert_eq!((b.status, &b.body["uploadId"]), (StatusCode::OK, &a.body["uploadId"]));
    let c = upload(&h, Auth::Session(&s), m, &[("a.json", &harbor_file(y, &[&ia[0], &ia[1]], None))], Some("batch-42"))
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "other content under the same key: {}", c.body);
    assert_ne!(c.body["uploadId"], a.body["uploadId"]);
}

async fn voluntary_reporters_get_no_app_data(h: Harness) {
    let s = registry(&h).await;
    let y = h.demo_year.get();
    // Maya Chen's data, her Improvement Activities sent for the APM Performance Pathway.
    let mut doc: Value = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[1].clone();
    doc["measurementSets"] = json!([doc["measurementSets"][2].clone()]);
    doc["measurementSets"][0]["programName"] = json!("app1");
    let file = serde_json::to_vec(&doc).unwrap();
    let m = |e: &str| json!({"performanceYear": y, "elections": [{"tin": HARBOR, "npi": MAYA, "election": e}], "confirmation": "CONFIRM"});
    let r = upload(&h, Auth::Session(&s), m("VOLUNTARY"), &[("maya-app.json", &file)], None).await;
    if r.status == StatusCode::UNPROCESSABLE_ENTITY && r.body["error"]["type"] == "FileHasErrors" {
        panic!("the test file must be valid QPP JSON: {}", r.body);
    }
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("voluntary reporting through the APM Performance Pathway (APP) isn't permitted"),
        "{e}"
    );
    nothing_stored(&h, &s).await;
    let r = upload(&h, Auth::Session(&s), m("OPT_IN"), &[("maya-app.json", &file)], None).await;
    assert_eq!(r.status, StatusCode::CREATED, "Opt-In may report through the APP: {}", r.body);
}

/// Bayview Pediatrics exceeds none of the three criteria: exempt and not opt-in eligible. CMS
/// lets it report voluntarily without an election.
async fn exempt_participants_report_voluntarily_without_an_election(h: Harness) {
    let s = registry(&h).await;
    let y = h.demo_year.get();
    let bayview: Value = serde_json::from_str::<Value>(DEMO_JSON).unwrap()[7].clone();
    assert_eq!(bayview["taxpayerIdentificationNumber"], "204000043");
    let file = serde_json::to_vec(&bayview).unwrap();
    // No election can be made for it, in an upload or through the elections API.
    let m = json!({"performanceYear": y, "elections": [{"tin": "204000043", "election": "OPT_IN"}], "confirmation": "CONFIRM"});
    let r = upload(&h, Auth::Session(&s), m, &[("bayview.json", &file)], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    assert!(e["message"].as_str().unwrap().contains("not opt-in eligible"), "{e}");
    nothing_stored(&h, &s).await;
    // APP data is voluntary reporting through the APP: refused.
    let mut app = bayview.clone();
    app["measurementSets"] = json!([bayview["measurementSets"][2].clone()]);
    app["measurementSets"][0]["programName"] = json!("app1");
    let r = upload(
        &h,
        Auth::Session(&s),
        json!({"performanceYear": y}),
        &[("bayview-app.json", &serde_json::to_vec(&app).unwrap())],
        None,
    )
    .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    assert!(e["message"].as_str().unwrap().contains("(APP) isn't permitted"), "{e}");
    // Its data alone, without a choice: accepted and stored as voluntary reporting.
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": y}), &[("bayview.json", &file)], None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let up: UploadResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!((up.participants_stored, up.elections_recorded.len()), (1, 0));
    let d = details(&h, &s).await;
    let p = d.participants.iter().find(|p| p.tin.as_str() == "204000043").unwrap();
    assert!(p.voluntary_without_election && p.election.is_none());
    assert_eq!(p.measurement_sets.len(), 3);
    assert!(h.store.election(h.demo_year, &Tin::parse("204000043").unwrap(), None).await.unwrap().is_none());
}

async fn no_decision_is_never_stored_and_an_empty_upload_is_refused(h: Harness) {
    let s = registry(&h).await;
    let y = h.demo_year.get();
    // Summit is MIPS eligible: an explicit No Decision (the table's value if its standing
    // changed meanwhile) still keeps its data out.
    let ia = demo_ia_measures();
    let m = json!({"performanceYear": y, "elections": [{"tin": "202000027", "election": "NO_DECISION"}]});
    let r = upload(&h, Auth::Session(&s), m, &[("summit.json", &harbor_file(y, &[&ia[0]], None))], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "NothingToStore");
    assert!(e["message"].as_str().unwrap().contains("Nothing was stored"));
    nothing_stored(&h, &s).await;
}

async fn files_with_errors_or_another_year_are_refused(h: Harness) {
    let s = registry(&h).await;
    let r = upload(
        &h,
        Auth::Session(&s),
        full_manifest(&h),
        &[("clients.json", DEMO_JSON.as_bytes()), ("bad.json", WITH_ERRORS.as_bytes())],
        None,
    )
    .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
    assert!(e["message"].as_str().unwrap().starts_with("bad.json has 2 errors"), "{e}");
    nothing_stored(&h, &s).await;
    let r = upload(
        &h,
        Auth::Session(&s),
        json!({"performanceYear": 2025}),
        &[("clients.json", DEMO_JSON.as_bytes())],
        None,
    )
    .await;
    error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "PerformanceYearMismatch");
    let r = upload(&h, Auth::Session(&s), full_manifest(&h), &[("x.xml", b"<ClinicalDocument><title>cut")], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
    assert!(e["message"].as_str().unwrap().contains("QRDA III"), "{e}");
    // Malformed requests get the same error shape.
    let r = h.call(Method::POST, &base(), Some(json!({})), Some(&s)).await;
    error_of(&r, StatusCode::BAD_REQUEST, "MalformedUpload");
    let r = upload(
        &h,
        Auth::Session(&s),
        json!({"performanceYear": "soon"}),
        &[("clients.json", DEMO_JSON.as_bytes())],
        None,
    )
    .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert_eq!(e["details"][0]["path"], "$.performanceYear");
    nothing_stored(&h, &s).await;
}

/// A TIN in a virtual group: its own data is accepted as voluntary reporting (the virtual
/// group's election and final score count), and no election can be made for it in an upload.
async fn virtual_group_members_data_is_voluntary(h: Harness) {
    // `harbor_file` holds the group data of Summit Cardiology Partners (MIPS eligible on its own).
    const SUMMIT: &str = "202000027";
    let vg = VirtualGroupSummary {
        vg_id: "VG-T2".into(),
        name: "Test VG".into(),
        member_tins: vec![Tin::parse(SUMMIT).unwrap()],
        elected_on: String::new(),
        is_demo: false,
    };
    h.store.upsert_virtual_group(h.demo_year, &vg, "other-practice").await.unwrap();
    let s = registry(&h).await;
    let y = h.demo_year.get();
    let ia = demo_ia_measures();
    let file = harbor_file(y, &[&ia[0]], None);
    let m =
        json!({"performanceYear": y, "elections": [{"tin": SUMMIT, "election": "OPT_IN"}], "confirmation": "CONFIRM"});
    let r = upload(&h, Auth::Session(&s), m, &[("summit.json", &file)], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    assert!(e["message"].as_str().unwrap().contains("is a member of a virtual group"), "{e}");
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": y}), &[("summit.json", &file)], None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let d = details(&h, &s).await;
    let p = d.participants.iter().find(|p| p.tin.as_str() == SUMMIT && p.npi.is_none()).unwrap();
    assert!(p.voluntary_without_election && p.election.is_none(), "stored as voluntary, no election");
}

/// One submission named by entity ID: IA data for `program` (year-valid measures).
fn entity_submission(year: u16, entity_type: &str, entity_id: &str, program: &str, ia: &[&str]) -> Value {
    json!({"entityType": entity_type, "entityId": entity_id, "performanceYear": year, "measurementSets": [{
        "category": "ia", "submissionMethod": "registry", "programName": program,
        "performanceStart": format!("{year}-01-01"), "performanceEnd": format!("{year}-12-31"),
        "measurements": ia.iter().map(|m| json!({"measureId": m, "value": true})).collect::<Vec<_>>()}]})
}

/// APM Entity (app1) data, virtual group data for a virtual group in the year's data and subgroup
/// MVP data are stored under their entity IDs without an election; a virtual group the data
/// doesn't have can't submit (skipped only with consent); a subgroup outside an MVP and PI for an
/// APM Entity are refused by the validator, on the server as in the browser.
async fn entities_named_by_id_submit_without_an_election(h: Harness) {
    let s = registry(&h).await;
    let y = h.demo_year.get();
    let ia = demo_ia_measures();
    let file = serde_json::to_vec(&json!([
        entity_submission(y, "apm", "A5678", "app1", &[&ia[0]]),
        entity_submission(y, "virtualGroup", "VG-000214", "mips", &[&ia[0]]),
        entity_submission(y, "subgroup", "SG-0042", "G0053", &["IA_BE_1"]),
        entity_submission(y, "virtualGroup", "VG-NOT-IN-DATA", "mips", &[&ia[0]]),
    ]))
    .unwrap();
    // The lookup says where each stands before anything is sent.
    let ids = |t: &str, id: &str| json!({"entityType": t, "entityId": id});
    let body = json!({"performanceYear": y, "participants": [], "entities": [
        ids("apm", "A5678"), ids("virtualGroup", "VG-000214"), ids("subgroup", "SG-0042"), ids("virtualGroup", "VG-NOT-IN-DATA")]});
    let r =
        h.call(Method::POST, &endpoints::REGISTRY_PARTICIPANTS.url(&[DEMO_REGISTRY_ID]), Some(body), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.body["entities"].as_array().unwrap();
    let st = |i: usize| rows[i]["standing"]["status"].as_str().unwrap().to_string();
    assert_eq!(st(0), "APM_ENTITY_DATA");
    assert_eq!(
        (st(1), rows[1]["name"].as_str().unwrap()),
        ("VIRTUAL_GROUP_DATA".into(), "Lake Superior Rural Clinicians Virtual Group")
    );
    assert_eq!(st(2), "SUBGROUP_DATA");
    assert_eq!((st(3), rows[3]["standing"]["code"].as_str().unwrap()), ("CANNOT_SUBMIT".into(), "UnknownVirtualGroup"));
    // Without consent the unknown virtual group refuses the upload by name; nothing is stored.
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": y}), &[("entities.json", &file)], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "UploadRefused");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("Virtual group VG-NOT-IN-DATA: No virtual group with this ID is in the performance year"),
        "{e}"
    );
    nothing_stored(&h, &s).await;
    // With consent the other three are stored, none with an election.
    let m = json!({"performanceYear": y, "skipUnsubmittable": true});
    let r = upload(&h, Auth::Session(&s), m, &[("entities.json", &file)], None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let up: UploadResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!((up.participants_stored, up.elections_recorded.len()), (3, 0));
    assert_eq!(up.files[0].participants_stored, 3);
    assert_eq!(up.skipped.len(), 1);
    assert_eq!(up.skipped[0].participant, "Virtual group VG-NOT-IN-DATA");
    let d = details(&h, &s).await;
    assert!(d.participants.is_empty(), "no TIN or TIN/NPI submission: {:?}", d.participants);
    let stored: Vec<(String, String, String)> = d
        .entities
        .iter()
        .map(|e| {
            (e.entity_type.code().to_string(), e.entity_id.to_string(), e.measurement_sets[0].program_name.clone())
        })
        .collect();
    let want = |t: &str, id: &str, p: &str| (t.to_string(), id.to_string(), p.to_string());
    assert_eq!(
        stored,
        vec![
            want("apm", "A5678", "app1"),
            want("subgroup", "SG-0042", "G0053"),
            want("virtualGroup", "VG-000214", "mips")
        ]
    );
    assert_eq!(d.entities[2].name, "Lake Superior Rural Clinicians Virtual Group");
    // A virtual group's data is its own: its member TIN (109000157) has no submission and no election.
    assert!(h.store.election(h.demo_year, &Tin::parse("109000157").unwrap(), None).await.unwrap().is_none());
    // A subgroup outside an MVP and PI for an APM Entity are refused whole, with the validator's words.
    let sub = serde_json::to_vec(&entity_submission(y, "subgroup", "SG-0042", "mips", &[&ia[0]])).unwrap();
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": y}), &[("sub.json", &sub)], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
    assert!(e.to_string().contains("Subgroups can only report MVPs"), "{e}");
    let mut pi = entity_submission(y, "apm", "A5678", "mips", &[&ia[0]]);
    pi["measurementSets"][0]["category"] = json!("pi");
    let pi = serde_json::to_vec(&pi).unwrap();
    let r = upload(&h, Auth::Session(&s), json!({"performanceYear": y}), &[("pi.json", &pi)], None).await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "FileHasErrors");
    assert!(e.to_string().contains("Promoting Interoperability can't be submitted for an APM Entity"), "{e}");
    assert_eq!(details(&h, &s).await.uploads, 1, "the refused uploads stored nothing");
}
