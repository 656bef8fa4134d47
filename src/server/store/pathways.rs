//! Reporting pathways of MIPS APM participants (`reporting_pathways`).

use super::codec::{from_row, npi_text};
use super::{Db, Scope, Store};
use crate::domain::{Npi, PerformanceYear, ReportingPathway, Timestamp, Tin};

/// A participant's (TIN, or TIN/NPI) reporting pathway.
#[derive(Clone, Debug, PartialEq)]
pub struct PathwayRow {
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
}
from_row!(PathwayRow { tin, npi, pathway, chosen_at, chosen_by });

const PATHWAY_COLUMNS: &str = "rp.tin, rp.npi, rp.pathway, rp.chosen_at, rp.chosen_by";

/// A pathway to record, and who chose it when.
#[derive(Clone, Copy, Debug)]
pub struct NewPathway<'a> {
    pub year: PerformanceYear,
    pub tin: &'a Tin,
    pub npi: Option<&'a Npi>,
    pub pathway: ReportingPathway,
    pub at: Timestamp,
    pub actor_user_id: &'a str,
    pub actor_name: &'a str,
}

impl Store {
    pub async fn pathway(&self, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>) -> Db<Option<PathwayRow>> {
        let sql = format!(
            "SELECT {PATHWAY_COLUMNS} FROM reporting_pathways rp WHERE rp.performance_year = $1 AND rp.tin = $2 AND rp.npi = $3"
        );
        Ok(self.rows_for_key(&sql, year, tin, npi_text(npi)).await?.pop())
    }

    /// Records a pathway, or returns the one recorded first (the key decides races).
    pub async fn record_pathway(&self, p: &NewPathway<'_>) -> Result<(bool, PathwayRow), sqlx::Error> {
        let NewPathway { year, tin, npi, pathway, at, actor_user_id, actor_name } = *p;
        let inserted = sqlx::query(
            "INSERT INTO reporting_pathways (performance_year, tin, npi, pathway, chosen_at, chosen_by, actor_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (performance_year, tin, npi) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(tin.as_str())
        .bind(npi_text(npi))
        .bind(pathway.code())
        .bind(at.0)
        .bind(actor_name)
        .bind(actor_user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let row =
            self.pathway(year, tin, npi).await?.ok_or_else(|| sqlx::Error::Protocol("pathway vanished".into()))?;
        Ok((inserted == 1, row))
    }

    /// Every pathway in scope for one year.
    pub async fn pathways_in(&self, scope: Scope<'_>, year: PerformanceYear) -> Db<Vec<PathwayRow>> {
        self.in_scope(scope, PATHWAY_COLUMNS, "reporting_pathways", "rp", "", year).await
    }
}
