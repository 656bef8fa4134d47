//! Election windows per performance year (`election_windows`).

use super::codec::{get_code, get_year, Code};
use super::Store;
use crate::domain::{ElectionWindow, PerformanceYear, Timestamp};
use sqlx::Row;

impl Store {
    pub async fn upsert_window(&self, w: &ElectionWindow) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO election_windows (performance_year, opens_at, election_closes_at, submission_closes_at, source, note) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (performance_year) DO UPDATE SET opens_at = excluded.opens_at, election_closes_at = excluded.election_closes_at, \
             submission_closes_at = excluded.submission_closes_at, source = excluded.source, note = excluded.note",
        )
        .bind(w.performance_year.get() as i64)
        .bind(w.opens_at.0)
        .bind(w.election_closes_at.0)
        .bind(w.submission_closes_at.0)
        .bind(w.source.code())
        .bind(&w.note)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn windows(&self) -> Result<Vec<ElectionWindow>, sqlx::Error> {
        let rows = sqlx::query("SELECT performance_year, opens_at, election_closes_at, submission_closes_at, source, note FROM election_windows ORDER BY performance_year")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ElectionWindow {
                    performance_year: get_year(r, "performance_year")?,
                    opens_at: Timestamp(r.try_get("opens_at")?),
                    election_closes_at: Timestamp(r.try_get("election_closes_at")?),
                    submission_closes_at: Timestamp(r.try_get("submission_closes_at")?),
                    source: get_code(r, "source")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    pub async fn window(&self, year: PerformanceYear) -> Result<Option<ElectionWindow>, sqlx::Error> {
        Ok(self.windows().await?.into_iter().find(|w| w.performance_year == year))
    }
}
