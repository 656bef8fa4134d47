//! Reference data every deployment needs (the official election windows) and the demo data
//! that `./scripts/run` asks for. Demo rows are flagged `is_demo` and the UI labels them.

use super::secrets::hash_password;
use super::services::import::{import, ImportFailure};
use super::store::data_runs::RunFacts;
use super::store::Store;
use crate::api::{ApmEntitySummary, RegistryKind, RegistrySummary, UserRole, VirtualGroupSummary};
use crate::domain::window::official_windows;
use crate::domain::{ElectionWindow, Npi, PerformanceYear, Timestamp, Tin};

pub const DEMO_PASSWORD: &str = "demo-password-1";
pub const DEMO_PRACTICE_USER: &str = "demo-practice";
pub const DEMO_REGISTRY_USER: &str = "demo-registry";
/// Staff of the demo registry without the Security Official role (can't manage the API token).
pub const DEMO_REGISTRY_STAFF_USER: &str = "demo-registry-staff";
pub const DEMO_REGISTRY_ID: &str = "QR-0067";
/// The demo registry's 10,000-clinician client network (every clinician opt-in eligible).
pub const NETWORK_TIN: &str = "207000077";
pub const NETWORK_SIZE: usize = 10_000;

/// The NPI of the network's i-th clinician (also used by the generator's `--network` files).
pub fn network_npi(i: usize) -> Npi {
    Npi::with_check_digit(&format!("17{:07}", i)).expect("9-digit base")
}

/// Writes CMS's windows; keeps any demo window that was seeded before.
pub async fn seed_reference_data(store: &Store) -> Result<(), sqlx::Error> {
    let existing = store.windows().await?;
    for w in official_windows() {
        let has_demo = existing
            .iter()
            .any(|e| e.performance_year == w.performance_year && e.source == crate::domain::WindowSource::Demo);
        if !has_demo {
            store.upsert_window(&w).await?;
        }
    }
    Ok(())
}

/// The demo year is the calendar year (ET) when the demo data is first seeded, but never past the
/// last year the low-volume threshold table covers (eligibility can't be decided without it).
/// Its window is made up so that a new user can elect today; it is labelled as a demo window.
pub fn demo_year(now: Timestamp) -> PerformanceYear {
    let year = (now.to_eastern().year as u16).min(crate::domain::lvt::last_threshold_year());
    PerformanceYear::new(year).unwrap_or_else(|_| PerformanceYear::new(2026).expect("valid"))
}

/// The demo's eligibility, one file a year in CMS's v6 shape, imported through the same
/// `import` as real data (`demo-data/README.md` says what each practice shows).
const DEMO_YEAR_FILE: (&str, &str) =
    ("demo-data/eligibility-demo-year.ndjson", include_str!("../../demo-data/eligibility-demo-year.ndjson"));
const PY2025_FILE: (&str, &str) =
    ("demo-data/eligibility-2025.ndjson", include_str!("../../demo-data/eligibility-2025.ndjson"));
const PY2021_FILE: (&str, &str) =
    ("demo-data/eligibility-2021.ndjson", include_str!("../../demo-data/eligibility-2021.ndjson"));

/// The demo practices `demo-practice` is connected to (not Horváth Orthopedics, 108000141: users
/// see only their own practices).
const DEMO_PRACTICE_TINS: &[&str] = &["103000013", "104000093", "105000117", "106000125", "107000133"];

/// One network clinician in CMS's shape: opt-in eligible through covered services alone, in a
/// MIPS eligible group (the network TIN exceeds all three criteria).
fn network_line(i: usize) -> String {
    let scenario = |level: &str, figures: (i64, f64, i64), opt_in: bool| {
        serde_json::json!({
            "isEligible": {level: !opt_in}, "isOptInEligible": opt_in, "mipsEligibleSwitch": true,
            "lowVolumeBeneficiaries": figures.0, "lowVolumeAllowedCharges": figures.1, "lowVolumeServices": figures.2,
        })
    };
    serde_json::json!({
        "npi": network_npi(i).as_str(), "firstName": format!("Clinician {}", i + 1), "lastName": "Network",
        "newlyEnrolled": false, "qpStatus": "N",
        "organizations": [{
            "TIN": NETWORK_TIN, "prvdrOrgName": "Great Lakes Physician Network",
            "addressLineOne": "600 Lake Avenue South", "city": "Duluth", "state": "MN", "zip": "558020000",
            "individualScenario": scenario("individual", (30, 10_000.0, 250), true),
            "groupScenario": scenario("group", (12_000, 9_000_000.0, 40_000), false),
        }],
    })
    .to_string()
}

