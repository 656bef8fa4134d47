//! Eligibility data runs (`data_runs`), and the import that adds one while replacing a year's
//! determinations (`practices`, `clinicians`) in the same transaction.

use super::clinicians::insert_clinician;
use super::clinicians::ClinicianRow;
use super::codec::{from_row, rows};
use super::practices::insert_practice;
use super::practices::{EligibilityFacts, PracticeRow};
use super::{Db, Store};
use crate::api::DataRun;
use crate::domain::{PerformanceYear, Timestamp, Tin};

/// What one file holds, checked and ready to store.
#[derive(Debug, Default, PartialEq)]
pub struct Determinations {
    pub practices: Vec<PracticeRow>,
    pub clinicians: Vec<ClinicianRow>,
    /// Each virtual group the file names (`virtualGroups[]`), with the TINs that belong to it.
    pub virtual_groups: Vec<(String, Vec<Tin>)>,
}

impl Determinations {
    /// Practices and clinicians that CMS calls opt-in eligible at their level.
    pub fn opt_in_eligible(&self) -> usize {
        let eligible = |f: &EligibilityFacts| f.determination.status() == crate::domain::LowVolumeStatus::OptInEligible;
        self.practices.iter().filter(|p| eligible(&p.facts)).count()
            + self.clinicians.iter().filter(|c| eligible(&c.facts)).count()
    }
}

/// What is recorded about a run besides its year and number.
pub struct RunFacts<'a> {
    pub file_name: &'a str,
    pub content_sha256: String,
    /// The date of the data (ISO), shown as "November 2, 2026".
    pub released_on: String,
    pub now: Timestamp,
    /// Demo data: every row is flagged `is_demo` and labelled so in the UI.
    pub demo: bool,
    /// Words for the run instead of "Imported from FILE: counts" (the demo's runs say what they are).
    pub description: Option<String>,
}

from_row!(DataRun { performance_year, run_number, released_on, description });

/// A run as `mips-elections import runs` lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedRun {
    pub run: DataRun,
    pub file_name: String,
    pub clinicians: i64,
    pub practices: i64,
    pub opt_in_eligible: i64,
    pub content_sha256: String,
    pub imported_at: Timestamp,
}
from_row!(ImportedRun { file_name, clinicians, practices, opt_in_eligible, content_sha256, imported_at; run });

/// How often (in rows stored) the import reports progress.
const PROGRESS_EVERY: usize = 10_000;

const RUN_COLUMNS: &str = "performance_year, run_number, released_on, description, file_name, clinicians, practices, opt_in_eligible, content_sha256, imported_at";

impl Store {
    pub async fn upsert_data_run(&self, run: &DataRun) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO data_runs (performance_year, run_number, released_on, description) VALUES ($1, $2, $3, $4) ON CONFLICT (performance_year, run_number) DO UPDATE SET released_on = excluded.released_on, description = excluded.description")
            .bind(run.performance_year.get() as i64)
            .bind(run.run_number)
            .bind(&run.released_on)
            .bind(&run.description)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn data_runs(&self) -> Db<Vec<DataRun>> {
        let sql = "SELECT performance_year, run_number, released_on, description FROM data_runs ORDER BY performance_year, run_number";
        rows(&sqlx::query(sql).fetch_all(&self.pool).await?)
    }

    /// Every run with what its import recorded, oldest first.
    pub async fn imported_runs(&self) -> Db<Vec<ImportedRun>> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM data_runs ORDER BY performance_year, run_number");
        rows(&sqlx::query(&sql).fetch_all(&self.pool).await?)
    }

    /// The year's latest run.
    pub async fn latest_imported_run(&self, year: PerformanceYear) -> Db<Option<ImportedRun>> {
        let sql =
            format!("SELECT {RUN_COLUMNS} FROM data_runs WHERE performance_year = $1 ORDER BY run_number DESC LIMIT 1");
        let found: Vec<ImportedRun> = rows(&sqlx::query(&sql).bind(year.get() as i64).fetch_all(&self.pool).await?)?;
        Ok(found.into_iter().next())
    }

    /// Replaces the year's practices, clinicians and virtual-group memberships with the file's and
    /// records the run, all or nothing. Elections, pathways and submissions are other tables and
    /// stay as they are.
    pub async fn replace_determinations(
        &self, year: PerformanceYear, d: &Determinations, run: &RunFacts<'_>, progress: &mut dyn FnMut(usize, usize),
    ) -> Db<i64> {
        let total = d.practices.len() + d.clinicians.len();
        let y = year.get() as i64;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM clinicians WHERE performance_year = $1").bind(y).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM practices WHERE performance_year = $1").bind(y).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM virtual_groups WHERE performance_year = $1").bind(y).execute(&mut *tx).await?;
        for (vg_id, member_tins) in &d.virtual_groups {
            // CMS's eligibility data names neither the virtual group nor the date of its election.
            sqlx::query(
                "INSERT INTO virtual_groups (performance_year, vg_id, name, member_tins, elected_on, is_demo) \
                 VALUES ($1, $2, $3, $4, '', $5)",
            )
            .bind(y)
            .bind(vg_id)
            .bind(format!("Virtual group {vg_id}"))
            .bind(super::codec::tins_text(member_tins))
            .bind(run.demo as i64)
            .execute(&mut *tx)
            .await?;
        }
        for (i, p) in d.practices.iter().enumerate() {
            insert_practice(&mut tx, p).await?;
            if (i + 1).is_multiple_of(PROGRESS_EVERY) {
                progress(i + 1, total);
            }
        }
        for (i, c) in d.clinicians.iter().enumerate() {
            insert_clinician(&mut tx, c).await?;
            if (d.practices.len() + i + 1).is_multiple_of(PROGRESS_EVERY) {
                progress(d.practices.len() + i + 1, total);
            }
        }
        if !total.is_multiple_of(PROGRESS_EVERY) {
            progress(total, total);
        }
        let number: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(run_number), 0) + 1 FROM data_runs WHERE performance_year = $1")
                .bind(y)
                .fetch_one(&mut *tx)
                .await?;
        let description = run.description.clone().unwrap_or_else(|| {
            format!(
                "Imported from {}: {} clinicians, {} practices, {} opt-in eligible.",
                run.file_name,
                d.clinicians.len(),
                d.practices.len(),
                d.opt_in_eligible()
            )
        });
        sqlx::query(&format!("INSERT INTO data_runs ({RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
            .bind(y)
            .bind(number)
            .bind(&run.released_on)
            .bind(description)
            .bind(run.file_name)
            .bind(d.clinicians.len() as i64)
            .bind(d.practices.len() as i64)
            .bind(d.opt_in_eligible() as i64)
            .bind(&run.content_sha256)
            .bind(run.now.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(number)
    }
}
