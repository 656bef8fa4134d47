//! The files of a registry upload: reading the multipart request, its idempotency key, and
//! re-checking every file with the shared readers (`qpp::validate`, `qpp::qrda::read`) to find
//! each participant's measurement sets. The elections are decided in `uploads`.

use super::qpp::{check_file, report_error, validation_permit};
use crate::api::StoredMeasurementSet;
use crate::api::{
    FileFormat, SkippedParticipant, UploadManifest, IDEMPOTENCY_KEY_HEADER, MAX_FILE_BYTES, MAX_IDEMPOTENCY_KEY_CHARS,
    MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES,
};
use crate::domain::registry::{entity_type_refusal, ParticipantStanding};
use crate::domain::Timestamp;
use crate::domain::{PerformanceYear, Submitter};
use crate::qpp::participants::{participants, qrda_participant, FileParticipant};
use crate::qpp::{self, qrda};
use crate::server::http::error::ApiError;
use crate::server::http::extract::parse_json;
use crate::server::secrets::sha256_hex;
use crate::server::state::AppState;
use crate::server::store::uploads::{NewMeasurementSet, StoredSetRow};
use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub struct ReceivedFile {
    pub name: String,
    pub bytes: Bytes,
}

/// The request as received: the manifest (and its bytes, for the idempotency key) and the files.
pub struct ReceivedUpload {
    pub manifest_bytes: Bytes,
    pub manifest: UploadManifest,
    pub files: Vec<ReceivedFile>,
}

pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PayloadTooLarge",
        format!(
            "The upload is larger than {} MB, the most one upload may be (each file at most {} MB). Split the files over several uploads. Nothing was stored.",
            MAX_UPLOAD_BYTES / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

const MULTIPART_SHAPE: &str = "Send multipart/form-data with a \"manifest\" part and one \"file\" part per file.";

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request(
            "MalformedUpload",
            format!("The upload could not be read ({}). {MULTIPART_SHAPE}", e.body_text()),
        )
    }
}

/// Reads and drops the rest of a refused upload, so the browser sees the answer (the request's
/// total is bounded by the route's body limit).
async fn drain_parts(mut mp: Multipart) {
    while let Ok(Some(mut next)) = mp.next_field().await {
        while let Ok(Some(_)) = next.chunk().await {}
    }
}

/// Reads the `manifest` part and every `file` part, refusing anything else.
pub async fn read_multipart(mut mp: Multipart) -> Result<ReceivedUpload, ApiError> {
    let mut manifest_bytes = None;
    let mut files: Vec<ReceivedFile> = vec![];
    while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "manifest" => manifest_bytes = Some(field.bytes().await.map_err(multipart_error)?),
            "file" => {
                let name = field
                    .file_name()
                    .map(str::to_string)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("file-{}", files.len() + 1));
                // Read as it streams: a file past the limit is refused without being held whole.
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                        let msg = format!("{name} is larger than {} MB.", MAX_FILE_BYTES / (1024 * 1024));
                        while let Ok(Some(_)) = field.chunk().await {}
                        drop(field);
                        drain_parts(mp).await;
                        return Err(too_large().with_detail(&name, msg));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                let bytes = Bytes::from(bytes);
                files.push(ReceivedFile { name, bytes });
            }
            other => {
                return Err(ApiError::bad_request(
                    "MalformedUpload",
                    format!("Unexpected part \"{other}\": send a \"manifest\" part and \"file\" parts only."),
                ))
            }
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
        return Err(ApiError::unprocessable("NoFiles", "Add at least one QPP JSON or QRDA III file to upload."));
    }
    if files.len() > MAX_UPLOAD_FILES {
        let msg = format!("Upload at most {MAX_UPLOAD_FILES} files at a time.");
        return Err(ApiError::unprocessable("TooManyFiles", msg));
    }
    Ok(ReceivedUpload { manifest_bytes, manifest, files })
}