/// Imports one demo year; the same content again changes nothing.
async fn import_demo_year(
    store: &Store, year: PerformanceYear, (file_name, text): (&str, &str), extra: &[String], now: Timestamp,
) -> Result<(), ImportFailure> {
    let mut text = text.to_string();
    for line in extra {
        text.push_str(line);
        text.push('\n');
    }
    let (released_on, description) = demo_run(year);
    let run = RunFacts {
        file_name,
        content_sha256: super::secrets::sha256_hex(text.as_bytes()),
        released_on,
        now,
        demo: true,
        description: Some(description),
    };
    import(store, year, &text, run, &mut |_, _| {}).await.map(|_| ())
}

/// The demo year's eligibility again, with the demo registry's 10,000-clinician network (the
/// API tests leave it out except where they need it).
pub async fn seed_network(store: &Store, year: PerformanceYear, now: Timestamp) -> Result<(), ImportFailure> {
    let network: Vec<String> = (0..NETWORK_SIZE).map(network_line).collect();
    import_demo_year(store, year, DEMO_YEAR_FILE, &network, now).await
}

/// The demo's published accounts (their passwords are in the README) must never enter a
/// database that holds real data: `--demo` stops with this message instead.
pub async fn refuse_non_demo_database(store: &Store) -> Result<(), String> {
    match store.holds_non_demo_data().await {
        Ok(false) => Ok(()),
        Ok(true) => Err("this database holds data that is not demo data (real accounts, registries or eligibility records), so --demo will not add the published demo accounts to it. Point DATABASE_URL at a separate database for the demo.".into()),
        Err(e) => Err(format!("cannot tell whether the database holds real data: {e}")),
    }
}

/// Idempotent: inserts what is missing and never overwrites, so re-running keeps elections
/// and the demo window chosen the first time.
pub async fn seed_demo_data(store: &Store, now: Timestamp, network: bool) -> Result<PerformanceYear, ImportFailure> {
    let windows = store.windows().await?;
    let year = match windows.iter().find(|w| w.source == crate::domain::WindowSource::Demo) {
        Some(w) => w.performance_year,
        None => {
            let y = demo_year(now);
            store.upsert_window(&ElectionWindow::demo(y, now)).await?;
            y
        }
    };
    if network {
        seed_network(store, year, now).await?;
    } else {
        import_demo_year(store, year, DEMO_YEAR_FILE, &[], now).await?;
    }
    import_demo_year(store, PerformanceYear::new(2021).expect("valid"), PY2021_FILE, &[], now).await?;
    let py2025 = PerformanceYear::new(2025).expect("valid");
    if year != py2025 {
        import_demo_year(store, py2025, PY2025_FILE, &[], now).await?;
    }
    let hash = hash_password(DEMO_PASSWORD);
    store.upsert_user(DEMO_PRACTICE_USER, "Tessa H", &hash, UserRole::PracticeRepresentative, true, now).await?;
    store.upsert_user(DEMO_REGISTRY_USER, "Rafael Ortiz", &hash, UserRole::RegistryStaff, true, now).await?;
    store.upsert_user(DEMO_REGISTRY_STAFF_USER, "Jordan Lee", &hash, UserRole::RegistryStaff, true, now).await?;
    for tin in DEMO_PRACTICE_TINS {
        store.connect_user(DEMO_PRACTICE_USER, &Tin::parse(tin).expect("valid")).await?;
    }
    let tin = |t: &str| Tin::parse(t).expect("valid");
    store
        .upsert_apm_entity(
            year,
            &ApmEntitySummary {
                entity_id: "A1234".into(),
                name: "North Shore Accountable Care".into(),
                apm_name: "Medicare Shared Savings Program".into(),
                track: "MSSP ACO – ENHANCED".into(),
                participant_tins: vec![tin("105000117")],
                is_demo: true,
            },
            DEMO_PRACTICE_USER,
        )
        .await?;
    store
        .upsert_virtual_group(
            year,
            &VirtualGroupSummary {
                vg_id: "VG-000214".into(),
                name: "Lake Superior Rural Clinicians Virtual Group".into(),
                member_tins: vec![tin("109000157")],
                elected_on: format!("{}-12-18", year.get() - 1),
                is_demo: true,
            },
            DEMO_PRACTICE_USER,
        )
        .await?;
    store
        .upsert_registry(
            &RegistrySummary {
                registry_id: DEMO_REGISTRY_ID.into(),
                name: "Demo Qualified Registry".into(),
                tin: tin("000006700"),
                kind: RegistryKind::QualifiedRegistry,
                is_demo: true,
            },
            DEMO_REGISTRY_USER,
        )
        .await?;
    store.set_security_official(DEMO_REGISTRY_USER, DEMO_REGISTRY_ID, true).await?;
    store.link_user_to_registry(DEMO_REGISTRY_STAFF_USER, DEMO_REGISTRY_ID).await?;
    // A registry client that opted in on its own, so uploads show "already elected".
    let prairie = Tin::parse("203000035").expect("valid");
    if store.election(year, &prairie, None).await?.is_none() {
        store
            .record_election(&super::store::elections::NewElection {
                performance_year: year,
                tin: prairie,
                npi: None,
                election: crate::domain::Election::OptIn,
                at: now,
                actor_user_id: "prairie-practice-manager".into(),
                actor_display_name: "Prairie Rural Health Clinic practice manager".into(),
                channel: crate::api::ElectionChannel::Web,
                statement_of_truth_agreed_at: now,
            })
            .await?;
    }
    Ok(year)
}

