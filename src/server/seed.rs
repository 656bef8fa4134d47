//! Reference data every deployment needs (the official election windows) and the demo data
//! that `./scripts/run` asks for. Demo rows are flagged `is_demo` and the UI labels them.

use super::secrets::hash_password;
use super::store::clinicians::ClinicianRow;
use super::store::practices::PracticeRow;
use super::store::Store;
use crate::api::{ApmEntitySummary, DataRun, RegistryKind, RegistrySummary, UserRole, VirtualGroupSummary};
use crate::domain::window::official_windows;
use crate::domain::{ElectionWindow, Npi, PerformanceYear, SpecialStatus, Timestamp, Tin};

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

struct P {
    tin: &'static str,
    name: &'static str,
    line1: &'static str,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    /// (Medicare patients, allowed charges in cents, covered services)
    figures: (i64, i64, i64),
    statuses: &'static [SpecialStatus],
    apm: bool,
    clinicians: &'static [DemoClinician],
}

/// (NPI without check digit, first name, last name, figures as above) of a demo clinician.
type DemoClinician = (&'static str, &'static str, &'static str, (i64, i64, i64));

use SpecialStatus::*;

/// Practices of the demo year. The first two are the practices shown in the 2021 election guide
/// (same names, TINs and addresses); their figures there make them opt-in eligible through
/// covered services alone.
const DEMO_PRACTICES: &[P] = &[
    P {
        tin: "103000013",
        name: "Pazderová, Dudek and Zelený",
        line1: "74543 Xavier Inlet",
        city: "Ketchikan",
        state: "AK",
        zip: "99901-0840",
        figures: (33, 5_002_700, 1_419),
        statuses: &[Hpsa, Rural, SmallPractice],
        apm: false,
        clinicians: &[
            ("10300001", "Tereza", "Pazderová", (21, 3_104_500, 902)),
            ("10300002", "Marek", "Dudek", (12, 1_898_200, 517)),
        ],
    },
    P {
        tin: "104000093",
        name: "Dittrich, Krajíček and Urbanová",
        line1: "414 Threlkeld Plains",
        city: "South Shannanmouth",
        state: "NJ",
        zip: "11044-0997",
        figures: (108, 5_086_200, 510),
        statuses: &[SmallPractice],
        apm: false,
        clinicians: &[
            ("10400009", "Jan", "Dittrich", (64, 2_950_000, 301)),
            ("10400010", "Alžběta", "Krajíček", (44, 2_136_200, 209)),
            ("10400011", "Radka", "Urbanová", (0, 0, 0)),
        ],
    },
    P {
        tin: "105000117",
        name: "Kowalczyk Family Medicine",
        line1: "1200 Harbor View Drive, Suite 4",
        city: "Duluth",
        state: "MN",
        zip: "55802-2317",
        figures: (242, 14_250_000, 188),
        statuses: &[Rural],
        apm: true,
        clinicians: &[
            ("10500011", "Agnieszka", "Kowalczyk", (160, 9_800_000, 120)),
            ("10500012", "Piotr", "Wiśniewski", (82, 4_450_000, 68)),
        ],
    },
    // MIPS eligible as a group, with one clinician who is opt-in eligible as an individual.
    P {
        tin: "106000125",
        name: "Riverside Internal Medicine Associates",
        line1: "88 Riverside Avenue",
        city: "Hartford",
        state: "CT",
        zip: "06103-1402",
        figures: (1_860, 96_432_150, 7_904),
        statuses: &[],
        apm: false,
        clinicians: &[
            ("10600012", "Grace", "Okafor", (940, 51_200_000, 4_100)),
            ("10600013", "Daniel", "Reyes", (920, 45_232_150, 3_804)),
            ("10600014", "Samuel", "Park", (150, 12_000_000, 180)),
        ],
    },
    P {
        tin: "107000133",
        name: "Nováková Pediatrics",
        line1: "5 Orchard Lane",
        city: "Burlington",
        state: "VT",
        zip: "05401-4410",
        figures: (45, 2_030_000, 150),
        statuses: &[SmallPractice, NonPatientFacing],
        apm: false,
        clinicians: &[("10700013", "Lucie", "Nováková", (45, 2_030_000, 150))],
    },
    // Not connected to demo-practice: shows that users see only their own practices.
    P {
        tin: "108000141",
        name: "Horváth Orthopedics",
        line1: "31 Mill Street",
        city: "Bozeman",
        state: "MT",
        zip: "59715-3321",
        figures: (150, 11_000_000, 90),
        statuses: &[],
        apm: false,
        clinicians: &[("10800014", "Zoltán", "Horváth", (150, 11_000_000, 90))],
    },
];

const DEMO_PRACTICE_TINS: &[&str] = &["103000013", "104000093", "105000117", "106000125", "107000133"];

/// PY2025 (its expected window has closed): the same practices with other figures, so statuses
/// differ from year to year.
const PY2025_PRACTICES: &[P] = &[
    P {
        tin: "103000013",
        name: "Pazderová, Dudek and Zelený",
        line1: "74543 Xavier Inlet",
        city: "Ketchikan",
        state: "AK",
        zip: "99901-0840",
        figures: (28, 4_410_000, 190),
        statuses: &[Hpsa, Rural, SmallPractice],
        apm: false,
        clinicians: &[("10300001", "Tereza", "Pazderová", (18, 2_900_000, 120))],
    },
    P {
        tin: "104000093",
        name: "Dittrich, Krajíček and Urbanová",
        line1: "414 Threlkeld Plains",
        city: "South Shannanmouth",
        state: "NJ",
        zip: "11044-0997",
        figures: (230, 9_400_000, 640),
        statuses: &[SmallPractice],
        apm: false,
        clinicians: &[("10400009", "Jan", "Dittrich", (120, 5_100_000, 350))],
    },
    P {
        tin: "105000117",
        name: "Kowalczyk Family Medicine",
        line1: "1200 Harbor View Drive, Suite 4",
        city: "Duluth",
        state: "MN",
        zip: "55802-2317",
        figures: (210, 8_800_000, 170),
        statuses: &[Rural],
        apm: true,
        clinicians: &[("10500011", "Agnieszka", "Kowalczyk", (150, 6_000_000, 110))],
    },
];

/// The same two practices for PY2021 with the guide's exact figures: its window is closed, so
/// the app shows the options but refuses to elect, naming the dates.
const PY2021_PRACTICES: &[P] = &[
    P {
        tin: "103000013",
        name: "Pazderová, Dudek and Zelený",
        line1: "74543 Xavier Inlet",
        city: "Ketchikan",
        state: "AK",
        zip: "99901-0840",
        figures: (33, 5_002_700, 1_419),
        statuses: &[Hpsa, Rural, SmallPractice],
        apm: false,
        clinicians: &[],
    },
    P {
        tin: "104000093",
        name: "Dittrich, Krajíček and Urbanová",
        line1: "414 Threlkeld Plains",
        city: "South Shannanmouth",
        state: "NJ",
        zip: "11044-0997",
        figures: (108, 5_086_200, 510),
        statuses: &[SmallPractice],
        apm: false,
        clinicians: &[],
    },
];

/// The demo registry's clients for the demo year: one practice per case of the Election
/// Selection table (see README "Demo data").
const REGISTRY_CLIENTS: &[P] = &[
    // Opt-in eligible group; two opt-in eligible clinicians and one who is not eligible.
    P {
        tin: "201000019",
        name: "Harbor Point Family Practice",
        line1: "12 Wharf Road",
        city: "Portland",
        state: "ME",
        zip: "04101-4502",
        figures: (120, 6_500_000, 420),
        statuses: &[SmallPractice],
        apm: false,
        clinicians: &[
            ("20100001", "Maya", "Chen", (70, 4_000_000, 260)),
            ("20100002", "Omar", "Haddad", (50, 2_500_000, 230)),
            ("20100003", "Lena", "Fischer", (0, 0, 0)),
        ],
    },
    // MIPS eligible group and clinician; one clinician opt-in eligible on her own.
    P {
        tin: "202000027",
        name: "Summit Cardiology Partners",
        line1: "400 Summit Avenue",
        city: "Denver",
        state: "CO",
        zip: "80203-1120",
        figures: (900, 60_000_000, 3_000),
        statuses: &[],
        apm: false,
        clinicians: &[
            ("20200002", "Ravi", "Patel", (600, 40_000_000, 2_000)),
            ("20200003", "Ana", "Souza", (150, 12_000_000, 150)),
        ],
    },
    // Opt-in eligible, and already opted in (seeded below): needs no election.
    P {
        tin: "203000035",
        name: "Prairie Rural Health Clinic",
        line1: "7 Main Street",
        city: "Hays",
        state: "KS",
        zip: "67601-4410",
        figures: (80, 9_500_000, 120),
        statuses: &[Rural],
        apm: false,
        clinicians: &[],
    },
    // Exceeds none of the thresholds: not eligible.
    P {
        tin: "204000043",
        name: "Bayview Pediatrics",
        line1: "55 Bay Street",
        city: "Tampa",
        state: "FL",
        zip: "33602-3310",
        figures: (40, 1_800_000, 90),
        statuses: &[SmallPractice],
        apm: false,
        clinicians: &[],
    },
    // In the eligibility data but not a client of the demo registry.
    P {
        tin: "205000051",
        name: "Northgate Orthopedics",
        line1: "900 North Gate Drive",
        city: "Seattle",
        state: "WA",
        zip: "98103-2200",
        figures: (300, 20_000_000, 500),
        statuses: &[],
        apm: false,
        clinicians: &[],
    },
    // Opt-in eligible group: the QRDA III demo file's participant.
    P {
        tin: "206000069",
        name: "Lakeside Internal Medicine",
        line1: "3 Lakeside Court",
        city: "Madison",
        state: "WI",
        zip: "53703-1005",
        figures: (150, 7_000_000, 350),
        statuses: &[],
        apm: false,
        clinicians: &[],
    },
    P {
        tin: NETWORK_TIN,
        name: "Great Lakes Physician Network",
        line1: "1 Network Plaza",
        city: "Cleveland",
        state: "OH",
        zip: "44114-1900",
        figures: (12_000, 900_000_000, 40_000),
        statuses: &[],
        apm: false,
        clinicians: &[],
    },
];

/// Clients of the demo registry. 208000085 has no eligibility record at all.
const REGISTRY_CLIENT_TINS: &[&str] =
    &["201000019", "202000027", "203000035", "204000043", "206000069", NETWORK_TIN, "208000085"];

/// Seeds the demo registry's clients; the 10,000-clinician network only when `network` is set
/// (the API tests leave it out except where they need it).
pub async fn seed_registry_clients(
    store: &Store,
    year: PerformanceYear,
    now: Timestamp,
    network: bool,
) -> Result<(), sqlx::Error> {
    insert_practices(store, year, REGISTRY_CLIENTS).await?;
    for tin in REGISTRY_CLIENT_TINS {
        store.add_registry_client(DEMO_REGISTRY_ID, &Tin::parse(tin).expect("valid")).await?;
    }
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
                medicare_patients: 30,
                allowed_charges_cents: 1_000_000,
                covered_services: 250,
                special_statuses: vec![],
                mips_apm_participant: false,
                is_demo: true,
            })
            .collect();
        store.upsert_clinicians(&rows).await?;
    }
    Ok(())
}

