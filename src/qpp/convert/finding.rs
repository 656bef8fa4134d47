//! A finding of the QRDA III conversion: the conversion tool's code and message (its catalogue,
//! `qpp-data/conversion-tool/error-codes.json`), our sentence, and the place.

use crate::qpp::catalogue::Index;
use crate::qpp::Severity;
use serde::{Deserialize, Serialize};

/// One finding of the conversion.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversionFinding {
    pub severity: Severity,
    /// The conversion tool's error code (`ProblemCode`), e.g. 6 for an unknown measure GUID.
    pub ct_code: u16,
    /// What is wrong and how to fix it, in our words.
    pub message: String,
    /// The conversion tool's own message for the code, with its variables filled in.
    pub ct_message: String,
    /// Where: an XPath from the document root, e.g.
    /// `/ClinicalDocument/component/structuredBody/component[2]/section/entry[3]/organizer`.
    pub xpath: String,
    pub line: u32,
    pub column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_id: Option<String>,
}

/// The conversion tool's catalogue of codes and messages (`qpp-data/conversion-tool/`).
#[derive(Deserialize)]
struct CtCatalogue {
    active: Vec<CtCode>,
}

#[derive(Deserialize)]
struct CtCode {
    code: u16,
    message: String,
    #[serde(default)]
    variables: Vec<String>,
}

fn ct_catalogue() -> &'static [CtCode] {
    static CT: std::sync::OnceLock<Vec<CtCode>> = std::sync::OnceLock::new();
    CT.get_or_init(|| {
        serde_json::from_str::<CtCatalogue>(include_str!("../../../qpp-data/conversion-tool/error-codes.json"))
            .map(|c| c.active)
            .unwrap_or_default()
    })
}

/// The conversion tool's message for `code`, its `(variables)` filled in order.
pub fn ct_message(code: u16, values: &[&str]) -> String {
    let Some(c) = ct_catalogue().iter().find(|c| c.code == code) else {
        return format!("CT - error {code}");
    };
    let mut m = c.message.clone();
    for (name, value) in c.variables.iter().zip(values) {
        m = m.replacen(&format!("`({name})`"), value, 1);
    }
    m
}

/// A finding at a place, with the conversion tool's message for its code.
pub(super) fn finding(
    code: u16, message: &str, values: &[&str], xpath: &str, (line, column): (u32, u32), measure_id: Option<&str>,
) -> ConversionFinding {
    ConversionFinding {
        severity: Severity::Error,
        ct_code: code,
        message: message.to_string(),
        ct_message: ct_message(code, values),
        xpath: xpath.to_string(),
        line,
        column,
        measure_id: measure_id.map(str::to_string),
    }
}

/// The measures data a conversion uses: the catalogue of the document's year, if there is one.
pub type YearIndex<'a> = Option<&'a Index>;

/// A finding at an element of the document (its XPath, line and column).
pub(super) fn at_element(
    text: &str, code: u16, message: String, values: &[&str], at: &super::tree::At, measure: Option<&str>,
) -> ConversionFinding {
    finding(code, &message, values, &at.path, super::tree::line_column(text, at.el.at), measure)
}
