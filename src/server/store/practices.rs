//! Practices' eligibility data per year (`practices`) and who is connected to them (`user_practices`).

use super::codec::{from_row, statuses_text, FromRow};
use super::{Scope, Store};
use crate::domain::{PerformanceYear, SpecialStatus, Tin, VolumeFigures};

/// What a practice row and a clinician row both hold: the low-volume figures, special statuses
/// and MIPS APM participation of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct EligibilityFacts {
    pub medicare_patients: i64,
    pub allowed_charges_cents: i64,
    pub covered_services: i64,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub is_demo: bool,
}
from_row!(EligibilityFacts {
    medicare_patients,
    allowed_charges_cents,
    covered_services,
    special_statuses,
    mips_apm_participant,
    is_demo
});

/// The facts' columns, in the order `bind_facts` binds them.
pub(super) const FACT_COLUMNS: &str =
    "medicare_patients, allowed_charges_cents, covered_services, special_statuses, mips_apm_participant, is_demo";

impl EligibilityFacts {
    /// The three low-volume figures.
    pub fn figures(&self) -> VolumeFigures {
        VolumeFigures {
            allowed_charges_cents: self.allowed_charges_cents,
            medicare_patients: self.medicare_patients,
            covered_services: self.covered_services,
        }
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the facts as the next six parameters (`FACT_COLUMNS`).
pub(super) fn bind_facts<'q>(q: AnyQuery<'q>, f: &'q EligibilityFacts) -> AnyQuery<'q> {
    q.bind(f.medicare_patients)
        .bind(f.allowed_charges_cents)
        .bind(f.covered_services)
        .bind(statuses_text(&f.special_statuses))
        .bind(f.mips_apm_participant as i64)
        .bind(f.is_demo as i64)
}

/// A practice's eligibility data for one year.
#[derive(Clone, Debug, PartialEq)]
pub struct PracticeRow {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub name: String,
    pub address_line1: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub facts: EligibilityFacts,
}
from_row!(PracticeRow { performance_year, tin, name, address_line1, city, state, zip; facts });

pub(super) const PRACTICE_COLUMNS: &str = "p.performance_year, p.tin, p.name, p.address_line1, p.city, p.state, p.zip, p.medicare_patients, p.allowed_charges_cents, p.covered_services, p.special_statuses, p.mips_apm_participant, p.is_demo";

impl Store {
    pub async fn upsert_practice(&self, p: &PracticeRow) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO practices (performance_year, tin, name, address_line1, city, state, zip, {FACT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (performance_year, tin) DO NOTHING"
        );
        let q = sqlx::query(&sql)
            .bind(p.performance_year.get() as i64)
            .bind(p.tin.as_str())
            .bind(&p.name)
            .bind(&p.address_line1)
            .bind(&p.city)
            .bind(&p.state)
            .bind(&p.zip);
        bind_facts(q, &p.facts).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn connect_user(&self, user_id: &str, tin: &Tin) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO user_practices (user_id, tin) VALUES ($1, $2) ON CONFLICT (user_id, tin) DO NOTHING")
            .bind(user_id)
            .bind(tin.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn is_connected(&self, user_id: &str, tin: &Tin) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT 1 AS one FROM user_practices WHERE user_id = $1 AND tin = $2")
            .bind(user_id)
            .bind(tin.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    pub async fn practice(&self, year: PerformanceYear, tin: &Tin) -> Result<Option<PracticeRow>, sqlx::Error> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} FROM practices p WHERE p.performance_year = $1 AND p.tin = $2");
        let row = sqlx::query(&sql).bind(year.get() as i64).bind(tin.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(PracticeRow::from_row).transpose()
    }

    /// The practices in scope for one year, by name.
    pub async fn practices_in(&self, scope: Scope<'_>, year: PerformanceYear) -> Result<Vec<PracticeRow>, sqlx::Error> {
        self.in_scope(scope, PRACTICE_COLUMNS, "practices", "p", "ORDER BY p.name, p.tin", year).await
    }
}
