//! The MIPS low-volume threshold (LVT) and what exceeding it means for an entity.
//!
//! A clinician or group *exceeds* the LVT — and must take part in MIPS — only when it exceeds
//! all three criteria. Exceeding one or two makes it *opt-in eligible*; exceeding none leaves it
//! exempt with no election possible (42 CFR 414.1305 and 414.1310(b)(1)(iii); the QPP Participation Status Tool).

use super::format::{format_count, format_usd_cents};
use super::year::PerformanceYear;
use serde::{Deserialize, Serialize};

/// The three criteria of one performance year. Each is exceeded only by a figure strictly
/// greater than its threshold ("bill more than $90,000", "more than 200 patients").
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LowVolumeThreshold {
    pub performance_year: PerformanceYear,
    pub allowed_charges_cents: i64,
    pub part_b_patients: i64,
    pub covered_services: i64,
}

/// (year, allowed charges in dollars, Part B patients, covered professional services).
/// 2019–2025 are the values CMS published for each year (QPP Participation Status Tool and the
/// yearly Physician Fee Schedule final rules). 2026 and 2027 carry the same values
/// because CMS announced no change; they are marked as assumed in `threshold_is_verified`.
const LVT_TABLE: &[(u16, i64, i64, i64)] = &[
    (2019, 90_000, 200, 200),
    (2020, 90_000, 200, 200),
    (2021, 90_000, 200, 200),
    (2022, 90_000, 200, 200),
    (2023, 90_000, 200, 200),
    (2024, 90_000, 200, 200),
    (2025, 90_000, 200, 200),
    (2026, 90_000, 200, 200),
    (2027, 90_000, 200, 200),
];
const LAST_VERIFIED_LVT_YEAR: u16 = 2025;

pub fn low_volume_threshold(year: PerformanceYear) -> Option<LowVolumeThreshold> {
    LVT_TABLE.iter().find(|row| row.0 == year.get()).map(|&(_, dollars, patients, services)| LowVolumeThreshold {
        performance_year: year,
        allowed_charges_cents: dollars * 100,
        part_b_patients: patients,
        covered_services: services,
    })
}

/// The first performance year the table covers.
pub fn first_threshold_year() -> u16 {
    LVT_TABLE.iter().map(|r| r.0).min().expect("the table is not empty")
}

/// The latest performance year the table covers.
pub fn last_threshold_year() -> u16 {
    LVT_TABLE.iter().map(|r| r.0).max().expect("the table is not empty")
}

/// False for years whose values are carried forward rather than read in a CMS source.
pub fn threshold_is_verified(year: PerformanceYear) -> bool {
    year.get() <= LAST_VERIFIED_LVT_YEAR
}

/// For a year whose thresholds are carried forward, the sentence that says so with the values,
/// e.g. "The 2026 low-volume thresholds are assumed to be the same as 2025's (more than
/// $90,000, 200 patients, 200 services); …". `None` for verified years and years without one.
pub fn assumed_threshold_notice(year: PerformanceYear) -> Option<String> {
    let t = low_volume_threshold(year).filter(|_| !threshold_is_verified(year))?;
    let dollars = format_usd_cents(t.allowed_charges_cents);
    let dollars = dollars.strip_suffix(".00").unwrap_or(&dollars);
    Some(format!(
        "The {year} low-volume thresholds are assumed to be the same as {LAST_VERIFIED_LVT_YEAR}'s (more than {dollars}, {} patients, {} services); no CMS source confirming them was available to this app.",
        format_count(t.part_b_patients),
        format_count(t.covered_services)
    ))
}

/// The figures CMS counts for an entity during the determination period.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeFigures {
    pub allowed_charges_cents: i64,
    pub medicare_patients: i64,
    pub covered_services: i64,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Criterion {
    AllowedCharges,
    MedicarePatients,
    CoveredServices,
}

impl Criterion {
    pub const ALL: [Criterion; 3] =
        [Criterion::AllowedCharges, Criterion::MedicarePatients, Criterion::CoveredServices];
    pub fn label(self) -> &'static str {
        match self {
            Criterion::AllowedCharges => "Allowed charges",
            Criterion::MedicarePatients => "Medicare Part B patients",
            Criterion::CoveredServices => "Covered professional services",
        }
    }
}