/// The caller's Idempotency-Key (or none) plus a hash of the content: a repeat of the same
/// request is answered from the first, while the same key sent with different content is a
/// different upload, never silently answered with the first one's result.
pub fn idempotency_key(headers: &HeaderMap, upload: &ReceivedUpload) -> Result<String, ApiError> {
    let given =
        headers.get(IDEMPOTENCY_KEY_HEADER).and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty());
    if given.is_some_and(|k| k.len() > MAX_IDEMPOTENCY_KEY_CHARS) {
        return Err(ApiError::bad_request(
            "InvalidIdempotencyKey",
            format!("The Idempotency-Key header may be at most {MAX_IDEMPOTENCY_KEY_CHARS} characters."),
        ));
    }
    let mut h = Sha256::new();
    h.update(&upload.manifest_bytes);
    for f in &upload.files {
        h.update(f.name.as_bytes());
        h.update([0]);
        h.update(sha256_hex(&f.bytes).as_bytes());
    }
    let hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>();
    Ok(match given {
        Some(k) => format!("key:{k}:sha256:{hash}"),
        None => format!("sha256:{hash}"),
    })
}

/// One submitter's data found in the files: (file index, set) pairs.
#[derive(Default)]
pub struct FoundData {
    pub sets: Vec<(usize, NewMeasurementSet)>,
}

/// Why one participant (or one election named in the manifest) can't be uploaded.
pub struct Refused {
    /// Where: the participant, or `$.elections[i]`.
    pub path: String,
    pub message: String,
    pub code: &'static str,
}

/// What the files hold, and what was refused or skipped while reading them.
#[derive(Default)]
pub struct FilesRead {
    pub found: BTreeMap<Submitter, FoundData>,
    pub formats: Vec<FileFormat>,
    /// Each participant that can't be uploaded.
    pub refusals: Vec<Refused>,
    pub skipped: Vec<SkippedParticipant>,
}

impl FilesRead {
    /// Whom a submission of the files is for, or — for an entity type this app doesn't know or
    /// identifiers it can't keep — skipped with consent, else refused by name.
    fn admit(&mut self, p: &FileParticipant, skip: bool) -> Option<Submitter> {
        let reason = match p.submitter() {
            Some(Ok(s)) => return Some(s),
            Some(Err(e)) => e.to_string(),
            None => match entity_type_refusal(None) {
                Some(ParticipantStanding::CannotSubmit { reason, .. }) => reason,
                _ => "The submission names no entity type this upload knows.".into(),
            },
        };
        let label = p.label();
        if skip {
            self.skipped.push(SkippedParticipant { participant: label, reason });
        } else {
            let message = format!("{label}: {reason}");
            self.refusals.push(Refused { path: label, message, code: "ParticipantCannotBeSubmitted" });
        }
        None
    }

    fn add(&mut self, submitter: &Submitter, file: usize, set: StoredMeasurementSet, body: String) {
        // Whether it reports without an election is decided later, from its standing.
        let row = StoredSetRow { submitter: submitter.clone(), voluntary_without_election: false, set };
        self.found.entry(submitter.clone()).or_default().sets.push((file, NewMeasurementSet { row, body }));
    }
}

fn year_mismatch(file: &str, found: Option<i64>, year: PerformanceYear) -> ApiError {
    let found = found.map(|y| y.to_string()).unwrap_or_else(|| "no year".into());
    ApiError::unprocessable("PerformanceYearMismatch", format!("{file} holds {found} data, but this upload is for performance year {year}. Choose performance year {found} on Registry Submission Details, or upload a {year} file. Nothing was stored."))
        .with_detail(file, format!("performance year {found}, expected {year}"))
}

fn check_year(file: &str, p: &FileParticipant, year: PerformanceYear) -> Result<(), ApiError> {
    if p.performance_year == Some(year.get() as i64) {
        Ok(())
    } else {
        Err(year_mismatch(file, p.performance_year, year))
    }
}

/// One file of an upload as it is read: where it stands, for which year, and whether
/// participants that can't be submitted are skipped.
struct FileBeingRead<'a> {
    index: usize,
    f: &'a ReceivedFile,
    year: PerformanceYear,
    skip: bool,
    /// When the upload was received: its sets' submission time.
    at: Timestamp,
}

