//! Who calls for a registry (a signed-in member or the registry's API token) and what the
//! server knows in a year about the participants a call names (a registry may act for any TIN),
//! read at once, so every participant's standing is decided by `domain::registry::standing`
//! from fresh data.

use super::index_by;
use crate::api::ElectionRecord;
use crate::api::{ElectionChannel, RegistrySummary};
use crate::domain::registry::{
    entity_standing, standing, EntityFacts, EntityKey, ParticipantFacts, ParticipantKey, ParticipantStanding,
};
use crate::domain::{Election, ElectionWindow, EntityId, EntityType, Npi, PerformanceYear, Timestamp, Tin};
use crate::server::http::error::ApiError;
use crate::server::http::session::CurrentUser;
use crate::server::secrets::token_hash;
use crate::server::state::AppState;
use crate::server::store::api_tokens::LiveToken;
use crate::server::store::clinicians::ClinicianRow;
use crate::server::store::elections::NewElection;
use crate::server::store::practices::PracticeRow;
use crate::server::store::Scope;
use axum::http::{header, HeaderMap};
use std::collections::{HashMap, HashSet};

/// Who is calling for a registry, and through which door.
pub struct RegistryCaller {
    pub registry: RegistrySummary,
    pub actor_id: String,
    pub actor_name: String,
    pub by_token: bool,
    pub is_security_official: bool,
    pub statement_of_truth_agreed_at: Timestamp,
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

/// A session member of registry `id`, or its API token. Who is calling is settled before the
/// registry is looked up, so a caller who is neither learns nothing about which registry IDs
/// exist: anonymous is always 401, a stranger always 403, whether the ID exists or not.
pub async fn caller(
    state: &AppState, headers: &HeaderMap, session: Result<CurrentUser, ApiError>, id: &str,
) -> Result<RegistryCaller, ApiError> {
    if let Some(token) = bearer(headers) {
        let (LiveToken { registry_id, created_at, last_four }, registry) = state
            .store
            .api_token(&token_hash(&token))
            .await?
            .ok_or_else(|| ApiError::unauthorized("The API token is not valid or has been revoked. Ask the registry's Security Official for the current token.").with_kind("InvalidApiToken"))?;
        if registry_id != id {
            return Err(ApiError::forbidden(
                "TokenNotForRegistry",
                format!("This API token belongs to another registry, not to registry {id}."),
            ));
        }
        return Ok(RegistryCaller {
            actor_id: format!("api-token:{registry_id}:{last_four}"),
            actor_name: format!("{} API token …{last_four}", registry.name),
            registry,
            by_token: true,
            is_security_official: false,
            statement_of_truth_agreed_at: created_at,
        });
    }
    let current = session?;
    let (registry, so) = state.store.registry_membership(&current.user.user_id, id).await?.ok_or_else(|| {
        ApiError::forbidden(
            "NotRegistryStaff",
            format!(
                "You are not connected to registry {id}. Ask the registry's Security Official to connect you to it."
            ),
        )
    })?;
    Ok(RegistryCaller {
        actor_id: current.user.user_id.clone(),
        actor_name: current.user.display_name.clone(),
        registry,
        by_token: false,
        is_security_official: so,
        statement_of_truth_agreed_at: current.session.statement_of_truth_agreed_at,
    })
}

impl RegistryCaller {
    /// An election this caller makes now, as the audit trail records it.
    pub fn election(
        &self, year: PerformanceYear, key: &ParticipantKey, election: Election, channel: ElectionChannel, at: Timestamp,
    ) -> NewElection {
        NewElection {
            performance_year: year,
            tin: key.tin.clone(),
            npi: key.npi.clone(),
            election,
            at,
            actor_user_id: self.actor_id.clone(),
            actor_display_name: self.actor_name.clone(),
            channel,
            statement_of_truth_agreed_at: self.statement_of_truth_agreed_at,
        }
    }
}

/// The registry named in the path and who is calling for it.
pub async fn registry_caller(
    state: &AppState, headers: &HeaderMap, session: Result<CurrentUser, ApiError>, id: &str,
) -> Result<RegistryCaller, ApiError> {
    caller(state, headers, session, id).await
}

/// What the server knows in a year about the participants a registry call names, read at once.
pub struct ClientData {
    practices: HashMap<Tin, PracticeRow>,
    clinicians: HashMap<(Tin, Npi), ClinicianRow>,
    elections: HashMap<ParticipantKey, ElectionRecord>,
    in_virtual_group: HashSet<Tin>,
    /// The year's virtual groups: ID → name.
    virtual_groups: HashMap<EntityId, String>,
    window: Option<ElectionWindow>,
    year: PerformanceYear,
    now: Timestamp,
}

impl ClientData {
    /// What is known of exactly the participants a call names (a registry may act for any TIN):
    /// their practices, the named clinicians and their elections, read by key.
    pub async fn load(
        state: &AppState, year: PerformanceYear, keys: impl IntoIterator<Item = ParticipantKey>,
    ) -> Result<ClientData, ApiError> {
        let keys: Vec<ParticipantKey> =
            keys.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        let tins: Vec<Tin> =
            keys.iter().map(|k| k.tin.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        let clinician_keys: Vec<(&Tin, &Npi)> =
            keys.iter().filter_map(|k| k.npi.as_ref().map(|n| (&k.tin, n))).collect();
        let election_keys: Vec<(&Tin, Option<&Npi>)> = keys.iter().map(|k| (&k.tin, k.npi.as_ref())).collect();
        let store = &state.store;
        let groups = store.virtual_groups_in(year).await?;
        Ok(ClientData {
            practices: index_by(store.practices_in(Scope::Tins(&tins), year).await?, |p| p.tin.clone()),
            clinicians: index_by(store.clinicians_named(year, &clinician_keys).await?, |c| {
                (c.tin.clone(), c.npi.clone())
            }),
            elections: store
                .elections_named(year, &election_keys)
                .await?
                .into_iter()
                .map(|e| (ParticipantKey { tin: e.tin.clone(), npi: e.npi.clone() }, e))
                .collect(),
            in_virtual_group: groups.iter().flat_map(|g| g.member_tins.iter().cloned()).collect(),
            // An ID the store holds that isn't a valid entity ID can't be named by a file either.
            virtual_groups: groups
                .into_iter()
                .filter_map(|g| Some((EntityId::parse(&g.vg_id).ok()?, g.name)))
                .collect(),
            window: store.window(year).await?,
            year,
            now: state.now(),
        })
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The name from the eligibility data ("" when unknown).
    pub fn name_of(&self, key: &ParticipantKey) -> String {
        match &key.npi {
            None => self.practices.get(&key.tin).map(|p| p.name.clone()),
            Some(n) => {
                self.clinicians.get(&(key.tin.clone(), n.clone())).map(|c| format!("{} {}", c.first_name, c.last_name))
            }
        }
        .unwrap_or_default()
    }

    pub fn election_of(&self, key: &ParticipantKey) -> Option<Election> {
        self.elections.get(key).map(|e| e.election)
    }

    /// The recorded election itself (who made it, when).
    pub fn election_record(&self, key: &ParticipantKey) -> Option<&ElectionRecord> {
        self.elections.get(key)
    }

    /// (name, standing) of an APM Entity, virtual group or subgroup.
    pub fn entity_standing(&self, key: &EntityKey) -> (String, ParticipantStanding) {
        let known = (key.entity_type == EntityType::VirtualGroup).then(|| self.virtual_groups.get(&key.entity_id));
        let facts = EntityFacts {
            known_virtual_group: known.flatten().is_some(),
            window: self.window.as_ref(),
            year: self.year,
            now: self.now,
        };
        (known.flatten().cloned().unwrap_or_default(), entity_standing(key, &facts))
    }

    /// (name, standing) of one participant.
    pub fn standing(&self, key: &ParticipantKey, entity_type: Option<EntityType>) -> (String, ParticipantStanding) {
        let determination = match &key.npi {
            None => self.practices.get(&key.tin).map(|p| p.facts.determination),
            Some(n) => self.clinicians.get(&(key.tin.clone(), n.clone())).map(|c| c.facts.determination),
        };
        let facts = ParticipantFacts {
            entity_type,
            determination,
            in_virtual_group: self.in_virtual_group.contains(&key.tin),
            existing: self.election_of(key),
            window: self.window.as_ref(),
            year: self.year,
            now: self.now,
        };
        (self.name_of(key), standing(key, &facts))
    }
}
