//! Builds what the screens show from stored rows, with the domain's rules. One function serves
//! practices (group) and clinicians (individual), so both follow the same rules.

use crate::api::{
    Address, ClinicianCard, ElectionAvailability, ElectionRecord, EntityEligibility, PathwayRecord, PracticeCard,
};
use crate::domain::lvt::{LowVolumeAssessment, LowVolumeStatus};
use crate::domain::{
    check_can_elect, offered_pathways, ElectionWindow, EntityKind, ParticipationStatus, PerformanceYear, Timestamp,
};
use crate::server::http::error::ApiError;
use crate::server::services::years::require_threshold;
use crate::server::store::clinicians::ClinicianRow;
use crate::server::store::pathways::PathwayRow;
use crate::server::store::practices::{EligibilityFacts, PracticeRow};

pub fn pathway_record(p: &PathwayRow) -> PathwayRecord {
    PathwayRecord {
        pathway: p.pathway,
        chosen_at: p.chosen_at,
        chosen_by: p.chosen_by.clone(),
        earlier_choices: (p.choice_number - 1).max(0) as u32,
    }
}

/// What a card needs besides the entity's own row: its election and pathway, whether its TIN
/// is in a virtual group, the year's window, and now.
#[derive(Clone, Copy)]
pub struct CardContext<'a> {
    pub election: Option<&'a ElectionRecord>,
    pub pathway: Option<&'a PathwayRow>,
    pub in_virtual_group: bool,
    pub window: Option<&'a ElectionWindow>,
    pub now: Timestamp,
}

/// What a card says of an entity's eligibility: a clinician (`individual`) or a practice.
fn eligibility(
    individual: bool, year: PerformanceYear, f: &EligibilityFacts, cx: CardContext<'_>,
) -> Result<EntityEligibility, ApiError> {
    let threshold = require_threshold(year)?;
    let figures = f.figures();
    let assessment = LowVolumeAssessment::of(&figures, &threshold);
    // CMS's determination decides; the figures, when provided, only explain it.
    let lv = f.determination.status();
    let kind = EntityKind::of(individual, cx.in_virtual_group);
    let can_elect = match cx.election {
        Some(e) => ElectionAvailability {
            allowed: false,
            never: true,
            reason: Some(format!(
                "An election to {} was made on {}. Elections are final.",
                e.election.label(),
                e.elected_at.format_eastern()
            )),
        },
        None => match check_can_elect(kind, f.determination, cx.window, year, cx.now) {
            Ok(()) => ElectionAvailability { allowed: true, reason: None, never: false },
            Err(r) => ElectionAvailability { allowed: false, never: r.is_about_the_entity(), reason: Some(r.reason()) },
        },
    };
    let election = cx.election.map(|e| e.election);
    // As the server decides it (`services::elections`): no window, no deadline to pass.
    let submission_open = cx.window.is_none_or(|w| w.check_submission_open(cx.now).is_ok());
    Ok(EntityEligibility {
        determination: f.determination,
        figures,
        threshold,
        assessment,
        low_volume_status: lv,
        status: ParticipationStatus::of(lv, election),
        status_explanation: explanation(f, &assessment, cx.election),
        figures_provided: f.figures_provided,
        special_statuses: f.special_statuses.clone(),
        mips_apm_participant: f.mips_apm_participant,
        election: cx.election.cloned(),
        can_elect,
        pathway: cx.pathway.map(pathway_record),
        // A choice may be made or changed only while data can be submitted (the server refuses
        // it after that), so nothing is offered once the submission window has closed.
        offered_pathways: if !submission_open {
            vec![]
        } else {
            offered_pathways(year, f.mips_apm_participant, lv, election)
        },
    })
}

/// CMS's status in words; an election made before a later data run stopped calling the entity
/// opt-in eligible stands, and the card says so.
fn explanation(f: &EligibilityFacts, assessment: &LowVolumeAssessment, election: Option<&ElectionRecord>) -> String {
    let said = f.determination.explanation(f.figures_provided.then_some(assessment));
    match election {
        Some(e) if f.determination.status() != LowVolumeStatus::OptInEligible => format!(
            "{said} The election to {} made on {} stands: elections are final, and a later data run does not undo one.",
            e.election.label(),
            e.elected_at.format_eastern()
        ),
        _ => said,
    }
}

pub fn practice_card(p: &PracticeRow, clinicians: i64, cx: CardContext<'_>) -> Result<PracticeCard, ApiError> {
    Ok(PracticeCard {
        performance_year: p.performance_year,
        tin: p.tin.clone(),
        name: p.name.clone(),
        address: Address {
            line1: p.address_line1.clone(),
            city: p.city.clone(),
            state: p.state.clone(),
            zip: p.zip.clone(),
        },
        clinician_count: clinicians,
        is_demo: p.facts.is_demo,
        eligibility: eligibility(false, p.performance_year, &p.facts, cx)?,
    })
}

pub fn clinician_card(c: &ClinicianRow, practice_name: &str, cx: CardContext<'_>) -> Result<ClinicianCard, ApiError> {
    Ok(ClinicianCard {
        performance_year: c.performance_year,
        tin: c.tin.clone(),
        npi: c.npi.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        practice_name: practice_name.to_string(),
        is_demo: c.facts.is_demo,
        eligibility: eligibility(true, c.performance_year, &c.facts, cx)?,
    })
}
