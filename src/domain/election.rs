//! Elections: who may elect what, when, and how the choice is confirmed.

use super::determination::{Determination, Exclusion};
use super::lvt::LowVolumeStatus;
use super::time::Timestamp;
use super::window::{ElectionWindow, WindowPhase};
use super::year::PerformanceYear;
use serde::{Deserialize, Serialize};

/// The two elections an opt-in eligible entity can make. Final once made.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Election {
    #[serde(rename = "OPT_IN")]
    OptIn,
    #[serde(rename = "VOLUNTARY")]
    ReportVoluntarily,
}

impl Election {
    pub const ALL: [Election; 2] = [Election::OptIn, Election::ReportVoluntarily];

    /// The stored/wire code.
    pub fn code(self) -> &'static str {
        match self {
            Election::OptIn => "OPT_IN",
            Election::ReportVoluntarily => "VOLUNTARY",
        }
    }
    pub fn from_code(code: &str) -> Option<Election> {
        Election::ALL.into_iter().find(|e| e.code() == code)
    }
    /// Short name, as on the guide's option buttons.
    pub fn label(self) -> &'static str {
        match self {
            Election::OptIn => "Opt-In",
            Election::ReportVoluntarily => "Report Voluntarily",
        }
    }
    /// Option heading on the Reporting Options page.
    pub fn option_heading(self) -> &'static str {
        match self {
            Election::OptIn => "Elect to Opt-In",
            Election::ReportVoluntarily => "Choose to Report Voluntarily",
        }
    }
    /// Option description on the Reporting Options page (2021 guide, step 3).
    pub fn option_description(self, year: PerformanceYear) -> String {
        let pay = year.payment_year();
        match self {
            Election::OptIn => format!(
                "By electing to Opt-In, you become MIPS eligible. You will receive a MIPS final score and a payment adjustment in {pay}."
            ),
            Election::ReportVoluntarily => format!(
                "By voluntarily reporting MIPS data, you will receive performance feedback for informational purposes only. You will not receive a payment adjustment in {pay}.{}", year.no_voluntary_app()
            ),
        }
    }
    /// The consequence stated in the "Are You Sure?" dialog.
    pub fn consequence(self, entity_name: &str, year: PerformanceYear) -> String {
        match self {
            Election::OptIn => format!(
                "By opting-in, {entity_name} will become MIPS eligible for the {year} performance year and will receive a final score based on any data submitted or not submitted. This election is permanent and cannot be changed later."
            ),
            Election::ReportVoluntarily => format!(
                "By reporting voluntarily, {entity_name} will receive performance feedback for the {year} performance year but no MIPS payment adjustment. This election is permanent and cannot be changed later."
            ),
        }
    }
    /// What the election means for the entity, for the Reporting Overview ("practice" or
    /// "clinician").
    pub fn effect(self, noun: &str) -> String {
        match self {
            Election::OptIn => format!("As an opt-in, the {noun} is MIPS eligible for this year: it receives a MIPS final score and a payment adjustment based on the data submitted — or on no data, which usually means a negative adjustment."),
            Election::ReportVoluntarily => format!("As a voluntary reporter, the {noun} receives performance feedback but no MIPS payment adjustment."),
        }
    }

    /// The confirming button of the "Are You Sure?" dialog.
    pub fn confirm_button(self) -> &'static str {
        match self {
            Election::OptIn => "I'm Sure, Confirm Opt In",
            Election::ReportVoluntarily => "I'm Sure, Report Voluntarily",
        }
    }
}

/// The kind of entity an election would be made for.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntityKind {
    /// A practice reporting as a group, identified by TIN.
    Group,
    /// A clinician reporting as an individual, identified by TIN/NPI.
    Individual,
    /// An APM Entity: never elects through QPP.
    ApmEntity,
    /// A TIN in a virtual group (as a group or as individuals): the virtual group's election
    /// is its election.
    VirtualGroup,
}

impl EntityKind {
    /// The kind the election rules see: a TIN in a virtual group elects through the virtual
    /// group, whether it reports as a group or as individuals.
    pub fn of(individual: bool, in_virtual_group: bool) -> EntityKind {
        match (in_virtual_group, individual) {
            (true, _) => EntityKind::VirtualGroup,
            (false, true) => EntityKind::Individual,
            (false, false) => EntityKind::Group,
        }
    }
}

