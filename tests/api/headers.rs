//! The headers of HTML pages: a Content-Security-Policy naming the build's inline loader by its
//! hash (and nothing else inline), HSTS over HTTPS only, and the `_headers` file for static hosts
//! that says the same.

use crate::harness::*;
use mips_elections::server::http::csp::{content_security_policy, headers_file, HSTS};
use mips_elections::server::state::Config;

const INDEX: &str = "<!DOCTYPE html><html><head><script type=\"module\">\nimport init from '/app-0123456789abcdef.js';\nawait init();\n</script></head><body></body></html>";

on_one!(once, Sqlite, html_pages_carry_the_policy_and_https_adds_hsts);

fn get(path: &str, https: bool) -> Request<Body> {
    let mut req = Request::builder().uri(path).header(header::HOST, "127.0.0.1:8080");
    if https {
        req = req.header("x-forwarded-proto", "https");
    }
    req.body(Body::empty()).unwrap()
}

async fn html_pages_carry_the_policy_and_https_adds_hsts(h: Harness) {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dist = std::env::temp_dir().join(format!("mips-dist-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("config.json"), r#"{"apiBaseUrl": ""}"#).unwrap();
    let served = h.serving(Config::default(), Some(&dist));
    let expected = content_security_policy(INDEX, None);
    for path in ["/", "/eligibility", "/validate"] {
        let r = served.send(get(path, false)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{path}: no policy"));
        assert_eq!(csp.to_str().unwrap(), expected);
        for part in [
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(expected.contains(part), "{part}");
        }
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{path}: no HSTS over plain HTTP");
    }
    let r = served.send(get("/", true)).await;
    assert_eq!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(), HSTS);
    // JSON answers get HSTS over HTTPS too, but no page policy.
    let api = served.send(get(endpoints::PERFORMANCE_YEARS.path, true)).await;
    assert!(api.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
    assert_eq!(api.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(), HSTS);
    let secure = h.serving(Config { force_secure_cookies: true, ..Config::default() }, Some(&dist));
    assert!(secure.send(get("/", false)).await.headers.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    // A SPA pointed at an API elsewhere may connect to it, and the static host's file says so.
    std::fs::write(dist.join("config.json"), r#"{"apiBaseUrl": "https://api.example.gov/qpp"}"#).unwrap();
    let elsewhere = h.serving(Config::default(), Some(&dist)).send(get("/", false)).await;
    let csp = elsewhere.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.ends_with("connect-src 'self' https://api.example.gov"), "{csp}");
    let file = headers_file(INDEX, Some("https://api.example.gov"));
    assert!(file.contains(&format!("Content-Security-Policy: {csp}")) && file.contains(HSTS), "{file}");
    std::fs::remove_dir_all(&dist).unwrap();
}
