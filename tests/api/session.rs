//! Signing in, sessions, CSRF, the sign-in counters (per User ID and address, per User ID, per
//! address) and the operator's one-time sign-in links.

use crate::harness::*;

on_both!(
    sign_in_requires_the_statement_of_truth,
    sign_in_refuses_wrong_credentials_alike,
    sign_in_sets_a_strict_http_only_cookie_and_records_agreement,
    sessions_expire_and_sign_out_ends_them,
    mutations_need_the_csrf_token_and_same_origin,
    repeated_wrong_passwords_lock_the_user_id_for_a_while,
    concurrent_attempts_are_counted_before_the_password_is_checked,
    sessions_end_after_twelve_hours_even_when_active,
    hostile_user_ids_are_refused_before_anything_is_stored,
    attempts_from_many_addresses_lock_the_user_id_but_not_its_sign_in_link,
    a_sign_in_link_works_once_for_its_user_id_with_the_right_password,
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

/// A sign-in attempt from `address` (behind a trusted proxy, which appends it to X-Forwarded-For).
fn attempt_from(user: &str, password: &str, address: &str) -> Request<Body> {
    let body = json!({"userId": user, "password": password, "agreeStatementOfTruth": true});
    Request::builder()
        .method(Method::POST)
        .uri(endpoints::SESSION.path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/json")
        // The first entry is the client's to invent; the proxy's (last) one is what counts.
        .header("x-forwarded-for", format!("10.9.9.9, {address}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn repeated_wrong_passwords_lock_the_user_id_for_a_while(h: Harness) {
    let h = h.with_config(Config { trusted_proxy: true, ..Config::default() });
    let attacker = "203.0.113.7";
    for _ in 0..5 {
        let r = h.send(attempt_from("demo-practice", "wrong", attacker)).await;
        error_of(&r, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    }
    let locked = h.send(attempt_from("demo-practice", DEMO_PASSWORD, attacker)).await;
    let e = error_of(&locked, StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts");
    assert!(e["message"].as_str().unwrap().contains("Try again after"), "{e}");
    assert!(locked.headers.get(header::SET_COOKIE).is_none(), "even the right password is refused while locked");
    let wait: i64 = locked.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // The attacker did not lock the owner out: from the owner's own network the password works.
    let owner = h.send(attempt_from("demo-practice", DEMO_PASSWORD, "198.51.100.20")).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    // After the window, the attacker's address is counted afresh.
    h.advance_minutes(16);
    assert_eq!(h.send(attempt_from("demo-practice", DEMO_PASSWORD, attacker)).await.status, StatusCode::OK);
}

/// Thirty wrong passwords at once from one address: the counters see the attempts in flight, so
/// no more than five passwords are checked; the rest are refused before hashing.
async fn concurrent_attempts_are_counted_before_the_password_is_checked(h: Harness) {
    let h = Arc::new(h.with_config(Config { trusted_proxy: true, ..Config::default() }));
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let h = h.clone();
            tokio::spawn(async move { h.send(attempt_from("demo-practice", "wrong", "203.0.113.8")).await.status })
        })
        .collect();
    let mut checked = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    // At most five: each attempt is counted in three counters one after another, so when thirty
    // arrive together one may be among the first five of its User ID and address but past the
    // twentieth of the User ID — refused too, never checked.
    assert!((1..=5).contains(&checked), "{checked} passwords checked");
    // One address trying many User IDs is limited too (a spray), and the counters stay bounded.
    let mut refused = 0;
    for i in 0..110 {
        let r = h.send(attempt_from(&format!("user-{i}"), "wrong", "203.0.113.9")).await;
        refused += usize::from(r.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(refused, 10, "the 101st attempt from one address onwards");
    let rows = h.store.rows_as_text("SELECT COUNT(*) FROM sign_in_attempts").await.unwrap();
    let rows: usize = rows[0].parse().unwrap();
    // One per User ID with its address, one per User ID, one per address.
    assert!(rows <= 2 * (110 + 1) + 2, "{rows} counters");
}

/// A sign-in attempt carrying a one-time sign-in link.
fn attempt_with_link(user: &str, password: &str, address: &str, link: &str) -> Request<Body> {
    let body = json!({"userId": user, "password": password, "agreeStatementOfTruth": true, "signInLink": link});
    let mut req = attempt_from(user, password, address);
    *req.body_mut() = Body::from(body.to_string());
    req
}

/// Makes a link the way an operator does: `mips-elections users sign-in-link USER_ID` on the
/// harness's database, printing the link on standard output.
fn link_from_the_command_line(h: &Harness, user: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mips-elections"))
        .args(["users", "sign-in-link", user])
        .env("DATABASE_URL", &h.url)
        .env("PUBLIC_URL", "https://elections.example/")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    let token =
        printed.trim().strip_prefix("https://elections.example/sign-in?link=").unwrap_or_else(|| panic!("{printed}"));
    assert_eq!(token.len(), 64, "{printed}");
    token.to_string()
}

/// Twenty wrong passwords from four addresses lock the User ID everywhere (guessing from many
/// addresses is limited too), even with the right password from a fifth; the owner's one-time
/// link from the operator still lets them in, however many attempts others go on making.
async fn attempts_from_many_addresses_lock_the_user_id_but_not_its_sign_in_link(h: Harness) {
    let h = h.with_config(Config { trusted_proxy: true, ..Config::default() });
    for i in 0..20 {
        let r = h.send(attempt_from("demo-practice", "wrong", &format!("203.0.113.{}", i / 5))).await;
        error_of(&r, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    }
    let owner = h.send(attempt_from("demo-practice", DEMO_PASSWORD, "198.51.100.20")).await;
    let e = error_of(&owner, StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts");
    assert!(e["message"].as_str().unwrap().contains("one-time sign-in link"), "{e}");
    // Other User IDs are not affected.
    assert_eq!(h.send(attempt_from("demo-registry", DEMO_PASSWORD, "198.51.100.20")).await.status, StatusCode::OK);
    let token = link_from_the_command_line(&h, "demo-practice");
    for i in 0..10 {
        h.send(attempt_from("demo-practice", "wrong", &format!("192.0.2.{i}"))).await;
    }
    let r = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.20", &token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.get(header::SET_COOKIE).is_some());
    // Used up.
    let again = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.20", &token)).await;
    let e = error_of(&again, StatusCode::UNPROCESSABLE_ENTITY, "SignInLinkInvalid");
    assert_eq!(e["details"][0]["path"], "$.signInLink", "{e}");
}

async fn a_sign_in_link_works_once_for_its_user_id_with_the_right_password(h: Harness) {
    let h = h.with_config(Config { trusted_proxy: true, ..Config::default() });
    let token = link_from_the_command_line(&h, "demo-practice");
    // Not for another User ID, and a made-up link is refused in words, counted against the address.
    let other = h.send(attempt_with_link("demo-registry", DEMO_PASSWORD, "198.51.100.1", &token)).await;
    error_of(&other, StatusCode::UNPROCESSABLE_ENTITY, "SignInLinkInvalid");
    let made_up = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.1", &"0".repeat(64))).await;
    error_of(&made_up, StatusCode::UNPROCESSABLE_ENTITY, "SignInLinkInvalid");
    // The password is still needed, and only five may be tried with the link.
    for _ in 0..5 {
        let r = h.send(attempt_with_link("demo-practice", "wrong", "198.51.100.2", &token)).await;
        error_of(&r, StatusCode::UNAUTHORIZED, "InvalidCredentials");
    }
    let sixth = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.2", &token)).await;
    let e = error_of(&sixth, StatusCode::TOO_MANY_REQUESTS, "TooManySignInAttempts");
    assert!(e["message"].as_str().unwrap().contains("with this one-time sign-in link, so it no longer works"), "{e}");
    // Used up, not paused: after the window it is still refused.
    h.advance_minutes(16);
    let later = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.2", &token)).await;
    error_of(&later, StatusCode::UNPROCESSABLE_ENTITY, "SignInLinkInvalid");
    // It expires after a day (made as the command makes it, on the harness's clock).
    let fresh = mips_elections::server::secrets::random_token();
    let now = Timestamp(h.clock.load(Ordering::SeqCst));
    let day = Timestamp(now.0 + mips_elections::domain::sign_in::SIGN_IN_LINK_HOURS * 3_600_000);
    let fresh_hash = mips_elections::server::secrets::token_hash(&fresh);
    h.store.create_sign_in_link(&fresh_hash, "demo-practice", now, day).await.unwrap();
    h.advance_minutes(24 * 60 + 1);
    let late = h.send(attempt_with_link("demo-practice", DEMO_PASSWORD, "198.51.100.3", &fresh)).await;
    error_of(&late, StatusCode::UNPROCESSABLE_ENTITY, "SignInLinkInvalid");
    // An operator typo is an error, not a link.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mips-elections"))
        .args(["users", "sign-in-link", "nobody-here"])
        .env("DATABASE_URL", &h.url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user has the User ID \"nobody-here\""));
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
