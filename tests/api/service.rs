//! What every endpoint shares: the error shape for malformed bodies, unknown paths and methods, the OpenAPI document, and `POST /api/qpp/validate`.

use crate::harness::*;

on_both!(
    every_endpoint_of_the_contract_is_routed_and_documented_with_its_types,
    malformed_bodies_get_the_error_shape,
    unknown_paths_and_methods_answer_in_json,
    openapi_documents_every_route_from_the_shared_types,
    demo_data_never_enters_a_database_with_real_data,
);

/// `--demo` adds the published demo accounts only to a database of demo data.
async fn demo_data_never_enters_a_database_with_real_data(h: Harness) {
    use mips_elections::server::seed::{refuse_non_demo_database, seed_demo_data, seed_reference_data};
    // A database of demo data only (seeded twice, as `./scripts/run` does on every start): fine.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let file = std::env::temp_dir().join(format!("mips-demo-check-{}-{nanos}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let demo = mips_elections::server::store::Store::connect(&format!("sqlite:{}", file.display())).await.unwrap();
    seed_reference_data(&demo).await.unwrap();
    seed_demo_data(&demo, start_time(), false).await.unwrap();
    assert_eq!(refuse_non_demo_database(&demo).await, Ok(()), "demo data only");
    demo.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    // The test database also holds a real account ("other-practice", is_demo = 0): refused.
    let refused = refuse_non_demo_database(&h.store).await.unwrap_err();
    assert!(refused.contains("not demo data") && refused.contains("DATABASE_URL"), "{refused}");
}

// QPP JSON validation needs no database; it runs once.
on_one!(qpp_validation, Sqlite, validate_endpoint_answers_with_the_shared_rules);

async fn malformed_bodies_get_the_error_shape(h: Harness) {
    let s = h.demo().await;
    let raw = |body: &str, ct: &str| {
        Request::builder()
            .method(Method::POST)
            .uri(endpoints::ELECTIONS.path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, &s.cookie)
            .header(CSRF_HEADER, &s.csrf)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let e = error_of(&h.send(raw("{\"tin\": ", "application/json")).await, StatusCode::BAD_REQUEST, "InvalidJson");
    assert!(e["message"].as_str().unwrap().contains("line 1"), "{e}");
    error_of(&h.send(raw("", "application/json")).await, StatusCode::BAD_REQUEST, "InvalidJson");
    error_of(&h.send(raw("{}", "text/plain")).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType");
    let bad_tin =
        json!({"performanceYear": h.demo_year.get(), "tin": "12345", "election": "OPT_IN", "confirmation": "CONFIRM"});
    let e = error_of(
        &h.send(raw(&bad_tin.to_string(), "application/json")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
    );
    assert_eq!(e["details"][0]["path"], "$.tin");
    assert!(e["details"][0]["message"].as_str().unwrap().contains("exactly 9"), "{e}");
    let bad_choice = json!({"performanceYear": h.demo_year.get(), "tin": OPT_IN_ELIGIBLE, "election": "MAYBE", "confirmation": "CONFIRM"});
    let e = error_of(
        &h.send(raw(&bad_choice.to_string(), "application/json")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
    );
    assert_eq!(e["details"][0]["path"], "$.election");
    let missing = json!({"tin": OPT_IN_ELIGIBLE});
    error_of(
        &h.send(raw(&missing.to_string(), "application/json")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ValidationError",
    );
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none(), "nothing stored");
}

async fn unknown_paths_and_methods_answer_in_json(h: Harness) {
    error_of(&h.call(Method::GET, "/api/nothing-here", None, None).await, StatusCode::NOT_FOUND, "NotFound");
    error_of(
        &h.call(Method::PUT, endpoints::ELECTIONS.path, Some(json!({})), None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
    );
    assert_eq!(h.call(Method::GET, endpoints::HEALTH.path, None, None).await.body["status"], "ok");
    error_of(
        &h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, None).await,
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
    );
}

async fn openapi_documents_every_route_from_the_shared_types(h: Harness) {
    let r = h.call(Method::GET, endpoints::OPENAPI.path, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| ops.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), p.clone())))
        .collect();
    let expected = [
        ("GET", "/api/health"),
        ("POST", "/api/session"),
        ("GET", "/api/session"),
        ("DELETE", "/api/session"),
        ("GET", "/api/performance-years"),
        ("GET", "/api/practices"),
        ("GET", "/api/practices/{tin}"),
        ("GET", "/api/practices/{tin}/clinicians"),
        ("GET", "/api/practices/{tin}/clinicians/{npi}"),
        ("GET", "/api/connections"),
        ("POST", "/api/elections"),
        ("POST", "/api/pathways"),
        ("GET", "/api/eligibility/npi/{npi}"),
        ("GET", "/api/eligibility/opt-in"),
        ("POST", "/api/qpp/validate"),
        ("GET", "/api/registries/{registryId}/submissions"),
        ("POST", "/api/registries/{registryId}/participants"),
        ("POST", "/api/registries/{registryId}/uploads"),
        ("POST", "/api/registries/{registryId}/elections"),
        ("GET", "/api/registries/{registryId}/opt-in"),
        ("GET", "/api/registries/{registryId}/api-token"),
        ("POST", "/api/registries/{registryId}/api-token"),
        ("DELETE", "/api/registries/{registryId}/api-token"),
    ];
    for (m, p) in expected {
        assert!(documented.contains(&(m.to_string(), p.to_string())), "{m} {p} is documented; have {documented:?}");
    }
    // Every documented route answers (not the API's 404 fallback).
    for (m, p) in &documented {
        let path = p.replace("{tin}", PAZDEROVA).replace("{npi}", "1103000016");
        let r = h.call(Method::from_bytes(m.as_bytes()).unwrap(), &path, None, None).await;
        assert_ne!(r.body["error"]["type"], "NotFound", "{m} {p} is routed");
    }
    // Schemas come from the shared types, with serde's names and the domain's enums.
    let schemas = &doc["components"]["schemas"];
    let election = &schemas["ElectionRequest"]["properties"];
    for field in ["performanceYear", "tin", "npi", "election", "confirmation"] {
        assert!(election.get(field).is_some(), "ElectionRequest.{field}");
    }
    assert_eq!(schemas["Election"]["enum"], json!(["OPT_IN", "VOLUNTARY"]));
    assert_eq!(schemas["ReportingPathway"]["enum"], json!(["TRADITIONAL_MIPS", "APP", "BOTH"]));
    assert_eq!(schemas["Tin"]["type"], "string");
    assert!(schemas["OptInRow"]["properties"].get("isOptedIn").is_some());
    assert!(schemas["OrganizationEligibility"]["properties"].get("TIN").is_some());
}

async fn post_raw(h: &Harness, path: &str, body: Vec<u8>) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    h.send(req).await
}

