//! Election windows per performance year (`election_windows`).

use super::codec::{from_row, rows, Code};
use super::{Db, Store};
use crate::domain::{ElectionWindow, PerformanceYear};
use std::sync::Arc;

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
        *self.windows.write().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// Every year's window, oldest first (read from the database once, see `Store::windows`).
    pub async fn windows(&self) -> Db<Arc<Vec<ElectionWindow>>> {
        if let Some(cached) = self.windows.read().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(cached);
        }
        let sql = "SELECT performance_year, opens_at, election_closes_at, submission_closes_at, source, note \
                   FROM election_windows ORDER BY performance_year";
        let read: Arc<Vec<ElectionWindow>> = Arc::new(rows(&sqlx::query(sql).fetch_all(&self.pool).await?)?);
        *self.windows.write().unwrap_or_else(|e| e.into_inner()) = Some(read.clone());
        Ok(read)
    }

    pub async fn window(&self, year: PerformanceYear) -> Db<Option<ElectionWindow>> {
        Ok(self.windows().await?.iter().find(|w| w.performance_year == year).cloned())
    }
}