/// Re-checks every file with the shared rules, as the browser did, and collects each
/// participant's measurement sets.
pub async fn read_files(state: &AppState, upload: &ReceivedUpload, at: Timestamp) -> Result<FilesRead, ApiError> {
    let mut read = FilesRead::default();
    let (year, skip) = (upload.manifest.performance_year, upload.manifest.skip_unsubmittable);
    for (index, f) in upload.files.iter().enumerate() {
        let file = FileBeingRead { index, f, year, skip, at };
        if qrda::looks_like_xml(&f.bytes) {
            read.formats.push(FileFormat::QrdaIii);
            read_qrda(&mut read, &file)?;
        } else {
            read.formats.push(FileFormat::QppJson);
            read_qpp_json(state, &mut read, &file).await?;
        }
    }
    Ok(read)
}

fn read_qrda(read: &mut FilesRead, file: &FileBeingRead<'_>) -> Result<(), ApiError> {
    let (f, year, skip) = (file.f, file.year, file.skip);
    let s = qrda::read(&f.bytes);
    if let Some(p) = s.problems.first() {
        let mut e = ApiError::unprocessable(
            "FileHasErrors",
            format!("{} is not a usable QRDA III file: {} Nothing was stored.", f.name, p.message),
        );
        for p in &s.problems {
            e = e.with_detail(
                &f.name,
                format!("{}{}", p.line.map(|l| format!("line {l}: ")).unwrap_or_default(), p.message),
            );
        }
        return Err(e);
    }
    let participant = qrda_participant(&s);
    check_year(&f.name, &participant, year)?;
    let Some(key) = read.admit(&participant, skip) else { return Ok(()) };
    let program = qrda::program_name_of(s.program_name.as_deref().unwrap_or(""));
    for sec in &s.sections {
        let set = StoredMeasurementSet {
            category: sec.category.clone(),
            submission_method: "electronicHealthRecord".into(),
            program_name: program.into(),
            measure_count: sec.measures as i64,
            source_format: FileFormat::QrdaIii,
            source_file: file.f.name.clone(),
            submitted_at: file.at,
        };
        // Converted to QPP JSON later; the whole file is kept in upload_files.
        read.add(&key, file.index, set, String::new());
    }
    Ok(())
}

async fn read_qpp_json(state: &AppState, read: &mut FilesRead, file: &FileBeingRead<'_>) -> Result<(), ApiError> {
    let (f, year, skip) = (file.f, file.year, file.skip);
    let place = validation_permit(state).await?;
    let report = check_file(place, f.bytes.clone()).await?;
    if report.errors > 0 {
        let mut e = report_error(&report).with_kind("FileHasErrors");
        e.message = format!("{} has {}. Nothing was stored.", f.name, qpp::rules::plural(report.errors, "error"));
        e.details.retain(|d| d.severity != Some(qpp::Severity::Warning));
        e.details.truncate(200);
        for d in &mut e.details {
            d.message = format!("{}: {}", f.name, d.message);
        }
        return Err(e);
    }
    for p in participants(&report) {
        check_year(&f.name, &p, year)?;
        let Some(key) = read.admit(&p, skip) else { continue };
        let value: serde_json::Value =
            serde_json::from_slice(&f.bytes[p.start..p.end]).map_err(ApiError::internal_because)?;
        for set in value.get("measurementSets").and_then(|v| v.as_array()).into_iter().flatten() {
            let text = |k: &str| set.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let stored = StoredMeasurementSet {
                category: text("category"),
                submission_method: text("submissionMethod"),
                program_name: Some(text("programName")).filter(|p| !p.is_empty()).unwrap_or_else(|| "mips".into()),
                measure_count: set.get("measurements").and_then(|m| m.as_array()).map(|a| a.len()).unwrap_or(0) as i64,
                source_format: FileFormat::QppJson,
                source_file: file.f.name.clone(),
                submitted_at: file.at,
            };
            read.add(&key, file.index, stored, set.to_string());
        }
    }
    Ok(())
}
