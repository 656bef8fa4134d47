//! Registries' API tokens (`registry_api_tokens`): only SHA-256 hashes are stored.

use super::codec::{from_row, FromRow};
use super::{Db, Store};
use crate::api::{ApiTokenInfo, RegistrySummary};
use crate::domain::Timestamp;

from_row!(ApiTokenInfo { last_four, created_at, created_by });

/// The registry a live token belongs to.
#[derive(Clone, Debug)]
pub struct LiveToken {
    pub registry_id: String,
    pub created_at: Timestamp,
    pub last_four: String,
}
from_row!(LiveToken { registry_id, created_at, last_four });

impl Store {
    /// Stores a new token and revokes any earlier live one, in one transaction. Returns whether
    /// an earlier token was revoked.
    pub async fn rotate_api_token(
        &self, registry_id: &str, token_hash: &str, last_four: &str, now: Timestamp, by: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let revoked =
            sqlx::query("UPDATE registry_api_tokens SET revoked_at = $1 WHERE registry_id = $2 AND revoked_at IS NULL")
                .bind(now.0)
                .bind(registry_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        sqlx::query("INSERT INTO registry_api_tokens (token_hash, registry_id, last_four, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(registry_id)
            .bind(last_four)
            .bind(now.0)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(revoked > 0)
    }

    pub async fn revoke_api_tokens(&self, registry_id: &str, now: Timestamp) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("UPDATE registry_api_tokens SET revoked_at = $1 WHERE registry_id = $2 AND revoked_at IS NULL")
            .bind(now.0)
            .bind(registry_id)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    pub async fn live_api_token(&self, registry_id: &str) -> Db<Option<ApiTokenInfo>> {
        let sql = "SELECT last_four, created_at, created_by FROM registry_api_tokens WHERE registry_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC";
        Ok(self.rows_by(sql, registry_id).await?.into_iter().next())
    }

    /// A live token and its registry, in one query (every program call starts here).
    pub async fn api_token(&self, token_hash: &str) -> Db<Option<(LiveToken, RegistrySummary)>> {
        let sql = "SELECT t.registry_id, t.created_at, t.last_four, r.name, r.tin, r.kind, r.is_demo \
                   FROM registry_api_tokens t JOIN registries r ON r.registry_id = t.registry_id \
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL";
        let row = sqlx::query(sql).bind(token_hash).fetch_optional(&self.pool).await?;
        row.map(|r| Ok((LiveToken::from_row(&r)?, RegistrySummary::from_row(&r)?))).transpose()
    }
}
