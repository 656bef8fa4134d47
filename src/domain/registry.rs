//! The rules of a registry upload (2021 guide, "QCDRs and Qualified Registries: Election
//! Process", steps 4–5): which participants found in the
//! files need an election, which need none, which can't be submitted at all, and what each
//! choice in the Election Selection table does with the participant's data.

use super::determination::{Determination, Exclusion, EXCLUDED_MAY_REPORT_VOLUNTARILY};
use super::election::Election;
use super::election::{check_can_elect, ElectionRefusal, EntityKind};
use super::entity::EntityType;
use super::lvt::LowVolumeStatus;
pub use super::submitter::{EntityKey, ParticipantKey, Submitter};
use super::time::Timestamp;
use super::window::{ElectionWindow, SubmissionClosed};
use super::year::PerformanceYear;
use serde::{Deserialize, Serialize};

/// The three choices of each row of the Election Selection table.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ElectionChoice {
    NoDecision,
    #[serde(rename = "VOLUNTARY")]
    ReportVoluntarily,
    OptIn,
}

impl ElectionChoice {
    pub const ALL: [ElectionChoice; 3] =
        [ElectionChoice::NoDecision, ElectionChoice::ReportVoluntarily, ElectionChoice::OptIn];

    pub fn label(self) -> &'static str {
        match self {
            ElectionChoice::NoDecision => "No Decision",
            ElectionChoice::ReportVoluntarily => "Report Voluntarily",
            ElectionChoice::OptIn => "Opt-In",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            ElectionChoice::NoDecision => "NO_DECISION",
            ElectionChoice::ReportVoluntarily => "VOLUNTARY",
            ElectionChoice::OptIn => "OPT_IN",
        }
    }
    pub fn election(self) -> Option<Election> {
        match self {
            ElectionChoice::NoDecision => None,
            ElectionChoice::ReportVoluntarily => Some(Election::ReportVoluntarily),
            ElectionChoice::OptIn => Some(Election::OptIn),
        }
    }
    /// The guide's explanation under each count ("Participant Elections", step 4).
    pub fn explanation(self, year: PerformanceYear) -> String {
        let pay = year.payment_year();
        match self {
            ElectionChoice::NoDecision => "The clinician or group will not be uploaded and will remain MIPS Exempt.".into(),
            ElectionChoice::ReportVoluntarily => format!("The clinician or group will receive performance feedback but will not receive a payment adjustment in {pay}.{}", year.no_voluntary_app()),
            ElectionChoice::OptIn => format!("The clinician or group will receive performance feedback and a MIPS payment adjustment in {pay}."),
        }
    }
}

/// Where a participant found in the files stands, decided on the server from its eligibility
/// data, its elections, the registry's clients and the window.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParticipantStanding {
    /// Opt-in eligible without an election: a row of the Election Selection table.
    NeedsElection,
    /// Already elected (final): the data is accepted, no election is asked for.
    AlreadyElected { election: Election },
    /// Exceeds all three low-volume criteria: MIPS eligible, no election needed.
    MipsEligible,
    /// Exempt and not opt-in eligible (exceeds none of the criteria): it may report
    /// voluntarily without an election, and none can be made for it
    /// (CMS: those who don't want to participate in MIPS need no election; an exempt entity simply submits).
    VoluntaryWithoutElection,
    /// Its TIN belongs to a virtual group: the virtual group's election is its election and the
    /// virtual group's final score counts, so its own (individual or group) data is accepted as
    /// voluntary reporting, without an election (docs §3.5: "Any individual or APM Entity
    /// submission will be considered voluntary").
    VirtualGroupMember,
    /// CMS excluded the clinician from MIPS (a QP, newly enrolled, not an eligible clinician
    /// type): no election can be made, and its data is accepted as voluntary reporting.
    ExcludedFromMips { exclusion: Exclusion },
    /// A virtual group's own data: the virtual group election is its members' election (42 CFR
    /// 414.1310, docs §3.5), so none is asked for here.
    VirtualGroupData,
    /// An APM Entity's data: APM Entity elections are not made through QPP (CMS's Submissions API
    /// change log: an APM Entity's opt-in was managed in AMS; from 2021 the low-volume threshold
    /// is not applied at the APM Entity level), so none is asked for here.
    ApmEntityData,
    /// A subgroup's MVP data: subgroups report MVPs only (the validator refuses any other
    /// program) and make no election here.
    SubgroupData,
    /// Its data can't be submitted in this upload; `reason` says why in a sentence.
    CannotSubmit { code: String, reason: String },
}