/// The date and words of a demo year's data run: the 2021 guide's wording for PY2021's final
/// run (its date to the month, as the guide gives it), and for other years a final run that
/// follows the determination-period rule, said to be demo data.
fn demo_run(year: PerformanceYear) -> (String, String) {
    if year.get() == 2021 {
        return ("2021-11".into(), "Updated PY 2021 MIPS eligibility and special statuses based on a review of claims and PECOS data from Segment 2 of the MIPS Determination Period (October 1, 2020 – September 30, 2021). This status is final unless your QP status changes as a result of the 3rd APM snapshot.".into());
    }
    let nice = |iso: &str| crate::domain::time::format_iso_date(iso).unwrap_or_else(|| iso.to_string());
    let [_, (from, to)] = year.determination_segments();
    (
        format!("{}-11-02", year.get()),
        format!(
            "Demo data: final eligibility from Segment 2 of the MIPS Determination Period ({} to {}).",
            nice(&from),
            nice(&to)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{low_volume_threshold, Determination, LowVolumeAssessment};
    use crate::server::services::import::parse;

    /// The demo's files state CMS-shaped determinations; each must be what its own figures give,
    /// so that the demo never shows a status its card's figures contradict.
    #[test]
    fn demo_determinations_agree_with_their_figures() {
        let network: String = (0..3).map(|i| network_line(i) + "\n").collect();
        for (year, text) in
            [(2026, DEMO_YEAR_FILE.1), (2026, network.as_str()), (2025, PY2025_FILE.1), (2021, PY2021_FILE.1)]
        {
            let year = PerformanceYear::new(year).unwrap();
            let threshold = low_volume_threshold(year).unwrap();
            let d = parse(text, year).unwrap_or_else(|e| panic!("{year}: {e}"));
            let facts = d
                .practices
                .iter()
                .map(|p| (&p.facts, p.tin.to_string()))
                .chain(d.clinicians.iter().map(|c| (&c.facts, format!("{}/{}", c.tin, c.npi))));
            for (f, who) in facts {
                assert!(f.figures_provided, "{who}");
                let from_figures = Determination::from_figures(&LowVolumeAssessment::of(&f.figures(), &threshold));
                assert_eq!(f.determination, from_figures, "{year} {who}");
            }
        }
    }
}
