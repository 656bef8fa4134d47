//! Reference data every deployment needs (the official election windows) and the demo data
//! that `./scripts/run` asks for. Demo rows are flagged `is_demo` and the UI labels them.

use super::secrets::hash_password;
use super::store::clinicians::ClinicianRow;
use super::store::practices::{EligibilityFacts, PracticeRow};
use super::store::Store;
use crate::api::{ApmEntitySummary, DataRun, RegistryKind, RegistrySummary, UserRole, VirtualGroupSummary};
use crate::domain::window::official_windows;
use crate::domain::{
    low_volume_threshold, Determination, ElectionWindow, LowVolumeAssessment, LowVolumeStatus, Npi, PerformanceYear,
    SpecialStatus, Timestamp, Tin, VolumeFigures,
};
use serde::Deserialize;

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

/// The demo practices and clinicians of each year, as `demo-data/practices.json` holds them
/// (its README says what each case shows).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoData {
    demo_year: Vec<DemoPractice>,
    py2025: Vec<DemoPractice>,
    py2021: Vec<DemoPractice>,
    registry_clients: Vec<DemoPractice>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoPractice {
    tin: Tin,
    name: String,
    address_line1: String,
    city: String,
    state: String,
    zip: String,
    /// (Medicare patients, allowed charges in cents, covered services)
    figures: (i64, i64, i64),
    special_statuses: Vec<String>,
    mips_apm_participant: bool,
    clinicians: Vec<DemoClinician>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoClinician {
    /// The NPI without its check digit.
    npi_base: String,
    first_name: String,
    last_name: String,
    figures: (i64, i64, i64),
}

fn demo_data() -> DemoData {
    serde_json::from_str(include_str!("../../demo-data/practices.json")).expect("demo-data/practices.json is valid")
}

/// The demo's facts: invented figures, and the determination those figures give under the year's
/// threshold (real data carries CMS's own determination, which the import stores as given).
fn facts(
    year: PerformanceYear, figures: (i64, i64, i64), special_statuses: Vec<SpecialStatus>, mips_apm_participant: bool,
) -> EligibilityFacts {
    let (medicare_patients, allowed_charges_cents, covered_services) = figures;
    let volume = VolumeFigures { medicare_patients, allowed_charges_cents, covered_services };
    let determination = low_volume_threshold(year)
        .map(|t| Determination::from_figures(&LowVolumeAssessment::of(&volume, &t)))
        .unwrap_or(Determination::with_status(LowVolumeStatus::NotOptInEligible));
    EligibilityFacts {
        determination,
        figures_provided: true,
        medicare_patients,
        allowed_charges_cents,
        covered_services,
        special_statuses,
        mips_apm_participant,
        is_demo: true,
    }
}

const DEMO_PRACTICE_TINS: &[&str] = &["103000013", "104000093", "105000117", "106000125", "107000133"];

/// Seeds the demo registry's clients; the 10,000-clinician network only when `network` is set
/// (the API tests leave it out except where they need it).
pub async fn seed_registry_clients(
    store: &Store, year: PerformanceYear, now: Timestamp, network: bool,
) -> Result<(), sqlx::Error> {
    insert_practices(store, year, &demo_data().registry_clients).await?;
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
    if network {
        let tin = Tin::parse(NETWORK_TIN).expect("valid");
        let rows: Vec<ClinicianRow> = (0..NETWORK_SIZE)
            .map(|i| ClinicianRow {
                performance_year: year,
                tin: tin.clone(),
                npi: network_npi(i),
                first_name: format!("Clinician {}", i + 1),
                last_name: "Network".into(),
                facts: facts(year, (30, 1_000_000, 250), vec![], false),
            })
            .collect();
        store.upsert_clinicians(&rows).await?;
    }
    Ok(())
}

async fn insert_practices(store: &Store, year: PerformanceYear, practices: &[DemoPractice]) -> Result<(), sqlx::Error> {
    for p in practices {
        let statuses: Vec<SpecialStatus> = p
            .special_statuses
            .iter()
            .map(|c| SpecialStatus::from_code(c).expect("demo special statuses are known codes"))
            .collect();
        store
            .upsert_practice(&PracticeRow {
                performance_year: year,
                tin: p.tin.clone(),
                name: p.name.clone(),
                address_line1: p.address_line1.clone(),
                city: p.city.clone(),
                state: p.state.clone(),
                zip: p.zip.clone(),
                facts: facts(year, p.figures, statuses.clone(), p.mips_apm_participant),
            })
            .await?;
        // A clinician shares the practice's statuses except the small-practice one (a TIN's size).
        let clinician_statuses: Vec<SpecialStatus> =
            statuses.iter().copied().filter(|s| *s != SpecialStatus::SmallPractice).collect();
        for c in &p.clinicians {
            let npi = Npi::with_check_digit(&format!("1{}", c.npi_base)).expect("demo NPI bases are 8 digits");
            store
                .upsert_clinician(&ClinicianRow {
                    performance_year: year,
                    tin: p.tin.clone(),
                    npi,
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    facts: facts(year, c.figures, clinician_statuses.clone(), p.mips_apm_participant),
                })
                .await?;
        }
    }
    Ok(())
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
pub async fn seed_demo_data(store: &Store, now: Timestamp) -> Result<PerformanceYear, sqlx::Error> {
    let windows = store.windows().await?;
    let year = match windows.iter().find(|w| w.source == crate::domain::WindowSource::Demo) {
        Some(w) => w.performance_year,
        None => {
            let y = demo_year(now);
            store.upsert_window(&ElectionWindow::demo(y, now)).await?;
            y
        }
    };
    let data = demo_data();
    insert_practices(store, year, &data.demo_year).await?;
    insert_practices(store, PerformanceYear::new(2021).expect("valid"), &data.py2021).await?;
    let py2025 = PerformanceYear::new(2025).expect("valid");
    if year != py2025 {
        insert_practices(store, py2025, &data.py2025).await?;
    }
    for run in demo_data_runs(year) {
        store.upsert_data_run(&run).await?;
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
    seed_registry_clients(store, year, now, false).await?;
    Ok(year)
}

/// Data runs: the official wording for PY2021 (from the 2021 guide), and for the demo year runs
/// that follow the determination-period rule, flagged as demo data.
fn demo_data_runs(demo_year: PerformanceYear) -> Vec<DataRun> {
    let py2021 = PerformanceYear::new(2021).expect("valid");
    let nice = |iso: &str| crate::domain::time::format_iso_date(iso).unwrap_or_else(|| iso.to_string());
    let [s1, s2] = demo_year.determination_segments().map(|(a, b)| (nice(&a), nice(&b)));
    vec![
        DataRun { performance_year: py2021, run_number: 1, released_on: "2021-10-20".into(), description: "Updated to include 2021 QP status and MIPS APM participation status based on the 2nd snapshot of APM data (January 1, 2021 – June 30, 2021).".into() },
        DataRun { performance_year: py2021, run_number: 2, released_on: "2021-11".into(), description: "Updated PY 2021 MIPS eligibility and special statuses based on a review of claims and PECOS data from Segment 2 of the MIPS Determination Period (October 1, 2020 – September 30, 2021). This status is final unless your QP status changes as a result of the 3rd APM snapshot.".into() },
        DataRun { performance_year: demo_year, run_number: 1, released_on: format!("{}-12-15", demo_year.get() - 1), description: format!("Demo data: initial eligibility from Segment 1 of the MIPS Determination Period ({} to {}).", s1.0, s1.1) },
        DataRun { performance_year: demo_year, run_number: 2, released_on: format!("{}-11-02", demo_year.get()), description: format!("Demo data: final eligibility from Segment 2 of the MIPS Determination Period ({} to {}).", s2.0, s2.1) },
    ]
}