/// Why an election cannot be made. Every variant reads as a sentence for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElectionRefusal {
    ApmEntity,
    /// The virtual group itself (its tab).
    VirtualGroup,
    /// A practice or clinician whose TIN is in a virtual group.
    VirtualGroupMember,
    MipsEligible,
    NotOptInEligible,
    /// A QP, a newly enrolled clinician or an ineligible clinician type.
    Excluded(Exclusion),
    NoWindow {
        year: PerformanceYear,
    },
    WindowNotOpen {
        window: ElectionWindow,
    },
    WindowClosed {
        window: ElectionWindow,
    },
}

impl ElectionRefusal {
    /// A stable machine-readable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            ElectionRefusal::ApmEntity => "ApmEntityCannotElect",
            ElectionRefusal::VirtualGroup | ElectionRefusal::VirtualGroupMember => "VirtualGroupCannotElect",
            ElectionRefusal::MipsEligible => "AlreadyMipsEligible",
            ElectionRefusal::NotOptInEligible => "NotOptInEligible",
            ElectionRefusal::Excluded(e) => e.refusal_code(),
            ElectionRefusal::NoWindow { .. } => "NoElectionWindow",
            ElectionRefusal::WindowNotOpen { .. } => "ElectionWindowNotOpen",
            ElectionRefusal::WindowClosed { .. } => "ElectionWindowClosed",
        }
    }

    /// Whether the refusal is about who the entity is rather than about the election window.
    pub fn is_about_the_entity(&self) -> bool {
        !matches!(
            self,
            ElectionRefusal::NoWindow { .. }
                | ElectionRefusal::WindowNotOpen { .. }
                | ElectionRefusal::WindowClosed { .. }
        )
    }

    pub fn reason(&self) -> String {
        match self {
            ElectionRefusal::ApmEntity => "APM Entities can't opt in to MIPS through QPP; no election can be made for an APM Entity.".into(),
            ElectionRefusal::VirtualGroup => "A virtual group does not make an opt-in election: its virtual-group election already counts as one.".into(),
            ElectionRefusal::VirtualGroupMember => "This TIN is a member of a virtual group in CMS's data: its virtual-group election (made October 1 – December 31 of the year before) is the election of the practice and its clinicians, so they make none of their own.".into(),
            ElectionRefusal::MipsEligible => "CMS determined this entity is already MIPS eligible (it exceeds all 3 low-volume threshold criteria), so there is nothing to elect.".into(),
            ElectionRefusal::NotOptInEligible => "CMS determined this entity is not opt-in eligible, so no election can be made. It may report voluntarily without an election.".into(),
            ElectionRefusal::Excluded(e) => e.reason().into(),
            ElectionRefusal::NoWindow { year } => format!("No election period has been announced for the {year} performance year yet."),
            ElectionRefusal::WindowNotOpen { window } => format!(
                "The {} election period has not opened yet. It runs from {}.",
                window.performance_year,
                window.describe()
            ),
            ElectionRefusal::WindowClosed { window } => format!(
                "The {} election period closed on {}. It ran from {}.",
                window.performance_year,
                window.election_closes_at.format_eastern(),
                window.describe()
            ),
        }
    }
}

/// Checks every rule that decides whether a *new* election may be made now. Finality (an
/// existing election) is decided first by [`resolve_against_existing`].
pub fn check_can_elect(
    entity: EntityKind, determination: Determination, window: Option<&ElectionWindow>, year: PerformanceYear,
    now: Timestamp,
) -> Result<(), ElectionRefusal> {
    match entity {
        EntityKind::ApmEntity => return Err(ElectionRefusal::ApmEntity),
        EntityKind::VirtualGroup => return Err(ElectionRefusal::VirtualGroupMember),
        EntityKind::Group | EntityKind::Individual => {}
    }
    if let Some(exclusion) = determination.exclusion {
        return Err(ElectionRefusal::Excluded(exclusion));
    }
    match determination.status() {
        LowVolumeStatus::MipsEligible => return Err(ElectionRefusal::MipsEligible),
        LowVolumeStatus::NotOptInEligible => return Err(ElectionRefusal::NotOptInEligible),
        LowVolumeStatus::OptInEligible => {}
    }
    let window = window.ok_or(ElectionRefusal::NoWindow { year })?;
    match window.phase(now) {
        WindowPhase::Open => Ok(()),
        WindowPhase::NotYetOpen => Err(ElectionRefusal::WindowNotOpen { window: window.clone() }),
        WindowPhase::Closed => Err(ElectionRefusal::WindowClosed { window: window.clone() }),
    }
}