async fn insert_practices(store: &Store, year: PerformanceYear, practices: &[P]) -> Result<(), sqlx::Error> {
    for p in practices {
        let tin = Tin::parse(p.tin).expect("demo TINs are valid");
        store
            .upsert_practice(&PracticeRow {
                performance_year: year,
                tin: tin.clone(),
                name: p.name.into(),
                address_line1: p.line1.into(),
                city: p.city.into(),
                state: p.state.into(),
                zip: p.zip.into(),
                medicare_patients: p.figures.0,
                allowed_charges_cents: p.figures.1,
                covered_services: p.figures.2,
                special_statuses: p.statuses.to_vec(),
                mips_apm_participant: p.apm,
                is_demo: true,
            })
            .await?;
        for (base, first, last, (patients, cents, services)) in p.clinicians {
            let npi = Npi::with_check_digit(&format!("1{base}")).expect("demo NPI bases are 8 digits");
            store
                .upsert_clinician(&ClinicianRow {
                    performance_year: year,
                    tin: tin.clone(),
                    npi,
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    medicare_patients: *patients,
                    allowed_charges_cents: *cents,
                    covered_services: *services,
                    special_statuses: p.statuses.iter().copied().filter(|s| *s != SmallPractice).collect(),
                    mips_apm_participant: p.apm,
                    is_demo: true,
                })
                .await?;
        }
    }
    Ok(())
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
    insert_practices(store, year, DEMO_PRACTICES).await?;
    insert_practices(store, PerformanceYear::new(2021).expect("valid"), PY2021_PRACTICES).await?;
    let py2025 = PerformanceYear::new(2025).expect("valid");
    if year != py2025 {
        insert_practices(store, py2025, PY2025_PRACTICES).await?;
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
        DataRun { performance_year: py2021, run_number: 2, released_on: "2021-11-15".into(), description: "Updated PY 2021 MIPS eligibility and special statuses based on a review of claims and PECOS data from Segment 2 of the MIPS Determination Period (October 1, 2020 – September 30, 2021). This status is final unless your QP status changes as a result of the 3rd APM snapshot.".into() },
        DataRun { performance_year: demo_year, run_number: 1, released_on: format!("{}-12-15", demo_year.get() - 1), description: format!("Demo data: initial eligibility from Segment 1 of the MIPS Determination Period ({} to {}).", s1.0, s1.1) },
        DataRun { performance_year: demo_year, run_number: 2, released_on: format!("{}-11-02", demo_year.get()), description: format!("Demo data: final eligibility from Segment 2 of the MIPS Determination Period ({} to {}).", s2.0, s2.1) },
    ]
}
