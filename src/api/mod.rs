//! The wire contract between the SPA and the backend: paths, request and response bodies, and
//! the one error shape. Shared by both sides so that they cannot drift apart.

use crate::domain::lvt::{LowVolumeAssessment, LowVolumeStatus, LowVolumeThreshold, VolumeFigures};
use crate::domain::{
    Election, ElectionWindow, Npi, ParticipationStatus, PerformanceYear, ReportingPathway,
    SpecialStatus, Timestamp, Tin, WindowPhase,
};
use serde::{Deserialize, Serialize};

pub mod paths {
    pub const HEALTH: &str = "/api/health";
    pub const SESSION: &str = "/api/session";
    pub const PERFORMANCE_YEARS: &str = "/api/performance-years";
    pub const PRACTICES: &str = "/api/practices";
    /// `/api/practices/{tin}?year=`
    pub fn practice(tin: &str) -> String {
        format!("{PRACTICES}/{tin}")
    }
    pub const ELECTIONS: &str = "/api/elections";
    pub const PATHWAYS: &str = "/api/pathways";
    pub const CONNECTIONS: &str = "/api/connections";
    /// `/api/practices/{tin}/clinicians?year=`
    pub fn clinicians(tin: &str) -> String {
        format!("{PRACTICES}/{tin}/clinicians")
    }
    /// `/api/practices/{tin}/clinicians/{npi}?year=`
    pub fn clinician(tin: &str, npi: &str) -> String {
        format!("{PRACTICES}/{tin}/clinicians/{npi}")
    }
    /// Public clinician lookup modelled on the QPP Eligibility API: `/api/eligibility/npi/{npi}?year=`
    pub fn eligibility_npi(npi: &str) -> String {
        format!("/api/eligibility/npi/{npi}")
    }
    /// Opt-in read for the entities named in the `Qpp-Opt-In-Entities` header.
    pub const ELIGIBILITY_OPT_IN: &str = "/api/eligibility/opt-in";
    pub const OPENAPI: &str = "/api/openapi.json";
    /// Validates a posted QPP JSON body (one submission or an array) with the browser's rules.
    pub const QPP_VALIDATE: &str = "/api/qpp/validate";
    /// Registry Submission Details: `/api/registries/{id}/submissions?year=`
    pub fn registry_submissions(id: &str) -> String {
        format!("/api/registries/{id}/submissions")
    }
    /// Looks up the participants found in files: `/api/registries/{id}/participants`
    pub fn registry_participants(id: &str) -> String {
        format!("/api/registries/{id}/participants")
    }
    /// Commits an upload (multipart: `manifest` then `file` parts): `/api/registries/{id}/uploads`
    pub fn registry_uploads(id: &str) -> String {
        format!("/api/registries/{id}/uploads")
    }
    /// Elections without data (API token programs): `/api/registries/{id}/elections`
    pub fn registry_elections(id: &str) -> String {
        format!("/api/registries/{id}/elections")
    }
    /// Opt-in read for the registry's clients: `/api/registries/{id}/opt-in?year=`
    pub fn registry_opt_in(id: &str) -> String {
        format!("/api/registries/{id}/opt-in")
    }
    /// The registry's API token: GET (about), POST (create or rotate), DELETE (revoke).
    pub fn registry_token(id: &str) -> String {
        format!("/api/registries/{id}/api-token")
    }
}

/// Programs authenticate with `Authorization: Bearer <registry API token>`.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The largest registry upload request (all files and the manifest): twice the largest file.
pub const MAX_UPLOAD_BYTES: usize = 2 * crate::qpp::MAX_FILE_BYTES;
/// At most this many files in one upload.
pub const MAX_UPLOAD_FILES: usize = 50;

/// The header listing entities for the opt-in read: `TIN|NPI,TIN` (QPP Eligibility API).
pub const OPT_IN_ENTITIES_HEADER: &str = "qpp-opt-in-entities";
/// How the public lookup shows a TIN the caller may not see (as the QPP Eligibility API does).
pub const MASKED_TIN: &str = "XXXXXXXXXX";

/// Mutating requests of a signed-in user carry the session's CSRF token in this header.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie (HttpOnly: the SPA never reads it).
pub const SESSION_COOKIE: &str = "mips_session";

