//! Practices, clinicians, years and connections: only the user's own, with their own eligibility.

use crate::harness::*;

on_both!(
    practices_are_only_the_users_own,
    reading_or_electing_for_another_practice_is_refused,
    year_parameter_is_validated,
    years_list_windows_and_defaults_to_the_open_year,
    clinicians_are_listed_with_their_own_eligibility,
    connections_show_only_what_the_user_has,
    unreadable_paths_get_the_error_shape,
);

async fn practices_are_only_the_users_own(h: Harness) {
    let s = h.demo().await;
    let r = h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list: PracticesResponse = serde_json::from_value(r.body).unwrap();
    let tins: Vec<&str> = list.practices.iter().map(|p| p.tin.as_str()).collect();
    assert_eq!(tins.len(), 5, "{tins:?}");
    assert!(!tins.contains(&NOT_CONNECTED));
    let pazderova = list.practices.iter().find(|p| p.tin.as_str() == PAZDEROVA).unwrap();
    assert_eq!(pazderova.name, "Pazderová, Dudek and Zelený");
    assert_eq!(pazderova.eligibility.figures.allowed_charges_cents, 5_002_700);
    assert_eq!(pazderova.eligibility.status.badge(), "MIPS EXEMPT");
    assert_eq!(pazderova.eligibility.status.qualifier(), Some("Opt-in eligible"));
    assert!(pazderova.eligibility.can_elect.allowed);
    assert_eq!(pazderova.eligibility.special_statuses.len(), 3);
    assert!(pazderova.is_demo);
    let riverside = list.practices.iter().find(|p| p.tin.as_str() == MIPS_ELIGIBLE).unwrap();
    assert_eq!(riverside.eligibility.status.badge(), "MIPS ELIGIBLE");
    assert!(!riverside.eligibility.can_elect.allowed);
    let other = h.sign_in("other-practice", "other-password-1").await;
    let r =
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&other)).await;
    let list: PracticesResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(list.practices.iter().map(|p| p.tin.as_str()).collect::<Vec<_>>(), vec![NOT_CONNECTED]);
}

async fn reading_or_electing_for_another_practice_is_refused(h: Harness) {
    let s = h.demo().await;
    let r = h
        .call(
            Method::GET,
            &format!("{}?year={}", endpoints::PRACTICE.url(&[NOT_CONNECTED]), h.demo_year),
            None,
            Some(&s),
        )
        .await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    // A TIN that does not exist at all is answered the same way: no probing for TINs.
    let r = h
        .call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&["999999999"]), h.demo_year), None, Some(&s))
        .await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    let r = h
        .call(Method::POST, endpoints::ELECTIONS.path, Some(h.election(NOT_CONNECTED, "OPT_IN", "CONFIRM")), Some(&s))
        .await;
    error_of(&r, StatusCode::FORBIDDEN, "NotConnectedToPractice");
    assert!(h.stored(NOT_CONNECTED).await.is_none());
    let r = h
        .call(Method::GET, &format!("{}?year={}", endpoints::PRACTICE.url(&["12AB"]), h.demo_year), None, Some(&s))
        .await;
    error_of(&r, StatusCode::BAD_REQUEST, "InvalidFormatTin");
}

async fn year_parameter_is_validated(h: Harness) {
    let s = h.demo().await;
    let e = error_of(
        &h.call(Method::GET, endpoints::PRACTICES.path, None, Some(&s)).await,
        StatusCode::BAD_REQUEST,
        "MissingParameter",
    );
    assert_eq!(e["details"][0]["path"], "year");
    error_of(
        &h.call(Method::GET, &format!("{}?year=2018", endpoints::PRACTICES.path), None, Some(&s)).await,
        StatusCode::BAD_REQUEST,
        "InvalidParameter",
    );
    error_of(
        &h.call(Method::GET, &format!("{}?year=abcd", endpoints::PRACTICES.path), None, Some(&s)).await,
        StatusCode::BAD_REQUEST,
        "InvalidParameter",
    );
}

async fn years_list_windows_and_defaults_to_the_open_year(h: Harness) {
    let r = h.call(Method::GET, endpoints::PERFORMANCE_YEARS.path, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let years: PerformanceYearsResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(years.default_year, h.demo_year);
    assert_eq!(years.years.last().unwrap().performance_year.get(), 2019);
    let y2024 = years.years.iter().find(|y| y.performance_year.get() == 2024).unwrap();
    assert_eq!(y2024.window.as_ref().unwrap().election_closes_at.format_eastern(), "March 31, 2025 at 8:00 p.m. ET");
    assert_eq!(y2024.window_phase, Some(mips_elections::domain::WindowPhase::Closed));
    let demo = years.years.iter().find(|y| y.performance_year == h.demo_year).unwrap();
    assert_eq!(demo.window.as_ref().unwrap().source, mips_elections::domain::WindowSource::Demo);
    // Seeding again changes nothing (idempotent), and keeps the demo window.
    seed::seed_reference_data(&h.store).await.unwrap();
    seed::seed_demo_data(&h.store, Timestamp::from_eastern(2027, 6, 1, 0, 0), false).await.unwrap();
    let again: PerformanceYearsResponse =
        serde_json::from_value(h.call(Method::GET, endpoints::PERFORMANCE_YEARS.path, None, None).await.body).unwrap();
    assert_eq!(again.default_year, h.demo_year);
    assert_eq!(
        again.years.iter().find(|y| y.performance_year == h.demo_year).unwrap().window,
        demo.window,
        "the demo window is kept, not re-made"
    );
    let s = h.demo().await;
    let list: PracticesResponse = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await.body,
    )
    .unwrap();
    assert_eq!((list.practices.len(), list.clinicians.len()), (5, 11), "nothing doubled");
    let row: Option<PracticeRow> = h.store.practice(h.demo_year, &Tin::parse(PAZDEROVA).unwrap()).await.unwrap();
    assert_eq!(row.unwrap().facts.medicare_patients, 33);
}

