//! Reporting Options of MIPS APM participants (`reporting_pathway_choices`): every choice is a
//! row, never changed; the highest `choice_number` of a participant is its current choice.

use super::codec::{from_row, npi_text};
use super::{Db, Scope, Store};
use crate::domain::{Npi, PerformanceYear, ReportingPathway, Timestamp, Tin};

/// A participant's (TIN, or TIN/NPI) current Reporting Option.
#[derive(Clone, Debug, PartialEq)]
pub struct PathwayRow {
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
    /// 1 for the first choice, 2 after one change, …
    pub choice_number: i64,
}
from_row!(PathwayRow { tin, npi, pathway, chosen_at, chosen_by, choice_number });

const PATHWAY_COLUMNS: &str = "rp.tin, rp.npi, rp.pathway, rp.chosen_at, rp.chosen_by, rp.choice_number";
/// Only each participant's latest choice.
const LATEST: &str = "rp.choice_number = (SELECT MAX(x.choice_number) FROM reporting_pathway_choices x \
     WHERE x.performance_year = rp.performance_year AND x.tin = rp.tin AND x.npi = rp.npi)";

/// A choice to record, who made it when, and the choice it replaces (if any).
#[derive(Clone, Copy, Debug)]
pub struct NewPathway<'a> {
    pub year: PerformanceYear,
    pub tin: &'a Tin,
    pub npi: Option<&'a Npi>,
    pub pathway: ReportingPathway,
    pub at: Timestamp,
    pub actor_user_id: &'a str,
    pub actor_name: &'a str,
    pub replaces: Option<i64>,
}

impl Store {
    pub async fn pathway(&self, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>) -> Db<Option<PathwayRow>> {
        let sql = format!(
            "SELECT {PATHWAY_COLUMNS} FROM reporting_pathway_choices rp \
             WHERE rp.performance_year = $1 AND rp.tin = $2 AND rp.npi = $3 AND {LATEST}"
        );
        Ok(self.rows_for_key(&sql, year, tin, npi_text(npi)).await?.pop())
    }

    /// Records a choice after the one it replaces; `Err(current)` when another choice was
    /// recorded in between (the number decides races: of concurrent changes one is recorded).
    pub async fn record_pathway(&self, p: &NewPathway<'_>) -> Db<Result<PathwayRow, PathwayRow>> {
        let NewPathway { year, tin, npi, pathway, at, actor_user_id, actor_name, replaces } = *p;
        let inserted = sqlx::query(
            "INSERT INTO reporting_pathway_choices (performance_year, tin, npi, choice_number, pathway, chosen_at, chosen_by, actor_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (performance_year, tin, npi, choice_number) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(tin.as_str())
        .bind(npi_text(npi))
        .bind(replaces.unwrap_or(0) + 1)
        .bind(pathway.code())
        .bind(at.0)
        .bind(actor_name)
        .bind(actor_user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let row =
            self.pathway(year, tin, npi).await?.ok_or_else(|| sqlx::Error::Protocol("pathway vanished".into()))?;
        Ok(if inserted == 1 { Ok(row) } else { Err(row) })
    }

    /// Every participant's current choice in scope for one year.
    pub async fn pathways_in(&self, scope: Scope<'_>, year: PerformanceYear) -> Db<Vec<PathwayRow>> {
        self.in_scope(scope, PATHWAY_COLUMNS, "reporting_pathway_choices", "rp", &format!(" AND {LATEST}"), year).await
    }
}
