//! Signing in, sessions, CSRF and the sign-in lockout.

use crate::harness::*;

on_both!(
    sign_in_requires_the_statement_of_truth,
    sign_in_refuses_wrong_credentials_alike,
    sign_in_sets_a_strict_http_only_cookie_and_records_agreement,
    sessions_expire_and_sign_out_ends_them,
    mutations_need_the_csrf_token_and_same_origin,
    repeated_wrong_passwords_lock_the_user_id_for_a_while,
    sessions_end_after_twelve_hours_even_when_active,
    hostile_user_ids_are_refused_before_anything_is_stored,
);

/// A 10,000-character User ID or one with a NUL byte (a 500 on PostgreSQL before) is refused in
/// words, before it is looked up or counted as a failed attempt.
async fn hostile_user_ids_are_refused_before_anything_is_stored(h: Harness) {
    for user_id in ["x".repeat(10_000), "demo-\u{0}practice".to_string()] {
        let body = json!({"userId": user_id, "password": "nope", "agreeStatementOfTruth": true});
        let r = h.call(Method::POST, endpoints::SESSION.path, Some(body), None).await;
        let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "InvalidUserId");
        assert_eq!(e["details"][0]["path"], "$.userId");
    }
    // Many long attempts never lock anyone out: they were never counted.
    for _ in 0..10 {
        let body = json!({"userId": format!("demo-practice{}", "x".repeat(200)), "password": "nope", "agreeStatementOfTruth": true});
        h.call(Method::POST, endpoints::SESSION.path, Some(body), None).await;
    }
    h.sign_in("demo-practice", "demo-password-1").await;
}

async fn sign_in_requires_the_statement_of_truth(h: Harness) {
    let r = h
        .call(
            Method::POST,
            endpoints::SESSION.path,
            Some(json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": false})),
            None,
        )
        .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "StatementOfTruthRequired");
    assert_eq!(e["details"][0]["path"], "$.agreeStatementOfTruth");
    assert!(r.headers.get(header::SET_COOKIE).is_none(), "no session without agreement");
    let r = h
        .call(
            Method::POST,
            endpoints::SESSION.path,
            Some(json!({"userId": "", "password": "", "agreeStatementOfTruth": false})),
            None,
        )
        .await;
    let e = error_of(&r, StatusCode::UNPROCESSABLE_ENTITY, "ValidationError");
    assert_eq!(e["details"].as_array().unwrap().len(), 3, "one detail per problem: {e}");
}

