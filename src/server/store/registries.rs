//! Registries and their staff (`registries`, `user_registries`).

use super::codec::{from_row, get, Code, FromRow};
use super::{Db, Store};
use crate::api::RegistrySummary;

from_row!(RegistrySummary { registry_id, name, tin, kind, is_demo });

impl Store {
    pub async fn upsert_registry(&self, r: &RegistrySummary, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO registries (registry_id, name, tin, kind, is_demo) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (registry_id) DO NOTHING")
            .bind(&r.registry_id)
            .bind(&r.name)
            .bind(r.tin.as_str())
            .bind(r.kind.code())
            .bind(r.is_demo as i64)
            .execute(&self.pool)
            .await?;
        self.link_user("user_registries", "registry_id", user_id, &r.registry_id).await
    }

    pub async fn registries_for_user(&self, user_id: &str) -> Db<Vec<RegistrySummary>> {
        let sql = "SELECT r.registry_id, r.name, r.tin, r.kind, r.is_demo FROM registries r \
                   JOIN user_registries u ON u.registry_id = r.registry_id WHERE u.user_id = $1 ORDER BY r.name";
        self.rows_by(sql, user_id).await
    }

    pub async fn registry(&self, registry_id: &str) -> Db<Option<RegistrySummary>> {
        let sql = "SELECT registry_id, name, tin, kind, is_demo FROM registries WHERE registry_id = $1";
        Ok(self.rows_by(sql, registry_id).await?.pop())
    }

    /// The registry and `is_security_official` when the user is its staff, in one query.
    pub async fn registry_membership(&self, user_id: &str, registry_id: &str) -> Db<Option<(RegistrySummary, bool)>> {
        let sql = "SELECT r.registry_id, r.name, r.tin, r.kind, r.is_demo, u.is_security_official \
                   FROM user_registries u JOIN registries r ON r.registry_id = u.registry_id \
                   WHERE u.user_id = $1 AND u.registry_id = $2";
        let row = sqlx::query(sql).bind(user_id).bind(registry_id).fetch_optional(&self.pool).await?;
        row.map(|r| Ok((RegistrySummary::from_row(&r)?, get::<bool>(&r, "is_security_official")?))).transpose()
    }

    pub async fn set_security_official(&self, user_id: &str, registry_id: &str, yes: bool) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE user_registries SET is_security_official = $1 WHERE user_id = $2 AND registry_id = $3")
            .bind(yes as i64)
            .bind(user_id)
            .bind(registry_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn link_user_to_registry(&self, user_id: &str, registry_id: &str) -> Result<(), sqlx::Error> {
        self.link_user("user_registries", "registry_id", user_id, registry_id).await
    }
}