impl ParticipantStanding {
    pub fn needs_no_election(&self) -> bool {
        matches!(
            self,
            ParticipantStanding::AlreadyElected { .. }
                | ParticipantStanding::MipsEligible
                | ParticipantStanding::VoluntaryWithoutElection
                | ParticipantStanding::VirtualGroupMember
                | ParticipantStanding::ExcludedFromMips { .. }
                | ParticipantStanding::VirtualGroupData
                | ParticipantStanding::ApmEntityData
                | ParticipantStanding::SubgroupData
        )
    }
    /// Whether its data is stored as voluntary reporting without an election.
    pub fn voluntary_without_election(&self) -> bool {
        matches!(
            self,
            ParticipantStanding::VoluntaryWithoutElection
                | ParticipantStanding::VirtualGroupMember
                | ParticipantStanding::ExcludedFromMips { .. }
        )
    }
    /// Why no election is needed, for the "need no election" list.
    pub fn no_election_reason(&self) -> Option<String> {
        match self {
            ParticipantStanding::AlreadyElected { election } => {
                Some(format!("Already elected to {} (final); the data is accepted.", election.label()))
            }
            ParticipantStanding::MipsEligible => {
                Some("MIPS eligible: exceeds all 3 low-volume threshold criteria, so no election is needed.".into())
            }
            ParticipantStanding::VoluntaryWithoutElection => Some(format!("{VOLUNTARY_NO_ELECTION}: exempt and not opt-in eligible (exceeds none of the 3 low-volume threshold criteria), so its data is accepted as voluntary reporting.")),
            ParticipantStanding::VirtualGroupMember => Some(format!("{VOLUNTARY_NO_ELECTION}: its TIN is in a virtual group, whose election is its election and whose final score counts, so this data is accepted as voluntary reporting.")),
            ParticipantStanding::ExcludedFromMips { exclusion } => Some(format!("{VOLUNTARY_NO_ELECTION}: {} {EXCLUDED_MAY_REPORT_VOLUNTARILY} Its data is accepted as voluntary reporting.", exclusion.reason())),
            ParticipantStanding::VirtualGroupData => Some("Virtual group data: the virtual group election (made in its own window, October 1 – December 31 of the year before) is its members' election, so no election is needed here.".into()),
            ParticipantStanding::ApmEntityData => Some("APM Entity data: no election is made for an APM Entity through QPP (CMS: an APM Entity's opt-in was managed in AMS, and from 2021 the low-volume threshold is not applied to APM Entities), so none is needed here. This app imports no list of APM Entities, so the APM Entity ID is not checked before the data is stored.".into()),
            ParticipantStanding::SubgroupData => Some("Subgroup MVP data: subgroups report MVPs only and make no election here. Subgroup registration isn't in the eligibility data this app imports, so it is not checked before the data is stored.".into()),
            _ => None,
        }
    }
}

/// What the server knows about a participant when it decides its standing.
#[derive(Clone, Debug)]
pub struct ParticipantFacts<'a> {
    /// `entityType` from the file; `None` when the file names none the upload knows.
    pub entity_type: Option<EntityType>,
    /// `None` when there is no eligibility record for the participant in the year.
    /// CMS's determination at the participant's level; `None` when the data has no record of it.
    pub determination: Option<Determination>,
    pub in_virtual_group: bool,
    pub existing: Option<Election>,
    pub window: Option<&'a ElectionWindow>,
    pub year: PerformanceYear,
    pub now: Timestamp,
}

