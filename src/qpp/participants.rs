//! Who a file is for: one list of participants from a QPP JSON report or a QRDA III summary.
//! The upload screens list them for the server's lookup, and the server reads them again from
//! the files it receives; both use this module, so both see the same participants.

use super::qrda::QrdaSummary;
use super::rules::Report;
use crate::domain::entity::EntityType;
use crate::domain::ids::IdError;
use crate::domain::Submitter;

/// A participant a file holds data for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileParticipant {
    pub entity_type: Option<EntityType>,
    pub tin: Option<String>,
    /// Only for an individual (TIN/NPI); a group's NPI field, if any, is not part of its key.
    pub npi: Option<String>,
    pub entity_id: Option<String>,
    pub performance_year: Option<i64>,
    /// Byte range of the participant's submission in a QPP JSON file (whole file for QRDA III).
    pub start: usize,
    pub end: usize,
}

impl FileParticipant {
    /// Whom the submission is for (TIN, TIN/NPI or entity ID), or why the file's identifiers
    /// can't name it; `None` when the file gives no entity type this app knows.
    pub fn submitter(&self) -> Option<Result<Submitter, IdError>> {
        let kind = self.entity_type?;
        Some(Submitter::of(kind, self.tin.as_deref(), self.npi.as_deref(), self.entity_id.as_deref()))
    }

    /// "TIN 000456789", "TIN/NPI 000456789/1234567893", "APM Entity A1234".
    pub fn label(&self) -> String {
        self.entity_type.unwrap_or(EntityType::Group).short_label(
            self.tin.as_deref(),
            self.npi.as_deref(),
            self.entity_id.as_deref(),
        )
    }
}

/// Every submission of a QPP JSON report, in file order.
pub fn participants(report: &Report) -> Vec<FileParticipant> {
    report
        .submissions
        .iter()
        .map(|s| FileParticipant {
            entity_type: s.entity_type,
            tin: s.taxpayer_identification_number.clone(),
            npi: s.national_provider_identifier.clone().filter(|_| s.entity_type == Some(EntityType::Individual)),
            entity_id: s.entity_id.clone(),
            performance_year: s.performance_year,
            start: s.start,
            end: s.end,
        })
        .collect()
}

/// The one participant of a QRDA III document.
pub fn qrda_participant(s: &QrdaSummary) -> FileParticipant {
    FileParticipant {
        entity_type: s.entity_type,
        tin: s.tin.clone(),
        npi: s.npi.clone().filter(|_| s.entity_type == Some(EntityType::Individual)),
        entity_id: s.entity_id.clone(),
        performance_year: s.performance_year,
        start: 0,
        end: s.bytes,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_group_file_lists_its_group_and_drops_a_stray_npi() {
        let text = br#"[{"entityType":"group","taxpayerIdentificationNumber":"000456789","nationalProviderIdentifier":"1234567893","performanceYear":2025,"measurementSets":[]},
{"entityType":"individual","taxpayerIdentificationNumber":"000456789","nationalProviderIdentifier":"1234567893","performanceYear":2025,"measurementSets":[]}]"#;
        let report = super::super::validate(text, &super::super::embedded::year, &mut |_| {});
        let list = participants(&report);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].npi, None);
        assert_eq!(list[0].label(), "TIN 000456789");
        assert_eq!(list[1].submitter().unwrap().unwrap().to_string(), "TIN/NPI 000456789/1234567893");
        assert!(list[0].end > list[0].start && list[1].start > list[0].end);
    }
}
