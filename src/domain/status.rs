//! What an entity's eligibility card says: its participation status and special statuses.

use super::election::Election;
use super::lvt::LowVolumeStatus;
use serde::{Deserialize, Serialize};

/// The status shown on a practice card or clinician row, combining the low-volume status with
/// the election (if any). Always shown as text; colour only repeats it.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipationStatus {
    MipsEligible,
    OptInEligible,
    EligibleViaOptIn,
    VoluntaryReporter,
    NotOptInEligible,
}

impl ParticipationStatus {
    pub fn of(low_volume: LowVolumeStatus, election: Option<Election>) -> ParticipationStatus {
        match (low_volume, election) {
            (LowVolumeStatus::MipsEligible, _) => ParticipationStatus::MipsEligible,
            (LowVolumeStatus::OptInEligible, Some(Election::OptIn)) => ParticipationStatus::EligibleViaOptIn,
            (LowVolumeStatus::OptInEligible, Some(Election::ReportVoluntarily)) => {
                ParticipationStatus::VoluntaryReporter
            }
            (LowVolumeStatus::OptInEligible, None) => ParticipationStatus::OptInEligible,
            // An election can't be made by one that is not opt-in eligible, but a later data run
            // may stop calling an elected participant opt-in eligible: the election is final and
            // still stands, so the card shows it (its explanation says why).
            (LowVolumeStatus::NotOptInEligible, Some(Election::OptIn)) => ParticipationStatus::EligibleViaOptIn,
            (LowVolumeStatus::NotOptInEligible, Some(Election::ReportVoluntarily)) => {
                ParticipationStatus::VoluntaryReporter
            }
            (LowVolumeStatus::NotOptInEligible, None) => ParticipationStatus::NotOptInEligible,
        }
    }

    /// The badge, in the capitalised form the QPP cards use.
    pub fn badge(self) -> &'static str {
        match self {
            ParticipationStatus::MipsEligible => "MIPS ELIGIBLE",
            ParticipationStatus::OptInEligible => "MIPS EXEMPT",
            ParticipationStatus::EligibleViaOptIn => "MIPS ELIGIBLE VIA OPT-IN",
            ParticipationStatus::VoluntaryReporter => "VOLUNTARY REPORTER",
            ParticipationStatus::NotOptInEligible => "MIPS EXEMPT",
        }
    }

    /// A second line that tells two "MIPS EXEMPT" cards apart.
    pub fn qualifier(self) -> Option<&'static str> {
        match self {
            ParticipationStatus::OptInEligible => Some("Opt-in eligible"),
            ParticipationStatus::NotOptInEligible => Some("Not opt-in eligible"),
            _ => None,
        }
    }

    /// A CSS modifier for the badge. Never the only carrier of meaning.
    pub fn tone(self) -> &'static str {
        match self {
            ParticipationStatus::MipsEligible | ParticipationStatus::EligibleViaOptIn => "success",
            ParticipationStatus::VoluntaryReporter => "info",
            ParticipationStatus::OptInEligible => "warn",
            ParticipationStatus::NotOptInEligible => "neutral",
        }
    }
}

/// Special statuses, exceptions and other reporting factors shown on the card. They never exempt
/// anyone; they change scoring and requirements (QPP Participation Status Tool, "special statuses").
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SpecialStatus {
    Hpsa,
    Rural,
    SmallPractice,
    NonPatientFacing,
    HospitalBased,
    AmbulatorySurgicalCenterBased,
    FacilityBased,
    ExtremeHardship,
}

impl SpecialStatus {
    pub const ALL: [SpecialStatus; 8] = [
        SpecialStatus::Hpsa,
        SpecialStatus::Rural,
        SpecialStatus::SmallPractice,
        SpecialStatus::NonPatientFacing,
        SpecialStatus::HospitalBased,
        SpecialStatus::AmbulatorySurgicalCenterBased,
        SpecialStatus::FacilityBased,
        SpecialStatus::ExtremeHardship,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SpecialStatus::Hpsa => "HPSA",
            SpecialStatus::Rural => "RURAL",
            SpecialStatus::SmallPractice => "SMALL_PRACTICE",
            SpecialStatus::NonPatientFacing => "NON_PATIENT_FACING",
            SpecialStatus::HospitalBased => "HOSPITAL_BASED",
            SpecialStatus::AmbulatorySurgicalCenterBased => "AMBULATORY_SURGICAL_CENTER_BASED",
            SpecialStatus::FacilityBased => "FACILITY_BASED",
            SpecialStatus::ExtremeHardship => "EXTREME_HARDSHIP",
        }
    }
    pub fn from_code(code: &str) -> Option<SpecialStatus> {
        SpecialStatus::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            SpecialStatus::Hpsa => "Health Professional Shortage Area (HPSA)",
            SpecialStatus::Rural => "Rural",
            SpecialStatus::SmallPractice => "Small practice",
            SpecialStatus::NonPatientFacing => "Non-patient facing",
            SpecialStatus::HospitalBased => "Hospital-based",
            SpecialStatus::AmbulatorySurgicalCenterBased => "Ambulatory surgical center-based",
            SpecialStatus::FacilityBased => "Facility-based",
            SpecialStatus::ExtremeHardship => "Extreme and uncontrollable circumstances",
        }
    }
    /// The card's list: "Health Professional Shortage Area (HPSA), Rural, Small practice", or "None".
    pub fn list_label(statuses: &[SpecialStatus]) -> String {
        if statuses.is_empty() {
            "None".into()
        } else {
            statuses.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ")
        }
    }
}

