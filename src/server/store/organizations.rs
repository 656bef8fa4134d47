//! APM Entities and virtual groups (`apm_entities`, `virtual_groups`) and their users.

use super::codec::{get_bool, get_tins, tins_text};
use super::Store;
use crate::api::{ApmEntitySummary, VirtualGroupSummary};
use crate::domain::{PerformanceYear, Tin};
use sqlx::Row;

impl Store {
    pub async fn upsert_apm_entity(
        &self,
        year: PerformanceYear,
        e: &ApmEntitySummary,
        user_id: &str,
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
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ApmEntitySummary>, sqlx::Error> {
        let sql = "SELECT a.entity_id, a.name, a.apm_name, a.track, a.participant_tins, a.is_demo FROM apm_entities a JOIN user_apm_entities u ON u.entity_id = a.entity_id \
             WHERE u.user_id = $1 AND a.performance_year = $2 ORDER BY a.name";
        self.rows_for_year(sql, user_id, year, |r| {
            Ok(ApmEntitySummary {
                entity_id: r.try_get("entity_id")?,
                name: r.try_get("name")?,
                apm_name: r.try_get("apm_name")?,
                track: r.try_get("track")?,
                participant_tins: get_tins(r, "participant_tins")?,
                is_demo: get_bool(r, "is_demo")?,
            })
        })
        .await
    }

    pub async fn upsert_virtual_group(
        &self,
        year: PerformanceYear,
        v: &VirtualGroupSummary,
        user_id: &str,
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

    /// Every TIN in a virtual group in the year.
    pub async fn virtual_group_tins(&self, year: PerformanceYear) -> Result<Vec<Tin>, sqlx::Error> {
        let rows = sqlx::query("SELECT member_tins FROM virtual_groups WHERE performance_year = $1")
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        let mut out = vec![];
        for r in rows {
            out.extend(get_tins(&r, "member_tins")?);
        }
        Ok(out)
    }

    pub async fn virtual_groups_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<VirtualGroupSummary>, sqlx::Error> {
        let sql = "SELECT v.vg_id, v.name, v.member_tins, v.elected_on, v.is_demo FROM virtual_groups v JOIN user_virtual_groups u ON u.vg_id = v.vg_id \
             WHERE u.user_id = $1 AND v.performance_year = $2 ORDER BY v.name";
        self.rows_for_year(sql, user_id, year, |r| {
            Ok(VirtualGroupSummary {
                vg_id: r.try_get("vg_id")?,
                name: r.try_get("name")?,
                member_tins: get_tins(r, "member_tins")?,
                elected_on: r.try_get("elected_on")?,
                is_demo: get_bool(r, "is_demo")?,
            })
        })
        .await
    }
}
