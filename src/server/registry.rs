//! The registry workflow's API (issue 5): Registry Submission Details, the participant lookup
//! behind the Election Selection table, the upload (elections and data in one transaction),
//! elections and opt-in reads for programs, and the registry's API token.
//!
//! Every call is made either by a signed-in member of the registry (session cookie + CSRF
//! token) or by a program holding the registry's API token (`Authorization: Bearer …`). Both
//! meet the same rules, decided by `domain::registry`.

use super::auth::{self, CurrentUser};
use super::error::ApiError;
use super::extract::{parse_json, JsonBody};
use super::store::{
    ClinicianRow, NewElection, NewMeasurementSet, NewUploadFile, PracticeRow, UploadOutcome,
    UploadPlan,
};
use super::AppState;
use crate::api::*;
use crate::domain::election::check_confirmation;
use crate::domain::lvt::LowVolumeAssessment;
use crate::domain::registry::{
    app_refusal, decide, entity_label, entity_type_refusal, standing, ParticipantFacts, ParticipantKey,
    ParticipantStanding, UploadAction,
};
use crate::domain::{
    low_volume_threshold, Election, ElectionWindow, Npi, PerformanceYear, Timestamp, Tin,
    VolumeFigures,
};
use crate::qpp::{self, qrda};
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Who is calling for a registry, and through which door.
pub struct RegistryCaller {
    pub registry: RegistrySummary,
    pub actor_id: String,
    pub actor_name: String,
    pub by_token: bool,
    pub is_security_official: bool,
    pub statement_of_truth_agreed_at: Timestamp,
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

async fn load_registry(
    state: &AppState,
    raw: Result<Path<String>, PathRejection>,
) -> Result<RegistrySummary, ApiError> {
    let id = super::routes::path_value(raw)?;
    state.store.registry(&id).await?.ok_or_else(|| {
        ApiError::not_found("NoRegistry", format!("There is no registry with ID {id}."))
    })
}

/// A session member of the registry, or its API token.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
    session: Result<CurrentUser, ApiError>,
    registry: RegistrySummary,
) -> Result<RegistryCaller, ApiError> {
    if let Some(token) = bearer(headers) {
        let (registry_id, created_at, last_four) = state
            .store
            .api_token(&auth::token_hash(&token))
            .await?
            .ok_or_else(|| ApiError::unauthorized("The API token is not valid or has been revoked. Ask the registry's Security Official for the current token.").with_kind("InvalidApiToken"))?;
        if registry_id != registry.registry_id {
            return Err(ApiError::forbidden(
                "TokenNotForRegistry",
                format!(
                    "This API token belongs to another registry, not to {}.",
                    registry.name
                ),
            ));
        }
        return Ok(RegistryCaller {
            actor_id: format!("api-token:{registry_id}:{last_four}"),
            actor_name: format!("{} API token …{last_four}", registry.name),
            registry,
            by_token: true,
            is_security_official: false,
            statement_of_truth_agreed_at: created_at,
        });
    }
    let current = session?;
    let so = state.store.registry_membership(&current.user.user_id, &registry.registry_id).await?.ok_or_else(|| {
        ApiError::forbidden("NotRegistryStaff", format!("You are not connected to {}. Ask the registry's Security Official to connect you to it.", registry.name))
    })?;
    Ok(RegistryCaller {
        actor_id: current.user.user_id.clone(),
        actor_name: current.user.display_name.clone(),
        registry,
        by_token: false,
        is_security_official: so,
        statement_of_truth_agreed_at: current.session.statement_of_truth_agreed_at,
    })
}

/// The registry named in the path and who is calling for it.
async fn registry_caller(state: &AppState, headers: &HeaderMap, session: Result<CurrentUser, ApiError>, raw: Result<Path<String>, PathRejection>) -> Result<RegistryCaller, ApiError> {
    let registry = load_registry(state, raw).await?;
    caller(state, headers, session, registry).await
}

/// What the server knows about the registry's clients in a year, read at once.
struct ClientData {
    clients: HashSet<String>,
    practices: HashMap<String, PracticeRow>,
    clinicians: HashMap<(String, String), ClinicianRow>,
    elections: HashMap<(String, String), Election>,
    in_vg: HashSet<String>,
    window: Option<ElectionWindow>,
}

/// Standings need the year's low-volume threshold; without one no eligibility can be decided.
fn require_threshold(year: PerformanceYear) -> Result<(), ApiError> {
    match low_volume_threshold(year) {
        Some(_) => Ok(()),
        None => Err(ApiError::unprocessable("NoLowVolumeThreshold", format!("No low-volume threshold is known for performance year {year}, so eligibility cannot be decided."))),
    }
}

