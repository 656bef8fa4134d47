//! CMS's eligibility determination of one entity at one level, as the QPP Eligibility API gives
//! it: `isEligible` and `isOptInEligible` of the `individualScenario` (TIN/NPI) or the
//! `groupScenario` (TIN), and the clinician-level exclusions (`qpStatus`, `newlyEnrolled`,
//! `mipsEligibleSwitch`). CMS decides; the three low-volume figures only explain.

use super::lvt::{LowVolumeAssessment, LowVolumeStatus};
use serde::{Deserialize, Serialize};

/// Why a clinician is outside MIPS whatever the low-volume figures say (the 2021 guide's "Is
/// identified as a MIPS eligible clinician type", "Enrolled in Medicare before", "Is not a QP").
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Exclusion {
    /// `qpStatus` "Y": a Qualifying APM Participant (the other letters are not documented, so only
    /// "Y" is read as QP; see the README).
    QualifyingApmParticipant,
    /// `newlyEnrolled` true: first enrolled in Medicare during the performance year.
    NewlyEnrolled,
    /// `mipsEligibleSwitch` false: not a clinician type eligible for MIPS.
    IneligibleClinicianType,
}

impl Exclusion {
    pub const ALL: [Exclusion; 3] =
        [Exclusion::QualifyingApmParticipant, Exclusion::NewlyEnrolled, Exclusion::IneligibleClinicianType];

    pub fn code(self) -> &'static str {
        match self {
            Exclusion::QualifyingApmParticipant => "QUALIFYING_APM_PARTICIPANT",
            Exclusion::NewlyEnrolled => "NEWLY_ENROLLED",
            Exclusion::IneligibleClinicianType => "INELIGIBLE_CLINICIAN_TYPE",
        }
    }

    pub fn from_code(code: &str) -> Option<Exclusion> {
        Exclusion::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The sentence the card and the API error give.
    pub fn reason(self) -> &'static str {
        match self {
            Exclusion::QualifyingApmParticipant => "CMS determined this clinician is a Qualifying APM Participant (QP), who is excluded from MIPS, so no election can be made.",
            Exclusion::NewlyEnrolled => "CMS determined this clinician newly enrolled in Medicare during the performance year, so the clinician is excluded from MIPS and no election can be made.",
            Exclusion::IneligibleClinicianType => "CMS determined this clinician is not a clinician type eligible for MIPS, so no election can be made.",
        }
    }

    /// The exclusion named in a few words.
    pub fn label(self) -> &'static str {
        match self {
            Exclusion::QualifyingApmParticipant => "Qualifying APM Participant",
            Exclusion::NewlyEnrolled => "newly enrolled in Medicare",
            Exclusion::IneligibleClinicianType => "not a clinician type eligible for MIPS",
        }
    }

    /// The API's stable error code for a refused election.
    pub fn refusal_code(self) -> &'static str {
        match self {
            Exclusion::QualifyingApmParticipant => "QualifyingApmParticipant",
            Exclusion::NewlyEnrolled => "NewlyEnrolled",
            Exclusion::IneligibleClinicianType => "IneligibleClinicianType",
        }
    }
}

/// CMS's 2020 guide: "Voluntarily Report (no election required): Clinicians and groups who are
/// excluded from MIPS and are not 'opt-in eligible'". Said after an exclusion's reason.
pub const EXCLUDED_MAY_REPORT_VOLUNTARILY: &str =
    "Clinicians excluded from MIPS may report voluntarily without an election.";

/// The clinician-level exclusion CMS's Eligibility API data gives — `qpStatus` "Y" first, then
/// `newlyEnrolled`, then `mipsEligibleSwitch` false — or none.
pub fn exclusion_of(
    qp_status: Option<&str>, newly_enrolled: bool, mips_eligible_switch: Option<bool>,
) -> Option<Exclusion> {
    if qp_status == Some("Y") {
        Some(Exclusion::QualifyingApmParticipant)
    } else if newly_enrolled {
        Some(Exclusion::NewlyEnrolled)
    } else if mips_eligible_switch == Some(false) {
        Some(Exclusion::IneligibleClinicianType)
    } else {
        None
    }
}

/// The Participation Status line for CMS's `qpStatus` ("Y" is a QP; the other letters are not
/// documented and are read as not a QP).
pub fn qp_status_line(qp_status: &str) -> &'static str {
    if qp_status == "Y" {
        "QP status: Qualifying APM Participant (QP) — excluded from MIPS; no election can be made."
    } else {
        "QP status: Not a Qualifying APM Participant (QP)."
    }
}

/// What CMS determined for one entity at one level.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Determination {
    /// `isEligible.individual` (TIN/NPI) or `isEligible.group` (TIN).
    pub mips_eligible: bool,
    /// `isOptInEligible`.
    pub opt_in_eligible: bool,
    /// For a clinician (TIN/NPI) only.
    pub exclusion: Option<Exclusion>,
}

impl Determination {
    /// The standing that decides elections. An exclusion wins over everything; then CMS's
    /// `isEligible`, then `isOptInEligible`. Everyone else is exempt and may report voluntarily.
    pub fn status(&self) -> LowVolumeStatus {
        if self.exclusion.is_some() {
            LowVolumeStatus::NotOptInEligible
        } else if self.mips_eligible {
            LowVolumeStatus::MipsEligible
        } else if self.opt_in_eligible {
            LowVolumeStatus::OptInEligible
        } else {
            LowVolumeStatus::NotOptInEligible
        }
    }

