//! Who a submission is for: QPP JSON's `entityType`, and how people name each participant and
//! each performance category. Shared by the validator, the upload screens and the server.

use serde::{Deserialize, Serialize};

/// QPP JSON's `entityType` (the "submission" object of CMS's QPP JSON format).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntityType {
    Individual,
    Group,
    Apm,
    VirtualGroup,
    Subgroup,
}

impl EntityType {
    pub const ALL: [EntityType; 5] =
        [EntityType::Individual, EntityType::Group, EntityType::Apm, EntityType::VirtualGroup, EntityType::Subgroup];

    /// The value as QPP JSON writes it.
    pub fn code(self) -> &'static str {
        match self {
            EntityType::Individual => "individual",
            EntityType::Group => "group",
            EntityType::Apm => "apm",
            EntityType::VirtualGroup => "virtualGroup",
            EntityType::Subgroup => "subgroup",
        }
    }

    /// `None` for a value QPP JSON does not define (the validator reports it).
    pub fn from_code(code: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Named by an entity ID rather than by TIN/NPI.
    pub fn is_named_by_id(self) -> bool {
        matches!(self, EntityType::Apm | EntityType::VirtualGroup | EntityType::Subgroup)
    }

    /// How the participant is named on screens and in exports: "Group TIN 000456789",
    /// "Clinician TIN 000456789 / NPI 1234567893", "APM Entity A1234".
    pub fn participant_label(self, tin: Option<&str>, npi: Option<&str>, entity_id: Option<&str>) -> String {
        let tin = tin.unwrap_or("(no TIN)");
        let id = entity_id.unwrap_or("(no entity ID)");
        match self {
            EntityType::Group => format!("Group TIN {tin}"),
            EntityType::Individual => format!("Clinician TIN {tin} / NPI {}", npi.unwrap_or("(no NPI)")),
            EntityType::Apm => format!("APM Entity {id}"),
            EntityType::VirtualGroup => format!("Virtual group {id}"),
            EntityType::Subgroup => format!("Subgroup {id}"),
        }
    }

    /// The short key the upload's messages use: "TIN 000456789", "TIN/NPI 000456789/1234567893",
    /// "APM Entity A1234".
    pub fn short_label(self, tin: Option<&str>, npi: Option<&str>, entity_id: Option<&str>) -> String {
        match (self, entity_id, tin, npi) {
            (kind, Some(id), _, _) if kind.is_named_by_id() => format!("{} {id}", kind.id_noun()),
            (_, _, Some(t), Some(n)) => format!("TIN/NPI {t}/{n}"),
            (_, _, Some(t), None) => format!("TIN {t}"),
            (kind, _, _, _) if kind.is_named_by_id() => kind.id_noun().to_string(),
            (EntityType::Individual, ..) => "TIN/NPI".into(),
            _ => "TIN".into(),
        }
    }

    fn id_noun(self) -> &'static str {
        match self {
            EntityType::Apm => "APM Entity",
            EntityType::VirtualGroup => "Virtual group",
            _ => "Subgroup",
        }
    }
}

/// A performance category code (`quality`, `pi`, `ia`, `cost`) as people read it.
pub fn category_label(code: &str) -> &str {
    match code {
        "quality" => "Quality",
        "pi" => "Promoting Interoperability",
        "ia" => "Improvement Activities",
        "cost" => "Cost",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for e in EntityType::ALL {
            assert_eq!(EntityType::from_code(e.code()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), serde_json::json!(e.code()));
        }
        assert_eq!(EntityType::from_code("Group"), None);
        assert_eq!(EntityType::from_code(""), None);
    }

    #[test]
    fn labels_name_the_participant() {
        let g = EntityType::Group;
        assert_eq!(g.participant_label(Some("000456789"), None, None), "Group TIN 000456789");
        assert_eq!(
            EntityType::Individual.participant_label(Some("000456789"), Some("1234567893"), None),
            "Clinician TIN 000456789 / NPI 1234567893"
        );
        assert_eq!(EntityType::Apm.short_label(None, None, Some("A1234")), "APM Entity A1234");
        assert_eq!(EntityType::Individual.short_label(Some("1"), Some("2"), None), "TIN/NPI 1/2");
        assert_eq!(g.short_label(Some("000456789"), None, None), "TIN 000456789");
        assert_eq!(category_label("pi"), "Promoting Interoperability");
        assert_eq!(category_label("x"), "x");
    }
}
