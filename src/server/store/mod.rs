//! Persistence through sqlx's `Any` driver: the same queries run on SQLite (the embedded default)
//! and PostgreSQL. Queries use `$n` parameters, which both accept, and only text and 64-bit
//! integer columns.

pub mod api_tokens;
pub mod clinicians;
pub mod codec;
pub mod data_runs;
pub mod elections;
pub mod organizations;
pub mod pathways;
pub mod practices;
pub mod registries;
pub mod sessions;
pub mod sign_in_attempts;
pub mod uploads;
pub mod users;
pub mod windows;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::sync::{Arc, RwLock};

/// Whose rows a query reads: every practice a user is connected to, one practice, or the TINs
/// a registry call names. One query per table serves all three, so no page reads row by row.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    User(&'a str),
    Practice(&'a crate::domain::Tin),
    /// The rows of the TINs a registry call names, read through the `tin` index in chunks.
    Tins(&'a [crate::domain::Tin]),
}

impl Scope<'_> {
    /// The JOIN and the condition (with `$1`) that keep a table's rows (`alias.tin`) in scope.
    fn sql(&self, alias: &str) -> (String, String) {
        match self {
            Scope::User(_) => {
                (format!("JOIN user_practices sc ON sc.tin = {alias}.tin"), "sc.user_id = $1".to_string())
            }
            Scope::Practice(_) => (String::new(), format!("{alias}.tin = $1")),
            // A TIN list is bound value by value (`Store::in_scope`); `$1` is its first TIN here.
            Scope::Tins(_) => (String::new(), format!("{alias}.tin = $1")),
        }
    }

    fn key(&self) -> &str {
        match self {
            Scope::User(id) => id,
            Scope::Tins(tins) => tins.first().map(|t| t.as_str()).unwrap_or(""),
            Scope::Practice(tin) => tin.as_str(),
        }
    }

    /// `SELECT {columns} FROM {table} {alias} … WHERE (in scope) AND {alias}.performance_year = $2`.
    fn select(&self, columns: &str, table: &str, alias: &str, order: &str) -> String {
        let (join, cond) = self.sql(alias);
        format!("SELECT {columns} FROM {table} {alias} {join} WHERE {cond} AND {alias}.performance_year = $2 {order}")
    }
}

/// TINs bound in one `IN (…)`: far below SQLite's and PostgreSQL's parameter limits.
const TINS_PER_QUERY: usize = 500;
/// Participant keys per query (two parameters each, well under every database's limit).
const KEYS_PER_QUERY: usize = 250;

/// What every store method returns.
pub type Db<T> = Result<T, sqlx::Error>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The election windows, read once: they are reference data that only start-up seeding
    /// writes (`seed.rs`), and every election reads its year's, so this instance's own
    /// `upsert_window` is the only change it needs to see.
    windows: Arc<RwLock<Option<Arc<Vec<crate::domain::ElectionWindow>>>>>,
}

