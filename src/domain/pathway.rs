//! Reporting pathways for MIPS APM participants: traditional MIPS or the APM Performance
//! Pathway (APP). "Group or Individual APM participants MUST be above the LVT threshold OR they
//! must be LVT Opt-In eligible and have elected to Opt-In to submit to the APP program"
//! (the 2021 election guide and the QPP APP toolkit): a voluntary reporter can never report the APP.

use super::election::Election;
use super::lvt::LowVolumeStatus;
use super::year::PerformanceYear;
use serde::{Deserialize, Serialize};

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportingPathway {
    TraditionalMips,
    App,
}

impl ReportingPathway {
    pub const ALL: [ReportingPathway; 2] = [ReportingPathway::TraditionalMips, ReportingPathway::App];
    pub fn code(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "TRADITIONAL_MIPS",
            ReportingPathway::App => "APP",
        }
    }
    pub fn from_code(code: &str) -> Option<ReportingPathway> {
        ReportingPathway::ALL.into_iter().find(|p| p.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "Traditional MIPS",
            ReportingPathway::App => "APM Performance Pathway (APP)",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "Report the quality, improvement activities and Promoting Interoperability performance categories of traditional MIPS; cost is calculated from claims.",
            ReportingPathway::App => "Report the APM Performance Pathway's fixed set of quality measures, available to MIPS APM participants. Only the MIPS eligible clinicians who participate in a MIPS APM are scored through the APP.",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathwayRefusal {
    /// Only MIPS APM participants choose a pathway.
    NotApmParticipant,
    /// An opt-in eligible entity must elect before it can report at all.
    NoElection,
    /// Voluntary reporting through the APP isn't permitted, and a voluntary reporter has no
    /// reporting option to choose (the 2021 guide sends only those who "elected to opt-in").
    VoluntaryCannotReportApp,
    /// The APP starts with performance year 2021; before it there is no pathway to choose.
    AppNotYet { year: PerformanceYear },
    /// A voluntary reporter reports traditional MIPS and is never sent to Reporting Options.
    VoluntaryHasNoPathway,
    /// Not opt-in eligible and not MIPS eligible: no pathway to choose.
    NotEligible,
    /// The pathway was chosen already; it is recorded with the election.
    AlreadyChosen { existing: ReportingPathway },
}

impl PathwayRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            PathwayRefusal::NotApmParticipant => "NotApmParticipant",
            PathwayRefusal::NoElection => "ElectionRequired",
            PathwayRefusal::VoluntaryCannotReportApp => "VoluntaryReportingViaAppNotPermitted",
            PathwayRefusal::NotEligible => "NotEligibleToReport",
            PathwayRefusal::AppNotYet { .. } => "AppNotAvailable",
            PathwayRefusal::VoluntaryHasNoPathway => "NoReportingOptionForVoluntaryReporters",
            PathwayRefusal::AlreadyChosen { .. } => "PathwayAlreadyChosen",
        }
    }
    pub fn reason(&self) -> String {
        match self {
            PathwayRefusal::NotApmParticipant => "Only MIPS APM participants choose between traditional MIPS and the APM Performance Pathway.".into(),
            PathwayRefusal::NoElection => "Elect to opt in before choosing how to report.".into(),
            PathwayRefusal::VoluntaryCannotReportApp => "You can't voluntarily report the APM Performance Pathway (APP): the APP is open only to participants who exceed the low-volume threshold or who elected to opt in. A voluntary reporter reports traditional MIPS and has no reporting option to choose.".into(),
            PathwayRefusal::AppNotYet { year } => format!("The APM Performance Pathway (APP) starts with performance year {FIRST_APP_YEAR}; for {year} only traditional MIPS is reported, so there is no reporting option to choose."),
            PathwayRefusal::VoluntaryHasNoPathway => "Reporting Options are for participants who elected to opt in: a voluntary reporter reports traditional MIPS and has no reporting option to choose.".into(),
            PathwayRefusal::NotEligible => "This entity is not opt-in eligible, so it has no reporting pathway to choose.".into(),
            PathwayRefusal::AlreadyChosen { existing } => format!("The reporting pathway was already chosen: {}.", existing.label()),
        }
    }
}

/// The first performance year of the APM Performance Pathway (the 2021 guide introduces it;
/// CMS's Submissions API change log for PY2021, and the program names of the measures data).
pub const FIRST_APP_YEAR: u16 = 2021;

/// Whether `pathway` may be chosen in `year` by an entity with this low-volume status and election.
pub fn check_pathway(
    year: PerformanceYear, mips_apm_participant: bool, low_volume: LowVolumeStatus, election: Option<Election>,
    existing: Option<ReportingPathway>, pathway: ReportingPathway,
) -> Result<(), PathwayRefusal> {
    if !mips_apm_participant {
        return Err(PathwayRefusal::NotApmParticipant);
    }
    // A recorded choice is answered as it stands (a retry is a replay).
    if let Some(existing) = existing {
        return if existing == pathway { Ok(()) } else { Err(PathwayRefusal::AlreadyChosen { existing }) };
    }
    if year.get() < FIRST_APP_YEAR {
        return Err(PathwayRefusal::AppNotYet { year });
    }
    match (low_volume, election) {
        (LowVolumeStatus::MipsEligible, _) => Ok(()),
        (LowVolumeStatus::NotOptInEligible, _) => Err(PathwayRefusal::NotEligible),
        (LowVolumeStatus::OptInEligible, None) => Err(PathwayRefusal::NoElection),
        (LowVolumeStatus::OptInEligible, Some(Election::OptIn)) => Ok(()),
        (LowVolumeStatus::OptInEligible, Some(Election::ReportVoluntarily)) => Err(match pathway {
            ReportingPathway::App => PathwayRefusal::VoluntaryCannotReportApp,
            ReportingPathway::TraditionalMips => PathwayRefusal::VoluntaryHasNoPathway,
        }),
    }
}