fn cannot(code: &str, reason: String) -> ParticipantStanding {
    ParticipantStanding::CannotSubmit { code: code.into(), reason }
}

/// What the election column of Registry Submission Details says for an entity named by its ID.
pub fn entity_election_note(entity_type: EntityType) -> &'static str {
    match entity_type {
        EntityType::Apm => "No election through QPP for an APM Entity",
        EntityType::VirtualGroup => "Its virtual group election (made before the year) covers it",
        EntityType::Subgroup => "No election needed: subgroups report MVPs",
        EntityType::Group | EntityType::Individual => "",
    }
}

/// Entity types a participant keyed by TIN or TIN/NPI can't have, said without asking the server:
/// none at all, or one that QPP JSON names by its entity ID (`entity_standing` decides those).
pub fn entity_type_refusal(entity_type: Option<EntityType>) -> Option<ParticipantStanding> {
    match entity_type {
        Some(EntityType::Group | EntityType::Individual) => None,
        Some(kind) => Some(cannot(
            "EntityNamedById",
            format!("A {} submission is named by its entityId, not by TIN or TIN/NPI.", kind.code()),
        )),
        None => Some(cannot(
            "EntityTypeNotAccepted",
            "The submission names no entity type this upload knows: it must be individual, group, virtualGroup, apm or subgroup.".into(),
        )),
    }
}

/// What the server knows about an entity named by its ID when it decides its standing.
#[derive(Clone, Debug)]
pub struct EntityFacts<'a> {
    /// The virtual group is in the year's eligibility data (it has a virtual group election).
    pub known_virtual_group: bool,
    pub window: Option<&'a ElectionWindow>,
    pub year: PerformanceYear,
    pub now: Timestamp,
}

/// Decides the standing of an APM Entity, virtual group or subgroup: none of them elects here,
/// so each either has its data accepted or can't submit, with the reason.
pub fn entity_standing(key: &EntityKey, f: &EntityFacts) -> ParticipantStanding {
    if let Some(Err(closed)) = f.window.map(|w| w.check_submission_open(f.now)) {
        return cannot(SubmissionClosed::CODE, closed.reason());
    }
    match key.entity_type {
        EntityType::VirtualGroup if f.known_virtual_group => ParticipantStanding::VirtualGroupData,
        EntityType::VirtualGroup => cannot(
            "UnknownVirtualGroup",
            format!("No virtual group with this ID is in the performance year {} eligibility data, so its data can't be submitted: a virtual group reports only after its virtual group election (October 1 – December 31 of the year before).", f.year),
        ),
        EntityType::Apm => ParticipantStanding::ApmEntityData,
        EntityType::Subgroup => ParticipantStanding::SubgroupData,
        kind @ (EntityType::Group | EntityType::Individual) => cannot(
            "EntityNamedById",
            format!("A {} submission is named by TIN or TIN/NPI, not by an entity ID.", kind.code()),
        ),
    }
}

