//! Reporting pathways of MIPS APM participants (`reporting_pathways`).

use super::codec::{get_code, get_optional_npi, get_tin, npi_text};
use super::{Scope, Store};
use crate::domain::{Npi, PerformanceYear, ReportingPathway, Timestamp, Tin};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct PathwayRow {
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
}

fn pathway_from(r: &AnyRow) -> Result<PathwayRow, sqlx::Error> {
    Ok(PathwayRow {
        pathway: get_code(r, "pathway")?,
        chosen_at: Timestamp(r.try_get("chosen_at")?),
        chosen_by: r.try_get("chosen_by")?,
    })
}

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
    pub async fn pathway(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
    ) -> Result<Option<PathwayRow>, sqlx::Error> {
        let row = sqlx::query("SELECT pathway, chosen_at, chosen_by FROM reporting_pathways WHERE performance_year = $1 AND tin = $2 AND npi = $3")
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi_text(npi))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(pathway_from).transpose()
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

    /// (TIN, NPI, pathway) of every pathway in scope for one year.
    pub async fn pathways_in(
        &self,
        scope: Scope<'_>,
        year: PerformanceYear,
    ) -> Result<Vec<(Tin, Option<Npi>, PathwayRow)>, sqlx::Error> {
        let sql =
            scope.select("rp.tin, rp.npi, rp.pathway, rp.chosen_at, rp.chosen_by", "reporting_pathways", "rp", "");
        self.rows_for_year(&sql, scope.key(), year, |r| {
            Ok((get_tin(r, "tin")?, get_optional_npi(r, "npi")?, pathway_from(r)?))
        })
        .await
    }
}
