//! QPP JSON validation and registry uploads: participants found in files, their standings,
//! the upload manifest and what an upload stored, elections for programs, the API token.

use super::eligibility::{ElectionRecord, RegistrySummary};
use crate::domain::registry::{ElectionChoice, EntityKey, ParticipantKey, ParticipantStanding};
use crate::domain::{
    Election, ElectionWindow, EntityId, EntityType, Npi, PerformanceYear, Timestamp, Tin, WindowPhase,
};
use serde::{Deserialize, Serialize};

/// A QPP JSON file that passed validation (it may still carry warnings).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QppValidationResponse {
    pub report: crate::qpp::Report,
}

// ---- registry uploads (issue 5) ------------------------------------------------------------

/// A participant as found in an uploaded file.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundParticipant {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    /// `group`, `individual`, `apm`, `virtualGroup` or `subgroup`, as in the file.
    pub entity_type: EntityType,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantsLookupRequest {
    pub performance_year: PerformanceYear,
    pub participants: Vec<FoundParticipant>,
    /// APM Entities, virtual groups and subgroups found in the files, named by entity ID.
    #[serde(default)]
    pub entities: Vec<EntityKey>,
}

/// A participant and where it stands: the Election Selection table's rows come from these.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantRow {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    pub entity_type: EntityType,
    /// The practice's or clinician's name from the eligibility data ("" when unknown).
    pub name: String,
    pub standing: ParticipantStanding,
}

/// An entity named by its ID and where it stands: it never elects here, so its data is either
/// accepted or can't be submitted.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityRow {
    pub entity_type: EntityType,
    pub entity_id: EntityId,
    /// The name from the eligibility data ("" when unknown).
    pub name: String,
    pub standing: ParticipantStanding,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantsLookupResponse {
    pub performance_year: PerformanceYear,
    pub registry: RegistrySummary,
    pub participants: Vec<ParticipantRow>,
    #[serde(default)]
    pub entities: Vec<EntityRow>,
}

/// The choice made for one participant.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantChoice {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    pub election: ElectionChoice,
}

impl ParticipantChoice {
    pub fn key(&self) -> ParticipantKey {
        ParticipantKey { tin: self.tin.clone(), npi: self.npi.clone() }
    }
}

/// The `manifest` part of an upload: the year, the choices and the typed confirmation.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UploadManifest {
    pub performance_year: PerformanceYear,
    #[serde(default)]
    pub elections: Vec<ParticipantChoice>,
    /// Consent to leave out participants that can't be submitted (no eligibility record, window
    /// closed, APM Entity…). Without it such a participant makes the upload fail, naming it.
    #[serde(default)]
    pub skip_unsubmittable: bool,
    /// "CONFIRM" (any case), required when the upload records an election.
    #[serde(default)]
    pub confirmation: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileFormat {
    QppJson,
    QrdaIii,
}

impl FileFormat {
    pub fn code(self) -> &'static str {
        match self {
            FileFormat::QppJson => "QPP_JSON",
            FileFormat::QrdaIii => "QRDA_III",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::QppJson => "QPP JSON",
            FileFormat::QrdaIii => "QRDA III",
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedFile {
    pub name: String,
    pub format: FileFormat,
    pub bytes: u64,
    pub sha256: String,
    /// Participants whose data from this file was stored.
    pub participants_stored: usize,
    pub measurement_sets_stored: usize,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedParticipant {
    /// "TIN 000123456", "TIN/NPI 000123456/1234567893" or "APM Entity A1234".
    pub participant: String,
    pub reason: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedElection {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    pub election: Election,
}

/// What a committed upload stored. A repeat of the same upload returns this again with
/// `replayed: true` and stores nothing.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadResponse {
    pub upload_id: String,
    pub performance_year: PerformanceYear,
    pub created_at: Timestamp,
    #[serde(default)]
    pub replayed: bool,
    pub files: Vec<UploadedFile>,
    pub elections_recorded: Vec<RecordedElection>,
    pub participants_stored: usize,
    pub skipped: Vec<SkippedParticipant>,
}

/// Elections without data, for programs using the API token.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistryElectionsRequest {
    pub performance_year: PerformanceYear,
    pub elections: Vec<ParticipantChoice>,
    pub confirmation: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryElectionsResponse {
    pub recorded: Vec<RecordedElection>,
    /// Already recorded with the same choice: nothing was written for these.
    pub already_made: Vec<RecordedElection>,
    /// Not recorded, each with the rule's reason; the others were recorded all the same.
    pub refused: Vec<RefusedElection>,
}

/// An election a registry asked for that was not recorded, and why.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusedElection {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    /// Where it is in the request (`$.elections[2]`).
    pub path: String,
    /// The rule that refused it, as the API's error types name them (`ElectionAlreadyMade`, …).
    pub code: String,
    pub message: String,
    /// The election recorded for the participant, when a different one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<ElectionRecord>,
}

/// One stored measurement set, as Registry Submission Details lists it.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredMeasurementSet {
    pub category: String,
    pub submission_method: String,
    pub program_name: String,
    pub measure_count: i64,
    pub source_format: FileFormat,
    pub source_file: String,
    pub submitted_at: Timestamp,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantSubmission {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    pub entity_type: EntityType,
    pub name: String,
    pub election: Option<Election>,
    /// Exempt and not opt-in eligible: its data was accepted as voluntary reporting, without an
    /// election.
    #[serde(default)]
    pub voluntary_without_election: bool,
    pub measurement_sets: Vec<StoredMeasurementSet>,
}

/// What the registry stored for an APM Entity, a virtual group or a subgroup.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntitySubmission {
    pub entity_type: EntityType,
    pub entity_id: EntityId,
    pub name: String,
    pub measurement_sets: Vec<StoredMeasurementSet>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenInfo {
    pub last_four: String,
    pub created_at: Timestamp,
    pub created_by: String,
}

/// The token itself appears only here, once.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenCreated {
    pub token: String,
    pub info: ApiTokenInfo,
    /// True when an earlier token was revoked by this rotation.
    pub replaced_earlier: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrySubmissionsResponse {
    pub registry: RegistrySummary,
    pub performance_year: PerformanceYear,
    pub window: Option<ElectionWindow>,
    pub window_phase: Option<WindowPhase>,
    /// Only the registry's Security Official may create, rotate or revoke the API token.
    pub is_security_official: bool,
    pub api_token: Option<ApiTokenInfo>,
    pub participants: Vec<ParticipantSubmission>,
    /// Submissions named by entity ID (APM Entities, virtual groups, subgroups).
    #[serde(default)]
    pub entities: Vec<EntitySubmission>,
    pub uploads: i64,
}