async fn sign_in_refuses_wrong_credentials_alike(h: Harness) {
    let wrong_pw = h
        .call(
            Method::POST,
            endpoints::SESSION.path,
            Some(json!({"userId": "demo-practice", "password": "nope", "agreeStatementOfTruth": true})),
            None,
        )
        .await;
    let no_user = h
        .call(
            Method::POST,
            endpoints::SESSION.path,
            Some(json!({"userId": "nobody", "password": "nope", "agreeStatementOfTruth": true})),
            None,
        )
        .await;
    let a = error_of(&wrong_pw, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    let b = error_of(&no_user, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    assert_eq!(a["message"], b["message"], "the answer must not reveal which user IDs exist");
    assert!(wrong_pw.headers.get(header::SET_COOKIE).is_none());
}

async fn sign_in_sets_a_strict_http_only_cookie_and_records_agreement(h: Harness) {
    let r = h
        .call(
            Method::POST,
            endpoints::SESSION.path,
            Some(json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": true})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with(&format!("{SESSION_COOKIE}=")));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback");
    let info: SessionInfo = serde_json::from_value(r.body.clone()).unwrap();
    assert_eq!(info.user.user_id, "demo-practice");
    assert_eq!(info.statement_of_truth_agreed_at, start_time());
    assert_eq!(info.csrf_token.len(), 64);
    // Behind TLS the cookie is Secure.
    let req = Request::builder()
        .method(Method::POST)
        .uri(endpoints::SESSION.path)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(
            json!({"userId": "demo-practice", "password": DEMO_PASSWORD, "agreeStatementOfTruth": true}).to_string(),
        ))
        .unwrap();
    let r = h.send(req).await;
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().ends_with("; Secure"));
}

async fn sessions_expire_and_sign_out_ends_them(h: Harness) {
    let s = h.demo().await;
    assert_eq!(h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await.status, StatusCode::OK);
    // Signed out, "am I signed in?" is answered 204, not an error.
    assert_eq!(h.call(Method::GET, endpoints::SESSION.path, None, None).await.status, StatusCode::NO_CONTENT);
    // Activity keeps the session; 31 idle minutes end it.
    h.advance_minutes(20);
    assert_eq!(h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await.status, StatusCode::OK);
    h.advance_minutes(31);
    let expired = h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await;
    assert_eq!(expired.status, StatusCode::NO_CONTENT);
    assert!(
        expired.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"),
        "the dead cookie is cleared"
    );
    error_of(
        &h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await,
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
    );
    let s = h.demo().await;
    let out = h.call(Method::DELETE, endpoints::SESSION.path, None, Some(&s)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await.status, StatusCode::NO_CONTENT);
    error_of(
        &h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await,
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
    );
}

async fn mutations_need_the_csrf_token_and_same_origin(h: Harness) {
    let s = h.demo().await;
    let no_csrf = Session { cookie: s.cookie.clone(), csrf: String::new() };
    let r = h
        .call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")),
            Some(&no_csrf),
        )
        .await;
    error_of(&r, StatusCode::FORBIDDEN, "CsrfTokenMissing");
    let wrong = Session { cookie: s.cookie.clone(), csrf: "0".repeat(64) };
    error_of(
        &h.call(
            Method::POST,
            endpoints::ELECTIONS.path,
            Some(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM")),
            Some(&wrong),
        )
        .await,
        StatusCode::FORBIDDEN,
        "CsrfTokenMissing",
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri(endpoints::ELECTIONS.path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://attacker.example")
        .header(header::COOKIE, &s.cookie)
        .header(CSRF_HEADER, &s.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(h.election(OPT_IN_ELIGIBLE, "OPT_IN", "CONFIRM").to_string()))
        .unwrap();
    error_of(&h.send(req).await, StatusCode::FORBIDDEN, "CrossSiteRequest");
    assert!(h.stored(OPT_IN_ELIGIBLE).await.is_none());
}

async fn repeated_wrong_passwords_lock_the_user_id_for_a_while(h: Harness) {
    let attempt = |pw: &str| json!({"userId": "demo-practice", "password": pw, "agreeStatementOfTruth": true});
    for _ in 0..5 {
        error_of(
            &h.call(Method::POST, endpoints::SESSION.path, Some(attempt("wrong")), None).await,
            StatusCode::UNAUTHORIZED,
            "InvalidCredentials",
        );
    }
    let locked = h.call(Method::POST, endpoints::SESSION.path, Some(attempt(DEMO_PASSWORD)), None).await;
    let e = error_of(&locked, StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts");
    assert!(e["message"].as_str().unwrap().contains("Try again after"), "{e}");
    assert!(locked.headers.get(header::SET_COOKIE).is_none(), "even the right password is refused while locked");
    // Another user is not affected; after the window the right password works again.
    h.sign_in("other-practice", "other-password-1").await;
    h.advance_minutes(16);
    h.demo().await;
}

async fn sessions_end_after_twelve_hours_even_when_active(h: Harness) {
    let s = h.demo().await;
    for _ in 0..(12 * 60 / 25) {
        h.advance_minutes(25);
        assert_eq!(h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await.status, StatusCode::OK);
    }
    h.advance_minutes(25);
    assert_eq!(
        h.call(Method::GET, endpoints::SESSION.path, None, Some(&s)).await.status,
        StatusCode::NO_CONTENT,
        "12-hour cap"
    );
}
