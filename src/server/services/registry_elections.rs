//! What a registry reads and elects without uploading: Registry Submission Details, and
//! elections sent by programs (through the API token) or by staff, under the same rules as an
//! upload (`domain::registry::decide`).

use super::registry::{ClientData, RegistryCaller};
use super::years::require_threshold;
use crate::api::{
    ElectionChannel, ElectionRecord, EntitySubmission, ParticipantSubmission, RecordedElection, RefusedElection,
    RegistryElectionsRequest, RegistryElectionsResponse, RegistrySubmissionsResponse, MAX_ERROR_DETAILS, MAX_LOOKUP,
};
use crate::domain::registry::{decide, ParticipantStanding, Submitter};
use crate::domain::{check_confirmation, PerformanceYear};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use std::collections::HashSet;

/// The registry's stored submissions for a year, one entry per participant with its sets.
pub async fn submissions_view(
    state: &AppState, c: RegistryCaller, year: PerformanceYear,
) -> Result<RegistrySubmissionsResponse, ApiError> {
    let id = &c.registry.registry_id;
    let rows = state.store.registry_sets(id, year).await?;
    let data = ClientData::load(state, year, rows.iter().filter_map(|r| r.submitter.participant().cloned())).await?;
    let mut participants: Vec<ParticipantSubmission> = vec![];
    let mut entities: Vec<EntitySubmission> = vec![];
    // Rows come ordered by submitter, so each submitter's sets are consecutive.
    for r in rows {
        match r.submitter {
            Submitter::Participant(key) => match participants.last_mut() {
                Some(p) if p.tin == key.tin && p.npi == key.npi => p.measurement_sets.push(r.set),
                _ => participants.push(ParticipantSubmission {
                    name: data.name_of(&key),
                    election: data.election_of(&key),
                    voluntary_without_election: r.voluntary_without_election,
                    entity_type: key.entity_type(),
                    tin: key.tin,
                    npi: key.npi,
                    measurement_sets: vec![r.set],
                }),
            },
            Submitter::Entity(key) => match entities.last_mut() {
                Some(e) if e.entity_type == key.entity_type && e.entity_id == key.entity_id => {
                    e.measurement_sets.push(r.set)
                }
                _ => entities.push(EntitySubmission {
                    name: data.entity_standing(&key).0,
                    entity_type: key.entity_type,
                    entity_id: key.entity_id,
                    measurement_sets: vec![r.set],
                }),
            },
        }
    }
    let window = state.store.window(year).await?;
    Ok(RegistrySubmissionsResponse {
        window_phase: window.as_ref().map(|w| w.phase(data.now())),
        window,
        performance_year: year,
        is_security_official: c.is_security_official,
        api_token: if c.by_token { None } else { state.store.live_api_token(id).await? },
        uploads: state.store.upload_count(id, year).await?,
        participants,
        entities,
        registry: c.registry,
    })
}

/// Records each election the rules allow and answers for each participant (CMS's shape for
/// programs: a list in, an answer per entity out); `(true, …)` when any was recorded now. When
/// none could be recorded or was already made, the whole call is refused: 409 naming the
/// recorded election when one participant has another, else 422 naming each refusal.
pub async fn record_elections(
    state: &AppState, c: &RegistryCaller, req: &RegistryElectionsRequest,
) -> Result<(bool, RegistryElectionsResponse), ApiError> {
    check_confirmation(&req.confirmation).map_err(|e| {
        ApiError::unprocessable("ConfirmationRequired", e.message()).with_detail("$.confirmation", e.message())
    })?;
    if req.elections.is_empty() || req.elections.len() > MAX_LOOKUP {
        return Err(ApiError::unprocessable("NoElections", format!("Name from 1 to {MAX_LOOKUP} elections.")));
    }
    let year = req.performance_year;
    require_threshold(year)?;
    let data = ClientData::load(state, year, req.elections.iter().map(|e| e.key())).await?;
    let (mut refused, mut new, mut already) = (vec![], vec![], vec![]);
    let mut seen = HashSet::new();
    for (i, ch) in req.elections.iter().enumerate() {
        let key = ch.key();
        let refuse = |code: &str, message: String, existing: Option<ElectionRecord>| RefusedElection {
            tin: key.tin.clone(),
            npi: key.npi.clone(),
            path: format!("$.elections[{i}]"),
            code: code.to_string(),
            message,
            existing,
        };
        if !seen.insert(key.clone()) {
            refused.push(refuse("NamedTwice", format!("{key} is named twice; only its first election counts."), None));
            continue;
        }
        let Some(election) = ch.election.election() else {
            refused.push(refuse("NoDecision", format!("{key}: No Decision records nothing; leave it out."), None));
            continue;
        };
        let (_, st) = data.standing(&key, Some(key.entity_type()));
        match (&st, decide(&key, &st, Some(ch.election), false)) {
            // A different election is recorded: named, as on every election endpoint.
            (ParticipantStanding::AlreadyElected { .. }, Err(r)) => {
                refused.push(refuse(r.code, r.message, data.election_record(&key).cloned()))
            }
            (_, Err(r)) => refused.push(refuse(r.code, r.message, None)),
            (ParticipantStanding::AlreadyElected { .. }, Ok(_)) => {
                already.push(RecordedElection { tin: key.tin.clone(), npi: key.npi.clone(), election })
            }
            (_, Ok(_)) => {
                let channel = if c.by_token { ElectionChannel::Api } else { ElectionChannel::Web };
                new.push((format!("$.elections[{i}]"), c.election(year, &key, election, channel, data.now())))
            }
        }
    }
    let elections: Vec<_> = new.iter().map(|(_, e)| e.clone()).collect();
    let outcomes = if elections.is_empty() { vec![] } else { state.store.record_elections(&elections).await? };
    let mut recorded = vec![];
    for ((path, e), outcome) in new.into_iter().zip(outcomes) {
        let r = RecordedElection { tin: e.tin.clone(), npi: e.npi.clone(), election: e.election };
        match outcome {
            Ok(true) => recorded.push(r),
            // The same choice recorded meanwhile (a concurrent retry) is reported as already made.
            Ok(false) => already.push(r),
            Err(existing) => {
                let key = crate::domain::registry::ParticipantKey { tin: e.tin.clone(), npi: e.npi.clone() };
                let message = format!(
                    "{key} already elected to {}. Elections are final and can't be changed.",
                    existing.election.label()
                );
                refused.push(RefusedElection {
                    tin: e.tin,
                    npi: e.npi,
                    path,
                    code: "ElectionAlreadyMade".into(),
                    message,
                    existing: Some(existing),
                });
            }
        }
    }
    if recorded.is_empty() && already.is_empty() {
        return Err(refused_call(refused));
    }
    Ok((!recorded.is_empty(), RegistryElectionsResponse { recorded, already_made: already, refused }))
}

/// Every participant refused: 409 when one has another election (naming it), else 422.
fn refused_call(mut refused: Vec<RefusedElection>) -> ApiError {
    refused
        .sort_by_key(|r| r.path.trim_start_matches("$.elections[").trim_end_matches(']').parse::<usize>().unwrap_or(0));
    let first = match refused.iter().find_map(|r| r.existing.as_ref()) {
        Some(existing) => super::elections::participant_conflict(existing),
        None => ApiError::unprocessable(
            "ElectionRefused",
            format!("{} Nothing was recorded.", refused.first().map(|r| r.message.as_str()).unwrap_or_default()),
        ),
    };
    refused.into_iter().take(MAX_ERROR_DETAILS).fold(first, |e, r| e.with_detail(&r.path, r.message))
}
