//! Eligibility data runs (`data_runs`).

use super::codec::get_year;
use super::Store;
use crate::api::DataRun;
use sqlx::Row;

impl Store {
    pub async fn upsert_data_run(&self, run: &DataRun) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO data_runs (performance_year, run_number, released_on, description) VALUES ($1, $2, $3, $4) ON CONFLICT (performance_year, run_number) DO NOTHING")
            .bind(run.performance_year.get() as i64)
            .bind(run.run_number)
            .bind(&run.released_on)
            .bind(&run.description)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn data_runs(&self) -> Result<Vec<DataRun>, sqlx::Error> {
        let rows = sqlx::query("SELECT performance_year, run_number, released_on, description FROM data_runs ORDER BY performance_year, run_number").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(DataRun {
                    performance_year: get_year(r, "performance_year")?,
                    run_number: r.try_get("run_number")?,
                    released_on: r.try_get("released_on")?,
                    description: r.try_get("description")?,
                })
            })
            .collect()
    }
}