    /// What the figures alone would say, as a determination (demo data and tests only: real
    /// data carries CMS's own determination).
    pub fn from_figures(assessment: &LowVolumeAssessment) -> Determination {
        Determination::with_status(assessment.status())
    }

    /// The determination without exclusions that gives this status.
    pub fn with_status(status: LowVolumeStatus) -> Determination {
        Determination {
            mips_eligible: status == LowVolumeStatus::MipsEligible,
            opt_in_eligible: status == LowVolumeStatus::OptInEligible,
            exclusion: None,
        }
    }

    /// CMS's status in a sentence, with a note when the figures shown say otherwise (the
    /// figures explain a status; they never override CMS).
    pub fn explanation(&self, figures: Option<&LowVolumeAssessment>) -> String {
        let status = self.status();
        let said = match (self.exclusion, status) {
            (Some(e), _) => e.reason().to_string(),
            (None, LowVolumeStatus::MipsEligible) => "CMS determined MIPS participation is required (exceeds all 3 low-volume threshold criteria); no election is needed.".to_string(),
            (None, LowVolumeStatus::OptInEligible) => "CMS determined it is opt-in eligible: it may elect to opt in or to report voluntarily.".to_string(),
            (None, LowVolumeStatus::NotOptInEligible) => "CMS determined it is not opt-in eligible: it is exempt from MIPS and may report voluntarily without an election.".to_string(),
        };
        match figures {
            Some(a) if self.exclusion.is_none() && a.status() != status => format!(
                "{said} Note: the figures shown exceed {} of the 3 criteria, which alone would suggest otherwise; CMS's determination applies.",
                a.criteria_exceeded()
            ),
            _ => said,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_are_read_in_cms_order() {
        assert_eq!(exclusion_of(Some("Y"), true, Some(false)), Some(Exclusion::QualifyingApmParticipant));
        assert_eq!(exclusion_of(Some("N"), true, Some(false)), Some(Exclusion::NewlyEnrolled));
        assert_eq!(exclusion_of(None, false, Some(false)), Some(Exclusion::IneligibleClinicianType));
        assert_eq!(exclusion_of(Some("N"), false, None), None);
    }

    #[test]
    fn qp_status_is_read_as_cms_letter_y_only() {
        assert!(qp_status_line("Y").contains("Qualifying APM Participant (QP) — excluded"));
        for other in ["N", "Q", ""] {
            assert_eq!(qp_status_line(other), "QP status: Not a Qualifying APM Participant (QP).");
        }
    }
    use crate::domain::lvt::{low_volume_threshold, VolumeFigures};
    use crate::domain::PerformanceYear;

    fn det(mips_eligible: bool, opt_in_eligible: bool, exclusion: Option<Exclusion>) -> Determination {
        Determination { mips_eligible, opt_in_eligible, exclusion }
    }

    fn assessment(figures: (i64, i64, i64)) -> LowVolumeAssessment {
        let (medicare_patients, allowed_charges_cents, covered_services) = figures;
        let t = low_volume_threshold(PerformanceYear::new(2025).unwrap()).unwrap();
        LowVolumeAssessment::of(&VolumeFigures { medicare_patients, allowed_charges_cents, covered_services }, &t)
    }

    #[test]
    fn cms_decides_and_exclusions_win() {
        assert_eq!(det(false, true, None).status(), LowVolumeStatus::OptInEligible);
        assert_eq!(det(true, false, None).status(), LowVolumeStatus::MipsEligible);
        assert_eq!(det(false, false, None).status(), LowVolumeStatus::NotOptInEligible);
        for e in Exclusion::ALL {
            // Even where CMS's flags would allow it, a QP, a newly enrolled clinician or an
            // ineligible clinician type is never opt-in eligible.
            assert_eq!(det(false, true, Some(e)).status(), LowVolumeStatus::NotOptInEligible);
            assert_eq!(det(true, false, Some(e)).status(), LowVolumeStatus::NotOptInEligible);
            assert_eq!(Exclusion::from_code(e.code()), Some(e));
            assert!(det(false, true, Some(e)).explanation(None).starts_with(e.reason()));
        }
        assert_eq!(Exclusion::from_code("Q"), None);
    }

    #[test]
    fn figures_explain_but_never_override() {
        // The figures exceed all three criteria, CMS says opt-in eligible: CMS's status, with a note.
        let all = assessment((500, 100_000_000, 900));
        let opt_in = det(false, true, None);
        assert_eq!(opt_in.status(), LowVolumeStatus::OptInEligible);
        let said = opt_in.explanation(Some(&all));
        assert!(said.starts_with("CMS determined it is opt-in eligible"), "{said}");
        assert!(said.contains("exceed 3 of the 3 criteria") && said.contains("CMS's determination applies"), "{said}");
        // The figures exceed none, CMS says MIPS eligible.
        let none = assessment((0, 0, 0));
        let said = det(true, false, None).explanation(Some(&none));
        assert!(said.starts_with("CMS determined MIPS participation is required") && said.contains("exceed 0 of"));
        // Agreeing figures add nothing; absent figures add nothing.
        let some = assessment((10, 100_000_000, 900));
        assert_eq!(Determination::from_figures(&some), opt_in);
        assert!(!opt_in.explanation(Some(&some)).contains("Note"));
        assert!(!opt_in.explanation(None).contains("Note"));
    }
}
