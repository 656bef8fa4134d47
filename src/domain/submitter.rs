//! Whom a submission is for, as the Submissions API keys it: a group (TIN) or a clinician
//! (TIN/NPI) — the participants that elect — or an entity named by its ID (an APM Entity, a
//! virtual group, a subgroup), which never elects here.

use super::entity::EntityType;
use super::ids::{EntityId, IdError, Npi, Tin};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A participant as files name it: a group (TIN) or a clinician (TIN/NPI).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantKey {
    pub tin: Tin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npi: Option<Npi>,
}

impl ParticipantKey {
    /// `individual` for a TIN/NPI, `group` for a TIN.
    pub fn entity_type(&self) -> EntityType {
        if self.npi.is_some() {
            EntityType::Individual
        } else {
            EntityType::Group
        }
    }
}

impl fmt::Display for ParticipantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.npi {
            Some(npi) => write!(f, "TIN/NPI {}/{}", self.tin, npi),
            None => write!(f, "TIN {}", self.tin),
        }
    }
}

/// An entity QPP JSON names by `entityId` (`apm`, `virtualGroup`, `subgroup`); a TIN in such a
/// submission is not part of its key (the Submissions API writes a TIN only for individuals and
/// groups).
#[cfg_attr(not(target_arch = "wasm32"), derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityKey {
    pub entity_type: EntityType,
    pub entity_id: EntityId,
}

impl EntityKey {
    /// `None` for the entity types named by TIN/NPI.
    pub fn new(entity_type: EntityType, entity_id: EntityId) -> Option<EntityKey> {
        entity_type.is_named_by_id().then_some(EntityKey { entity_type, entity_id })
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.entity_type.short_label(None, None, Some(self.entity_id.as_str())))
    }
}

/// The key of one submission: a participant that may elect, or an entity named by its ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Submitter {
    Participant(ParticipantKey),
    Entity(EntityKey),
}

impl Submitter {
    /// The key a file's submission has: by entity ID for `apm`, `virtualGroup` and `subgroup`,
    /// else by TIN (and NPI for an individual). Says in words what is missing or malformed.
    pub fn of(
        entity_type: EntityType, tin: Option<&str>, npi: Option<&str>, entity_id: Option<&str>,
    ) -> Result<Submitter, IdError> {
        if entity_type.is_named_by_id() {
            let id = EntityId::parse(entity_id.unwrap_or(""))?;
            return Ok(Submitter::Entity(EntityKey { entity_type, entity_id: id }));
        }
        let tin = Tin::parse(tin.unwrap_or(""))?;
        let npi = match entity_type {
            EntityType::Individual => Some(Npi::parse(npi.unwrap_or(""))?),
            _ => None,
        };
        Ok(Submitter::Participant(ParticipantKey { tin, npi }))
    }

    pub fn entity_type(&self) -> EntityType {
        match self {
            Submitter::Participant(p) => p.entity_type(),
            Submitter::Entity(e) => e.entity_type,
        }
    }

    pub fn participant(&self) -> Option<&ParticipantKey> {
        match self {
            Submitter::Participant(p) => Some(p),
            Submitter::Entity(_) => None,
        }
    }
}

impl fmt::Display for Submitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Submitter::Participant(p) => p.fmt(f),
            Submitter::Entity(e) => e.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entity_type_is_keyed_as_the_submissions_api_keys_it() {
        let g = Submitter::of(EntityType::Group, Some("000456789"), Some("1234567893"), None).unwrap();
        assert_eq!(g.to_string(), "TIN 000456789", "a group's stray NPI is not part of its key");
        assert_eq!(g.entity_type(), EntityType::Group);
        let i = Submitter::of(EntityType::Individual, Some("000456789"), Some("1234567893"), None).unwrap();
        assert_eq!(i.to_string(), "TIN/NPI 000456789/1234567893");
        assert_eq!(i.entity_type(), EntityType::Individual);
        let vg = Submitter::of(EntityType::VirtualGroup, Some("000456789"), None, Some("VG-1")).unwrap();
        assert_eq!(vg.to_string(), "Virtual group VG-1", "a virtual group is keyed by its ID, not its TIN");
        assert!(vg.participant().is_none());
        let apm = Submitter::of(EntityType::Apm, None, None, Some("A1234")).unwrap();
        assert_eq!(apm.to_string(), "APM Entity A1234");
        let sub = Submitter::of(EntityType::Subgroup, None, None, Some("SG1")).unwrap();
        assert_eq!(sub.entity_type(), EntityType::Subgroup);
        assert!(Submitter::of(EntityType::Apm, Some("000456789"), None, None).unwrap_err().0.contains("entity ID"));
        assert!(Submitter::of(EntityType::Individual, Some("000456789"), None, None).is_err());
        assert!(EntityKey::new(EntityType::Group, EntityId::parse("X").unwrap()).is_none());
    }
}