impl Store {
    /// Connects, creating a SQLite file (and its folder) if needed, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store, String> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let file = path.split('?').next().unwrap_or("");
            if !file.is_empty() && file != ":memory:" {
                if let Some(dir) = std::path::Path::new(file).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    }
                }
            }
            let with_mode = if path.contains("mode=") {
                format!("sqlite://{path}")
            } else if path.contains('?') {
                format!("sqlite://{path}&mode=rwc")
            } else {
                format!("sqlite://{path}?mode=rwc")
            };
            (Backend::Sqlite, with_mode)
        } else {
            return Err(format!("DATABASE_URL must start with sqlite: or postgres:// (got \"{url}\")"));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        Ok(Store { pool, backend, windows: Arc::default() })
    }

    /// PostgreSQL with two roles: `owner_url` owns the schema and runs the migrations, then grants
    /// the role of `app_url` only what the application needs — on the final tables `SELECT` and
    /// `INSERT` alone, so no statement it can run (UPDATE, DELETE, TRUNCATE, DROP or ALTER, which
    /// need ownership) changes or removes an election or its audit row. The server then uses
    /// `app_url` alone.
    pub async fn connect_application(app_url: &str, owner_url: &str) -> Result<Store, String> {
        let owner = Store::connect(owner_url).await?;
        if owner.backend != Backend::Postgres {
            return Err("DATABASE_OWNER_URL is for PostgreSQL: SQLite has no roles".into());
        }
        let app = Store::open(app_url).await?;
        let role: String = sqlx::query_scalar("SELECT CAST(current_user AS TEXT)")
            .fetch_one(&app.pool)
            .await
            .map_err(|e| format!("cannot read the application role: {e}"))?;
        owner.grant_application_role(&role).await.map_err(|e| format!("granting {role} failed: {e}"))?;
        owner.close().await;
        Ok(app)
    }

    /// The tables whose rows are final: the application may read and add, nothing more.
    const FINAL_TABLES: [&'static str; 4] =
        ["elections", "election_audit", "reporting_pathway_choices", "statement_of_truth_agreements"];

    async fn grant_application_role(&self, role: &str) -> Result<(), sqlx::Error> {
        let owner: String = sqlx::query_scalar("SELECT CAST(current_user AS TEXT)").fetch_one(&self.pool).await?;
        if owner == role {
            tracing::warn!(role, "the application connects as the schema's owner, which could drop the finality triggers; give DATABASE_URL its own role");
        }
        let role = format!("\"{}\"", role.replace('"', "\"\""));
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .fetch_all(&self.pool)
        .await?;
        // Only additive GRANTs and REVOKEs of rights the app never uses, in one transaction under
        // a lock: an instance starting never takes away what a running one is using, and two
        // starting together don't race on the catalog.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(7201012)").execute(&mut *tx).await?;
        sqlx::query(&format!("GRANT USAGE ON SCHEMA public TO {role}")).execute(&mut *tx).await?;
        for table in &tables {
            let (grant, revoke) = if table == "_sqlx_migrations" {
                ("SELECT", "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER")
            } else if Self::FINAL_TABLES.contains(&table.as_str()) {
                ("SELECT, INSERT", "UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER")
            } else {
                ("SELECT, INSERT, UPDATE, DELETE", "TRUNCATE, REFERENCES, TRIGGER")
            };
            sqlx::query(&format!("GRANT {grant} ON \"{table}\" TO {role}")).execute(&mut *tx).await?;
            sqlx::query(&format!("REVOKE {revoke} ON \"{table}\" FROM {role}")).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<(), String> {
        if self.backend == Backend::Sqlite {
            // WAL lets readers proceed while an election is being written; it persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&self.pool).await.map_err(|e| e.to_string())?;
        }
        let result = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        };
        result.map_err(|e| format!("database migration failed: {e}"))
    }

    /// Rows of a query whose parameters are `$1` = a key (user, TIN, registry) and `$2` = the
    /// performance year, each decoded as a `T`.
    pub(super) async fn rows_for_year<T: codec::FromRow>(
        &self, sql: &str, key: &str, year: crate::domain::PerformanceYear,
    ) -> Result<Vec<T>, sqlx::Error> {
        let rows = sqlx::query(sql).bind(key).bind(year.get() as i64).fetch_all(&self.pool).await?;
        codec::rows(&rows)
    }

    /// The rows of `table` in scope for one year. A TIN list is read in chunks of `IN (…)` so the
    /// `tin` index serves it however long the list; the other scopes are one query.
    pub(super) async fn in_scope<T: codec::FromRow>(
        &self, scope: Scope<'_>, columns: &str, table: &str, alias: &str, order: &str,
        year: crate::domain::PerformanceYear,
    ) -> Db<Vec<T>> {
        let Scope::Tins(tins) = scope else {
            return self.rows_for_year(&scope.select(columns, table, alias, order), scope.key(), year).await;
        };
        let mut out = vec![];
        for chunk in tins.chunks(TINS_PER_QUERY) {
            let marks = (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT {columns} FROM {table} {alias} WHERE {alias}.performance_year = $1 AND {alias}.tin IN ({marks}) {order}"
            );
            let mut q = sqlx::query(&sql).bind(year.get() as i64);
            for t in chunk {
                q = q.bind(t.as_str());
            }
            out.extend(codec::rows::<T>(&q.fetch_all(&self.pool).await?)?);
        }
        Ok(out)
    }

    /// The rows of `table` for exactly these participant keys (TIN and NPI text, "" for a group)
    /// in one year, read through the primary key in chunks: a call that names one clinician of a
    /// 10,000-clinician TIN reads one row.
    pub(super) async fn for_keys<T: codec::FromRow>(
        &self, columns: &str, table: &str, alias: &str, year: crate::domain::PerformanceYear,
        keys: &[(&crate::domain::Tin, &str)],
    ) -> Db<Vec<T>> {
        let mut out = vec![];
        for chunk in keys.chunks(KEYS_PER_QUERY) {
            // A row-value list: both databases probe the primary key with it.
            let pairs =
                (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 2, 2 * i + 3)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT {columns} FROM {table} {alias} WHERE {alias}.performance_year = $1 AND ({alias}.tin, {alias}.npi) IN (VALUES {pairs})"
            );
            let mut q = sqlx::query(&sql).bind(year.get() as i64);
            for (tin, npi) in chunk {
                q = q.bind(tin.as_str()).bind(*npi);
            }
            out.extend(codec::rows::<T>(&q.fetch_all(&self.pool).await?)?);
        }
        Ok(out)
    }

    /// Rows of a query whose parameters are a participant's key: `$1` = the performance year,
    /// `$2` = the TIN, `$3` = the NPI ("" for a group).
    pub(super) async fn rows_for_key<T: codec::FromRow>(
        &self, sql: &str, year: crate::domain::PerformanceYear, tin: &crate::domain::Tin, npi: &str,
    ) -> Db<Vec<T>> {
        let rows = sqlx::query(sql).bind(year.get() as i64).bind(tin.as_str()).bind(npi).fetch_all(&self.pool).await?;
        codec::rows(&rows)
    }

    /// Rows of a query whose one parameter `$1` is a key (a user ID, registry ID, token hash).
    pub(super) async fn rows_by<T: codec::FromRow>(&self, sql: &str, key: &str) -> Db<Vec<T>> {
        codec::rows(&sqlx::query(sql).bind(key).fetch_all(&self.pool).await?)
    }

    /// The tables that flag demo rows, and whether any of them holds a row that is not demo data
    /// (a real account, registry or eligibility record). `--demo` refuses such a database.
    pub async fn holds_non_demo_data(&self) -> Db<bool> {
        for table in ["users", "practices", "clinicians", "registries", "apm_entities", "virtual_groups"] {
            // `table` is a fixed name from this list, never input.
            let sql = format!("SELECT 1 AS one FROM {table} WHERE is_demo = 0 LIMIT 1");
            if sqlx::query(&sql).fetch_optional(&self.pool).await?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Connects a user to an organization. `table` and `column` are fixed names from this file,
    /// never input.
    pub(super) async fn link_user(
        &self, table: &'static str, column: &'static str, user_id: &str, id: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO {table} (user_id, {column}) VALUES ($1, $2) ON CONFLICT (user_id, {column}) DO NOTHING"
        );
        sqlx::query(&sql).bind(user_id).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Runs a raw statement; used by tests to prove the database itself refuses changes.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }

    /// Each row of a query as its columns' values joined by `|` (integers or text), for tests that
    /// compare what is stored before and after.
    pub async fn rows_as_text(&self, sql: &str) -> Result<Vec<String>, sqlx::Error> {
        use sqlx::Row;
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<i64, _>(i)
                            .map(|n| n.to_string())
                            .or_else(|_| r.try_get::<String, _>(i))
                            .unwrap_or_else(|_| "?".into())
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect())
    }
}
