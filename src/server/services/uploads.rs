//! A registry upload, end to end on the server: read and re-check the files
//! (`upload_files`), re-check every election rule for every participant against fresh data
//! (`domain::registry::decide`), then store the upload, the elections with their audit rows and
//! the measurement sets in one transaction (`store::uploads`) — or nothing.

use super::registry::{ClientData, RegistryCaller};
use super::upload_files::{idempotency_key, read_files, FilesRead, ReceivedUpload, Refused};
use super::years::require_threshold;
use crate::api::{
    ElectionChannel, FileFormat, RecordedElection, SkippedParticipant, UploadResponse, UploadedFile, MAX_ERROR_DETAILS,
};
use crate::domain::registry::{
    app_refusal, decide, ElectionChoice, ParticipantKey, ParticipantStanding, Submitter, UploadAction,
};
use crate::domain::{check_confirmation, Election};
use crate::server::http::error::ApiError;
use crate::server::secrets::{random_token, sha256_hex};
use crate::server::state::AppState;
use crate::server::store::elections::NewElection;
use crate::server::store::uploads::{NewMeasurementSet, NewUploadFile, UploadOutcome, UploadPlan};
use axum::http::HeaderMap;
use std::collections::{HashMap, HashSet};

/// What an upload did: stored now (`true`) or answered from an earlier identical upload.
pub type Uploaded = (bool, UploadResponse);

pub async fn upload(
    state: &AppState, c: &RegistryCaller, headers: &HeaderMap, upload: ReceivedUpload,
) -> Result<Uploaded, ApiError> {
    // Idempotency: a repeat of a committed upload gets the first answer, before any work.
    let key = idempotency_key(headers, &upload)?;
    if let Some(summary) = state.store.upload_summary(&c.registry.registry_id, &key).await? {
        return replay(&summary);
    }
    let now = state.now();
    let read = read_files(state, &upload, now).await?;
    require_threshold(upload.manifest.performance_year)?;
    let participants = read.found.keys().filter_map(|s| s.participant().cloned());
    let data = ClientData::load(state, upload.manifest.performance_year, participants).await?;
    let decided = decide_all(c, &upload, read, &data);
    if decided.refusals.is_empty() && decided.participants_stored == 0 {
        return Err(ApiError::unprocessable(
            "NothingToStore",
            "No participant's data in these files can be stored: every participant was left at No Decision or can't be submitted (see the lookup). Nothing was stored.",
        ));
    }
    if !decided.refusals.is_empty() {
        return Err(refused(decided.refusals));
    }
    if !decided.elections.is_empty() {
        check_confirmation(&upload.manifest.confirmation).map_err(|e| {
            ApiError::unprocessable(
                "ConfirmationRequired",
                format!("{} The upload records elections, which are final.", e.message()),
            )
            .with_detail("$.confirmation", e.message())
        })?;
    }
    let (plan, response) = plan(c, &upload, key, decided, now)?;
    match state.store.commit_upload(&plan, state.config.fail_upload_after_sets).await? {
        UploadOutcome::Committed => Ok((true, response)),
        UploadOutcome::Replayed(summary) => replay(&summary),
        UploadOutcome::ElectionRace { existing } => Err(super::elections::participant_conflict(&existing)),
    }
}

fn replay(summary: &str) -> Result<Uploaded, ApiError> {
    let mut r: UploadResponse = serde_json::from_str(summary).map_err(ApiError::internal_because)?;
    r.replayed = true;
    Ok((false, r))
}

/// Every refusal named; the first in the message. A lone missing election keeps its own code.
fn refused(refusals: Vec<Refused>) -> ApiError {
    let n = refusals.len();
    let more = if n > 1 { format!(" ({} more below.)", n - 1) } else { String::new() };
    let kind = if n == 1 && refusals[0].code == "ElectionRequired" { "ElectionRequired" } else { "UploadRefused" };
    let mut e = ApiError::unprocessable(kind, format!("{}{more} Nothing was stored.", refusals[0].message));
    for r in refusals.into_iter().take(MAX_ERROR_DETAILS) {
        e = e.with_detail(&r.path, r.message);
    }
    e
}

/// The outcome of applying every choice to every participant's standing.
struct Decided {
    read: FilesRead,
    refusals: Vec<Refused>,
    skipped: Vec<SkippedParticipant>,
    elections: Vec<NewElection>,
    sets: Vec<NewMeasurementSet>,
    participants_stored: usize,
    /// Per file: submitters and sets stored.
    per_file: Vec<(HashSet<Submitter>, usize)>,
}

/// The manifest's choices, each named once and for a participant the files hold.
fn choices(
    upload: &ReceivedUpload, read: &FilesRead, refusals: &mut Vec<Refused>,
) -> HashMap<ParticipantKey, ElectionChoice> {
    let mut choices = HashMap::new();
    for (i, ch) in upload.manifest.elections.iter().enumerate() {
        let path = format!("$.elections[{i}]");
        if !read.found.contains_key(&Submitter::Participant(ch.key())) {
            let message = format!("The elections name {} but no file in this upload holds data for it. Make elections without data through the elections API.", ch.key());
            refusals.push(Refused { path: path.clone(), message, code: "NoDataForElection" });
        }
        if choices.insert(ch.key(), ch.election).is_some() {
            let message = format!("The elections name {} twice.", ch.key());
            refusals.push(Refused { path, message, code: "ElectionNamedTwice" });
        }
    }
    choices
}