/// Per-criterion result of comparing figures with a year's thresholds.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LowVolumeAssessment {
    pub exceeds_allowed_charges: bool,
    pub exceeds_medicare_patients: bool,
    pub exceeds_covered_services: bool,
}

impl LowVolumeAssessment {
    pub fn of(figures: &VolumeFigures, threshold: &LowVolumeThreshold) -> LowVolumeAssessment {
        LowVolumeAssessment {
            exceeds_allowed_charges: figures.allowed_charges_cents > threshold.allowed_charges_cents,
            exceeds_medicare_patients: figures.medicare_patients > threshold.part_b_patients,
            exceeds_covered_services: figures.covered_services > threshold.covered_services,
        }
    }
    pub fn exceeds(&self, c: Criterion) -> bool {
        match c {
            Criterion::AllowedCharges => self.exceeds_allowed_charges,
            Criterion::MedicarePatients => self.exceeds_medicare_patients,
            Criterion::CoveredServices => self.exceeds_covered_services,
        }
    }
    pub fn criteria_exceeded(&self) -> usize {
        Criterion::ALL.iter().filter(|c| self.exceeds(**c)).count()
    }
    /// "Exceeds Low Volume Threshold" on the practice card: all three criteria.
    pub fn exceeds_threshold(&self) -> bool {
        self.criteria_exceeded() == 3
    }
    /// The QPP Eligibility API's `lowVolStusRsnCd` and description: which criteria fell
    /// *below* the threshold. `None` when all three are exceeded (`lowVolumeSwitch` false).
    pub fn below_reason(&self) -> Option<(&'static str, &'static str)> {
        let (c, p, s) =
            (!self.exceeds_allowed_charges, !self.exceeds_medicare_patients, !self.exceeds_covered_services);
        match (c, p, s) {
            (false, false, false) => None,
            (false, true, false) => {
                Some(("BENE", "The number of unique beneficiaries fell below the low-volume threshold"))
            }
            (true, false, false) => {
                Some(("CHRG", "Part B expenditures (allowed charges) fell below the low-volume threshold"))
            }
            (false, false, true) => Some(("SRVC", "Low-volume services fell below the low-volume threshold")),
            (true, true, false) => Some((
                "BOTH",
                "Both the unique beneficiaries and Part B expenditures fell below the low-volume threshold",
            )),
            (false, true, true) => {
                Some(("BENE/SRVC", "The unique beneficiaries and services fell below the low-volume threshold"))
            }
            (true, false, true) => {
                Some(("CHRG/SRVC", "Part B expenditures and services fell below the low-volume threshold"))
            }
            (true, true, true) => {
                Some(("ALL", "Beneficiaries, Part B expenditures and services all fell below the low-volume threshold"))
            }
        }
    }

    pub fn status(&self) -> LowVolumeStatus {
        match self.criteria_exceeded() {
            3 => LowVolumeStatus::MipsEligible,
            0 => LowVolumeStatus::NotOptInEligible,
            _ => LowVolumeStatus::OptInEligible,
        }
    }
}

/// What the low-volume threshold alone says about an entity.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LowVolumeStatus {
    /// Exceeds all three criteria: must take part; nothing to elect.
    MipsEligible,
    /// Exceeds one or two criteria: may opt in or report voluntarily.
    OptInEligible,
    /// Exceeds none: exempt; may report voluntarily without an election, cannot opt in.
    NotOptInEligible,
}

