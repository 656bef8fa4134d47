//! Signing in with the Statement of Truth, and the session the SPA reads.

use crate::domain::Timestamp;
use serde::{Deserialize, Serialize};

/// The Statement of Truth a user must agree to before signing in (2021 guide, sign-in screen).
pub const STATEMENT_OF_TRUTH: &str = "I certify to the best of my knowledge that all of the information that will be submitted will be true, accurate, and complete. If I become aware that any submitted information is not true, accurate, and complete, I will correct such information promptly. I understand that the knowing omission, misrepresentation, or falsification of any submitted information may be punished by criminal, civil, or administrative penalties, including fines, civil damages, and/or imprisonment.";

#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub user_id: String,
    pub password: String,
    pub agree_statement_of_truth: bool,
    /// The token of a one-time sign-in link the operator made for this User ID (the `link`
    /// parameter of the link), which lets its owner in while others' failed attempts lock it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_link: Option<String>,
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