async fn clinicians_are_listed_with_their_own_eligibility(h: Harness) {
    let s = h.demo().await;
    let r = h
        .call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIANS.url(&[MIPS_ELIGIBLE]), h.demo_year),
            None,
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list: CliniciansResponse = serde_json::from_value(r.body).unwrap();
    assert_eq!(list.practice.eligibility.status.badge(), "MIPS ELIGIBLE");
    let park = list.clinicians.iter().find(|c| c.last_name == "Park").unwrap();
    assert_eq!(
        park.eligibility.status.qualifier(),
        Some("Opt-in eligible"),
        "opt-in eligible individually in a MIPS eligible practice"
    );
    assert!(park.eligibility.can_elect.allowed);
    let okafor = list.clinicians.iter().find(|c| c.last_name == "Okafor").unwrap();
    assert_eq!(okafor.eligibility.status.badge(), "MIPS ELIGIBLE");
    // All practices' clinicians come with the practices list (for the page and its CSV).
    let all: PracticesResponse = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::PRACTICES.path, h.demo_year), None, Some(&s)).await.body,
    )
    .unwrap();
    assert_eq!(all.clinicians.len(), 11);
    assert!(all.clinicians.iter().all(|c| c.tin.as_str() != NOT_CONNECTED));
    error_of(
        &h.call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIANS.url(&[NOT_CONNECTED]), h.demo_year),
            None,
            Some(&s),
        )
        .await,
        StatusCode::FORBIDDEN,
        "NotConnectedToPractice",
    );
    let one = h
        .call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIAN.url(&[PAZDEROVA, &npi("10300001")]), h.demo_year),
            None,
            Some(&s),
        )
        .await;
    let card: ClinicianCard = serde_json::from_value(one.body).unwrap();
    assert_eq!(card.full_name(), "Tereza Pazderová");
    assert_eq!(card.practice_name, "Pazderová, Dudek and Zelený");
    error_of(
        &h.call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIAN.url(&[PAZDEROVA, &npi("10600014")]), h.demo_year),
            None,
            Some(&s),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NoProviderInformation",
    );
    error_of(
        &h.call(
            Method::GET,
            &format!("{}?year={}", endpoints::CLINICIAN.url(&[PAZDEROVA, "123"]), h.demo_year),
            None,
            Some(&s),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "InvalidFormatNpi",
    );
}

async fn connections_show_only_what_the_user_has(h: Harness) {
    let s = h.demo().await;
    let c: ConnectionsResponse = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::CONNECTIONS.path, h.demo_year), None, Some(&s))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(c.apm_entities.len(), 1);
    assert_eq!(c.apm_entities[0].apm_name, "Medicare Shared Savings Program");
    assert_eq!(c.virtual_groups.len(), 1);
    assert!(c.registries.is_empty());
    let r = h.sign_in("demo-registry", DEMO_PASSWORD).await;
    let c: ConnectionsResponse = serde_json::from_value(
        h.call(Method::GET, &format!("{}?year={}", endpoints::CONNECTIONS.path, h.demo_year), None, Some(&r))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(c.registries.len(), 1);
    assert!(c.apm_entities.is_empty() && c.virtual_groups.is_empty());
    let y: PerformanceYearsResponse =
        serde_json::from_value(h.call(Method::GET, endpoints::PERFORMANCE_YEARS.path, None, None).await.body).unwrap();
    // The demo came in through the import: one data run a year, named after its file.
    let demo_runs = &y.years.iter().find(|i| i.performance_year == h.demo_year).unwrap().data_runs;
    assert_eq!(demo_runs.len(), 1);
    assert!(demo_runs[0].description.starts_with("Demo data: final eligibility"), "{}", demo_runs[0].description);
    let py2021 = &y.years.iter().find(|i| i.performance_year.get() == 2021).unwrap().data_runs[0];
    assert!(py2021.description.contains("Segment 2"));
    assert_eq!(py2021.released_on, "2021-11", "to the month, as the 2021 guide gives it");
    let files: Vec<String> = h.store.imported_runs().await.unwrap().into_iter().map(|r| r.file_name).collect();
    assert!(files.contains(&"demo-data/eligibility-demo-year.ndjson".to_string()), "{files:?}");
}

async fn unreadable_paths_get_the_error_shape(h: Harness) {
    let s = h.demo().await;
    error_of(
        &h.call(Method::GET, &format!("/api/practices/%FF?year={}", h.demo_year), None, Some(&s)).await,
        StatusCode::BAD_REQUEST,
        "InvalidPath",
    );
    error_of(
        &h.call(Method::GET, "/api/eligibility/npi/%FF", None, None).await,
        StatusCode::BAD_REQUEST,
        "InvalidPath",
    );
}
