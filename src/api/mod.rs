//! The wire contract between the SPA and the backend: paths, request and response bodies, and
//! the one error shape. Shared by both sides so that they cannot drift apart.

use crate::domain::lvt::{LowVolumeAssessment, LowVolumeStatus, LowVolumeThreshold, VolumeFigures};
use crate::domain::{Election, ElectionWindow, Npi, ParticipationStatus, PerformanceYear, SpecialStatus, Timestamp, Tin, WindowPhase};
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
}

/// Mutating requests of a signed-in user carry the session's CSRF token in this header.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie (HttpOnly: the SPA never reads it).
pub const SESSION_COOKIE: &str = "mips_session";

/// The Statement of Truth a user must agree to before signing in (2021 guide, sign-in screen).
pub const STATEMENT_OF_TRUTH: &str = "I certify to the best of my knowledge that all of the information that will be submitted will be true, accurate, and complete. If I become aware that any submitted information is not true, accurate, and complete, I will correct such information promptly. I understand that the knowing omission, misrepresentation, or falsification of any submitted information may be punished by criminal, civil, or administrative penalties, including fines, civil damages, and/or imprisonment.";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub user_id: String,
    pub password: String,
    pub agree_statement_of_truth: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserRole {
    PracticeRepresentative,
    RegistryStaff,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub user_id: String,
    pub display_name: String,
    pub role: UserRole,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub user: UserSummary,
    pub csrf_token: String,
    pub statement_of_truth_agreed_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceYearInfo {
    pub performance_year: PerformanceYear,
    pub window: Option<ElectionWindow>,
    pub window_phase: Option<WindowPhase>,
    pub threshold: Option<LowVolumeThreshold>,
    /// False when the threshold is carried forward rather than read in a CMS source.
    pub threshold_verified: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceYearsResponse {
    /// The year the app opens on: the latest year with an open window, else the latest year.
    pub default_year: PerformanceYear,
    /// Newest first.
    pub years: Vec<PerformanceYearInfo>,
    pub server_time: Timestamp,
}

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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionAvailability {
    pub allowed: bool,
    pub reason: Option<String>,
}

/// Everything a practice card shows, for one performance year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticeCard {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub name: String,
    pub address: Address,
    pub figures: VolumeFigures,
    pub threshold: LowVolumeThreshold,
    pub assessment: LowVolumeAssessment,
    pub low_volume_status: LowVolumeStatus,
    pub status: ParticipationStatus,
    pub status_explanation: String,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub clinician_count: i64,
    pub is_demo: bool,
    pub election: Option<ElectionRecord>,
    pub can_elect: ElectionAvailability,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PracticesResponse {
    pub performance_year: PerformanceYear,
    pub window: Option<ElectionWindow>,
    pub window_phase: Option<WindowPhase>,
    pub practices: Vec<PracticeCard>,
}

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElectionResponse {
    pub election: ElectionRecord,
    /// False when this request repeated an election already recorded.
    pub created: bool,
}

/// `{"error":{"type","message","details":[{"path","message"}]}}` — the same shape for every
/// failure, as the QPP APIs answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub details: Vec<FieldError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub message: String,
}
