//! QRDA III → QPP JSON, as CMS's QPP Conversion Tool converts it: the clinical document
//! gives the program, entity and identifiers; each category section gives one measurement set
//! (`submissionMethod` `electronicHealthRecord`, `source` `qrda3`, the section's performance
//! period); eCQM populations become `performanceMet`, `eligiblePopulation`, … with
//! `performanceNotMet = DENOM − NUMER − DENEX − DENEXCEP`; the five multi-population eCQMs are
//! summed; a multi-rate measure's strata are named from the measures data by numerator UUID.
//!
//! Every finding carries the conversion tool's code and its message (`ct_message`), our own
//! sentence, the XPath and the line and column. Errors stop the conversion; the converted QPP
//! JSON then goes through the same QPP JSON rules as an uploaded file (`rules::validate`).
//! The same code runs in the browser's worker and on the server.

mod decode;
mod encode;
mod finding;
pub mod tree;

use super::rules::Catalogues;
use serde::{Deserialize, Serialize};

pub use decode::{decode, Document};
pub use encode::encode;
use finding::finding;
pub use finding::{ct_message, ConversionFinding};

/// What converting one QRDA III document gave.
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    /// The QPP JSON submission; `None` when an error stopped the conversion.
    #[cfg_attr(not(target_arch = "wasm32"), schema(value_type = Option<Object>))]
    pub qpp: Option<serde_json::Value>,
    pub findings: Vec<ConversionFinding>,
}

impl Conversion {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == super::Severity::Error).count()
    }
}

/// Converts a QRDA III document to QPP JSON with the measures data of its performance year.
pub fn convert(bytes: &[u8], catalogues: &dyn Catalogues) -> Conversion {
    if bytes.len() > super::MAX_FILE_BYTES {
        let message = format!(
            "The file is larger than {} MB, the most this app converts.",
            super::MAX_FILE_BYTES / (1024 * 1024)
        );
        return Conversion { qpp: None, findings: vec![finding(2, &message, &[], "/", (1, 1), None)] };
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let (line, column) = tree::line_column(&String::from_utf8_lossy(&bytes[..at]), at);
            let f = finding(
                2,
                "The file is not UTF-8 text: save it with UTF-8 encoding and try again.",
                &[],
                "/",
                (line, column),
                None,
            );
            return Conversion { qpp: None, findings: vec![f] };
        }
    };
    let root = match tree::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let f = finding(2, &e.message, &[], "/", tree::line_column(text, e.at), None);
            return Conversion { qpp: None, findings: vec![f] };
        }
    };
    let (doc, mut findings) = decode(&root, text);
    let index = doc.performance_year.and_then(|y| catalogues.get(y));
    let (qpp, more) = encode(&doc, index, text);
    findings.extend(more);
    let failed = findings.iter().any(|f| f.severity == super::Severity::Error);
    Conversion { qpp: if failed { None } else { qpp }, findings }
}

/// Converts, then runs the QPP JSON rules on the converted submission, as on an uploaded QPP JSON
/// file; their findings name places in the converted JSON. `None` when nothing was converted.
pub fn convert_and_check(bytes: &[u8], catalogues: &dyn Catalogues) -> (Conversion, Option<super::Report>) {
    let c = convert(bytes, catalogues);
    let report = c.qpp.as_ref().map(|q| {
        let json = serde_json::to_vec_pretty(q).unwrap_or_default();
        super::validate(&json, catalogues, &mut |_| {})
    });
    (c, report)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
