//! What a registry reads and elects without uploading: Registry Submission Details, and
//! elections sent by programs (through the API token) or by staff, under the same rules as an
//! upload (`domain::registry::decide`).

use super::registry::{ClientData, RegistryCaller};
use super::years::require_threshold;
use crate::api::{
    ElectionChannel, ParticipantSubmission, RecordedElection, RegistryElectionsRequest, RegistryElectionsResponse,
    RegistrySubmissionsResponse, MAX_ERROR_DETAILS, MAX_LOOKUP,
};
use crate::domain::registry::{decide, ParticipantKey, ParticipantStanding};
use crate::domain::{check_confirmation, EntityType, PerformanceYear};
use crate::server::http::error::ApiError;
use crate::server::state::AppState;
use std::collections::HashSet;

/// The registry's stored submissions for a year, one entry per participant with its sets.
pub async fn submissions_view(
    state: &AppState, c: RegistryCaller, year: PerformanceYear,
) -> Result<RegistrySubmissionsResponse, ApiError> {
    let id = &c.registry.registry_id;
    let rows = state.store.registry_sets(id, year).await?;
    let data =
        ClientData::load(state, year, rows.iter().map(|r| ParticipantKey { tin: r.tin.clone(), npi: r.npi.clone() }))
            .await?;
    let mut participants: Vec<ParticipantSubmission> = vec![];
    for r in rows {
        match participants.last_mut() {
            Some(p) if p.tin == r.tin && p.npi == r.npi => p.measurement_sets.push(r.set),
            _ => {
                let key = ParticipantKey { tin: r.tin.clone(), npi: r.npi.clone() };
                participants.push(ParticipantSubmission {
                    name: data.name_of(&key),
                    election: data.election_of(&key),
                    voluntary_without_election: r.voluntary_without_election,
                    tin: r.tin,
                    npi: r.npi,
                    entity_type: r.entity_type,
                    measurement_sets: vec![r.set],
                })
            }
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
        registry: c.registry,
    })
}

/// Records every election or none; `(true, …)` when any was recorded now.
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
    let (mut refusals, mut new, mut already, mut conflicts) = (vec![], vec![], vec![], vec![]);
    let mut seen = HashSet::new();
    for (i, ch) in req.elections.iter().enumerate() {
        let key = ch.key();
        let path = format!("$.elections[{i}]");
        if !seen.insert(key.clone()) {
            refusals.push((path, format!("{key} is named twice.")));
            continue;
        }
        let Some(election) = ch.election.election() else {
            refusals.push((path, format!("{key}: No Decision records nothing; leave it out.")));
            continue;
        };
        let entity_type = if key.npi.is_some() { EntityType::Individual } else { EntityType::Group };
        let (_, st) = data.standing(&key, Some(entity_type));
        match (&st, decide(&key, &st, Some(ch.election), false)) {
            // A different election is recorded: 409 naming it, as on every election endpoint.
            (ParticipantStanding::AlreadyElected { .. }, Err(_)) => match data.election_record(&key) {
                Some(existing) => conflicts.push(existing.clone()),
                None => refusals.push((path, format!("{key} already has another election."))),
            },
            (_, Err(r)) => refusals.push((path, r.message)),
            (ParticipantStanding::AlreadyElected { .. }, Ok(_)) => {
                already.push(RecordedElection { tin: key.tin.clone(), npi: key.npi.clone(), election })
            }
            (_, Ok(_)) => {
                let channel = if c.by_token { ElectionChannel::Api } else { ElectionChannel::Web };
                new.push(c.election(year, &key, election, channel, data.now()))
            }
        }
    }
    if let Some(existing) = conflicts.first() {
        return Err(super::elections::participant_conflict(existing));
    }
    if !refusals.is_empty() {
        let mut e = ApiError::unprocessable("ElectionRefused", format!("{} Nothing was recorded.", refusals[0].1));
        for (p, m) in refusals.into_iter().take(MAX_ERROR_DETAILS) {
            e = e.with_detail(&p, m);
        }
        return Err(e);
    }
    let made = match state.store.record_elections(&new).await? {
        Ok(made) => made,
        Err(existing) => return Err(super::elections::participant_conflict(&existing)),
    };
    // One recorded meanwhile with the same choice (a concurrent retry) is reported as already made.
    let mut recorded = vec![];
    for (e, now) in new.iter().zip(made) {
        let r = RecordedElection { tin: e.tin.clone(), npi: e.npi.clone(), election: e.election };
        if now {
            recorded.push(r)
        } else {
            already.push(r)
        }
    }
    Ok((!recorded.is_empty(), RegistryElectionsResponse { recorded, already_made: already }))
}