/// The Statement of Truth a user must agree to before signing in (2021 guide, sign-in screen).
pub const STATEMENT_OF_TRUTH: &str = "I certify to the best of my knowledge that all of the information that will be submitted will be true, accurate, and complete. If I become aware that any submitted information is not true, accurate, and complete, I will correct such information promptly. I understand that the knowing omission, misrepresentation, or falsification of any submitted information may be punished by criminal, civil, or administrative penalties, including fines, civil damages, and/or imprisonment.";

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub user_id: String,
    pub password: String,
    pub agree_statement_of_truth: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserRole {
    PracticeRepresentative,
    RegistryStaff,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub user_id: String,
    pub display_name: String,
    pub role: UserRole,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub user: UserSummary,
    pub csrf_token: String,
    pub statement_of_truth_agreed_at: Timestamp,
    pub expires_at: Timestamp,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceYearInfo {
    pub performance_year: PerformanceYear,
    pub window: Option<ElectionWindow>,
    pub window_phase: Option<WindowPhase>,
    pub threshold: Option<LowVolumeThreshold>,
    /// False when the threshold is carried forward rather than read in a CMS source.
    pub threshold_verified: bool,
    /// The eligibility data runs of the year, newest last.
    pub data_runs: Vec<DataRun>,
}

/// One load of eligibility data for a year ("which data run the statuses come from").
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataRun {
    pub performance_year: PerformanceYear,
    pub run_number: i64,
    /// ISO date, e.g. "2026-11-02".
    pub released_on: String,
    pub description: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceYearsResponse {
    /// The year the app opens on: the latest year with an open window, else the latest year.
    pub default_year: PerformanceYear,
    /// Newest first.
    pub years: Vec<PerformanceYearInfo>,
    pub server_time: Timestamp,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub line1: String,
    pub city: String,
    pub state: String,
    pub zip: String,
}

impl Address {
    pub fn one_line(&self) -> String {
        format!("{}, {}, {} {}", self.line1, self.city, self.state, self.zip)
    }
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ElectionChannel {
    /// Made by a signed-in practice representative on the website.
    Web,
    /// Made by a registry with an API token.
    Api,
    /// Made by a registry while uploading files.
    RegistryUpload,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionRecord {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub election: Election,
    pub elected_at: Timestamp,
    pub elected_by: String,
    pub channel: ElectionChannel,
}

/// Whether a new election can be made for the entity now, and if not, why.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionAvailability {
    pub allowed: bool,
    pub reason: Option<String>,
}

/// The chosen reporting pathway of a MIPS APM participant.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathwayRecord {
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
}

/// Eligibility of one entity (a practice as a group, or a clinician as an individual) for one
/// year, with its election and pathway: what a card or a clinician row shows.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityEligibility {
    pub figures: VolumeFigures,
    pub threshold: LowVolumeThreshold,
    pub assessment: LowVolumeAssessment,
    pub low_volume_status: LowVolumeStatus,
    pub status: ParticipationStatus,
    pub status_explanation: String,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub election: Option<ElectionRecord>,
    pub can_elect: ElectionAvailability,
    pub pathway: Option<PathwayRecord>,
    /// The pathways that may be chosen now (empty unless a MIPS APM participant may choose).
    pub offered_pathways: Vec<ReportingPathway>,
}

/// Everything a practice card shows, for one performance year.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticeCard {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub name: String,
    pub address: Address,
    pub clinician_count: i64,
    pub is_demo: bool,
    pub eligibility: EntityEligibility,
}

/// A connected clinician (TIN/NPI) and their own eligibility as an individual.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClinicianCard {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Npi,
    pub first_name: String,
    pub last_name: String,
    pub practice_name: String,
    pub is_demo: bool,
    pub eligibility: EntityEligibility,
}

