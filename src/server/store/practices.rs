//! Practices' eligibility data per year (`practices`) and who is connected to them (`user_practices`).

use super::codec::{column_count, from_row, placeholders, statuses_text, FromRow};
use super::{Scope, Store};
use crate::domain::{Determination, Exclusion, PerformanceYear, SpecialStatus, Tin, VolumeFigures};

/// What a practice row and a clinician row both hold: CMS's determination at that level, the
/// low-volume figures (when provided), special statuses and MIPS APM participation of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct EligibilityFacts {
    pub determination: Determination,
    /// False when the data gave no figures (CMS does not publish them): the card says "not provided".
    pub figures_provided: bool,
    pub medicare_patients: i64,
    pub allowed_charges_cents: i64,
    pub covered_services: i64,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub is_demo: bool,
}
from_row!(Determination { mips_eligible, opt_in_eligible, exclusion });
from_row!(EligibilityFacts {
    figures_provided,
    medicare_patients,
    allowed_charges_cents,
    covered_services,
    special_statuses,
    mips_apm_participant,
    is_demo;
    determination
});

/// The facts' columns, in the order `bind_facts` binds them.
pub(super) const FACT_COLUMNS: &str = "medicare_patients, allowed_charges_cents, covered_services, special_statuses, mips_apm_participant, is_demo, mips_eligible, opt_in_eligible, exclusion, figures_provided";

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

/// Binds the facts as the next ten parameters (`FACT_COLUMNS`).
pub(super) fn bind_facts<'q>(q: AnyQuery<'q>, f: &'q EligibilityFacts) -> AnyQuery<'q> {
    q.bind(f.medicare_patients)
        .bind(f.allowed_charges_cents)
        .bind(f.covered_services)
        .bind(statuses_text(&f.special_statuses))
        .bind(f.mips_apm_participant as i64)
        .bind(f.is_demo as i64)
        .bind(f.determination.mips_eligible as i64)
        .bind(f.determination.opt_in_eligible as i64)
        .bind(f.determination.exclusion.map_or("", Exclusion::code))
        .bind(f.figures_provided as i64)
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

pub(super) const PRACTICE_COLUMNS: &str = "p.performance_year, p.tin, p.name, p.address_line1, p.city, p.state, p.zip, p.medicare_patients, p.allowed_charges_cents, p.covered_services, p.special_statuses, p.mips_apm_participant, p.is_demo, p.mips_eligible, p.opt_in_eligible, p.exclusion, p.figures_provided";

impl Store {
    pub async fn upsert_practice(&self, p: &PracticeRow) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        insert_practice(&mut conn, p).await
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

/// Inserts a practice row unless one exists for its year and TIN (the import deletes the year's
/// rows first, in the same transaction).
pub(super) async fn insert_practice(conn: &mut sqlx::AnyConnection, p: &PracticeRow) -> Result<(), sqlx::Error> {
    let columns = format!("performance_year, tin, name, address_line1, city, state, zip, {FACT_COLUMNS}");
    let sql = format!(
        "INSERT INTO practices ({columns}) VALUES ({}) ON CONFLICT (performance_year, tin) DO NOTHING",
        placeholders(column_count(&columns))
    );
    let q = sqlx::query(&sql)
        .bind(p.performance_year.get() as i64)
        .bind(p.tin.as_str())
        .bind(&p.name)
        .bind(&p.address_line1)
        .bind(&p.city)
        .bind(&p.state)
        .bind(&p.zip);
    bind_facts(q, &p.facts).execute(&mut *conn).await?;
    Ok(())
}