impl ClientData {
    /// The name from the eligibility data ("" when unknown).
    fn name_of(&self, tin: &Tin, npi: Option<&Npi>) -> String {
        match npi {
            None => self.practices.get(tin.as_str()).map(|p| p.name.clone()),
            Some(n) => self.clinicians.get(&(tin.to_string(), n.to_string())).map(|c| format!("{} {}", c.first_name, c.last_name)),
        }
        .unwrap_or_default()
    }
    fn election_of(&self, tin: &Tin, npi: Option<&Npi>) -> Option<Election> {
        self.elections.get(&(tin.to_string(), npi.map(|n| n.to_string()).unwrap_or_default())).copied()
    }

    async fn load(
        state: &AppState,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<ClientData, ApiError> {
        Ok(ClientData {
            clients: state
                .store
                .registry_client_tins(registry_id)
                .await?
                .into_iter()
                .collect(),
            practices: state
                .store
                .client_practices(registry_id, year)
                .await?
                .into_iter()
                .map(|p| (p.tin.to_string(), p))
                .collect(),
            clinicians: state
                .store
                .client_clinicians(registry_id, year)
                .await?
                .into_iter()
                .map(|c| ((c.tin.to_string(), c.npi.to_string()), c))
                .collect(),
            elections: state
                .store
                .client_elections(registry_id, year)
                .await?
                .into_iter()
                .map(|e| {
                    (
                        (
                            e.tin.to_string(),
                            e.npi.map(|n| n.to_string()).unwrap_or_default(),
                        ),
                        e.election,
                    )
                })
                .collect(),
            in_vg: state
                .store
                .virtual_group_tins(year)
                .await?
                .into_iter()
                .map(|t| t.to_string())
                .collect(),
            window: state.store.window(year).await?,
        })
    }

    /// (name, standing) of one participant.
    fn standing(
        &self,
        key: &ParticipantKey,
        entity_type: &str,
        registry_name: &str,
        year: PerformanceYear,
        now: Timestamp,
    ) -> (String, ParticipantStanding) {
        let threshold = low_volume_threshold(year).expect("checked in load");
        let tin = key.tin.to_string();
        let (name, figures) = match &key.npi {
            None => self
                .practices
                .get(&tin)
                .map(|p| {
                    (
                        p.name.clone(),
                        VolumeFigures {
                            allowed_charges_cents: p.allowed_charges_cents,
                            medicare_patients: p.medicare_patients,
                            covered_services: p.covered_services,
                        },
                    )
                })
                .unzip(),
            Some(n) => self
                .clinicians
                .get(&(tin.clone(), n.to_string()))
                .map(|c| {
                    (
                        format!("{} {}", c.first_name, c.last_name),
                        VolumeFigures {
                            allowed_charges_cents: c.allowed_charges_cents,
                            medicare_patients: c.medicare_patients,
                            covered_services: c.covered_services,
                        },
                    )
                })
                .unzip(),
        };
        let facts = ParticipantFacts {
            entity_type,
            is_client: self.clients.contains(&tin),
            registry_name,
            low_volume: figures.map(|f| LowVolumeAssessment::of(&f, &threshold).status()),
            in_virtual_group: self.in_vg.contains(&tin),
            existing: self.election_of(&key.tin, key.npi.as_ref()),
            window: self.window.as_ref(),
            year,
            now,
        };
        // Names of other organizations' practices are not shown to a registry.
        let name = if facts.is_client {
            name.unwrap_or_default()
        } else {
            String::new()
        };
        (name, standing(key, &facts))
    }
}

// ---- Registry Submission Details ----------------------------------------------------------

#[utoipa::path(get, path = "/api/registries/{registryId}/submissions", tag = "registries",
    params(("registryId" = String, Path), ("year" = Option<u16>, Query, description = "Performance year; the default year when omitted")),
    security((), ("bearer" = [])),
    responses((status = 200, body = RegistrySubmissionsResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn submissions(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<RegistrySubmissionsResponse>, ApiError> {
    let c = registry_caller(&state, &headers, session, raw).await?;
    let year = super::eligibility::year_from_query(&state, uri.query()).await?;
    let id = &c.registry.registry_id;
    let rows = state.store.registry_sets(id, year).await?;
    let data = ClientData::load(&state, id, year).await?;
    let mut participants: Vec<ParticipantSubmission> = vec![];
    for r in rows {
        match participants.last_mut() {
            Some(p) if p.tin == r.tin && p.npi == r.npi => p.measurement_sets.push(r.set),
            _ => participants.push(ParticipantSubmission {
                name: data.name_of(&r.tin, r.npi.as_ref()),
                election: data.election_of(&r.tin, r.npi.as_ref()),
                tin: r.tin,
                npi: r.npi,
                entity_type: r.entity_type,
                measurement_sets: vec![r.set],
            }),
        }
    }
    let window = state.store.window(year).await?;
    Ok(Json(RegistrySubmissionsResponse {
        window_phase: window.as_ref().map(|w| w.phase(state.now())),
        window,
        performance_year: year,
        is_security_official: c.is_security_official,
        api_token: if c.by_token {
            None
        } else {
            state.store.live_api_token(id).await?
        },
        uploads: state.store.upload_count(id, year).await?,
        participants,
        registry: c.registry,
    }))
}

// ---- participant lookup ---------------------------------------------------------------------

/// At most this many participants in one lookup (a registry file may hold 10,000).
pub const MAX_LOOKUP: usize = 100_000;

#[utoipa::path(post, path = "/api/registries/{registryId}/participants", tag = "registries", request_body = ParticipantsLookupRequest,
    params(("registryId" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, description = "Each participant's standing: needs an election, needs none, or can't be submitted (with the reason)", body = ParticipantsLookupResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn participants(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<ParticipantsLookupRequest>,
) -> Result<Json<ParticipantsLookupResponse>, ApiError> {
    let c = registry_caller(&state, &headers, session, raw).await?;
    if req.participants.len() > MAX_LOOKUP {
        return Err(ApiError::unprocessable(
            "TooManyParticipants",
            format!("Look up at most {MAX_LOOKUP} participants at a time."),
        ));
    }
    let year = req.performance_year;
    require_threshold(year)?;
    let data = ClientData::load(&state, &c.registry.registry_id, year).await?;
    let now = state.now();
    let rows = req
        .participants
        .into_iter()
        .map(|p| {
            let key = ParticipantKey {
                tin: p.tin.clone(),
                npi: p.npi.clone(),
            };
            let (name, standing) = data.standing(&key, &p.entity_type, &c.registry.name, year, now);
            ParticipantRow {
                tin: p.tin,
                npi: p.npi,
                entity_type: p.entity_type,
                name,
                standing,
            }
        })
        .collect();
    Ok(Json(ParticipantsLookupResponse {
        performance_year: year,
        registry: c.registry,
        participants: rows,
    }))
}

// ---- upload ---------------------------------------------------------------------------------

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PayloadTooLarge",
        format!(
            "The upload is larger than {} MB, the most one upload may be (each file at most {} MB). Split the files over several uploads. Nothing was stored.",
            MAX_UPLOAD_BYTES / (1024 * 1024),
            qpp::MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request("MalformedUpload", format!("The upload could not be read ({}). Send multipart/form-data with a \"manifest\" part and one \"file\" part per file.", e.body_text()))
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct ReceivedFile {
    name: String,
    bytes: axum::body::Bytes,
}

/// One participant's data found in the files.
struct FoundData {
    entity_type: String,
    sets: Vec<(usize, NewMeasurementSet)>,
}


#[utoipa::path(post, path = "/api/registries/{registryId}/uploads", tag = "registries",
    request_body(content_type = "multipart/form-data", description = "Part \"manifest\" (JSON, UploadManifest) first, then one \"file\" part per QPP JSON or QRDA III file (each at most 64 MB; the whole request at most 128 MB)."),
    params(("registryId" = String, Path), ("idempotency-key" = Option<String>, Header, description = "Repeating a request with the same key returns the first result and stores nothing again; without it the content's hash is the key"), ("x-csrf-token" = Option<String>, Header, description = "Session callers only")),
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Stored: elections and data, in one transaction", body = UploadResponse),
        (status = 200, description = "The same upload was stored before; nothing stored now", body = UploadResponse),
        (status = 400, description = "Malformed multipart or manifest", body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, description = "An election was made meanwhile by someone else", body = ApiErrorBody),
        (status = 413, description = "Over 128 MB, or a file over 64 MB", body = ApiErrorBody),
        (status = 422, description = "A file has errors, the year differs, or a participant needs an election / can't be submitted — each named", body = ApiErrorBody)
    ))]
pub async fn upload(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let c = registry_caller(&state, &headers, session, raw).await?;
    let mut mp = multipart.map_err(|e| ApiError::bad_request("MalformedUpload", format!("{} Send multipart/form-data with a \"manifest\" part and one \"file\" part per file.", e.body_text())))?;

    let mut manifest_bytes = None;
    let mut files: Vec<ReceivedFile> = vec![];
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "manifest" => manifest_bytes = Some(field.bytes().await.map_err(multipart_error)?),
            "file" => {
                let name = field.file_name().map(str::to_string).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("file-{}", files.len() + 1));
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if bytes.len() > qpp::MAX_FILE_BYTES {
                    return Err(too_large().with_detail(&name, format!("{name} is larger than {} MB.", qpp::MAX_FILE_BYTES / (1024 * 1024))));
                }
                files.push(ReceivedFile { name, bytes });
            }
            other => return Err(ApiError::bad_request("MalformedUpload", format!("Unexpected part \"{other}\": send a \"manifest\" part and \"file\" parts only."))),
        }
    }
    let manifest_bytes = manifest_bytes.ok_or_else(|| {
        ApiError::bad_request(
            "MissingManifest",
            "The upload has no \"manifest\" part (JSON with performanceYear and elections).",
        )
    })?;
    let manifest: UploadManifest = parse_json(&manifest_bytes)?;
    if files.is_empty() {
        return Err(ApiError::unprocessable(
            "NoFiles",
            "Add at least one QPP JSON or QRDA III file to upload.",
        ));
    }
    if files.len() > MAX_UPLOAD_FILES {
        return Err(ApiError::unprocessable(
            "TooManyFiles",
            format!("Upload at most {MAX_UPLOAD_FILES} files at a time."),
        ));
    }
    let year = manifest.performance_year;

    // Idempotency: a repeat of a committed upload gets the first answer, before any work.
    // The key is the caller's Idempotency-Key (or none) plus a hash of the content: a repeat of
    // the same request is answered from the first, while the same key sent with different
    // content is a different upload, never silently answered with the first one's result.
    let given = headers.get(IDEMPOTENCY_KEY_HEADER).and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty());
    if given.is_some_and(|k| k.len() > 200) {
        return Err(ApiError::bad_request("InvalidIdempotencyKey", "The Idempotency-Key header may be at most 200 characters."));
    }
    let key = {
        let mut h = Sha256::new();
        h.update(&manifest_bytes);
        for f in &files {
            h.update(f.name.as_bytes());
            h.update([0]);
            h.update(sha256_hex(&f.bytes).as_bytes());
        }
        let hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>();
        match given {
            Some(k) => format!("key:{k}:sha256:{hash}"),
            None => format!("sha256:{hash}"),
        }
    };
    if let Some(summary) = state
        .store
        .upload_summary(&c.registry.registry_id, &key)
        .await?
    {
        return replay(&summary);
    }