/// Decides a participant's standing. The order matters: what the registry may not touch at all
/// (APM Entities, other entity kinds) is said before anything about eligibility.
pub fn standing(key: &ParticipantKey, f: &ParticipantFacts) -> ParticipantStanding {
    let year = f.year;
    if let Some(refused) = entity_type_refusal(f.entity_type) {
        return refused;
    }
    // A registry may submit data for any TIN ("Submit data for any TIN without any prior
    // certification", CMS's Submissions API documentation), and issue 11 asks that it elect for any
    // TIN too: there is no client list. Whether CMS lets a registry token elect for a TIN it has
    // no data for is not verified, so the README says so.
    if let Some(Err(closed)) = f.window.map(|w| w.check_submission_open(f.now)) {
        return cannot(SubmissionClosed::CODE, closed.reason());
    }
    let Some(determination) = f.determination else {
        return cannot("NoEligibilityInformation", format!("The imported eligibility data for performance year {year} has no record of {key}, so where it stands can't be decided here. Import CMS's determination that includes it first."));
    };
    if let Some(e) = f.existing {
        return ParticipantStanding::AlreadyElected { election: e };
    }
    if f.in_virtual_group {
        return ParticipantStanding::VirtualGroupMember;
    }
    // Excluded from MIPS (QP, newly enrolled, not an eligible clinician type): no election, and
    // voluntary reporting without one ("Voluntarily Report (no election required): Clinicians
    // and groups who are excluded from MIPS and are not 'opt-in eligible'", CMS's 2020 guide).
    if let Some(exclusion) = determination.exclusion {
        return ParticipantStanding::ExcludedFromMips { exclusion };
    }
    match determination.status() {
        LowVolumeStatus::MipsEligible => ParticipantStanding::MipsEligible,
        LowVolumeStatus::NotOptInEligible => ParticipantStanding::VoluntaryWithoutElection,
        LowVolumeStatus::OptInEligible => {
            let kind = EntityKind::of(key.npi.is_some(), f.in_virtual_group);
            match check_can_elect(kind, determination, f.window, year, f.now) {
                Ok(()) => ParticipantStanding::NeedsElection,
                Err(r) => {
                    cannot(r.code(), format!("{key} is opt-in eligible but no election can be made: {}", r.reason()))
                }
            }
        }
    }
}

/// What happens to one participant's data when the upload is committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadAction {
    /// Store the data; record this election first when `Some`.
    Store { record: Option<Election> },
    /// Not stored: No Decision (stays exempt) or skipped because it can't be submitted.
    Skip,
}

/// Why an upload can't be committed for a participant; the message names the participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRefusal {
    pub code: &'static str,
    pub message: String,
}

/// Applies the choice made for a participant to its standing. `choice` is `None` when the
/// request named no choice for it; `skip_unsubmittable` is the caller's explicit consent to
/// leave out participants that can't be submitted (the screen lists them before asking).
pub fn decide(
    key: &impl std::fmt::Display, standing: &ParticipantStanding, choice: Option<ElectionChoice>,
    skip_unsubmittable: bool,
) -> Result<UploadAction, UploadRefusal> {
    // An explicit No Decision always keeps the data out, even if the participant's standing
    // changed since the table was shown (the practice elected meanwhile, a new data run).
    if choice == Some(ElectionChoice::NoDecision) {
        return Ok(UploadAction::Skip);
    }
    match standing {
        ParticipantStanding::NeedsElection => match choice {
            None => Err(UploadRefusal {
                code: "ElectionRequired",
                message: format!("{key} is opt-in eligible and has no election. Choose Opt-In, Report Voluntarily or No Decision for it; its data can't be submitted without an election."),
            }),
            Some(ElectionChoice::NoDecision) => Ok(UploadAction::Skip),
            Some(c) => Ok(UploadAction::Store { record: c.election() }),
        },
        ParticipantStanding::AlreadyElected { election } => match choice.and_then(|c| c.election()) {
            Some(e) if e != *election => Err(UploadRefusal {
                code: "ElectionAlreadyMade",
                message: format!("{key} already elected to {}. Elections are final and can't be changed.", election.label()),
            }),
            _ => Ok(UploadAction::Store { record: None }),
        },
        ParticipantStanding::VirtualGroupMember => match choice.and_then(|c| c.election()) {
            Some(_) => Err(UploadRefusal {
                code: "VirtualGroupCannotElect",
                message: format!("{key}: {} Its data is accepted as voluntary reporting; leave its choice out.", ElectionRefusal::VirtualGroupMember.reason()),
            }),
            None => Ok(UploadAction::Store { record: None }),
        },
        ParticipantStanding::VoluntaryWithoutElection => match choice.and_then(|c| c.election()) {
            Some(_) => Err(UploadRefusal { code: "NotOptInEligible", message: format!("{key} is not opt-in eligible, so no election can be made for it; its data is accepted as voluntary reporting without one. Leave its choice out.") }),
            None => Ok(UploadAction::Store { record: None }),
        },
        ParticipantStanding::ExcludedFromMips { exclusion } => match choice.and_then(|c| c.election()) {
            Some(_) => Err(UploadRefusal {
                code: exclusion.refusal_code(),
                message: format!("{key}: {} Its data is accepted as voluntary reporting; leave its choice out.", exclusion.reason()),
            }),
            None => Ok(UploadAction::Store { record: None }),
        },
        ParticipantStanding::MipsEligible => match choice.and_then(|c| c.election()) {
            Some(_) => Err(UploadRefusal { code: "AlreadyMipsEligible", message: format!("{key} is MIPS eligible and needs no election; leave its choice out.") }),
            None => Ok(UploadAction::Store { record: None }),
        },
        ParticipantStanding::VirtualGroupData | ParticipantStanding::ApmEntityData | ParticipantStanding::SubgroupData => {
            match choice.and_then(|c| c.election()) {
                Some(_) => Err(UploadRefusal {
                    code: "EntityCannotElect",
                    message: format!("{key} makes no election here; its data is accepted without one. Leave its choice out."),
                }),
                None => Ok(UploadAction::Store { record: None }),
            }
        }
        ParticipantStanding::CannotSubmit { code: _, reason } => {
            if skip_unsubmittable {
                Ok(UploadAction::Skip)
            } else {
                Err(UploadRefusal { code: "ParticipantCannotBeSubmitted", message: format!("{key}: {reason}") })
            }
        }
    }
}

