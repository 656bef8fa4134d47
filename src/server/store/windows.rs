//! Election windows per performance year (`election_windows`).

use super::codec::{from_row, rows, Code, FromRow};
use super::{Db, Store};
use crate::domain::{ElectionWindow, PerformanceYear};

const WINDOW_COLUMNS: &str = "performance_year, opens_at, election_closes_at, submission_closes_at, source, note";

from_row!(ElectionWindow { performance_year, opens_at, election_closes_at, submission_closes_at, source, note });

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

    pub async fn windows(&self) -> Db<Vec<ElectionWindow>> {
        let sql = format!("SELECT {WINDOW_COLUMNS} FROM election_windows ORDER BY performance_year");
        rows(&sqlx::query(&sql).fetch_all(&self.pool).await?)
    }

    /// One year's window (read on every election, so only its row).
    pub async fn window(&self, year: PerformanceYear) -> Db<Option<ElectionWindow>> {
        let sql = format!("SELECT {WINDOW_COLUMNS} FROM election_windows WHERE performance_year = $1");
        let found = sqlx::query(&sql).bind(year.get() as i64).fetch_optional(&self.pool).await?;
        found.map(|r| ElectionWindow::from_row(&r)).transpose()
    }
}
