//! Builds what the screens show from stored rows, with the domain's rules. One function serves
//! practices (group) and clinicians (individual), so both follow the same rules.

use super::error::ApiError;
use super::store::{ClinicianRow, ElectionRow, PathwayRow, PracticeRow};
use crate::api::{Address, ClinicianCard, ElectionAvailability, ElectionRecord, EntityEligibility, PathwayRecord, PracticeCard};
use crate::domain::lvt::LowVolumeAssessment;
use crate::domain::{check_can_elect, low_volume_threshold, offered_pathways, ElectionWindow, EntityKind, ParticipationStatus, PerformanceYear, SpecialStatus, Timestamp, VolumeFigures};

pub fn election_record(e: &ElectionRow) -> ElectionRecord {
    ElectionRecord {
        performance_year: e.performance_year,
        tin: e.tin.clone(),
        npi: e.npi.clone(),
        election: e.election,
        elected_at: e.elected_at,
        elected_by: e.elected_by.clone(),
        channel: e.channel,
    }
}

pub fn pathway_record(p: &PathwayRow) -> PathwayRecord {
    PathwayRecord { pathway: p.pathway, chosen_at: p.chosen_at, chosen_by: p.chosen_by.clone() }
}

/// The facts every entity card needs, whatever the entity.
pub struct EntityFacts<'a> {
    pub kind: EntityKind,
    pub year: PerformanceYear,
    pub figures: VolumeFigures,
    pub special_statuses: &'a [SpecialStatus],
    pub mips_apm_participant: bool,
    pub election: Option<&'a ElectionRow>,
    pub pathway: Option<&'a PathwayRow>,
}

pub fn eligibility(f: EntityFacts<'_>, window: Option<&ElectionWindow>, now: Timestamp) -> Result<EntityEligibility, ApiError> {
    let threshold = low_volume_threshold(f.year).ok_or_else(|| {
        tracing::error!(year = %f.year, "no low-volume threshold for a year with data");
        ApiError::internal()
    })?;
    let assessment = LowVolumeAssessment::of(&f.figures, &threshold);
    let lv = assessment.status();
    let can_elect = match f.election {
        Some(e) => ElectionAvailability {
            allowed: false,
            reason: Some(format!("An election to {} was made on {}. Elections are final.", e.election.label(), e.elected_at.format_eastern())),
        },
        None => match check_can_elect(f.kind, lv, window, f.year, now) {
            Ok(()) => ElectionAvailability { allowed: true, reason: None },
            Err(r) => ElectionAvailability { allowed: false, reason: Some(r.reason()) },
        },
    };
    let election = f.election.map(|e| e.election);
    Ok(EntityEligibility {
        figures: f.figures,
        threshold,
        assessment,
        low_volume_status: lv,
        status: ParticipationStatus::of(lv, election),
        status_explanation: lv.explanation(&assessment),
        special_statuses: f.special_statuses.to_vec(),
        mips_apm_participant: f.mips_apm_participant,
        election: f.election.map(election_record),
        can_elect,
        pathway: f.pathway.map(pathway_record),
        offered_pathways: if f.pathway.is_some() { vec![] } else { offered_pathways(f.mips_apm_participant, lv, election) },
    })
}

/// The kind of entity for the election rules: a TIN in a virtual group elects through the
/// virtual group, whether as a group or as individuals.
pub fn kind_of(individual: bool, in_virtual_group: bool) -> EntityKind {
    match (in_virtual_group, individual) {
        (true, _) => EntityKind::VirtualGroup,
        (false, true) => EntityKind::Individual,
        (false, false) => EntityKind::Group,
    }
}

pub fn practice_card(p: &PracticeRow, election: Option<&ElectionRow>, pathway: Option<&PathwayRow>, clinicians: i64, in_vg: bool, window: Option<&ElectionWindow>, now: Timestamp) -> Result<PracticeCard, ApiError> {
    let facts = EntityFacts {
        kind: kind_of(false, in_vg),
        year: p.performance_year,
        figures: VolumeFigures { allowed_charges_cents: p.allowed_charges_cents, medicare_patients: p.medicare_patients, covered_services: p.covered_services },
        special_statuses: &p.special_statuses,
        mips_apm_participant: p.mips_apm_participant,
        election,
        pathway,
    };
    Ok(PracticeCard {
        performance_year: p.performance_year,
        tin: p.tin.clone(),
        name: p.name.clone(),
        address: Address { line1: p.address_line1.clone(), city: p.city.clone(), state: p.state.clone(), zip: p.zip.clone() },
        clinician_count: clinicians,
        is_demo: p.is_demo,
        eligibility: eligibility(facts, window, now)?,
    })
}

pub fn clinician_card(c: &ClinicianRow, practice_name: &str, election: Option<&ElectionRow>, pathway: Option<&PathwayRow>, in_vg: bool, window: Option<&ElectionWindow>, now: Timestamp) -> Result<ClinicianCard, ApiError> {
    let facts = EntityFacts {
        kind: kind_of(true, in_vg),
        year: c.performance_year,
        figures: VolumeFigures { allowed_charges_cents: c.allowed_charges_cents, medicare_patients: c.medicare_patients, covered_services: c.covered_services },
        special_statuses: &c.special_statuses,
        mips_apm_participant: c.mips_apm_participant,
        election,
        pathway,
    };
    Ok(ClinicianCard {
        performance_year: c.performance_year,
        tin: c.tin.clone(),
        npi: c.npi.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        practice_name: practice_name.to_string(),
        is_demo: c.is_demo,
        eligibility: eligibility(facts, window, now)?,
    })
}
