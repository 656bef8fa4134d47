//! Clinicians' eligibility data per TIN/NPI and year (`clinicians`).

use super::codec::{get_bool, get_npi, get_statuses, get_tin, get_year, statuses_text};
use super::{Scope, Store};
use crate::domain::{Npi, PerformanceYear, SpecialStatus, Tin, VolumeFigures};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct ClinicianRow {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Npi,
    pub first_name: String,
    pub last_name: String,
    pub medicare_patients: i64,
    pub allowed_charges_cents: i64,
    pub covered_services: i64,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub is_demo: bool,
}

pub(super) const CLINICIAN_COLUMNS: &str = "c.performance_year, c.tin, c.npi, c.first_name, c.last_name, c.medicare_patients, c.allowed_charges_cents, c.covered_services, c.special_statuses, c.mips_apm_participant, c.is_demo";

pub(super) fn clinician_from(r: &AnyRow) -> Result<ClinicianRow, sqlx::Error> {
    Ok(ClinicianRow {
        performance_year: get_year(r, "performance_year")?,
        tin: get_tin(r, "tin")?,
        npi: get_npi(r, "npi")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        medicare_patients: r.try_get("medicare_patients")?,
        allowed_charges_cents: r.try_get("allowed_charges_cents")?,
        covered_services: r.try_get("covered_services")?,
        special_statuses: get_statuses(r, "special_statuses")?,
        mips_apm_participant: get_bool(r, "mips_apm_participant")?,
        is_demo: get_bool(r, "is_demo")?,
    })
}

impl ClinicianRow {
    /// The three low-volume figures.
    pub fn figures(&self) -> VolumeFigures {
        VolumeFigures {
            allowed_charges_cents: self.allowed_charges_cents,
            medicare_patients: self.medicare_patients,
            covered_services: self.covered_services,
        }
    }
}

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
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: &Npi,
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
        row.as_ref().map(clinician_from).transpose()
    }

    /// Every TIN/NPI row of one NPI in a year (a clinician may bill under several TINs).
    pub async fn clinician_by_npi(&self, year: PerformanceYear, npi: &Npi) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.npi = $2 ORDER BY c.tin"
        );
        let rows = sqlx::query(&sql).bind(year.get() as i64).bind(npi.as_str()).fetch_all(&self.pool).await?;
        rows.iter().map(clinician_from).collect()
    }

    /// The clinicians in scope for one year, by practice and name.
    pub async fn clinicians_in(
        &self,
        scope: Scope<'_>,
        year: PerformanceYear,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql =
            scope.select(CLINICIAN_COLUMNS, "clinicians", "c", "ORDER BY c.tin, c.last_name, c.first_name, c.npi");
        self.rows_for_year(&sql, scope.key(), year, clinician_from).await
    }
}

async fn insert_clinician(conn: &mut sqlx::AnyConnection, c: &ClinicianRow) -> Result<(), sqlx::Error> {
    sqlx::query(
            "INSERT INTO clinicians (performance_year, tin, npi, first_name, last_name, medicare_patients, allowed_charges_cents, covered_services, special_statuses, mips_apm_participant, is_demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (performance_year, tin, npi) DO NOTHING",
        )
        .bind(c.performance_year.get() as i64)
        .bind(c.tin.as_str())
        .bind(c.npi.as_str())
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(c.medicare_patients)
        .bind(c.allowed_charges_cents)
        .bind(c.covered_services)
        .bind(statuses_text(&c.special_statuses))
        .bind(c.mips_apm_participant as i64)
        .bind(c.is_demo as i64)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
