//! The registry workflow's test helpers: the demo files, multipart uploads, token calls.

use crate::harness::*;
pub use mips_elections::server::seed::{DEMO_REGISTRY_ID, DEMO_REGISTRY_STAFF_USER};

pub const DEMO_JSON: &str = include_str!("../../public/demo-files/registry-clients-2026.json");
pub const DEMO_XML: &str = include_str!("../../public/demo-files/lakeside-internal-medicine-2026.xml");
pub const WITH_ERRORS: &str = include_str!("../../public/demo-files/harbor-point-with-errors.json");
pub const HARBOR: &str = "201000019";
pub const MAYA: &str = "1201000019";
pub const OMAR: &str = "1201000027";
pub const ANA: &str = "1202000034";
pub const LAKESIDE: &str = "206000069";

pub fn base() -> String {
    endpoints::REGISTRY_UPLOADS.url(&[DEMO_REGISTRY_ID])
}

pub fn multipart(manifest: &Value, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----mips-test-boundary-7e3f";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n{manifest}\r\n").as_bytes());
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub enum Auth<'a> {
    Session(&'a Session),
    Token(&'a str),
}

pub async fn upload(h: &Harness, auth: Auth<'_>, manifest: Value, files: &[(&str, &[u8])], key: Option<&str>) -> Reply {
    let (ct, body) = multipart(&manifest, files);
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(base())
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, ct);
    req = match auth {
        Auth::Session(s) => req.header(header::COOKIE, &s.cookie).header(CSRF_HEADER, &s.csrf),
        Auth::Token(t) => req.header(header::AUTHORIZATION, format!("Bearer {t}")),
    };
    if let Some(k) = key {
        req = req.header(IDEMPOTENCY_KEY_HEADER, k);
    }
    h.send(req.body(Body::from(body)).unwrap()).await
}

pub async fn with_token(
    h: &Harness, method: Method, path: &str, token: &str, body: Option<Value>, extra: Option<(&str, &str)>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some((k, v)) = extra {
        req = req.header(k, v);
    }
    let req = match body {
        Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())).unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    h.send(req).await
}

pub async fn registry(h: &Harness) -> Session {
    h.sign_in("demo-registry", DEMO_PASSWORD).await
}

/// The choices the screens would send for the demo file plus the QRDA file.
pub fn full_manifest(h: &Harness) -> Value {
    json!({
        "performanceYear": h.demo_year.get(),
        "elections": [
            {"tin": HARBOR, "election": "OPT_IN"},
            {"tin": HARBOR, "npi": MAYA, "election": "VOLUNTARY"},
            {"tin": HARBOR, "npi": OMAR, "election": "NO_DECISION"},
            {"tin": "202000027", "npi": ANA, "election": "OPT_IN"},
            {"tin": LAKESIDE, "election": "OPT_IN"},
        ],
        "skipUnsubmittable": true,
        "confirmation": "confirm",
    })
}

pub async fn details(h: &Harness, s: &Session) -> RegistrySubmissionsResponse {
    let r = h
        .call(
            Method::GET,
            &format!("{}?year={}", endpoints::REGISTRY_SUBMISSIONS.url(&[DEMO_REGISTRY_ID]), h.demo_year),
            None,
            Some(s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_value(r.body).unwrap()
}

pub async fn nothing_stored(h: &Harness, s: &Session) {
    let d = details(h, s).await;
    assert!(d.participants.is_empty(), "no data: {:?}", d.participants);
    assert_eq!(d.uploads, 0);
    assert!(h.store.election(h.demo_year, &Tin::parse(HARBOR).unwrap(), None).await.unwrap().is_none(), "no election");
}

/// The improvement activities of one demo file's participant: IDs valid in the demo year.
pub fn demo_ia_measures() -> Vec<String> {
    serde_json::from_str::<Value>(DEMO_JSON).unwrap()[3]["measurementSets"][2]["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["measureId"].as_str().unwrap().to_string())
        .collect()
}

pub fn harbor_file(year: u16, ia: &[&str], program: Option<&str>) -> Vec<u8> {
    let mut set = json!({"category": "ia", "submissionMethod": "registry", "performanceStart": format!("{year}-01-01"), "performanceEnd": format!("{year}-12-31"),
        "measurements": ia.iter().map(|m| json!({"measureId": m, "value": true})).collect::<Vec<_>>()});
    if let Some(p) = program {
        set["programName"] = json!(p);
    }
    serde_json::to_vec(&json!({"entityType": "group", "taxpayerIdentificationNumber": "202000027", "performanceYear": year, "measurementSets": [set]})).unwrap()
}
