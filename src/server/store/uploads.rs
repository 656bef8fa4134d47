//! Registry uploads (`uploads`, `upload_files`, `submissions`, `measurement_sets`): everything of one upload in one transaction.

use super::codec::{from_row, get, npi_text, rows, submitter_columns, Code};
use super::elections::{insert_or_match, Inserted, NewElection};
use super::Store;
use crate::api::{ElectionChannel, FileFormat, StoredMeasurementSet};
use crate::domain::{Npi, PerformanceYear, Submitter, Timestamp, Tin};

/// A measurement set ready to store: the row Registry Submission Details will list, and the
/// set's QPP JSON.
#[derive(Clone, Debug)]
pub struct NewMeasurementSet {
    pub row: StoredSetRow,
    pub body: String,
}

#[derive(Clone, Debug)]
pub struct NewUploadFile {
    pub name: String,
    pub format: FileFormat,
    pub bytes: i64,
    pub sha256: String,
    /// Kept whole for QRDA III (converted later); "" for QPP JSON (its sets are stored).
    pub content: String,
}

/// Everything one upload writes, in one transaction.
#[derive(Clone, Debug)]
pub struct UploadPlan {
    pub upload_id: String,
    pub registry_id: String,
    pub performance_year: PerformanceYear,
    pub idempotency_key: String,
    pub created_at: Timestamp,
    pub created_by: String,
    pub channel: ElectionChannel,
    pub summary: String,
    pub elections: Vec<NewElection>,
    pub files: Vec<NewUploadFile>,
    pub sets: Vec<NewMeasurementSet>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UploadOutcome {
    Committed,
    /// The same upload was committed before: its stored summary, nothing written now.
    Replayed(String),
    /// Another election was written meanwhile (a race lost); nothing written.
    ElectionRace {
        existing: crate::api::ElectionRecord,
    },
}

/// One stored set and whom it is for, for Registry Submission Details.
#[derive(Clone, Debug)]
pub struct StoredSetRow {
    pub submitter: Submitter,
    /// The participant reports voluntarily without an election (not opt-in eligible).
    pub voluntary_without_election: bool,
    pub set: StoredMeasurementSet,
}
from_row!(StoredMeasurementSet {
    category,
    submission_method,
    program_name,
    measure_count,
    source_format,
    source_file,
    submitted_at
});
from_row!(StoredSetRow { voluntary_without_election; submitter, set });

impl Store {
    pub async fn upload_summary(
        &self, registry_id: &str, idempotency_key: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT summary FROM uploads WHERE registry_id = $1 AND idempotency_key = $2")
            .bind(registry_id)
            .bind(idempotency_key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| get::<String>(&r, "summary")).transpose()
    }