    // Re-validate every file with the shared rules, as the browser did.
    let mut found: BTreeMap<ParticipantKey, FoundData> = BTreeMap::new();
    let mut refusals: Vec<(String, String)> = vec![];
    let mut skipped: Vec<SkippedParticipant> = vec![];
    let mut formats = vec![];
    for (fi, f) in files.iter().enumerate() {
        if qrda::looks_like_xml(&f.bytes) {
            formats.push(FileFormat::QrdaIii);
            let s = qrda::read(&f.bytes);
            if let Some(p) = s.problems.first() {
                let mut e = ApiError::unprocessable(
                    "FileHasErrors",
                    format!(
                        "{} is not a usable QRDA III file: {} Nothing was stored.",
                        f.name, p.message
                    ),
                );
                for p in &s.problems {
                    e = e.with_detail(
                        &f.name,
                        format!(
                            "{}{}",
                            p.line.map(|l| format!("line {l}: ")).unwrap_or_default(),
                            p.message
                        ),
                    );
                }
                return Err(e);
            }
            if s.performance_year != Some(year.get() as i64) {
                return Err(year_mismatch(&f.name, s.performance_year, year));
            }
            let et = s.entity_type.clone().unwrap_or_default();
            if refuse_entity_type(&et, entity_label(&et, s.entity_id.as_deref(), s.tin.as_deref(), s.npi.as_deref()), manifest.skip_unsubmittable, &mut skipped, &mut refusals) {
                continue;
            }
            let key = ParticipantKey {
                tin: Tin::parse(s.tin.as_deref().unwrap_or(""))
                    .map_err(|_| ApiError::internal())?,
                npi: s.npi.as_deref().and_then(|n| Npi::parse(n).ok()),
            };
            let program = qrda::program_name_of(s.program_name.as_deref().unwrap_or(""));
            let entry = found.entry(key.clone()).or_insert(FoundData {
                entity_type: et.clone(),
                sets: vec![],
            });
            for sec in &s.sections {
                entry.sets.push((
                    fi,
                    NewMeasurementSet {
                        tin: key.tin.clone(),
                        npi: key.npi.clone(),
                        entity_type: et.clone(),
                        category: sec.category.clone(),
                        submission_method: "electronicHealthRecord".into(),
                        program_name: program.into(),
                        measure_count: sec.measures as i64,
                        source_format: FileFormat::QrdaIii,
                        source_file: f.name.clone(),
                        // Converted to QPP JSON later; the whole file is kept in upload_files.
                        body: String::new(),
                    },
                ));
            }
        } else {
            formats.push(FileFormat::QppJson);
            let report = super::qpp::check_file(&state, f.bytes.clone()).await?;
            if report.errors > 0 {
                let mut e = super::qpp::report_error(&report);
                e.kind = "FileHasErrors".into();
                e.message = format!(
                    "{} has {}. Nothing was stored.",
                    f.name,
                    qpp::rules::plural(report.errors, "error")
                );
                e.details
                    .retain(|d| d.severity != Some(qpp::Severity::Warning));
                e.details.truncate(200);
                for d in &mut e.details {
                    d.message = format!("{}: {}", f.name, d.message);
                }
                return Err(e);
            }
            for sub in &report.submissions {
                if sub.performance_year != Some(year.get() as i64) {
                    return Err(year_mismatch(&f.name, sub.performance_year, year));
                }
                let et = sub.entity_type.clone().unwrap_or_default();
                let label = entity_label(&et, sub.entity_id.as_deref(), sub.taxpayer_identification_number.as_deref(), sub.national_provider_identifier.as_deref());
                if refuse_entity_type(&et, label, manifest.skip_unsubmittable, &mut skipped, &mut refusals) {
                    continue;
                }
                let tin = Tin::parse(sub.taxpayer_identification_number.as_deref().unwrap_or(""))
                    .map_err(|_| ApiError::internal())?;
                let npi = if et == "individual" {
                    sub.national_provider_identifier
                        .as_deref()
                        .and_then(|n| Npi::parse(n).ok())
                } else {
                    None
                };
                let key = ParticipantKey { tin, npi };
                let value: serde_json::Value = serde_json::from_slice(&f.bytes[sub.start..sub.end])
                    .map_err(|_| ApiError::internal())?;
                let entry = found.entry(key.clone()).or_insert(FoundData {
                    entity_type: et.clone(),
                    sets: vec![],
                });
                for set in value
                    .get("measurementSets")
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                {
                    let text = |k: &str| {
                        set.get(k)
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string()
                    };
                    entry.sets.push((
                        fi,
                        NewMeasurementSet {
                            tin: key.tin.clone(),
                            npi: key.npi.clone(),
                            entity_type: et.clone(),
                            category: text("category"),
                            submission_method: text("submissionMethod"),
                            program_name: Some(text("programName"))
                                .filter(|p| !p.is_empty())
                                .unwrap_or_else(|| "mips".into()),
                            measure_count: set
                                .get("measurements")
                                .and_then(|m| m.as_array())
                                .map(|a| a.len())
                                .unwrap_or(0) as i64,
                            source_format: FileFormat::QppJson,
                            source_file: f.name.clone(),
                            body: set.to_string(),
                        },
                    ));
                }
            }
        }
    }