fn decide_all(c: &RegistryCaller, upload: &ReceivedUpload, mut read: FilesRead, data: &ClientData) -> Decided {
    let mut refusals = std::mem::take(&mut read.refusals);
    let skipped = std::mem::take(&mut read.skipped);
    let choices = choices(upload, &read, &mut refusals);
    let year = upload.manifest.performance_year;
    let mut d = Decided {
        per_file: vec![(HashSet::new(), 0); upload.files.len()],
        read,
        refusals,
        skipped,
        elections: vec![],
        sets: vec![],
        participants_stored: 0,
    };
    for (submitter, fd) in &d.read.found {
        let (st, decided) = match submitter {
            Submitter::Participant(key) => {
                let (_, st) = data.standing(key, Some(key.entity_type()));
                let decided = decide(key, &st, choices.get(key).copied(), upload.manifest.skip_unsubmittable);
                (st, decided)
            }
            // Entities never elect here, and the manifest's choices can only name participants.
            Submitter::Entity(key) => {
                let (_, st) = data.entity_standing(key);
                let decided = decide(key, &st, None, upload.manifest.skip_unsubmittable);
                (st, decided)
            }
        };
        match decided {
            Err(r) => d.refusals.push(Refused { path: submitter.to_string(), message: r.message, code: r.code }),
            Ok(UploadAction::Skip) => d.skipped.push(SkippedParticipant {
                participant: submitter.to_string(),
                reason: match &st {
                    ParticipantStanding::CannotSubmit { reason, .. } => reason.clone(),
                    _ => "No Decision: the data was not uploaded and the participant remains MIPS exempt.".into(),
                },
            }),
            Ok(UploadAction::Store { record }) => {
                if let (Some(election), Some(key)) = (record, submitter.participant()) {
                    d.elections.push(c.election(year, key, election, ElectionChannel::RegistryUpload, data.now()));
                }
                let without_election = st.voluntary_without_election();
                if let Some(key) = submitter.participant() {
                    let voluntary =
                        without_election || record.or(data.election_of(key)) == Some(Election::ReportVoluntarily);
                    let choosing_now = record == Some(Election::ReportVoluntarily);
                    if let Some(r) = fd
                        .sets
                        .iter()
                        .find_map(|(_, set)| app_refusal(key, voluntary, choosing_now, &set.row.set.program_name))
                    {
                        d.refusals.push(Refused { path: key.to_string(), message: r.message, code: r.code });
                    }
                }
                d.participants_stored += 1;
                for (fi, set) in &fd.sets {
                    d.per_file[*fi].0.insert(submitter.clone());
                    d.per_file[*fi].1 += 1;
                    let mut set = set.clone();
                    set.row.voluntary_without_election = without_election;
                    d.sets.push(set);
                }
            }
        }
    }
    d
}

/// The rows to write and the answer to give, built before the transaction.
fn plan(
    c: &RegistryCaller, upload: &ReceivedUpload, idempotency_key: String, d: Decided, now: crate::domain::Timestamp,
) -> Result<(UploadPlan, UploadResponse), ApiError> {
    let upload_id = format!("upl_{}", &random_token()[..24]);
    let formats = &d.read.formats;
    let (uploaded, files): (Vec<UploadedFile>, Vec<NewUploadFile>) = upload
        .files
        .iter()
        .zip(formats)
        .zip(&d.per_file)
        .map(|((f, &format), (participants, sets))| {
            let sha256 = sha256_hex(&f.bytes);
            let answer = UploadedFile {
                name: f.name.clone(),
                format,
                bytes: f.bytes.len() as u64,
                sha256: sha256.clone(),
                participants_stored: participants.len(),
                measurement_sets_stored: *sets,
            };
            // A QRDA III file is kept whole until it can be converted; QPP JSON sets are stored.
            let content = if format == FileFormat::QrdaIii && *sets > 0 {
                String::from_utf8_lossy(&f.bytes).into_owned()
            } else {
                String::new()
            };
            (answer, NewUploadFile { name: f.name.clone(), format, bytes: f.bytes.len() as i64, sha256, content })
        })
        .unzip();
    let response = UploadResponse {
        upload_id: upload_id.clone(),
        performance_year: upload.manifest.performance_year,
        created_at: now,
        replayed: false,
        files: uploaded,
        elections_recorded: d
            .elections
            .iter()
            .map(|e| RecordedElection { tin: e.tin.clone(), npi: e.npi.clone(), election: e.election })
            .collect(),
        participants_stored: d.participants_stored,
        skipped: d.skipped,
    };
    let plan = UploadPlan {
        upload_id,
        registry_id: c.registry.registry_id.clone(),
        performance_year: upload.manifest.performance_year,
        idempotency_key,
        created_at: now,
        created_by: c.actor_name.clone(),
        channel: if c.by_token { ElectionChannel::Api } else { ElectionChannel::Web },
        summary: serde_json::to_string(&response).map_err(ApiError::internal_because)?,
        elections: d.elections,
        files,
        sets: d.sets,
    };
    Ok((plan, response))
}