fn qpp_group(tin: &str, performance_met: u32) -> Value {
    json!({
        "entityType": "group", "taxpayerIdentificationNumber": tin, "performanceYear": 2025,
        "measurementSets": [{ "category": "ia", "submissionMethod": "registry", "performanceStart": "2025-01-01", "performanceEnd": "2025-12-31",
            "measurements": [{ "measureId": "IA_AHE_1", "value": true }] },
          { "category": "quality", "submissionMethod": "registry", "performanceStart": "2025-01-01", "performanceEnd": "2025-12-31",
            "measurements": [{ "measureId": "001", "value": { "isEndToEndReported": false, "performanceMet": performance_met, "eligiblePopulation": 10 } }] }]
    })
}

async fn validate_endpoint_answers_with_the_shared_rules(h: Harness) {
    // Valid: 200 with the report (participants found).
    let r = post_raw(
        &h,
        endpoints::QPP_VALIDATE.path,
        serde_json::to_vec(&json!([qpp_group("000456789", 5), qpp_group("000111222", 6)])).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["report"]["errors"], 0);
    assert_eq!(r.body["report"]["submissions"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["report"]["submissions"][1]["taxpayerIdentificationNumber"], "000111222");
    // Errors: 422 in the API error shape, each finding a detail with its place and code.
    let r = post_raw(&h, endpoints::QPP_VALIDATE.path, serde_json::to_vec_pretty(&qpp_group("000456789", 11)).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["error"]["type"], "ValidationError");
    assert_eq!(r.body["error"]["message"], "The file has 1 error and 0 warnings. Nothing was stored.");
    let d = &r.body["error"]["details"][0];
    assert_eq!(d["path"], "measurementSets[1].measurements[0].value.performanceMet");
    assert_eq!(d["code"], "PerformanceMetExceedsEligiblePopulation");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["measureId"], "001");
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() > 1);
    // Malformed: not JSON, not UTF-8, truncated — one clear finding, same shape.
    for (body, code) in
        [(&b"<ClinicalDocument/>"[..], "NotJson"), (b"\xff{", "NotUtf8"), (b"{\"entityType\": \"gr", "UnexpectedEnd")]
    {
        let r = post_raw(&h, endpoints::QPP_VALIDATE.path, body.to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["error"]["details"][0]["code"], code, "{}", r.body);
    }
    // Too large: a clear 413 in the error shape, refused before reading (Content-Length) and
    // while reading (no Content-Length).
    let big = vec![b' '; mips_elections::qpp::MAX_FILE_BYTES + 1];
    let r = post_raw(&h, endpoints::QPP_VALIDATE.path, big.clone()).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["error"]["type"], "FileTooLarge");
    let stream = futures_stream(big);
    let req = Request::builder()
        .method(Method::POST)
        .uri(endpoints::QPP_VALIDATE.path)
        .header(header::HOST, "127.0.0.1:8080")
        .body(stream)
        .unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("64 MB"));
}

/// A body without Content-Length (chunked), as a slow client would send it.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = bytes.chunks(1 << 20).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

// ---- registry workflow (issue 5) -------------------------------------------------------------

/// `api::endpoints` is the one list: each endpoint there is in the OpenAPI document with its
/// method, its request body type and its answer type, and the document has no other route.
async fn every_endpoint_of_the_contract_is_routed_and_documented_with_its_types(h: Harness) {
    let doc = h.call(Method::GET, endpoints::OPENAPI.path, None, None).await.body;
    let raw = ["", "RawBody", "Health", "OpenApiDocument"];
    let all = endpoints::all();
    for e in &all {
        let op = &doc["paths"][e.path][e.method.as_str()];
        assert!(op.is_object(), "{} {} is documented", e.method.as_str(), e.path);
        let responses = op["responses"].to_string();
        if !raw.contains(&e.response.as_str()) {
            let r = format!("#/components/schemas/{}", e.response);
            assert!(responses.contains(&r), "{} {} answers {}: {responses}", e.method.as_str(), e.path, e.response);
        }
        if !raw.contains(&e.request.as_str()) {
            let body = op["requestBody"].to_string();
            let r = format!("#/components/schemas/{}", e.request);
            assert!(body.contains(&r), "{} {} takes {}: {body}", e.method.as_str(), e.path, e.request);
        }
    }
    let documented: usize = doc["paths"].as_object().unwrap().values().map(|ops| ops.as_object().unwrap().len()).sum();
    assert_eq!(documented, all.len(), "the document lists exactly the contract's endpoints");
}