impl ClinicianCard {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CliniciansResponse {
    pub practice: PracticeCard,
    pub clinicians: Vec<ClinicianCard>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathwayRequest {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    #[serde(default)]
    pub npi: Option<Npi>,
    pub pathway: ReportingPathway,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathwayResponse {
    pub pathway: PathwayRecord,
    pub created: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApmEntitySummary {
    pub entity_id: String,
    pub name: String,
    pub apm_name: String,
    pub track: String,
    pub participant_tins: Vec<Tin>,
    pub is_demo: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegistryKind {
    QualifiedRegistry,
    Qcdr,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrySummary {
    pub registry_id: String,
    pub name: String,
    pub tin: Tin,
    pub kind: RegistryKind,
    pub is_demo: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualGroupSummary {
    pub vg_id: String,
    pub name: String,
    pub member_tins: Vec<Tin>,
    /// ISO date of the virtual-group election, which is its opt-in election.
    pub elected_on: String,
    pub is_demo: bool,
}

/// The organizations other than practices that a user is connected to, for one year; the
/// Eligibility & Reporting page shows a tab only for the kinds the user has.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionsResponse {
    pub performance_year: PerformanceYear,
    pub apm_entities: Vec<ApmEntitySummary>,
    pub registries: Vec<RegistrySummary>,
    pub virtual_groups: Vec<VirtualGroupSummary>,
}

/// One low-volume reason as the QPP Eligibility API words it.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LowVolumeStatusReason {
    pub low_vol_stus_rsn_cd: String,
    pub low_vol_stus_rsn_desc: String,
}

/// `individualScenario` / `groupScenario` of the QPP Eligibility API, the parts this app knows.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityScenario {
    pub is_opt_in_eligible: bool,
    /// null when no decision has been made; true = opted in; false = voluntary reporting.
    pub is_opted_in: Option<bool>,
    pub opt_in_decision_date: Option<Timestamp>,
    pub low_volume_switch: bool,
    pub low_volume_status_reasons: Vec<LowVolumeStatusReason>,
    pub low_volume_services: i64,
    pub small_group_practitioner: bool,
    pub rural_clinician: bool,
    pub hpsa_clinician: bool,
    pub non_patient_facing: bool,
    pub hospital_based_clinician: bool,
    pub ambulatory_surgical_center: bool,
    pub is_facility_based: bool,
    pub extreme_hardship: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationEligibility {
    /// The TIN, or `XXXXXXXXXX` unless the caller is signed in and connected to it.
    #[serde(rename = "TIN")]
    pub tin: String,
    pub prvdr_org_name: String,
    pub address_line_one: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub individual_scenario: EligibilityScenario,
    pub group_scenario: EligibilityScenario,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NpiEligibility {
    pub npi: Npi,
    pub first_name: String,
    pub last_name: String,
    pub performance_year: PerformanceYear,
    pub organizations: Vec<OrganizationEligibility>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NpiEligibilityResponse {
    pub data: NpiEligibility,
}

/// One row of the opt-in read, as in the QPP Eligibility API's sample.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OptInRow {
    pub tin: Tin,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub npi: Option<Npi>,
    pub is_opt_in_eligible: bool,
    pub opt_in_decision_date: Option<Timestamp>,
    pub is_opted_in: Option<bool>,
    pub year: PerformanceYear,
    pub run_num: i64,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptInResponse {
    pub data: Vec<OptInRow>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticesResponse {
    pub performance_year: PerformanceYear,
    pub window: Option<ElectionWindow>,
    pub window_phase: Option<WindowPhase>,
    pub practices: Vec<PracticeCard>,
    /// The clinicians of all these practices, so that the page (and its CSV download) has
    /// everything without another request.
    pub clinicians: Vec<ClinicianCard>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElectionRequest {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    /// Absent for a group election.
    #[serde(default)]
    pub npi: Option<Npi>,
    pub election: Election,
    /// What the person typed in the "Please Type CONFIRM" box.
    pub confirmation: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionResponse {
    pub election: ElectionRecord,
    /// False when this request repeated an election already recorded.
    pub created: bool,
}

/// `{"error":{"type","message","details":[{"path","message"}]}}` — the same shape for every
/// failure, as the QPP APIs answer.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub details: Vec<FieldError>,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub message: String,
    /// The QPP JSON validator's findings carry more (see `crate::qpp::Diagnostic`): all optional,
    /// so every other error keeps the plain `{path, message}` shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<crate::qpp::Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "measureId")]
    pub measure_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "apiMessage"
    )]
    pub api_message: Option<String>,
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            message: message.into(),
            code: None,
            severity: None,
            line: None,
            column: None,
            measure_id: None,
            hint: None,
            api_message: None,
        }
    }
}

impl From<&crate::qpp::Diagnostic> for FieldError {
    fn from(d: &crate::qpp::Diagnostic) -> FieldError {
        FieldError {
            path: d.path.clone(),
            message: d.message.clone(),
            code: Some(d.code.clone()),
            severity: Some(d.severity),
            line: Some(d.line),
            column: Some(d.column),
            measure_id: d.measure_id.clone(),
            hint: d.hint.clone(),
            api_message: d.api_message.clone(),
        }
    }
}

/// A QPP JSON file that passed validation (it may still carry warnings).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QppValidationResponse {
    pub report: crate::qpp::Report,
}

// ---- registry uploads (issue 5) ------------------------------------------------------------

use crate::domain::registry::{ElectionChoice, ParticipantKey, ParticipantStanding};

/// A participant as found in an uploaded file.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundParticipant {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    /// `group`, `individual`, `apm`, `virtualGroup` or `subgroup`, as in the file.
    pub entity_type: String,
}

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantsLookupRequest {
    pub performance_year: PerformanceYear,
    pub participants: Vec<FoundParticipant>,
}

/// A participant and where it stands: the Election Selection table's rows come from these.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantRow {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
    pub entity_type: String,
    /// The practice's or clinician's name from the eligibility data ("" when unknown).
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
        ParticipantKey {
            tin: self.tin.clone(),
            npi: self.npi.clone(),
        }
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
    /// Consent to leave out participants that can't be submitted (not a client, not eligible,
    /// APM Entity…). Without it such a participant makes the upload fail, naming it.
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
    pub entity_type: String,
    pub name: String,
    pub election: Option<Election>,
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
    pub uploads: i64,
}