    // Re-check every election rule for every participant, against fresh data.
    require_threshold(year)?;
    let data = ClientData::load(&state, &c.registry.registry_id, year).await?;
    let now = state.now();
    let mut choices: HashMap<ParticipantKey, crate::domain::registry::ElectionChoice> =
        HashMap::new();
    for (i, ch) in manifest.elections.iter().enumerate() {
        if !found.contains_key(&ch.key()) {
            refusals.push((format!("$.elections[{i}]"), format!("The elections name {} but no file in this upload holds data for it. Make elections without data through the elections API.", ch.key())));
        }
        if choices.insert(ch.key(), ch.election).is_some() {
            refusals.push((
                format!("$.elections[{i}]"),
                format!("The elections name {} twice.", ch.key()),
            ));
        }
    }
    let mut elections = vec![];
    let mut sets = vec![];
    let mut stored_participants = 0usize;
    let mut per_file: Vec<(HashSet<ParticipantKey>, usize)> =
        vec![(HashSet::new(), 0); files.len()];
    for (key, fd) in &found {
        let (_, st) = data.standing(key, &fd.entity_type, &c.registry.name, year, now);
        match decide(key, &st, choices.get(key).copied(), manifest.skip_unsubmittable) {
            Err(r) => refusals.push((key.to_string(), r.message)),
            Ok(UploadAction::Skip) => skipped.push(SkippedParticipant {
                participant: key.to_string(),
                reason: match &st {
                    ParticipantStanding::CannotSubmit { reason, .. } => reason.clone(),
                    _ => "No Decision: the data was not uploaded and the participant remains MIPS exempt.".into(),
                },
            }),
            Ok(UploadAction::Store { record }) => {
                if let Some(election) = record {
                    elections.push(NewElection {
                        performance_year: year,
                        tin: key.tin.clone(),
                        npi: key.npi.clone(),
                        election,
                        at: now,
                        actor_user_id: c.actor_id.clone(),
                        actor_display_name: c.actor_name.clone(),
                        channel: ElectionChannel::RegistryUpload,
                        statement_of_truth_agreed_at: c.statement_of_truth_agreed_at,
                    });
                }
                let election = record.or(match &st {
                    ParticipantStanding::AlreadyElected { election } => Some(*election),
                    _ => None,
                });
                for (_, set) in &fd.sets {
                    if let Some(r) = app_refusal(key, election, &set.program_name) {
                        refusals.push((key.to_string(), r.message));
                        break;
                    }
                }
                stored_participants += 1;
                for (fi, set) in &fd.sets {
                    per_file[*fi].0.insert(key.clone());
                    per_file[*fi].1 += 1;
                    sets.push(set.clone());
                }
            }
        }
    }
    if refusals.is_empty() && stored_participants == 0 {
        return Err(ApiError::unprocessable(
            "NothingToStore",
            "No participant's data in these files can be stored: every participant was left at No Decision or can't be submitted (see the lookup). Nothing was stored.",
        ));
    }
    if !refusals.is_empty() {
        let n = refusals.len();
        let first = refusals[0].1.clone();
        let more = if n > 1 {
            format!(" ({} more below.)", n - 1)
        } else {
            String::new()
        };
        let mut e = ApiError::unprocessable(
            if n == 1 && first.contains("has no election") {
                "ElectionRequired"
            } else {
                "UploadRefused"
            },
            format!("{first}{more} Nothing was stored."),
        );
        for (path, msg) in refusals.into_iter().take(500) {
            e = e.with_detail(&path, msg);
        }
        return Err(e);
    }
    if !elections.is_empty() {
        check_confirmation(&manifest.confirmation).map_err(|e| {
            ApiError::unprocessable(
                "ConfirmationRequired",
                format!(
                    "{} The upload records elections, which are final.",
                    e.message()
                ),
            )
            .with_detail("$.confirmation", e.message())
        })?;
    }

