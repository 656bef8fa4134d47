//! The one error shape of the API.

use serde::{Deserialize, Serialize};

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
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "apiMessage")]
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
