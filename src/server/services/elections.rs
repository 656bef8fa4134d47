//! Making an election and choosing a reporting pathway on the website: every rule checked here,
//! whatever the browser checked, and each decided by `domain`.

use super::cards::pathway_record;
use super::practices::{no_clinician, no_practice, require_connection};
use crate::api::{ElectionChannel, ElectionRecord, ElectionRequest, PathwayRecord, PathwayRequest};
use crate::domain::election::conflict_reason;
use crate::domain::{
    check_can_elect, check_confirmation, check_pathway, resolve_against_existing, Determination, Election,
    ElectionOutcome, EntityKind, Npi, PerformanceYear, Timestamp, Tin,
};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use crate::server::store::elections::{NewElection, RecordOutcome};
use crate::server::store::pathways::NewPathway;

/// Who acts, as the audit trail records it.
pub struct Actor {
    pub user_id: String,
    pub display_name: String,
    pub statement_of_truth_agreed_at: Timestamp,
}

/// CMS's determination of the entity and whether it participates in a MIPS APM: the practice's
/// for a group, the clinician's for an individual.
async fn facts_of(
    state: &AppState, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>,
) -> Result<(Determination, bool), ApiError> {
    let facts = match npi {
        None => state.store.practice(year, tin).await?.map(|p| p.facts).ok_or_else(|| no_practice(tin, year))?,
        Some(n) => {
            state.store.clinician(year, tin, n).await?.map(|c| c.facts).ok_or_else(|| no_clinician(tin, n, year))?
        }
    };
    Ok((facts.determination, facts.mips_apm_participant))
}

/// A different election is recorded for a participant a registry call names: 409, as on
/// `/api/elections`, naming the participant and the recorded election.
pub fn participant_conflict(e: &ElectionRecord) -> ApiError {
    let key = crate::domain::registry::ParticipantKey { tin: e.tin.clone(), npi: e.npi.clone() };
    ApiError::conflict(
        "ElectionAlreadyMade",
        format!(
            "{key}: {} It was made by {}. Nothing was recorded.",
            conflict_reason(e.election, e.elected_at),
            e.elected_by
        ),
    )
}

fn conflict(prior: Election, e: &ElectionRecord) -> ApiError {
    ApiError::conflict(
        "ElectionAlreadyMade",
        format!("{} It was made by {}.", conflict_reason(prior, e.elected_at), e.elected_by),
    )
    .with_detail("$.election", format!("existing election: {} ({})", prior.code(), e.elected_at))
}

/// Records the election; `(true, …)` when made now, `(false, …)` when the same election was
/// already recorded (a harmless retry). A different recorded election is a 409.
pub async fn make_election(
    state: &AppState, actor: &Actor, req: &ElectionRequest,
) -> Result<(bool, ElectionRecord), ApiError> {
    check_confirmation(&req.confirmation)?;
    let (year, tin, npi) = (req.performance_year, &req.tin, req.npi.as_ref());
    require_connection(state, &actor.user_id, tin).await?;
    let (determination, _) = facts_of(state, year, tin, npi).await?;

    // Finality first: a repeat of the recorded election is answered with it, even after the
    // window closed, so that a retry after a lost response is harmless.
    let existing = state.store.election(year, tin, npi).await?;
    match (resolve_against_existing(existing.as_ref().map(|e| e.election), req.election), existing) {
        (ElectionOutcome::AlreadyMade, Some(e)) => return Ok((false, e)),
        (ElectionOutcome::Conflict { existing: prior }, Some(e)) => return Err(conflict(prior, &e)),
        _ => {}
    }

    let now = state.now();
    let in_vg = state.store.virtual_group_tins(year).await?.contains(tin);
    let window = state.store.window(year).await?;
    check_can_elect(EntityKind::of(npi.is_some(), in_vg), determination, window.as_ref(), year, now)?;

    let outcome = state
        .store
        .record_election(&NewElection {
            performance_year: year,
            tin: tin.clone(),
            npi: npi.cloned(),
            election: req.election,
            at: now,
            actor_user_id: actor.user_id.clone(),
            actor_display_name: actor.display_name.clone(),
            channel: ElectionChannel::Web,
            statement_of_truth_agreed_at: actor.statement_of_truth_agreed_at,
        })
        .await?;
    match outcome {
        RecordOutcome::Created(e) => Ok((true, e)),
        // Lost a race with a concurrent request: same rules as above.
        RecordOutcome::Existing(e) if e.election == req.election => Ok((false, e)),
        RecordOutcome::Existing(e) => Err(conflict(e.election, &e)),
    }
}

/// Records the Reporting Option of a MIPS APM participant, first or instead of an earlier one,
/// while data can be submitted; `(true, …)` when recorded now, `(false, …)` when it was already
/// the current choice (a replay, answered even after the window).
pub async fn choose_pathway(
    state: &AppState, actor: &Actor, req: &PathwayRequest,
) -> Result<(bool, PathwayRecord), ApiError> {
    let (year, tin, npi) = (req.performance_year, &req.tin, req.npi.as_ref());
    require_connection(state, &actor.user_id, tin).await?;
    // The pathway answers "no eligibility information" in its own words, whatever is missing.
    let (determination, apm) = facts_of(state, year, tin, npi).await.map_err(|e| {
        if e.status == axum::http::StatusCode::NOT_FOUND {
            let msg = format!("There is no eligibility information for this entity in performance year {year}.");
            ApiError::not_found("NoEligibilityInformation", msg)
        } else {
            e
        }
    })?;
    let lv = determination.status();
    let election = state.store.election(year, tin, npi).await?.map(|e| e.election);
    let existing = state.store.pathway(year, tin, npi).await?;
    if let Some(current) = existing.as_ref().filter(|p| p.pathway == req.pathway) {
        return Ok((false, pathway_record(current)));
    }
    if let Some(Err(closed)) = state.store.window(year).await?.map(|w| w.check_submission_open(state.now())) {
        let reason = format!(
            "A Reporting Option can be chosen or changed only while data can be submitted: {}",
            closed.reason()
        );
        return Err(ApiError::unprocessable("SubmissionWindowClosed", reason));
    }
    check_pathway(year, apm, lv, election, req.pathway).map_err(|r| {
        let reason = r.reason();
        ApiError::from(r).with_detail("$.pathway", reason)
    })?;
    let recorded = state
        .store
        .record_pathway(&NewPathway {
            year,
            tin,
            npi,
            pathway: req.pathway,
            at: state.now(),
            actor_user_id: &actor.user_id,
            actor_name: &actor.display_name,
            replaces: existing.map(|p| p.choice_number),
        })
        .await?;
    match recorded {
        Ok(row) => Ok((true, pathway_record(&row))),
        // Someone else chose at the same moment: the same choice is theirs and ours alike.
        Err(current) if current.pathway == req.pathway => Ok((false, pathway_record(&current))),
        Err(current) => Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "PathwayChangedMeanwhile",
            format!(
                "Someone else changed the Reporting Option at the same moment: it is now {} (by {}). Reload the page and choose again if that is not what you want.",
                current.pathway.label(),
                current.chosen_by
            ),
        )),
    }
}