/// The pathways to offer: both after an Opt-In (or when MIPS eligible), the APP only from 2021,
/// none to a voluntary reporter.
pub fn offered_pathways(
    year: PerformanceYear, mips_apm_participant: bool, low_volume: LowVolumeStatus, election: Option<Election>,
) -> Vec<ReportingPathway> {
    ReportingPathway::ALL
        .into_iter()
        .filter(|p| check_pathway(year, mips_apm_participant, low_volume, election, None, *p).is_ok())
        .collect()
}

/// After this election, must the user be taken to Reporting Options to choose a pathway? Only
/// an opted-in MIPS APM participant, and only from the APP's first year.
pub fn needs_pathway_choice(year: PerformanceYear, mips_apm_participant: bool, election: Election) -> bool {
    mips_apm_participant && election == Election::OptIn && year.get() >= FIRST_APP_YEAR
}

#[cfg(test)]
mod tests {
    use super::*;
    use LowVolumeStatus::*;
    use ReportingPathway::*;
    fn py(y: u16) -> PerformanceYear {
        PerformanceYear::new(y).unwrap()
    }

    #[test]
    fn app_only_after_opt_in_or_when_mips_eligible() {
        assert_eq!(check_pathway(py(2025), true, OptInEligible, Some(Election::OptIn), None, App), Ok(()));
        assert_eq!(check_pathway(py(2025), true, MipsEligible, None, None, App), Ok(()));
        assert_eq!(
            check_pathway(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily), None, App),
            Err(PathwayRefusal::VoluntaryCannotReportApp)
        );
        // A voluntary reporter has no reporting option to choose: the guide sends only those who
        // "elected to opt-in" to Reporting Options.
        assert_eq!(
            check_pathway(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily), None, TraditionalMips),
            Err(PathwayRefusal::VoluntaryHasNoPathway)
        );
        assert_eq!(check_pathway(py(2025), true, OptInEligible, None, None, App), Err(PathwayRefusal::NoElection));
        assert_eq!(
            check_pathway(py(2025), false, OptInEligible, Some(Election::OptIn), None, App),
            Err(PathwayRefusal::NotApmParticipant)
        );
        assert_eq!(
            check_pathway(py(2025), true, NotOptInEligible, None, None, TraditionalMips),
            Err(PathwayRefusal::NotEligible)
        );
        assert!(PathwayRefusal::VoluntaryCannotReportApp.reason().contains("can't voluntarily report"));
    }

    #[test]
    fn pathway_choice_is_final_but_repeatable() {
        assert_eq!(check_pathway(py(2025), true, OptInEligible, Some(Election::OptIn), Some(App), App), Ok(()));
        assert_eq!(
            check_pathway(py(2025), true, OptInEligible, Some(Election::OptIn), Some(App), TraditionalMips),
            Err(PathwayRefusal::AlreadyChosen { existing: App })
        );
    }

    #[test]
    fn offers_and_redirects() {
        let opted_in = Some(Election::OptIn);
        assert_eq!(offered_pathways(py(2025), true, OptInEligible, opted_in), vec![TraditionalMips, App]);
        assert!(offered_pathways(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily)).is_empty());
        assert!(offered_pathways(py(2025), false, OptInEligible, opted_in).is_empty());
        // The APP starts with 2021.
        assert_eq!(offered_pathways(py(2021), true, MipsEligible, None), vec![TraditionalMips, App]);
        // Before it there is no pathway to choose at all, and no one is sent to Reporting Options.
        assert!(offered_pathways(py(2020), true, MipsEligible, None).is_empty());
        assert!(!needs_pathway_choice(py(2020), true, Election::OptIn));
        // A choice recorded earlier is still answered as a replay.
        assert_eq!(check_pathway(py(2020), true, MipsEligible, None, Some(TraditionalMips), TraditionalMips), Ok(()));
        assert!(offered_pathways(py(2019), true, OptInEligible, opted_in).is_empty());
        let too_early = check_pathway(py(2020), true, MipsEligible, None, None, App).unwrap_err();
        assert_eq!(
            (too_early.code(), too_early.reason().contains("starts with performance year 2021")),
            ("AppNotAvailable", true)
        );
        assert!(needs_pathway_choice(py(2025), true, Election::OptIn));
        assert!(!needs_pathway_choice(py(2025), true, Election::ReportVoluntarily));
        assert!(!needs_pathway_choice(py(2025), false, Election::OptIn));
        assert_eq!(ReportingPathway::from_code("APP"), Some(App));
    }
}