/// What to do with a requested election given what is already recorded. Elections are final:
/// the same choice again is a harmless retry, a different choice is a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElectionOutcome {
    Create,
    AlreadyMade,
    Conflict { existing: Election },
}

pub fn resolve_against_existing(existing: Option<Election>, requested: Election) -> ElectionOutcome {
    match existing {
        None => ElectionOutcome::Create,
        Some(e) if e == requested => ElectionOutcome::AlreadyMade,
        Some(e) => ElectionOutcome::Conflict { existing: e },
    }
}

/// The message for a conflicting second election.
pub fn conflict_reason(existing: Election, made_at: Timestamp) -> String {
    format!(
        "An election to {} was already made on {}. Elections are final and can't be changed.",
        existing.label(),
        made_at.format_eastern()
    )
}

pub const CONFIRMATION_WORD: &str = "CONFIRM";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmationError {
    Empty,
    Mismatch(String),
}

impl ConfirmationError {
    pub fn message(&self) -> String {
        match self {
            ConfirmationError::Empty => "Type CONFIRM in the box to make your election final.".into(),
            ConfirmationError::Mismatch(typed) => {
                format!("You typed \"{typed}\". Type CONFIRM (not case sensitive) to make your election final.")
            }
        }
    }
}

/// The typed confirmation: "CONFIRM", not case sensitive (the guide's "Helpful Hint"), with
/// surrounding spaces ignored because a pasted word often carries them.
pub fn check_confirmation(typed: &str) -> Result<(), ConfirmationError> {
    let t = typed.trim();
    if t.is_empty() {
        Err(ConfirmationError::Empty)
    } else if t.eq_ignore_ascii_case(CONFIRMATION_WORD) {
        Ok(())
    } else {
        Err(ConfirmationError::Mismatch(t.chars().take(40).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::window::official_windows;

    fn py(y: u16) -> PerformanceYear {
        PerformanceYear::new(y).unwrap()
    }
    fn w2024() -> ElectionWindow {
        official_windows().into_iter().find(|w| w.performance_year == py(2024)).unwrap()
    }
    fn inside() -> Timestamp {
        Timestamp::from_eastern(2025, 2, 1, 12, 0)
    }
    /// `check_can_elect` for an entity CMS gave `status`, without an exclusion.
    fn elect(
        kind: EntityKind, status: LowVolumeStatus, w: Option<&ElectionWindow>, year: u16, at: Timestamp,
    ) -> Result<(), ElectionRefusal> {
        check_can_elect(kind, Determination::with_status(status), w, py(year), at)
    }

    #[test]
    fn opt_in_eligible_group_and_individual_may_elect_inside_the_window() {
        let w = w2024();
        for kind in [EntityKind::Group, EntityKind::Individual] {
            assert_eq!(elect(kind, LowVolumeStatus::OptInEligible, Some(&w), 2024, inside()), Ok(()));
        }
    }

    #[test]
    fn apm_entities_and_virtual_groups_never_elect() {
        let w = w2024();
        let r = elect(EntityKind::ApmEntity, LowVolumeStatus::OptInEligible, Some(&w), 2024, inside());
        assert_eq!(r, Err(ElectionRefusal::ApmEntity));
        assert!(r.unwrap_err().reason().contains("APM Entities can't opt in"));
        assert_eq!(
            elect(EntityKind::VirtualGroup, LowVolumeStatus::OptInEligible, Some(&w), 2024, inside()),
            Err(ElectionRefusal::VirtualGroupMember)
        );
    }

    #[test]
    fn only_opt_in_eligible_entities_elect() {
        let w = w2024();
        let r = elect(EntityKind::Group, LowVolumeStatus::MipsEligible, Some(&w), 2024, inside()).unwrap_err();
        assert_eq!(r.code(), "AlreadyMipsEligible");
        let r = elect(EntityKind::Group, LowVolumeStatus::NotOptInEligible, Some(&w), 2024, inside()).unwrap_err();
        assert_eq!(r.code(), "NotOptInEligible");
        assert!(r.reason().contains("not opt-in eligible"));
        // A QP, a newly enrolled clinician or an ineligible clinician type: its own sentence,
        // even when CMS's flags say opt-in eligible.
        for e in Exclusion::ALL {
            let d = Determination { exclusion: Some(e), ..Determination::with_status(LowVolumeStatus::OptInEligible) };
            let r = check_can_elect(EntityKind::Individual, d, Some(&w), py(2024), inside()).unwrap_err();
            assert_eq!(r, ElectionRefusal::Excluded(e));
            assert_eq!((r.code(), r.reason()), (e.refusal_code(), e.reason().to_string()));
        }
    }

    #[test]
    fn outside_the_window_is_refused_with_the_dates() {
        let w = w2024();
        let before = Timestamp::from_eastern(2025, 1, 1, 12, 0);
        let r = elect(EntityKind::Group, LowVolumeStatus::OptInEligible, Some(&w), 2024, before).unwrap_err();
        assert_eq!(r.code(), "ElectionWindowNotOpen");
        assert!(r.reason().contains("January 2, 2025 at 10:00 a.m. ET"), "{}", r.reason());
        let at_close = w.election_closes_at;
        let r = elect(EntityKind::Group, LowVolumeStatus::OptInEligible, Some(&w), 2024, at_close).unwrap_err();
        assert_eq!(r.code(), "ElectionWindowClosed");
        assert!(r.reason().contains("March 31, 2025 at 8:00 p.m. ET"), "{}", r.reason());
        let one_ms_before = Timestamp(at_close.0 - 1);
        assert!(elect(EntityKind::Group, LowVolumeStatus::OptInEligible, Some(&w), 2024, one_ms_before).is_ok());
        let r = elect(EntityKind::Group, LowVolumeStatus::OptInEligible, None, 2026, inside()).unwrap_err();
        assert!(r.reason().contains("2026"));
    }

    #[test]
    fn elections_are_final() {
        assert_eq!(resolve_against_existing(None, Election::OptIn), ElectionOutcome::Create);
        assert_eq!(resolve_against_existing(Some(Election::OptIn), Election::OptIn), ElectionOutcome::AlreadyMade);
        assert_eq!(
            resolve_against_existing(Some(Election::OptIn), Election::ReportVoluntarily),
            ElectionOutcome::Conflict { existing: Election::OptIn }
        );
        let msg = conflict_reason(Election::OptIn, Timestamp::from_eastern(2025, 2, 1, 9, 30));
        assert!(msg.contains("Opt-In") && msg.contains("February 1, 2025 at 9:30 a.m. ET") && msg.contains("final"));
    }

    #[test]
    fn confirm_is_case_insensitive_and_trimmed() {
        for ok in ["CONFIRM", "confirm", "  Confirm ", "cOnFiRm\n"] {
            assert_eq!(check_confirmation(ok), Ok(()), "{ok:?}");
        }
        assert_eq!(check_confirmation("   "), Err(ConfirmationError::Empty));
        assert_eq!(check_confirmation("CONFIRMED"), Err(ConfirmationError::Mismatch("CONFIRMED".into())));
        assert_eq!(check_confirmation("CON FIRM"), Err(ConfirmationError::Mismatch("CON FIRM".into())));
        assert!(ConfirmationError::Mismatch("yes".into()).message().contains("You typed \"yes\""));
    }

    #[test]
    fn wording_follows_the_guide() {
        assert_eq!(Election::OptIn.confirm_button(), "I'm Sure, Confirm Opt In");
        assert_eq!(Election::ReportVoluntarily.confirm_button(), "I'm Sure, Report Voluntarily");
        assert!(Election::OptIn.option_description(py(2021)).ends_with("a payment adjustment in 2023."));
        assert!(Election::ReportVoluntarily.option_description(py(2021)).contains("isn't permitted"));
        assert!(!Election::ReportVoluntarily.option_description(py(2019)).contains("APP"), "no APP before 2021");
        assert!(Election::OptIn.consequence("Dittrich, Krajíček and Urbanová", py(2021)).starts_with(
            "By opting-in, Dittrich, Krajíček and Urbanová will become MIPS eligible for the 2021 performance year"
        ));
        assert_eq!(Election::from_code("VOLUNTARY"), Some(Election::ReportVoluntarily));
        assert_eq!(serde_json::to_string(&Election::OptIn).unwrap(), "\"OPT_IN\"");
    }
}
