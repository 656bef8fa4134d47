//! Eligibility for a performance year: years and windows, practice and clinician cards,
//! elections and reporting pathways, connected organizations, and the Eligibility API shapes.

use crate::domain::lvt::{LowVolumeAssessment, LowVolumeStatus, LowVolumeThreshold, VolumeFigures};
use crate::domain::{
    Determination, Election, ElectionWindow, Npi, ParticipationStatus, PerformanceYear, ReportingPathway,
    SpecialStatus, SpecialStatusFlags, Timestamp, Tin, WindowPhase,
};
use serde::{Deserialize, Serialize};

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
        format!("{}, {}, {} {}", self.line1, self.city, self.state, crate::domain::format::format_zip(&self.zip))
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
    /// The refusal is about who the entity is (excluded, a virtual-group member, not opt-in
    /// eligible…), not about when: no election can be made here in any window.
    #[serde(default)]
    pub never: bool,
}

/// The current Reporting Option of a MIPS APM participant (it may be changed until the submission
/// window closes).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathwayRecord {
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
    /// How many earlier choices this one replaced (each is kept in the audit trail).
    pub earlier_choices: u32,
}

/// Eligibility of one entity (a practice as a group, or a clinician as an individual) for one
/// year, with its election and pathway: what a card or a clinician row shows.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityEligibility {
    /// CMS's determination at this level: it decides `lowVolumeStatus`, `status` and `canElect`.
    pub determination: Determination,
    /// False when the data gave no low-volume figures: `figures` and `assessment` are then zeros
    /// and the card says "not provided".
    pub figures_provided: bool,
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
    /// The Reporting Options that may be chosen now (empty unless a MIPS APM participant may choose,
    /// or change its choice while data can be submitted).
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
    /// ISO date of the virtual-group election, which is its opt-in election; empty when unknown
    /// (CMS's eligibility data, which the import reads, does not carry it).
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

/// The QPP Eligibility API's message for an NPI it can't read (its `InvalidFormatNpi` answer);
/// the Participation Status page puts it before its own, more precise sentence.
pub const INVALID_NPI_MESSAGE: &str = "Please supply a valid NPI";

/// One low-volume reason as the QPP Eligibility API words it.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LowVolumeStatusReason {
    pub low_vol_stus_rsn_cd: String,
    pub low_vol_stus_rsn_desc: String,
}

/// `isEligible` of a scenario: the level's own key only.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IsEligible {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<bool>,
}

/// `individualScenario` / `groupScenario` of the QPP Eligibility API, the parts this app knows.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityScenario {
    /// MIPS eligible at this level: `individual` in an `individualScenario`, `group` in a
    /// `groupScenario`, as CMS's `isEligible` names them.
    pub is_eligible: IsEligible,
    pub is_opt_in_eligible: bool,
    /// null when no decision has been made; true = opted in; false = voluntary reporting.
    pub is_opted_in: Option<bool>,
    pub opt_in_decision_date: Option<Timestamp>,
    pub low_volume_switch: bool,
    pub low_volume_status_reasons: Vec<LowVolumeStatusReason>,
    pub low_volume_services: i64,
    /// CMS's `mipsEligibleSwitch` of an `individualScenario`: false when the clinician is not a
    /// clinician type eligible for MIPS. Absent in a `groupScenario`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mips_eligible_switch: Option<bool>,
    #[serde(flatten)]
    pub special_statuses: SpecialStatusFlags,
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
    /// CMS's `qpStatus` as this deployment reads it: "Y" for a Qualifying APM Participant, "N"
    /// otherwise (CMS's other letters are not documented; see the README).
    pub qp_status: String,
    /// CMS's `newlyEnrolled`: first enrolled in Medicare during the performance year.
    #[serde(default)]
    pub newly_enrolled: bool,
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
