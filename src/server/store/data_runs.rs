//! Eligibility data runs (`data_runs`).

use super::codec::{from_row, rows};
use super::{Db, Store};
use crate::api::DataRun;

from_row!(DataRun { performance_year, run_number, released_on, description });

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
}