/// How the registry labels a participant whose data is accepted as voluntary reporting without
/// an election.
pub const VOLUNTARY_NO_ELECTION: &str = "Voluntary reporting, no election needed";

/// Voluntary reporting through the APM Performance Pathway isn't permitted (2021 guide): data for
/// an APP program of a participant that reports voluntarily — by election, or without one because
/// it is not opt-in eligible — is refused. `choosing_now` is true when the voluntary election is
/// being made in this upload, so Opt-In is still open to it.
pub fn app_refusal(
    key: &ParticipantKey, voluntary: bool, choosing_now: bool, program_name: &str,
) -> Option<UploadRefusal> {
    let app = matches!(program_name, "app1" | "appPlus");
    let remedy = if choosing_now { " or choose Opt-In" } else { "" };
    (app && voluntary).then(|| UploadRefusal {
        code: "VoluntaryReportingThroughApp",
        message: format!("{key} reports voluntarily, and voluntary reporting through the APM Performance Pathway (APP) isn't permitted: remove its {program_name} data{remedy}."),
    })
}

/// Counts per choice, for the "Participant Elections" summary and the "Are You Sure?" dialog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChoiceCounts {
    pub no_decision: usize,
    pub voluntary: usize,
    pub opt_in: usize,
}

impl ChoiceCounts {
    pub fn of(choices: impl IntoIterator<Item = ElectionChoice>) -> ChoiceCounts {
        let mut c = ChoiceCounts::default();
        for choice in choices {
            match choice {
                ElectionChoice::NoDecision => c.no_decision += 1,
                ElectionChoice::ReportVoluntarily => c.voluntary += 1,
                ElectionChoice::OptIn => c.opt_in += 1,
            }
        }
        c
    }
    pub fn get(&self, choice: ElectionChoice) -> usize {
        match choice {
            ElectionChoice::NoDecision => self.no_decision,
            ElectionChoice::ReportVoluntarily => self.voluntary,
            ElectionChoice::OptIn => self.opt_in,
        }
    }
}