    let upload_id = format!("upl_{}", &auth::random_token()[..24]);
    let uploaded: Vec<UploadedFile> = files
        .iter()
        .enumerate()
        .map(|(i, f)| UploadedFile {
            name: f.name.clone(),
            format: formats[i],
            bytes: f.bytes.len() as u64,
            sha256: sha256_hex(&f.bytes),
            participants_stored: per_file[i].0.len(),
            measurement_sets_stored: per_file[i].1,
        })
        .collect();
    let response = UploadResponse {
        upload_id: upload_id.clone(),
        performance_year: year,
        created_at: now,
        replayed: false,
        files: uploaded.clone(),
        elections_recorded: elections
            .iter()
            .map(|e| RecordedElection {
                tin: e.tin.clone(),
                npi: e.npi.clone(),
                election: e.election,
            })
            .collect(),
        participants_stored: stored_participants,
        skipped,
    };
    let plan = UploadPlan {
        upload_id,
        registry_id: c.registry.registry_id.clone(),
        performance_year: year,
        idempotency_key: key,
        created_at: now,
        created_by: c.actor_name.clone(),
        channel: if c.by_token { "API" } else { "WEB" },
        summary: serde_json::to_string(&response).map_err(|_| ApiError::internal())?,
        elections,
        files: files
            .iter()
            .enumerate()
            .map(|(i, f)| NewUploadFile {
                name: f.name.clone(),
                format: formats[i],
                bytes: f.bytes.len() as i64,
                sha256: uploaded[i].sha256.clone(),
                content: if formats[i] == FileFormat::QrdaIii && per_file[i].1 > 0 {
                    String::from_utf8_lossy(&f.bytes).into_owned()
                } else {
                    String::new()
                },
            })
            .collect(),
        sets,
    };
    match state
        .store
        .commit_upload(&plan, state.config.fail_upload_after_sets)
        .await?
    {
        UploadOutcome::Committed => Ok((StatusCode::CREATED, Json(response)).into_response()),
        UploadOutcome::Replayed(summary) => replay(&summary),
        UploadOutcome::ElectionRace { tin, npi } => {
            let key = ParticipantKey { tin, npi };
            Err(ApiError::conflict("ElectionAlreadyMade", format!("An election for {key} was made by someone else while this upload was being checked. Nothing was stored; look it up and upload again.")))
        }
    }
}

