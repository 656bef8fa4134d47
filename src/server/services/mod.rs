//! What the handlers ask for: the rules of `domain` applied to what the store holds. Each
//! service loads what it needs in as few queries as it can (never one query per row) and
//! answers with API types or an `ApiError` that says what was refused.

pub mod cards;
pub mod elections;
pub mod eligibility_api;
pub mod import;
pub mod practices;
pub mod qpp;
pub mod registry;
pub mod registry_elections;
pub mod upload_files;
pub mod uploads;
pub mod years;

/// Rows indexed by a key each one carries (rows read in one query, looked up per card).
pub(crate) fn index_by<K: Eq + std::hash::Hash, T>(
    rows: Vec<T>, key: impl Fn(&T) -> K,
) -> std::collections::HashMap<K, T> {
    rows.into_iter().map(|r| (key(&r), r)).collect()
}