/// Whether a row matches the table's filter: digits match TIN or NPI anywhere, other text the
/// name, case-insensitively.
pub fn matches_filter(filter: &str, tin: &str, npi: Option<&str>, name: &str) -> bool {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return true;
    }
    let digits: String = f.chars().filter(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && digits.len() == f.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '/').count()
    {
        return tin.contains(&digits) || npi.map(|n| n.contains(&digits)).unwrap_or(false);
    }
    name.to_lowercase().contains(&f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Npi, Tin};

    fn key(npi: Option<&str>) -> ParticipantKey {
        ParticipantKey { tin: Tin::parse("103000013").unwrap(), npi: npi.map(|n| Npi::parse(n).unwrap()) }
    }
    fn window() -> ElectionWindow {
        ElectionWindow::demo(PerformanceYear::new(2026).unwrap(), Timestamp(1_790_000_000_000))
    }
    fn facts(w: &ElectionWindow) -> ParticipantFacts<'_> {
        ParticipantFacts {
            entity_type: Some(EntityType::Group),
            determination: Some(Determination::with_status(LowVolumeStatus::OptInEligible)),
            in_virtual_group: false,
            existing: None,
            window: Some(w),
            year: PerformanceYear::new(2026).unwrap(),
            now: Timestamp(1_790_000_000_000),
        }
    }

    #[test]
    fn standing_covers_every_case_in_order() {
        let w = window();
        let k = key(None);
        assert_eq!(standing(&k, &facts(&w)), ParticipantStanding::NeedsElection);
        let s = standing(&k, &ParticipantFacts { entity_type: Some(EntityType::Apm), ..facts(&w) });
        assert!(
            matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "EntityNamedById"),
            "an APM Entity is named by its ID, whatever its eligibility"
        );
        let s = standing(&k, &ParticipantFacts { entity_type: None, ..facts(&w) });
        assert!(matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "EntityTypeNotAccepted"));
        let s = standing(&k, &ParticipantFacts { determination: None, ..facts(&w) });
        assert!(matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "NoEligibilityInformation"));
        // Exempt and not opt-in eligible: voluntary reporting, without an election.
        let s = standing(
            &k,
            &ParticipantFacts {
                determination: Some(Determination::with_status(LowVolumeStatus::NotOptInEligible)),
                ..facts(&w)
            },
        );
        assert_eq!(s, ParticipantStanding::VoluntaryWithoutElection);
        assert!(s.needs_no_election() && s.no_election_reason().unwrap().starts_with(VOLUNTARY_NO_ELECTION));
        assert_eq!(decide(&k, &s, None, false), Ok(UploadAction::Store { record: None }));
        let refused = decide(&k, &s, Some(ElectionChoice::OptIn), false).unwrap_err();
        assert_eq!(refused.code, "NotOptInEligible", "no election for one that is not opt-in eligible");
        assert_eq!(decide(&k, &s, Some(ElectionChoice::NoDecision), false), Ok(UploadAction::Skip));
        assert_eq!(
            standing(
                &k,
                &ParticipantFacts {
                    determination: Some(Determination::with_status(LowVolumeStatus::MipsEligible)),
                    ..facts(&w)
                }
            ),
            ParticipantStanding::MipsEligible
        );
        assert_eq!(
            standing(&k, &ParticipantFacts { existing: Some(Election::OptIn), ..facts(&w) }),
            ParticipantStanding::AlreadyElected { election: Election::OptIn }
        );
        // A virtual-group member's own data is voluntary (its virtual group's election and final
        // score count), whatever its own determination; no election can be made for it.
        for status in [LowVolumeStatus::OptInEligible, LowVolumeStatus::MipsEligible] {
            let member = ParticipantFacts {
                in_virtual_group: true,
                determination: Some(Determination::with_status(status)),
                ..facts(&w)
            };
            let s = standing(&k, &member);
            assert_eq!(s, ParticipantStanding::VirtualGroupMember);
            assert!(s.needs_no_election() && s.voluntary_without_election());
            assert!(s.no_election_reason().unwrap().contains("virtual group"));
            assert_eq!(decide(&k, &s, None, false), Ok(UploadAction::Store { record: None }));
            assert_eq!(decide(&k, &s, Some(ElectionChoice::OptIn), false).unwrap_err().code, "VirtualGroupCannotElect");
        }
        let s = standing(&k, &ParticipantFacts { entity_type: Some(EntityType::VirtualGroup), ..facts(&w) });
        assert!(matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "EntityNamedById"));
        // Past the election deadline but before the submission deadline: MIPS eligible data is
        // still accepted, an opt-in eligible participant can no longer elect.
        let late = Timestamp(w.election_closes_at.0 + 1);
        let mut closing = w.clone();
        closing.submission_closes_at = Timestamp(w.election_closes_at.0 + 86_400_000);
        let s = standing(&k, &ParticipantFacts { now: late, window: Some(&closing), ..facts(&w) });
        assert!(matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "ElectionWindowClosed"));
        assert_eq!(
            standing(
                &k,
                &ParticipantFacts {
                    now: late,
                    window: Some(&closing),
                    determination: Some(Determination::with_status(LowVolumeStatus::MipsEligible)),
                    ..facts(&w)
                }
            ),
            ParticipantStanding::MipsEligible
        );
        let after = Timestamp(closing.submission_closes_at.0);
        let s = standing(
            &k,
            &ParticipantFacts {
                now: after,
                window: Some(&closing),
                determination: Some(Determination::with_status(LowVolumeStatus::MipsEligible)),
                ..facts(&w)
            },
        );
        assert!(matches!(&s, ParticipantStanding::CannotSubmit { code, .. } if code == "SubmissionWindowClosed"));
    }

    fn entity(kind: EntityType, id: &str) -> EntityKey {
        EntityKey::new(kind, crate::domain::EntityId::parse(id).unwrap()).unwrap()
    }

    #[test]
    fn entities_named_by_id_need_no_election_and_a_virtual_group_must_be_known() {
        let w = window();
        let f = EntityFacts {
            known_virtual_group: true,
            window: Some(&w),
            year: w.performance_year,
            now: Timestamp(1_790_000_000_000),
        };
        let vg = entity(EntityType::VirtualGroup, "VG-2026-0001");
        assert_eq!(entity_standing(&vg, &f), ParticipantStanding::VirtualGroupData);
        let unknown = entity_standing(&vg, &EntityFacts { known_virtual_group: false, ..f.clone() });
        match &unknown {
            ParticipantStanding::CannotSubmit { code, reason } => {
                assert_eq!(code, "UnknownVirtualGroup");
                assert!(
                    reason.starts_with("No virtual group with this ID is in the performance year 2026"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        let apm = entity(EntityType::Apm, "A1234");
        let s = entity_standing(&apm, &f);
        assert_eq!(s, ParticipantStanding::ApmEntityData);
        assert!(s.needs_no_election() && !s.voluntary_without_election());
        assert!(s.no_election_reason().unwrap().contains("no election is made for an APM Entity"));
        assert_eq!(decide(&apm, &s, None, false), Ok(UploadAction::Store { record: None }));
        assert_eq!(decide(&apm, &s, Some(ElectionChoice::OptIn), false).unwrap_err().code, "EntityCannotElect");
        let sub = entity(EntityType::Subgroup, "SG-1");
        assert_eq!(entity_standing(&sub, &f), ParticipantStanding::SubgroupData);
        assert!(ParticipantStanding::SubgroupData.no_election_reason().unwrap().contains("registration"));
        // After the submission window closes no entity's data is accepted.
        let after = EntityFacts { now: w.submission_closes_at, ..f.clone() };
        for key in [&vg, &apm, &sub] {
            assert!(
                matches!(entity_standing(key, &after), ParticipantStanding::CannotSubmit { code, .. } if code == "SubmissionWindowClosed")
            );
        }
        // A hand-made key for a group is refused rather than trusted.
        let wrong =
            EntityKey { entity_type: EntityType::Group, entity_id: crate::domain::EntityId::parse("X").unwrap() };
        assert!(
            matches!(entity_standing(&wrong, &f), ParticipantStanding::CannotSubmit { code, .. } if code == "EntityNamedById")
        );
    }

    #[test]
    fn decide_applies_choices() {
        let k = key(Some("1103000012"));
        let needs = ParticipantStanding::NeedsElection;
        let e = decide(&k, &needs, None, true).unwrap_err();
        assert_eq!(e.code, "ElectionRequired");
        assert!(e.message.contains("TIN/NPI 103000013/1103000012"), "{}", e.message);
        assert_eq!(decide(&k, &needs, Some(ElectionChoice::NoDecision), false), Ok(UploadAction::Skip));
        assert_eq!(
            decide(&k, &needs, Some(ElectionChoice::OptIn), false),
            Ok(UploadAction::Store { record: Some(Election::OptIn) })
        );
        let done = ParticipantStanding::AlreadyElected { election: Election::OptIn };
        assert_eq!(decide(&k, &done, None, false), Ok(UploadAction::Store { record: None }));
        assert_eq!(decide(&k, &done, Some(ElectionChoice::OptIn), false), Ok(UploadAction::Store { record: None }));
        assert_eq!(
            decide(&k, &done, Some(ElectionChoice::NoDecision), false),
            Ok(UploadAction::Skip),
            "No Decision is never stored"
        );
        assert_eq!(
            decide(&k, &ParticipantStanding::MipsEligible, Some(ElectionChoice::NoDecision), false),
            Ok(UploadAction::Skip)
        );
        assert_eq!(
            decide(&k, &done, Some(ElectionChoice::ReportVoluntarily), false).unwrap_err().code,
            "ElectionAlreadyMade"
        );
        assert_eq!(
            decide(&k, &ParticipantStanding::MipsEligible, Some(ElectionChoice::OptIn), false).unwrap_err().code,
            "AlreadyMipsEligible"
        );
        let cannot = ParticipantStanding::CannotSubmit { code: "ApmEntity".into(), reason: "an APM Entity".into() };
        assert_eq!(decide(&k, &cannot, None, false).unwrap_err().code, "ParticipantCannotBeSubmitted");
        assert_eq!(decide(&k, &cannot, None, true), Ok(UploadAction::Skip));
    }

    #[test]
    fn no_app_data_for_voluntary_reporters() {
        let k = key(None);
        let r = app_refusal(&k, true, true, "app1").unwrap();
        assert_eq!(r.code, "VoluntaryReportingThroughApp");
        assert!(r.message.ends_with("remove its app1 data or choose Opt-In."), "{}", r.message);
        let r = app_refusal(&k, true, false, "app1").unwrap();
        assert!(r.message.ends_with("remove its app1 data."), "no Opt-In for one that can't elect: {}", r.message);
        assert!(app_refusal(&k, false, false, "appPlus").is_none());
        assert!(app_refusal(&k, true, false, "mips").is_none());
        assert!(app_refusal(&k, false, false, "app1").is_none(), "MIPS eligible: no election, APP allowed");
    }

    #[test]
    fn counts_and_wording() {
        let c = ChoiceCounts::of([ElectionChoice::OptIn, ElectionChoice::OptIn, ElectionChoice::NoDecision]);
        assert_eq!((c.no_decision, c.voluntary, c.opt_in), (1, 0, 2));
        let y = PerformanceYear::new(2021).unwrap();
        assert!(ElectionChoice::OptIn.explanation(y).ends_with("payment adjustment in 2023."));
        assert_eq!(serde_json::to_string(&ElectionChoice::ReportVoluntarily).unwrap(), "\"VOLUNTARY\"");
        assert_eq!(serde_json::to_string(&ElectionChoice::NoDecision).unwrap(), "\"NO_DECISION\"");
    }

    #[test]
    fn filter_by_tin_npi_or_name() {
        assert!(matches_filter("", "103000013", None, "x"));
        assert!(matches_filter("10300", "103000013", None, "x"));
        assert!(matches_filter("1103000012", "103000013", Some("1103000012"), "x"));
        assert!(!matches_filter("999", "103000013", Some("1103000012"), "x"));
        assert!(matches_filter("pazder", "103000013", None, "Pazderová, Dudek"));
        assert!(!matches_filter("riverside", "103000013", None, "Pazderová"));
    }
}