/// An entity type the upload never takes (APM Entity, virtual group, subgroup): skipped when the
/// caller consented, else a refusal naming it. True when the participant was handled here.
fn refuse_entity_type(entity_type: &str, label: String, skip: bool, skipped: &mut Vec<SkippedParticipant>, refusals: &mut Vec<(String, String)>) -> bool {
    let Some(ParticipantStanding::CannotSubmit { reason, .. }) = entity_type_refusal(entity_type) else { return false };
    if skip {
        skipped.push(SkippedParticipant { participant: label, reason });
    } else {
        refusals.push((label.clone(), format!("{label}: {reason}")));
    }
    true
}

fn year_mismatch(file: &str, found: Option<i64>, year: PerformanceYear) -> ApiError {
    let found = found
        .map(|y| y.to_string())
        .unwrap_or_else(|| "no year".into());
    ApiError::unprocessable("PerformanceYearMismatch", format!("{file} holds {found} data, but this upload is for performance year {year}. Choose performance year {found} on Registry Submission Details, or upload a {year} file. Nothing was stored."))
        .with_detail(file, format!("performance year {found}, expected {year}"))
}

fn replay(summary: &str) -> Result<Response, ApiError> {
    let mut r: UploadResponse = serde_json::from_str(summary).map_err(|_| ApiError::internal())?;
    r.replayed = true;
    Ok((StatusCode::OK, Json(r)).into_response())
}

