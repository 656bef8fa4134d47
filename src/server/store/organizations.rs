//! APM Entities and virtual groups (`apm_entities`, `virtual_groups`) and their users.

use super::codec::{from_row, rows, tins_text};
use super::Store;
use crate::api::{ApmEntitySummary, VirtualGroupSummary};
use crate::domain::{PerformanceYear, Tin};

from_row!(ApmEntitySummary { entity_id, name, apm_name, track, participant_tins, is_demo });
from_row!(VirtualGroupSummary { vg_id, name, member_tins, elected_on, is_demo });

impl Store {
    pub async fn upsert_apm_entity(
        &self, year: PerformanceYear, e: &ApmEntitySummary, user_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO apm_entities (performance_year, entity_id, name, apm_name, track, participant_tins, is_demo) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (performance_year, entity_id) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(&e.entity_id)
        .bind(&e.name)
        .bind(&e.apm_name)
        .bind(&e.track)
        .bind(tins_text(&e.participant_tins))
        .bind(e.is_demo as i64)
        .execute(&self.pool)
        .await?;
        self.link_user("user_apm_entities", "entity_id", user_id, &e.entity_id).await
    }

    pub async fn apm_entities_for_user(
        &self, user_id: &str, year: PerformanceYear,
    ) -> Result<Vec<ApmEntitySummary>, sqlx::Error> {
        let sql = "SELECT a.entity_id, a.name, a.apm_name, a.track, a.participant_tins, a.is_demo FROM apm_entities a JOIN user_apm_entities u ON u.entity_id = a.entity_id \
             WHERE u.user_id = $1 AND a.performance_year = $2 ORDER BY a.name";
        self.rows_for_year(sql, user_id, year).await
    }

    pub async fn upsert_virtual_group(
        &self, year: PerformanceYear, v: &VirtualGroupSummary, user_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO virtual_groups (performance_year, vg_id, name, member_tins, elected_on, is_demo) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (performance_year, vg_id) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(&v.vg_id)
        .bind(&v.name)
        .bind(tins_text(&v.member_tins))
        .bind(&v.elected_on)
        .bind(v.is_demo as i64)
        .execute(&self.pool)
        .await?;
        self.link_user("user_virtual_groups", "vg_id", user_id, &v.vg_id).await
    }

    /// The year's virtual groups (IDs, names and member TINs).
    pub async fn virtual_groups_in(&self, year: PerformanceYear) -> Result<Vec<VirtualGroupSummary>, sqlx::Error> {
        let found = sqlx::query(
            "SELECT vg_id, name, member_tins, elected_on, is_demo FROM virtual_groups WHERE performance_year = $1 ORDER BY vg_id",
        )
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows(&found)
    }

    /// Every TIN in a virtual group in the year.
    pub async fn virtual_group_tins(&self, year: PerformanceYear) -> Result<Vec<Tin>, sqlx::Error> {
        Ok(self.virtual_groups_in(year).await?.into_iter().flat_map(|g| g.member_tins).collect())
    }

    pub async fn virtual_groups_for_user(
        &self, user_id: &str, year: PerformanceYear,
    ) -> Result<Vec<VirtualGroupSummary>, sqlx::Error> {
        let sql = "SELECT v.vg_id, v.name, v.member_tins, v.elected_on, v.is_demo FROM virtual_groups v JOIN user_virtual_groups u ON u.vg_id = v.vg_id \
             WHERE u.user_id = $1 AND v.performance_year = $2 ORDER BY v.name";
        self.rows_for_year(sql, user_id, year).await
    }
}
