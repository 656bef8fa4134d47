//! Clinicians' eligibility data per TIN/NPI and year (`clinicians`).

use super::codec::{column_count, from_row, placeholders, FromRow};
use super::practices::{bind_facts, EligibilityFacts, FACT_COLUMNS};
use super::{Db, Scope, Store};
use crate::domain::{Npi, PerformanceYear, Tin};

/// A clinician's (TIN/NPI's) eligibility data for one year.
#[derive(Clone, Debug, PartialEq)]
pub struct ClinicianRow {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Npi,
    pub first_name: String,
    pub last_name: String,
    pub facts: EligibilityFacts,
}
from_row!(ClinicianRow { performance_year, tin, npi, first_name, last_name; facts });

pub(super) const CLINICIAN_COLUMNS: &str = "c.performance_year, c.tin, c.npi, c.first_name, c.last_name, c.medicare_patients, c.allowed_charges_cents, c.covered_services, c.special_statuses, c.mips_apm_participant, c.is_demo, c.mips_eligible, c.opt_in_eligible, c.exclusion, c.figures_provided";

impl Store {
    pub async fn upsert_clinician(&self, c: &ClinicianRow) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        insert_clinician(&mut conn, c).await
    }

    /// Many clinicians in one transaction (the demo's 10,000-clinician network).
    pub async fn upsert_clinicians(&self, rows: &[ClinicianRow]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for c in rows {
            insert_clinician(&mut tx, c).await?;
        }
        tx.commit().await
    }

    pub async fn clinician(
        &self, year: PerformanceYear, tin: &Tin, npi: &Npi,
    ) -> Result<Option<ClinicianRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.tin = $2 AND c.npi = $3"
        );
        let row = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ClinicianRow::from_row).transpose()
    }

    /// Every TIN/NPI row of one NPI in a year (a clinician may bill under several TINs).
    pub async fn clinician_by_npi(&self, year: PerformanceYear, npi: &Npi) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.npi = $2 ORDER BY c.tin"
        );
        let rows = sqlx::query(&sql).bind(year.get() as i64).bind(npi.as_str()).fetch_all(&self.pool).await?;
        super::codec::rows(&rows)
    }

    /// The clinicians in scope for one year, by practice and name.
    /// Exactly the named clinicians (TIN/NPI) of a year that the data holds.
    pub async fn clinicians_named(&self, year: PerformanceYear, keys: &[(&Tin, &Npi)]) -> Db<Vec<ClinicianRow>> {
        let keys: Vec<(&Tin, &str)> = keys.iter().map(|(t, n)| (*t, n.as_str())).collect();
        self.for_keys(CLINICIAN_COLUMNS, "clinicians", "c", year, &keys).await
    }

    pub async fn clinicians_in(
        &self, scope: Scope<'_>, year: PerformanceYear,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        self.in_scope(
            scope,
            CLINICIAN_COLUMNS,
            "clinicians",
            "c",
            "ORDER BY c.tin, c.last_name, c.first_name, c.npi",
            year,
        )
        .await
    }
}

pub(super) async fn insert_clinician(conn: &mut sqlx::AnyConnection, c: &ClinicianRow) -> Result<(), sqlx::Error> {
    let columns = format!("performance_year, tin, npi, first_name, last_name, {FACT_COLUMNS}");
    let sql = format!(
        "INSERT INTO clinicians ({columns}) VALUES ({}) ON CONFLICT (performance_year, tin, npi) DO NOTHING",
        placeholders(column_count(&columns))
    );
    let q = sqlx::query(&sql)
        .bind(c.performance_year.get() as i64)
        .bind(c.tin.as_str())
        .bind(c.npi.as_str())
        .bind(&c.first_name)
        .bind(&c.last_name);
    bind_facts(q, &c.facts).execute(&mut *conn).await?;
    Ok(())
}