// ---- elections and opt-in read for programs -----------------------------------------------------

#[utoipa::path(post, path = "/api/registries/{registryId}/elections", tag = "registries", request_body = RegistryElectionsRequest,
    params(("registryId" = String, Path)), security((), ("bearer" = [])),
    responses((status = 201, body = RegistryElectionsResponse), (status = 200, description = "Every election was already recorded as asked", body = RegistryElectionsResponse), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, description = "A rule refused a participant (each named); nothing was recorded", body = ApiErrorBody)))]
pub async fn elections(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<RegistryElectionsRequest>,
) -> Result<Response, ApiError> {
    let c = registry_caller(&state, &headers, session, raw).await?;
    check_confirmation(&req.confirmation).map_err(|e| {
        ApiError::unprocessable("ConfirmationRequired", e.message())
            .with_detail("$.confirmation", e.message())
    })?;
    if req.elections.is_empty() || req.elections.len() > MAX_LOOKUP {
        return Err(ApiError::unprocessable(
            "NoElections",
            format!("Name from 1 to {MAX_LOOKUP} elections."),
        ));
    }
    let year = req.performance_year;
    require_threshold(year)?;
    let data = ClientData::load(&state, &c.registry.registry_id, year).await?;
    let now = state.now();
    let mut refusals = vec![];
    let mut new = vec![];
    let mut already = vec![];
    let mut seen = HashSet::new();
    for (i, ch) in req.elections.iter().enumerate() {
        let key = ch.key();
        if !seen.insert(key.clone()) {
            refusals.push((
                format!("$.elections[{i}]"),
                format!("{key} is named twice."),
            ));
            continue;
        }
        let Some(election) = ch.election.election() else {
            refusals.push((
                format!("$.elections[{i}]"),
                format!("{key}: No Decision records nothing; leave it out."),
            ));
            continue;
        };
        let et = if key.npi.is_some() {
            "individual"
        } else {
            "group"
        };
        let (_, st) = data.standing(&key, et, &c.registry.name, year, now);
        match (&st, decide(&key, &st, Some(ch.election), false)) {
            (_, Err(r)) => refusals.push((format!("$.elections[{i}]"), r.message)),
            (ParticipantStanding::AlreadyElected { .. }, Ok(_)) => already.push(RecordedElection {
                tin: key.tin.clone(),
                npi: key.npi.clone(),
                election,
            }),
            (_, Ok(_)) => new.push(NewElection {
                performance_year: year,
                tin: key.tin.clone(),
                npi: key.npi.clone(),
                election,
                at: now,
                actor_user_id: c.actor_id.clone(),
                actor_display_name: c.actor_name.clone(),
                channel: if c.by_token {
                    ElectionChannel::Api
                } else {
                    ElectionChannel::Web
                },
                statement_of_truth_agreed_at: c.statement_of_truth_agreed_at,
            }),
        }
    }
    if !refusals.is_empty() {
        let mut e = ApiError::unprocessable(
            "ElectionRefused",
            format!("{} Nothing was recorded.", refusals[0].1),
        );
        for (p, m) in refusals.into_iter().take(500) {
            e = e.with_detail(&p, m);
        }
        return Err(e);
    }
    if let Some((tin, npi)) = state.store.record_elections(&new).await? {
        return Err(ApiError::conflict(
            "ElectionAlreadyMade",
            format!(
                "An election for {} was made by someone else meanwhile. Nothing was recorded.",
                ParticipantKey { tin, npi }
            ),
        ));
    }
    let status = if new.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let recorded = new
        .iter()
        .map(|e| RecordedElection {
            tin: e.tin.clone(),
            npi: e.npi.clone(),
            election: e.election,
        })
        .collect();
    Ok((
        status,
        Json(RegistryElectionsResponse {
            recorded,
            already_made: already,
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/registries/{registryId}/opt-in", tag = "registries",
    params(("registryId" = String, Path), ("qpp-opt-in-entities" = String, Header, description = "Entities as TIN|NPI,TIN"), ("year" = Option<u16>, Query)),
    security((), ("bearer" = [])),
    responses((status = 200, body = OptInResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, description = "An entity is not a client of the registry", body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn opt_in(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Json<OptInResponse>, ApiError> {
    let c = registry_caller(&state, &headers, session, raw).await?;
    let entities = super::eligibility::parse_entities(
        headers
            .get(OPT_IN_ENTITIES_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )?;
    if entities.len() > 1000 {
        return Err(ApiError::bad_request(
            "TooManyEntities",
            "Ask for at most 1,000 entities at a time.",
        ));
    }
    let clients: HashSet<String> = state
        .store
        .registry_client_tins(&c.registry.registry_id)
        .await?
        .into_iter()
        .collect();
    if let Some((tin, _)) = entities.iter().find(|(t, _)| !clients.contains(t.as_str())) {
        return Err(ApiError::forbidden(
            "NotAClient",
            format!("TIN {tin} is not a client of {}.", c.registry.name),
        ));
    }
    let year = super::eligibility::year_from_query(&state, uri.query()).await?;
    Ok(Json(OptInResponse {
        data: super::eligibility::opt_in_rows(&state, year, entities).await?,
    }))
}

// ---- API token ------------------------------------------------------------------------------

async fn security_official(
    state: &AppState,
    headers: &HeaderMap,
    session: Result<CurrentUser, ApiError>,
    raw: Result<Path<String>, PathRejection>,
) -> Result<RegistryCaller, ApiError> {
    let registry = load_registry(state, raw).await?;
    if bearer(headers).is_some() {
        return Err(ApiError::forbidden("TokenCannotManageTokens", "An API token can't create, rotate or revoke tokens; the registry's Security Official does that after signing in."));
    }
    let c = caller(state, headers, session, registry).await?;
    if !c.is_security_official {
        return Err(ApiError::forbidden(
            "SecurityOfficialOnly",
            format!(
                "Only the Security Official of {} can create, rotate or revoke its API token.",
                c.registry.name
            ),
        ));
    }
    Ok(c)
}

#[utoipa::path(get, path = "/api/registries/{registryId}/api-token", tag = "registries", params(("registryId" = String, Path)),
    responses((status = 200, description = "The live token's last four characters, creation time and creator (never the token); null when there is none", body = Option<ApiTokenInfo>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn token_info(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
) -> Result<Json<Option<ApiTokenInfo>>, ApiError> {
    let registry = load_registry(&state, raw).await?;
    if bearer(&headers).is_some() {
        return Err(ApiError::forbidden(
            "TokenCannotManageTokens",
            "Sign in to see the registry's API token details.",
        ));
    }
    let c = caller(&state, &headers, session, registry).await?;
    Ok(Json(
        state.store.live_api_token(&c.registry.registry_id).await?,
    ))
}

#[utoipa::path(post, path = "/api/registries/{registryId}/api-token", tag = "registries", params(("registryId" = String, Path), ("x-csrf-token" = String, Header)),
    responses((status = 201, description = "A new token, shown this once; any earlier token stops working", body = ApiTokenCreated), (status = 401, body = ApiErrorBody), (status = 403, description = "Not the registry's Security Official", body = ApiErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let c = security_official(&state, &headers, session, raw).await?;
    let token = format!("mipsreg_{}", auth::random_token());
    let last_four = token[token.len() - 4..].to_string();
    let now = state.now();
    let replaced = state
        .store
        .rotate_api_token(
            &c.registry.registry_id,
            &auth::token_hash(&token),
            &last_four,
            now,
            &c.actor_name,
        )
        .await?;
    let info = ApiTokenInfo {
        last_four,
        created_at: now,
        created_by: c.actor_name,
    };
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(ApiTokenCreated {
            token,
            info,
            replaced_earlier: replaced,
        }),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/registries/{registryId}/api-token", tag = "registries", params(("registryId" = String, Path), ("x-csrf-token" = String, Header)),
    responses((status = 204, description = "Revoked: the token stops working at once"), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 404, description = "No live token", body = ApiErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    session: Result<CurrentUser, ApiError>,
    headers: HeaderMap,
    raw: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let c = security_official(&state, &headers, session, raw).await?;
    if state
        .store
        .revoke_api_tokens(&c.registry.registry_id, state.now())
        .await?
        == 0
    {
        return Err(ApiError::not_found(
            "NoApiToken",
            format!("{} has no API token to revoke.", c.registry.name),
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
