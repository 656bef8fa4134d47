//! Reporting Options for MIPS APM participants: traditional MIPS, the APM Performance Pathway
//! (APP), or both (the 2021 guide's "and/or"). The choice records what the participant intends
//! to report and, unlike the election, may be changed until the submission window closes (each
//! change is kept). "Group or Individual APM participants MUST be above the LVT threshold OR they
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
    /// Traditional MIPS and the APP, both.
    Both,
}

impl ReportingPathway {
    pub const ALL: [ReportingPathway; 3] =
        [ReportingPathway::TraditionalMips, ReportingPathway::App, ReportingPathway::Both];
    pub fn code(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "TRADITIONAL_MIPS",
            ReportingPathway::App => "APP",
            ReportingPathway::Both => "BOTH",
        }
    }
    /// Whether this choice includes the APP (which a voluntary reporter can't report).
    pub fn includes_app(self) -> bool {
        matches!(self, ReportingPathway::App | ReportingPathway::Both)
    }
    pub fn from_code(code: &str) -> Option<ReportingPathway> {
        ReportingPathway::ALL.into_iter().find(|p| p.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "Traditional MIPS",
            ReportingPathway::App => "APM Performance Pathway (APP)",
            ReportingPathway::Both => "Both traditional MIPS and the APP",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            ReportingPathway::TraditionalMips => "Report the quality, improvement activities and Promoting Interoperability performance categories of traditional MIPS; cost is calculated from claims.",
            ReportingPathway::App => "Report the APM Performance Pathway's fixed set of quality measures, available to MIPS APM participants. Only the MIPS eligible clinicians who participate in a MIPS APM are scored through the APP.",
            ReportingPathway::Both => "Report traditional MIPS and the APP: an opted-in MIPS APM participant may participate in traditional MIPS and/or the APP.",
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
        }
    }
}

pub use super::year::FIRST_APP_YEAR;

/// Whether `pathway` may be chosen (first, again, or instead of an earlier choice) in `year` by an
/// entity with this low-volume status and election. Whether data can still be submitted is the
/// window's question (`ElectionWindow::check_submission_open`).
pub fn check_pathway(
    year: PerformanceYear, mips_apm_participant: bool, low_volume: LowVolumeStatus, election: Option<Election>,
    pathway: ReportingPathway,
) -> Result<(), PathwayRefusal> {
    if !mips_apm_participant {
        return Err(PathwayRefusal::NotApmParticipant);
    }
    if year.get() < FIRST_APP_YEAR {
        return Err(PathwayRefusal::AppNotYet { year });
    }
    match (low_volume, election) {
        (LowVolumeStatus::MipsEligible, _) => Ok(()),
        (LowVolumeStatus::NotOptInEligible, _) => Err(PathwayRefusal::NotEligible),
        (LowVolumeStatus::OptInEligible, None) => Err(PathwayRefusal::NoElection),
        (LowVolumeStatus::OptInEligible, Some(Election::OptIn)) => Ok(()),
        (LowVolumeStatus::OptInEligible, Some(Election::ReportVoluntarily)) => Err(if pathway.includes_app() {
            PathwayRefusal::VoluntaryCannotReportApp
        } else {
            PathwayRefusal::VoluntaryHasNoPathway
        }),
    }
}

/// The choices to offer: all three after an Opt-In (or when MIPS eligible), only from 2021 (the
/// APP's first year), none to a voluntary reporter.
pub fn offered_pathways(
    year: PerformanceYear, mips_apm_participant: bool, low_volume: LowVolumeStatus, election: Option<Election>,
) -> Vec<ReportingPathway> {
    ReportingPathway::ALL
        .into_iter()
        .filter(|p| check_pathway(year, mips_apm_participant, low_volume, election, *p).is_ok())
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
        assert_eq!(check_pathway(py(2025), true, OptInEligible, Some(Election::OptIn), App), Ok(()));
        assert_eq!(check_pathway(py(2025), true, OptInEligible, Some(Election::OptIn), Both), Ok(()));
        assert_eq!(check_pathway(py(2025), true, MipsEligible, None, App), Ok(()));
        for app in [App, Both] {
            assert_eq!(
                check_pathway(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily), app),
                Err(PathwayRefusal::VoluntaryCannotReportApp)
            );
        }
        // A voluntary reporter has no reporting option to choose: the guide sends only those who
        // "elected to opt-in" to Reporting Options.
        assert_eq!(
            check_pathway(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily), TraditionalMips),
            Err(PathwayRefusal::VoluntaryHasNoPathway)
        );
        assert_eq!(check_pathway(py(2025), true, OptInEligible, None, App), Err(PathwayRefusal::NoElection));
        assert_eq!(
            check_pathway(py(2025), false, OptInEligible, Some(Election::OptIn), App),
            Err(PathwayRefusal::NotApmParticipant)
        );
        assert_eq!(
            check_pathway(py(2025), true, NotOptInEligible, None, TraditionalMips),
            Err(PathwayRefusal::NotEligible)
        );
        assert!(PathwayRefusal::VoluntaryCannotReportApp.reason().contains("can't voluntarily report"));
    }

    #[test]
    fn offers_and_redirects() {
        let opted_in = Some(Election::OptIn);
        assert_eq!(offered_pathways(py(2025), true, OptInEligible, opted_in), vec![TraditionalMips, App, Both]);
        assert!(offered_pathways(py(2025), true, OptInEligible, Some(Election::ReportVoluntarily)).is_empty());
        assert!(offered_pathways(py(2025), false, OptInEligible, opted_in).is_empty());
        // The APP starts with 2021.
        assert_eq!(offered_pathways(py(2021), true, MipsEligible, None), vec![TraditionalMips, App, Both]);
        // Before it there is no pathway to choose at all, and no one is sent to Reporting Options.
        assert!(offered_pathways(py(2020), true, MipsEligible, None).is_empty());
        assert!(!needs_pathway_choice(py(2020), true, Election::OptIn));
        assert!(offered_pathways(py(2019), true, OptInEligible, opted_in).is_empty());
        let too_early = check_pathway(py(2020), true, MipsEligible, None, App).unwrap_err();
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