impl LowVolumeStatus {
    /// A sentence a person can read, naming why.
    pub fn explanation(self, a: &LowVolumeAssessment) -> String {
        let n = a.criteria_exceeded();
        match self {
            LowVolumeStatus::MipsEligible => "Exceeds all 3 low-volume threshold criteria, so MIPS participation is required; no election is needed.".into(),
            LowVolumeStatus::OptInEligible => format!(
                "Exceeds {n} of the 3 low-volume threshold criteria, so it is opt-in eligible: it may elect to opt in or to report voluntarily."
            ),
            LowVolumeStatus::NotOptInEligible => "Exceeds none of the 3 low-volume threshold criteria, so it is exempt and is not opt-in eligible.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_forward_thresholds_are_said_with_their_values() {
        let y = |n| PerformanceYear::new(n).unwrap();
        assert_eq!(assumed_threshold_notice(y(2025)), None);
        assert_eq!(
            assumed_threshold_notice(y(2026)).unwrap(),
            "The 2026 low-volume thresholds are assumed to be the same as 2025's (more than $90,000, 200 patients, 200 services); no CMS source confirming them was available to this app."
        );
    }

    fn y(n: u16) -> PerformanceYear {
        PerformanceYear::new(n).unwrap()
    }
    fn figs(dollars_cents: i64, patients: i64, services: i64) -> VolumeFigures {
        VolumeFigures { allowed_charges_cents: dollars_cents, medicare_patients: patients, covered_services: services }
    }

    #[test]
    fn table_covers_2019_to_2025_with_the_same_values() {
        for year in 2019..=2025 {
            let t = low_volume_threshold(y(year)).unwrap();
            assert_eq!((t.allowed_charges_cents, t.part_b_patients, t.covered_services), (9_000_000, 200, 200));
            assert!(threshold_is_verified(y(year)));
        }
        assert!(!threshold_is_verified(y(2026)));
        assert!(low_volume_threshold(y(2030)).is_none());
    }

    #[test]
    fn exactly_at_threshold_does_not_exceed() {
        let t = low_volume_threshold(y(2021)).unwrap();
        let a = LowVolumeAssessment::of(&figs(9_000_000, 200, 200), &t);
        assert_eq!(a.criteria_exceeded(), 0);
        assert_eq!(a.status(), LowVolumeStatus::NotOptInEligible);
        let a = LowVolumeAssessment::of(&figs(9_000_001, 201, 201), &t);
        assert_eq!(a.criteria_exceeded(), 3);
        assert_eq!(a.status(), LowVolumeStatus::MipsEligible);
        assert!(a.exceeds_threshold());
    }

    #[test]
    fn one_or_two_criteria_make_opt_in_eligible() {
        let t = low_volume_threshold(y(2021)).unwrap();
        // The guide's Pazderová practice: 33 patients, $50,027.00, 1,419 services → services only.
        let a = LowVolumeAssessment::of(&figs(5_002_700, 33, 1419), &t);
        assert_eq!(
            (a.exceeds_allowed_charges, a.exceeds_medicare_patients, a.exceeds_covered_services),
            (false, false, true)
        );
        assert_eq!(a.status(), LowVolumeStatus::OptInEligible);
        assert!(!a.exceeds_threshold());
        let a = LowVolumeAssessment::of(&figs(12_000_000, 250, 150), &t);
        assert_eq!(a.criteria_exceeded(), 2);
        assert_eq!(a.status(), LowVolumeStatus::OptInEligible);
        assert!(a.status().explanation(&a).contains("Exceeds 2 of the 3"));
    }

    #[test]
    fn reason_codes_name_the_criteria_below() {
        let t = low_volume_threshold(y(2024)).unwrap();
        let code = |c, p, s| LowVolumeAssessment::of(&figs(c, p, s), &t).below_reason().map(|r| r.0);
        let (hi_c, lo_c, hi_n, lo_n) = (10_000_000, 100, 300, 10);
        assert_eq!(code(hi_c, hi_n, hi_n), None);
        assert_eq!(code(hi_c, lo_n, hi_n), Some("BENE"));
        assert_eq!(code(lo_c, hi_n, hi_n), Some("CHRG"));
        assert_eq!(code(hi_c, hi_n, lo_n), Some("SRVC"));
        assert_eq!(code(lo_c, lo_n, hi_n), Some("BOTH"));
        assert_eq!(code(hi_c, lo_n, lo_n), Some("BENE/SRVC"));
        assert_eq!(code(lo_c, hi_n, lo_n), Some("CHRG/SRVC"));
        assert_eq!(code(lo_c, lo_n, lo_n), Some("ALL"));
    }
}