/// The special-status flags of one scenario of CMS's Eligibility API, under CMS's field names
/// (`smallGroupPractitioner`, `ruralClinician`, …). An absent flag is `false`.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpecialStatusFlags {
    pub small_group_practitioner: bool,
    pub rural_clinician: bool,
    pub hpsa_clinician: bool,
    pub non_patient_facing: bool,
    pub hospital_based_clinician: bool,
    pub ambulatory_surgical_center: bool,
    pub is_facility_based: bool,
    pub extreme_hardship: bool,
}

impl SpecialStatusFlags {
    /// The one place that says which CMS flag is which status.
    fn flag(&mut self, status: SpecialStatus) -> &mut bool {
        match status {
            SpecialStatus::SmallPractice => &mut self.small_group_practitioner,
            SpecialStatus::Rural => &mut self.rural_clinician,
            SpecialStatus::Hpsa => &mut self.hpsa_clinician,
            SpecialStatus::NonPatientFacing => &mut self.non_patient_facing,
            SpecialStatus::HospitalBased => &mut self.hospital_based_clinician,
            SpecialStatus::AmbulatorySurgicalCenterBased => &mut self.ambulatory_surgical_center,
            SpecialStatus::FacilityBased => &mut self.is_facility_based,
            SpecialStatus::ExtremeHardship => &mut self.extreme_hardship,
        }
    }
    pub fn has(mut self, status: SpecialStatus) -> bool {
        *self.flag(status)
    }
    /// The statuses whose flag is set, in `SpecialStatus::ALL`'s order.
    pub fn statuses(self) -> Vec<SpecialStatus> {
        SpecialStatus::ALL.into_iter().filter(|s| self.has(*s)).collect()
    }
    pub fn of(statuses: &[SpecialStatus]) -> SpecialStatusFlags {
        let mut flags = SpecialStatusFlags::default();
        for s in statuses {
            *flags.flag(*s) = true;
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_through_statuses_and_cms_names() {
        let flags = SpecialStatusFlags::of(&[SpecialStatus::Rural, SpecialStatus::Hpsa]);
        assert_eq!(flags.statuses(), vec![SpecialStatus::Hpsa, SpecialStatus::Rural]);
        let json = serde_json::to_value(flags).unwrap();
        assert_eq!(json["ruralClinician"], true);
        assert_eq!(json["hpsaClinician"], true);
        assert_eq!(json["smallGroupPractitioner"], false);
        let read: SpecialStatusFlags = serde_json::from_str(r#"{"isFacilityBased":true}"#).unwrap();
        assert_eq!(read.statuses(), vec![SpecialStatus::FacilityBased]);
    }

    #[test]
    fn status_combines_low_volume_and_election() {
        use LowVolumeStatus::*;
        assert_eq!(ParticipationStatus::of(OptInEligible, None).badge(), "MIPS EXEMPT");
        assert_eq!(ParticipationStatus::of(OptInEligible, None).qualifier(), Some("Opt-in eligible"));
        assert_eq!(ParticipationStatus::of(OptInEligible, Some(Election::OptIn)).badge(), "MIPS ELIGIBLE VIA OPT-IN");
        assert_eq!(
            ParticipationStatus::of(OptInEligible, Some(Election::ReportVoluntarily)).badge(),
            "VOLUNTARY REPORTER"
        );
        assert_eq!(ParticipationStatus::of(MipsEligible, None).badge(), "MIPS ELIGIBLE");
        assert_eq!(ParticipationStatus::of(NotOptInEligible, None).qualifier(), Some("Not opt-in eligible"));
        // A later data run no longer calls an elected participant opt-in eligible: its final
        // election still stands, and the badge says so.
        assert_eq!(
            ParticipationStatus::of(NotOptInEligible, Some(Election::OptIn)).badge(),
            "MIPS ELIGIBLE VIA OPT-IN"
        );
        assert_eq!(
            ParticipationStatus::of(NotOptInEligible, Some(Election::ReportVoluntarily)).badge(),
            "VOLUNTARY REPORTER"
        );
    }

    #[test]
    fn special_status_codes_round_trip_and_list() {
        for s in SpecialStatus::ALL {
            assert_eq!(SpecialStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(
            SpecialStatus::list_label(&[SpecialStatus::Hpsa, SpecialStatus::Rural, SpecialStatus::SmallPractice]),
            "Health Professional Shortage Area (HPSA), Rural, Small practice"
        );
        assert_eq!(SpecialStatus::list_label(&[]), "None");
    }
}