    /// Writes the upload row, its elections, submissions, measurement sets and files — all or
    /// nothing. `fail_after_sets` injects a failure after that many sets (tests only), to prove
    /// the rollback.
    pub async fn commit_upload(
        &self, plan: &UploadPlan, fail_after_sets: Option<usize>,
    ) -> Result<UploadOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO uploads (upload_id, registry_id, performance_year, idempotency_key, created_at, created_by, channel, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (registry_id, idempotency_key) DO NOTHING",
        )
        .bind(&plan.upload_id)
        .bind(&plan.registry_id)
        .bind(plan.performance_year.get() as i64)
        .bind(&plan.idempotency_key)
        .bind(plan.created_at.0)
        .bind(&plan.created_by)
        .bind(plan.channel.code())
        .bind(&plan.summary)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted != 1 {
            tx.rollback().await?;
            let summary = self.upload_summary(&plan.registry_id, &plan.idempotency_key).await?.unwrap_or_default();
            return Ok(UploadOutcome::Replayed(summary));
        }
        // In key order, so two uploads naming the same participants in another order can't deadlock.
        let mut elections: Vec<&NewElection> = plan.elections.iter().collect();
        elections.sort_by(|a, b| (&a.tin, &a.npi).cmp(&(&b.tin, &b.npi)));
        for e in elections {
            // The same choice recorded meanwhile (a concurrent retry) stands; another is a race lost.
            if let Inserted::Conflict(existing) = insert_or_match(&mut tx, e).await? {
                tx.rollback().await?;
                return Ok(UploadOutcome::ElectionRace { existing });
            }
        }
        let year = plan.performance_year.get() as i64;
        for (i, f) in plan.files.iter().enumerate() {
            sqlx::query("INSERT INTO upload_files (upload_id, file_index, file_name, format, bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&plan.upload_id)
                .bind(i as i64)
                .bind(&f.name)
                .bind(Code::code(f.format))
                .bind(f.bytes)
                .bind(&f.sha256)
                .bind(&f.content)
                .execute(&mut *tx)
                .await?;
        }
        for (i, NewMeasurementSet { row: m, body }) in plan.sets.iter().enumerate() {
            if fail_after_sets == Some(i) {
                return Err(sqlx::Error::Protocol(format!("injected failure after {i} measurement sets")));
            }
            let (entity_type, tin, npi, entity_id) = submitter_columns(&m.submitter);
            sqlx::query(
                "INSERT INTO submissions (performance_year, entity_type, tin, npi, entity_id, created_at, updated_at, voluntary_without_election) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) \
                 ON CONFLICT (performance_year, entity_type, tin, npi, entity_id) DO UPDATE SET updated_at = excluded.updated_at, voluntary_without_election = excluded.voluntary_without_election",
            )
            .bind(year)
            .bind(entity_type)
            .bind(tin)
            .bind(npi)
            .bind(entity_id)
            .bind(plan.created_at.0)
            .bind(m.voluntary_without_election as i64)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO measurement_sets (registry_id, performance_year, entity_type, tin, npi, entity_id, category, submission_method, program_name, measure_count, source_format, source_file, upload_id, submitted_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 ON CONFLICT (registry_id, performance_year, entity_type, tin, npi, entity_id, category, submission_method, program_name) DO UPDATE SET \
                 measure_count = excluded.measure_count, source_format = excluded.source_format, source_file = excluded.source_file, \
                 upload_id = excluded.upload_id, submitted_at = excluded.submitted_at, body = excluded.body",
            )
            .bind(&plan.registry_id)
            .bind(year)
            .bind(entity_type)
            .bind(tin)
            .bind(npi)
            .bind(entity_id)
            .bind(&m.set.category)
            .bind(&m.set.submission_method)
            .bind(&m.set.program_name)
            .bind(m.set.measure_count)
            .bind(Code::code(m.set.source_format))
            .bind(&m.set.source_file)
            .bind(&plan.upload_id)
            .bind(m.set.submitted_at.0)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(UploadOutcome::Committed)
    }

    pub async fn registry_sets(
        &self, registry_id: &str, year: PerformanceYear,
    ) -> Result<Vec<StoredSetRow>, sqlx::Error> {
        let found = sqlx::query(
            "SELECT m.entity_type, m.tin, m.npi, m.entity_id, s.voluntary_without_election, m.category, m.submission_method, m.program_name, m.measure_count, m.source_format, m.source_file, m.submitted_at \
             FROM measurement_sets m JOIN submissions s ON s.performance_year = m.performance_year AND s.entity_type = m.entity_type AND s.tin = m.tin AND s.npi = m.npi AND s.entity_id = m.entity_id \
             WHERE m.registry_id = $1 AND m.performance_year = $2 ORDER BY m.entity_id, m.tin, m.npi, m.entity_type, m.category, m.program_name",
        )
        .bind(registry_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows(&found)
    }

    /// The stored JSON of one set (tests and future scoring read it back).
    pub async fn measurement_set_body(
        &self, registry_id: &str, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>, category: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT body FROM measurement_sets WHERE registry_id = $1 AND performance_year = $2 AND tin = $3 AND npi = $4 AND entity_id = '' AND category = $5")
            .bind(registry_id)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi_text(npi))
            .bind(category)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| get::<String>(r, "body")).collect()
    }

    pub async fn upload_count(&self, registry_id: &str, year: PerformanceYear) -> Result<i64, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM uploads WHERE registry_id = $1 AND performance_year = $2")
            .bind(registry_id)
            .bind(year.get() as i64)
            .fetch_one(&self.pool)
            .await?;
        get(&row, "n")
    }
}
