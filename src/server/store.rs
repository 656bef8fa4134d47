//! Persistence through sqlx's `Any` driver: the same queries run on SQLite (the embedded default)
//! and PostgreSQL. Queries use `$n` parameters, which both accept, and only text and 64-bit
//! integer columns.

use crate::api::{
    ApiTokenInfo, ApmEntitySummary, DataRun, ElectionChannel, FileFormat, RegistryKind,
    RegistrySummary, StoredMeasurementSet, UserRole, VirtualGroupSummary,
};
use crate::domain::{
    Election, ElectionWindow, Npi, PerformanceYear, ReportingPathway, SpecialStatus, Timestamp,
    Tin, WindowSource,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

#[derive(Clone, Debug)]
pub struct UserRow {
    pub user_id: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: UserRole,
}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub user: UserRow,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub statement_of_truth_agreed_at: Timestamp,
}

/// A practice's or clinician's eligibility data for one year.
#[derive(Clone, Debug, PartialEq)]
pub struct PracticeRow {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub name: String,
    pub address_line1: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub medicare_patients: i64,
    pub allowed_charges_cents: i64,
    pub covered_services: i64,
    pub special_statuses: Vec<SpecialStatus>,
    pub mips_apm_participant: bool,
    pub is_demo: bool,
}

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

#[derive(Clone, Debug, PartialEq)]
pub struct ElectionRow {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub election: Election,
    pub elected_at: Timestamp,
    pub elected_by: String,
    pub channel: ElectionChannel,
}

/// An election to record together with its audit row.
#[derive(Clone, Debug)]
pub struct NewElection {
    pub performance_year: PerformanceYear,
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub election: Election,
    pub at: Timestamp,
    pub actor_user_id: String,
    pub actor_display_name: String,
    pub channel: ElectionChannel,
    pub statement_of_truth_agreed_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RecordOutcome {
    Created(ElectionRow),
    /// Another election already held the key (possibly written a moment ago by a concurrent
    /// request); nothing was written.
    Existing(ElectionRow),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PathwayRow {
    pub pathway: ReportingPathway,
    pub chosen_at: Timestamp,
    pub chosen_by: String,
}

/// One row of the audit trail.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub election: Election,
    pub actor_user_id: String,
    pub channel: ElectionChannel,
    pub occurred_at: Timestamp,
    pub statement_of_truth_agreed_at: Timestamp,
}

fn role_code(r: UserRole) -> &'static str {
    match r {
        UserRole::PracticeRepresentative => "PRACTICE_REPRESENTATIVE",
        UserRole::RegistryStaff => "REGISTRY_STAFF",
    }
}
fn role_from(code: &str) -> UserRole {
    if code == "REGISTRY_STAFF" {
        UserRole::RegistryStaff
    } else {
        UserRole::PracticeRepresentative
    }
}
fn channel_code(c: ElectionChannel) -> &'static str {
    match c {
        ElectionChannel::Web => "WEB",
        ElectionChannel::Api => "API",
        ElectionChannel::RegistryUpload => "REGISTRY_UPLOAD",
    }
}
fn channel_from(code: &str) -> ElectionChannel {
    match code {
        "API" => ElectionChannel::Api,
        "REGISTRY_UPLOAD" => ElectionChannel::RegistryUpload,
        _ => ElectionChannel::Web,
    }
}
fn source_code(s: WindowSource) -> &'static str {
    match s {
        WindowSource::Official => "OFFICIAL",
        WindowSource::Expected => "EXPECTED",
        WindowSource::Demo => "DEMO",
    }
}
fn source_from(code: &str) -> WindowSource {
    match code {
        "OFFICIAL" => WindowSource::Official,
        "DEMO" => WindowSource::Demo,
        _ => WindowSource::Expected,
    }
}
fn statuses_to_text(s: &[SpecialStatus]) -> String {
    s.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")
}
fn statuses_from_text(s: &str) -> Vec<SpecialStatus> {
    s.split(',')
        .filter_map(|c| SpecialStatus::from_code(c.trim()))
        .collect()
}
fn year_of(v: i64) -> Result<PerformanceYear, sqlx::Error> {
    u16::try_from(v)
        .ok()
        .and_then(|y| PerformanceYear::new(y).ok())
        .ok_or_else(|| sqlx::Error::Decode(format!("bad performance year {v}").into()))
}
fn decode<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, sqlx::Error> {
    r.map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}

const PRACTICE_COLUMNS: &str = "p.performance_year, p.tin, p.name, p.address_line1, p.city, p.state, p.zip, p.medicare_patients, p.allowed_charges_cents, p.covered_services, p.special_statuses, p.mips_apm_participant, p.is_demo";
const CLINICIAN_COLUMNS: &str = "c.performance_year, c.tin, c.npi, c.first_name, c.last_name, c.medicare_patients, c.allowed_charges_cents, c.covered_services, c.special_statuses, c.mips_apm_participant, c.is_demo";
const ELECTION_COLUMNS: &str =
    "e.performance_year, e.tin, e.npi, e.election, e.elected_at, e.elected_by, e.channel";

fn user_from(r: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        user_id: r.try_get("user_id")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: role_from(&r.try_get::<String, _>("role")?),
    })
}

fn tins_from_text(s: &str) -> Vec<Tin> {
    s.split(',')
        .filter_map(|t| Tin::parse(t.trim()).ok())
        .collect()
}

fn pathway_from(r: &AnyRow) -> Result<PathwayRow, sqlx::Error> {
    let code: String = r.try_get("pathway")?;
    Ok(PathwayRow {
        pathway: ReportingPathway::from_code(&code)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad pathway {code}").into()))?,
        chosen_at: Timestamp(r.try_get("chosen_at")?),
        chosen_by: r.try_get("chosen_by")?,
    })
}

fn practice_from(r: &AnyRow) -> Result<PracticeRow, sqlx::Error> {
    Ok(PracticeRow {
        performance_year: year_of(r.try_get("performance_year")?)?,
        tin: decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
        name: r.try_get("name")?,
        address_line1: r.try_get("address_line1")?,
        city: r.try_get("city")?,
        state: r.try_get("state")?,
        zip: r.try_get("zip")?,
        medicare_patients: r.try_get("medicare_patients")?,
        allowed_charges_cents: r.try_get("allowed_charges_cents")?,
        covered_services: r.try_get("covered_services")?,
        special_statuses: statuses_from_text(&r.try_get::<String, _>("special_statuses")?),
        mips_apm_participant: r.try_get::<i64, _>("mips_apm_participant")? != 0,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
    })
}

fn clinician_from(r: &AnyRow) -> Result<ClinicianRow, sqlx::Error> {
    Ok(ClinicianRow {
        performance_year: year_of(r.try_get("performance_year")?)?,
        tin: decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
        npi: decode(Npi::parse(&r.try_get::<String, _>("npi")?))?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        medicare_patients: r.try_get("medicare_patients")?,
        allowed_charges_cents: r.try_get("allowed_charges_cents")?,
        covered_services: r.try_get("covered_services")?,
        special_statuses: statuses_from_text(&r.try_get::<String, _>("special_statuses")?),
        mips_apm_participant: r.try_get::<i64, _>("mips_apm_participant")? != 0,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
    })
}

fn election_from(r: &AnyRow) -> Result<ElectionRow, sqlx::Error> {
    let npi: String = r.try_get("npi")?;
    let code: String = r.try_get("election")?;
    Ok(ElectionRow {
        performance_year: year_of(r.try_get("performance_year")?)?,
        tin: decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
        npi: if npi.is_empty() {
            None
        } else {
            Some(decode(Npi::parse(&npi))?)
        },
        election: Election::from_code(&code)
            .ok_or_else(|| sqlx::Error::Decode(format!("bad election {code}").into()))?,
        elected_at: Timestamp(r.try_get("elected_at")?),
        elected_by: r.try_get("elected_by")?,
        channel: channel_from(&r.try_get::<String, _>("channel")?),
    })
}

/// Inserts an election and its audit row inside the caller's transaction. False when the key
/// already held an election (nothing written).
async fn insert_election(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    e: &NewElection,
) -> Result<bool, sqlx::Error> {
    let npi = e.npi.as_ref().map(|n| n.as_str()).unwrap_or("");
    let inserted = sqlx::query(
        "INSERT INTO elections (performance_year, tin, npi, election, elected_at, elected_by, channel) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (performance_year, tin, npi) DO NOTHING",
    )
    .bind(e.performance_year.get() as i64)
    .bind(e.tin.as_str())
    .bind(npi)
    .bind(e.election.code())
    .bind(e.at.0)
    .bind(&e.actor_display_name)
    .bind(channel_code(e.channel))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO election_audit (performance_year, tin, npi, election, actor_user_id, actor_display_name, channel, occurred_at, statement_of_truth_agreed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.performance_year.get() as i64)
    .bind(e.tin.as_str())
    .bind(npi)
    .bind(e.election.code())
    .bind(&e.actor_user_id)
    .bind(&e.actor_display_name)
    .bind(channel_code(e.channel))
    .bind(e.at.0)
    .bind(e.statement_of_truth_agreed_at.0)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

impl Store {
    /// Connects, creating a SQLite file (and its folder) if needed, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let file = path.split('?').next().unwrap_or("");
            if !file.is_empty() && file != ":memory:" {
                if let Some(dir) = std::path::Path::new(file).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
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
            return Err(format!(
                "DATABASE_URL must start with sqlite: or postgres:// (got \"{url}\")"
            ));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<(), String> {
        if self.backend == Backend::Sqlite {
            // WAL lets readers proceed while an election is being written; it persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&self.pool)
                .await
                .map_err(|e| e.to_string())?;
        }
        let result = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        };
        result.map_err(|e| format!("database migration failed: {e}"))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    // ---- users and sessions -------------------------------------------------------------

    pub async fn upsert_user(
        &self,
        user_id: &str,
        display_name: &str,
        password_hash: &str,
        role: UserRole,
        is_demo: bool,
        now: Timestamp,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO users (user_id, display_name, password_hash, role, is_demo, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(display_name)
        .bind(password_hash)
        .bind(role_code(role))
        .bind(is_demo as i64)
        .bind(now.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn user(&self, user_id: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT user_id, display_name, password_hash, role FROM users WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Records the Statement of Truth agreement and opens a session, in one transaction.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        agreement_id: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO statement_of_truth_agreements (id, user_id, agreed_at) VALUES ($1, $2, $3)")
            .bind(agreement_id)
            .bind(user_id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, statement_of_truth_agreed_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now.0)
        .bind(expires_at.0)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT s.csrf_token, s.created_at, s.expires_at, s.statement_of_truth_agreed_at, u.user_id, u.display_name, u.password_hash, u.role \
             FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                user: user_from(&r)?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: Timestamp(r.try_get("created_at")?),
                expires_at: Timestamp(r.try_get("expires_at")?),
                statement_of_truth_agreed_at: Timestamp(r.try_get("statement_of_truth_agreed_at")?),
            })
        })
        .transpose()
    }

    pub async fn extend_session(
        &self,
        token_hash: &str,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(expires_at.0)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    // ---- practices, clinicians, connections -------------------------------------------

    pub async fn upsert_practice(&self, p: &PracticeRow) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO practices (performance_year, tin, name, address_line1, city, state, zip, medicare_patients, allowed_charges_cents, covered_services, special_statuses, mips_apm_participant, is_demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (performance_year, tin) DO NOTHING",
        )
        .bind(p.performance_year.get() as i64)
        .bind(p.tin.as_str())
        .bind(&p.name)
        .bind(&p.address_line1)
        .bind(&p.city)
        .bind(&p.state)
        .bind(&p.zip)
        .bind(p.medicare_patients)
        .bind(p.allowed_charges_cents)
        .bind(p.covered_services)
        .bind(statuses_to_text(&p.special_statuses))
        .bind(p.mips_apm_participant as i64)
        .bind(p.is_demo as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

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
}

async fn insert_clinician(
    conn: &mut sqlx::AnyConnection,
    c: &ClinicianRow,
) -> Result<(), sqlx::Error> {
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
        .bind(statuses_to_text(&c.special_statuses))
        .bind(c.mips_apm_participant as i64)
        .bind(c.is_demo as i64)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    pub async fn connect_user(&self, user_id: &str, tin: &Tin) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO user_practices (user_id, tin) VALUES ($1, $2) ON CONFLICT (user_id, tin) DO NOTHING")
            .bind(user_id)
            .bind(tin.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn is_connected(&self, user_id: &str, tin: &Tin) -> Result<bool, sqlx::Error> {
        let row =
            sqlx::query("SELECT 1 AS one FROM user_practices WHERE user_id = $1 AND tin = $2")
                .bind(user_id)
                .bind(tin.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// The practices a user is connected to, for one year, by name.
    pub async fn practices_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<PracticeRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {PRACTICE_COLUMNS} FROM practices p JOIN user_practices up ON up.tin = p.tin \
             WHERE up.user_id = $1 AND p.performance_year = $2 ORDER BY p.name, p.tin"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(practice_from).collect()
    }

    pub async fn practice(
        &self,
        year: PerformanceYear,
        tin: &Tin,
    ) -> Result<Option<PracticeRow>, sqlx::Error> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} FROM practices p WHERE p.performance_year = $1 AND p.tin = $2");
        let row = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(practice_from).transpose()
    }

    pub async fn clinician(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: &Npi,
    ) -> Result<Option<ClinicianRow>, sqlx::Error> {
        let sql = format!("SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.tin = $2 AND c.npi = $3");
        let row = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(clinician_from).transpose()
    }

    /// Number of clinicians per TIN for the user's practices in a year.
    pub async fn clinician_counts_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<(Tin, i64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT c.tin, COUNT(*) AS n FROM clinicians c JOIN user_practices up ON up.tin = c.tin \
             WHERE up.user_id = $1 AND c.performance_year = $2 GROUP BY c.tin",
        )
        .bind(user_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
                    r.try_get::<i64, _>("n")?,
                ))
            })
            .collect()
    }

    // ---- election windows ----------------------------------------------------------------

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
        .bind(source_code(w.source))
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
                    performance_year: year_of(r.try_get("performance_year")?)?,
                    opens_at: Timestamp(r.try_get("opens_at")?),
                    election_closes_at: Timestamp(r.try_get("election_closes_at")?),
                    submission_closes_at: Timestamp(r.try_get("submission_closes_at")?),
                    source: source_from(&r.try_get::<String, _>("source")?),
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    pub async fn window(
        &self,
        year: PerformanceYear,
    ) -> Result<Option<ElectionWindow>, sqlx::Error> {
        Ok(self
            .windows()
            .await?
            .into_iter()
            .find(|w| w.performance_year == year))
    }

    // ---- elections -------------------------------------------------------------------------

    pub async fn election(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
    ) -> Result<Option<ElectionRow>, sqlx::Error> {
        let sql = format!("SELECT {ELECTION_COLUMNS} FROM elections e WHERE e.performance_year = $1 AND e.tin = $2 AND e.npi = $3");
        let row = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi.map(|n| n.as_str()).unwrap_or(""))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(election_from).transpose()
    }

    /// Group elections (npi = '') of the user's practices in a year.
    pub async fn group_elections_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ElectionRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {ELECTION_COLUMNS} FROM elections e JOIN user_practices up ON up.tin = e.tin \
             WHERE up.user_id = $1 AND e.performance_year = $2 AND e.npi = ''"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(election_from).collect()
    }

    /// Writes the election and its audit row in one transaction, or nothing. The primary key
    /// decides races: of any number of concurrent writers for one key exactly one inserts.
    pub async fn record_election(&self, e: &NewElection) -> Result<RecordOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if insert_election(&mut tx, e).await? {
            tx.commit().await?;
            Ok(RecordOutcome::Created(ElectionRow {
                performance_year: e.performance_year,
                tin: e.tin.clone(),
                npi: e.npi.clone(),
                election: e.election,
                elected_at: e.at,
                elected_by: e.actor_display_name.clone(),
                channel: e.channel,
            }))
        } else {
            tx.rollback().await?;
            let existing = self
                .election(e.performance_year, &e.tin, e.npi.as_ref())
                .await?
                .ok_or_else(|| {
                    sqlx::Error::Protocol(
                        "election key conflicted but no election was found".into(),
                    )
                })?;
            Ok(RecordOutcome::Existing(existing))
        }
    }

    pub async fn audit(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
    ) -> Result<Vec<AuditRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT election, actor_user_id, channel, occurred_at, statement_of_truth_agreed_at FROM election_audit \
             WHERE performance_year = $1 AND tin = $2 AND npi = $3",
        )
        .bind(year.get() as i64)
        .bind(tin.as_str())
        .bind(npi.map(|n| n.as_str()).unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("election")?;
                Ok(AuditRow {
                    election: Election::from_code(&code)
                        .ok_or_else(|| sqlx::Error::Decode("bad election".into()))?,
                    actor_user_id: r.try_get("actor_user_id")?,
                    channel: channel_from(&r.try_get::<String, _>("channel")?),
                    occurred_at: Timestamp(r.try_get("occurred_at")?),
                    statement_of_truth_agreed_at: Timestamp(
                        r.try_get("statement_of_truth_agreed_at")?,
                    ),
                })
            })
            .collect()
    }

    // ---- clinicians ----------------------------------------------------------------------

    pub async fn clinicians_of_practice(
        &self,
        year: PerformanceYear,
        tin: &Tin,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!("SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.tin = $2 ORDER BY c.last_name, c.first_name, c.npi");
        let rows = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(clinician_from).collect()
    }

    /// Every clinician of every practice the user is connected to, for one year.
    pub async fn clinicians_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {CLINICIAN_COLUMNS} FROM clinicians c JOIN user_practices up ON up.tin = c.tin \
             WHERE up.user_id = $1 AND c.performance_year = $2 ORDER BY c.tin, c.last_name, c.first_name"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(clinician_from).collect()
    }

    /// Every TIN/NPI row of one NPI in a year (a clinician may bill under several TINs).
    pub async fn clinician_by_npi(
        &self,
        year: PerformanceYear,
        npi: &Npi,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!("SELECT {CLINICIAN_COLUMNS} FROM clinicians c WHERE c.performance_year = $1 AND c.npi = $2 ORDER BY c.tin");
        let rows = sqlx::query(&sql)
            .bind(year.get() as i64)
            .bind(npi.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(clinician_from).collect()
    }

    /// Elections (group and individual) of the user's practices in a year.
    pub async fn elections_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ElectionRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {ELECTION_COLUMNS} FROM elections e JOIN user_practices up ON up.tin = e.tin \
             WHERE up.user_id = $1 AND e.performance_year = $2"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(election_from).collect()
    }

    // ---- reporting pathways ------------------------------------------------------------------

    pub async fn pathway(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
    ) -> Result<Option<PathwayRow>, sqlx::Error> {
        let row = sqlx::query("SELECT pathway, chosen_at, chosen_by FROM reporting_pathways WHERE performance_year = $1 AND tin = $2 AND npi = $3")
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi.map(|n| n.as_str()).unwrap_or(""))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(pathway_from).transpose()
    }

    /// (tin, npi-or-empty, pathway) of the user's practices in a year.
    pub async fn pathways_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<(Tin, Option<Npi>, PathwayRow)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT rp.tin, rp.npi, rp.pathway, rp.chosen_at, rp.chosen_by FROM reporting_pathways rp JOIN user_practices up ON up.tin = rp.tin \
             WHERE up.user_id = $1 AND rp.performance_year = $2",
        )
        .bind(user_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let npi: String = r.try_get("npi")?;
                Ok((
                    decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
                    if npi.is_empty() {
                        None
                    } else {
                        Some(decode(Npi::parse(&npi))?)
                    },
                    pathway_from(r)?,
                ))
            })
            .collect()
    }

    /// Records a pathway, or returns the one recorded first (the key decides races).
    pub async fn record_pathway(
        &self,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
        pathway: ReportingPathway,
        at: Timestamp,
        actor_user_id: &str,
        actor_name: &str,
    ) -> Result<(bool, PathwayRow), sqlx::Error> {
        let inserted = sqlx::query(
            "INSERT INTO reporting_pathways (performance_year, tin, npi, pathway, chosen_at, chosen_by, actor_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (performance_year, tin, npi) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(tin.as_str())
        .bind(npi.map(|n| n.as_str()).unwrap_or(""))
        .bind(pathway.code())
        .bind(at.0)
        .bind(actor_name)
        .bind(actor_user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let row = self
            .pathway(year, tin, npi)
            .await?
            .ok_or_else(|| sqlx::Error::Protocol("pathway vanished".into()))?;
        Ok((inserted == 1, row))
    }

    // ---- data runs and other organizations --------------------------------------------------

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
                    performance_year: year_of(r.try_get("performance_year")?)?,
                    run_number: r.try_get("run_number")?,
                    released_on: r.try_get("released_on")?,
                    description: r.try_get("description")?,
                })
            })
            .collect()
    }

    pub async fn upsert_apm_entity(
        &self,
        year: PerformanceYear,
        e: &ApmEntitySummary,
        user_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO apm_entities (performance_year, entity_id, name, apm_name, track, participant_tins, is_demo) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (performance_year, entity_id) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(&e.entity_id)
        .bind(&e.name)
        .bind(&e.apm_name)
        .bind(&e.track)
        .bind(e.participant_tins.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(","))
        .bind(e.is_demo as i64)
        .execute(&self.pool)
        .await?;
        self.link_user("user_apm_entities", "entity_id", user_id, &e.entity_id)
            .await
    }

    /// Connects a user to an organization. `table` and `column` are fixed names from this file,
    /// never input.
    async fn link_user(
        &self,
        table: &'static str,
        column: &'static str,
        user_id: &str,
        id: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = format!("INSERT INTO {table} (user_id, {column}) VALUES ($1, $2) ON CONFLICT (user_id, {column}) DO NOTHING");
        sqlx::query(&sql)
            .bind(user_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn apm_entities_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ApmEntitySummary>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.entity_id, a.name, a.apm_name, a.track, a.participant_tins, a.is_demo FROM apm_entities a JOIN user_apm_entities u ON u.entity_id = a.entity_id \
             WHERE u.user_id = $1 AND a.performance_year = $2 ORDER BY a.name",
        )
        .bind(user_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApmEntitySummary {
                    entity_id: r.try_get("entity_id")?,
                    name: r.try_get("name")?,
                    apm_name: r.try_get("apm_name")?,
                    track: r.try_get("track")?,
                    participant_tins: tins_from_text(&r.try_get::<String, _>("participant_tins")?),
                    is_demo: r.try_get::<i64, _>("is_demo")? != 0,
                })
            })
            .collect()
    }

    pub async fn upsert_registry(
        &self,
        r: &RegistrySummary,
        user_id: &str,
    ) -> Result<(), sqlx::Error> {
        let kind = match r.kind {
            RegistryKind::QualifiedRegistry => "QUALIFIED_REGISTRY",
            RegistryKind::Qcdr => "QCDR",
        };
        sqlx::query("INSERT INTO registries (registry_id, name, tin, kind, is_demo) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (registry_id) DO NOTHING")
            .bind(&r.registry_id)
            .bind(&r.name)
            .bind(r.tin.as_str())
            .bind(kind)
            .bind(r.is_demo as i64)
            .execute(&self.pool)
            .await?;
        self.link_user("user_registries", "registry_id", user_id, &r.registry_id)
            .await
    }

    pub async fn registries_for_user(
        &self,
        user_id: &str,
    ) -> Result<Vec<RegistrySummary>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT r.registry_id, r.name, r.tin, r.kind, r.is_demo FROM registries r JOIN user_registries u ON u.registry_id = r.registry_id WHERE u.user_id = $1 ORDER BY r.name",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(registry_from).collect()
    }

    pub async fn upsert_virtual_group(
        &self,
        year: PerformanceYear,
        v: &VirtualGroupSummary,
        user_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO virtual_groups (performance_year, vg_id, name, member_tins, elected_on, is_demo) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (performance_year, vg_id) DO NOTHING",
        )
        .bind(year.get() as i64)
        .bind(&v.vg_id)
        .bind(&v.name)
        .bind(v.member_tins.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(","))
        .bind(&v.elected_on)
        .bind(v.is_demo as i64)
        .execute(&self.pool)
        .await?;
        self.link_user("user_virtual_groups", "vg_id", user_id, &v.vg_id)
            .await
    }

    /// Whether the TIN belongs to a virtual group in that year.
    pub async fn in_virtual_group(
        &self,
        year: PerformanceYear,
        tin: &Tin,
    ) -> Result<bool, sqlx::Error> {
        let rows =
            sqlx::query("SELECT member_tins FROM virtual_groups WHERE performance_year = $1")
                .bind(year.get() as i64)
                .fetch_all(&self.pool)
                .await?;
        for r in rows {
            if tins_from_text(&r.try_get::<String, _>("member_tins")?).contains(tin) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub async fn virtual_groups_for_user(
        &self,
        user_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<VirtualGroupSummary>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT v.vg_id, v.name, v.member_tins, v.elected_on, v.is_demo FROM virtual_groups v JOIN user_virtual_groups u ON u.vg_id = v.vg_id \
             WHERE u.user_id = $1 AND v.performance_year = $2 ORDER BY v.name",
        )
        .bind(user_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(VirtualGroupSummary {
                    vg_id: r.try_get("vg_id")?,
                    name: r.try_get("name")?,
                    member_tins: tins_from_text(&r.try_get::<String, _>("member_tins")?),
                    elected_on: r.try_get("elected_on")?,
                    is_demo: r.try_get::<i64, _>("is_demo")? != 0,
                })
            })
            .collect()
    }

    /// Runs a raw statement; used by tests to prove the database itself refuses changes.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}

// ---- registry uploads ----------------------------------------------------------------------

/// A measurement set ready to store.
#[derive(Clone, Debug)]
pub struct NewMeasurementSet {
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub entity_type: String,
    pub category: String,
    pub submission_method: String,
    pub program_name: String,
    pub measure_count: i64,
    pub source_format: FileFormat,
    pub source_file: String,
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
    pub channel: &'static str,
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
    /// An election was written by someone else meanwhile (a race); nothing written.
    ElectionRace {
        tin: Tin,
        npi: Option<Npi>,
    },
}

/// One stored set with the participant's name and election, for Registry Submission Details.
#[derive(Clone, Debug)]
pub struct StoredSetRow {
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub entity_type: String,
    pub set: StoredMeasurementSet,
}

fn registry_from(r: &AnyRow) -> Result<RegistrySummary, sqlx::Error> {
    Ok(RegistrySummary {
        registry_id: r.try_get("registry_id")?,
        name: r.try_get("name")?,
        tin: decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
        kind: if r.try_get::<String, _>("kind")? == "QCDR" { RegistryKind::Qcdr } else { RegistryKind::QualifiedRegistry },
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
    })
}

fn format_from(code: &str) -> FileFormat {
    if code == "QRDA_III" {
        FileFormat::QrdaIii
    } else {
        FileFormat::QppJson
    }
}

impl Store {
    pub async fn registry(
        &self,
        registry_id: &str,
    ) -> Result<Option<RegistrySummary>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT registry_id, name, tin, kind, is_demo FROM registries WHERE registry_id = $1",
        )
        .bind(registry_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(registry_from).transpose()
    }

    /// `Some(is_security_official)` when the user is staff of the registry.
    pub async fn registry_membership(
        &self,
        user_id: &str,
        registry_id: &str,
    ) -> Result<Option<bool>, sqlx::Error> {
        let row = sqlx::query("SELECT is_security_official FROM user_registries WHERE user_id = $1 AND registry_id = $2")
            .bind(user_id)
            .bind(registry_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get::<i64, _>("is_security_official")? != 0))
            .transpose()
    }

    pub async fn set_security_official(
        &self,
        user_id: &str,
        registry_id: &str,
        yes: bool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE user_registries SET is_security_official = $1 WHERE user_id = $2 AND registry_id = $3").bind(yes as i64).bind(user_id).bind(registry_id).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn link_user_to_registry(
        &self,
        user_id: &str,
        registry_id: &str,
    ) -> Result<(), sqlx::Error> {
        self.link_user("user_registries", "registry_id", user_id, registry_id)
            .await
    }

    pub async fn add_registry_client(
        &self,
        registry_id: &str,
        tin: &Tin,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO registry_clients (registry_id, tin) VALUES ($1, $2) ON CONFLICT (registry_id, tin) DO NOTHING").bind(registry_id).bind(tin.as_str()).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn registry_client_tins(
        &self,
        registry_id: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT tin FROM registry_clients WHERE registry_id = $1")
            .bind(registry_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get::<String, _>("tin")).collect()
    }

    /// Eligibility rows of the registry's clients in a year, read at once (uploads may name
    /// thousands of participants).
    pub async fn client_practices(
        &self,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<PracticeRow>, sqlx::Error> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} FROM practices p JOIN registry_clients rc ON rc.tin = p.tin WHERE rc.registry_id = $1 AND p.performance_year = $2");
        let rows = sqlx::query(&sql)
            .bind(registry_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(practice_from).collect()
    }

    pub async fn client_clinicians(
        &self,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ClinicianRow>, sqlx::Error> {
        let sql = format!("SELECT {CLINICIAN_COLUMNS} FROM clinicians c JOIN registry_clients rc ON rc.tin = c.tin WHERE rc.registry_id = $1 AND c.performance_year = $2");
        let rows = sqlx::query(&sql)
            .bind(registry_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(clinician_from).collect()
    }

    pub async fn client_elections(
        &self,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<ElectionRow>, sqlx::Error> {
        let sql = format!("SELECT {ELECTION_COLUMNS} FROM elections e JOIN registry_clients rc ON rc.tin = e.tin WHERE rc.registry_id = $1 AND e.performance_year = $2");
        let rows = sqlx::query(&sql)
            .bind(registry_id)
            .bind(year.get() as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(election_from).collect()
    }

    /// Every TIN in a virtual group in the year.
    pub async fn virtual_group_tins(&self, year: PerformanceYear) -> Result<Vec<Tin>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT member_tins FROM virtual_groups WHERE performance_year = $1")
                .bind(year.get() as i64)
                .fetch_all(&self.pool)
                .await?;
        let mut out = vec![];
        for r in rows {
            out.extend(tins_from_text(&r.try_get::<String, _>("member_tins")?));
        }
        Ok(out)
    }

    // ---- API tokens

    /// Stores a new token and revokes any earlier live one, in one transaction. Returns whether
    /// an earlier token was revoked.
    pub async fn rotate_api_token(
        &self,
        registry_id: &str,
        token_hash: &str,
        last_four: &str,
        now: Timestamp,
        by: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let revoked = sqlx::query("UPDATE registry_api_tokens SET revoked_at = $1 WHERE registry_id = $2 AND revoked_at IS NULL")
            .bind(now.0)
            .bind(registry_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("INSERT INTO registry_api_tokens (token_hash, registry_id, last_four, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(registry_id)
            .bind(last_four)
            .bind(now.0)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(revoked > 0)
    }

    pub async fn revoke_api_tokens(
        &self,
        registry_id: &str,
        now: Timestamp,
    ) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("UPDATE registry_api_tokens SET revoked_at = $1 WHERE registry_id = $2 AND revoked_at IS NULL").bind(now.0).bind(registry_id).execute(&self.pool).await?.rows_affected())
    }

    pub async fn live_api_token(
        &self,
        registry_id: &str,
    ) -> Result<Option<ApiTokenInfo>, sqlx::Error> {
        let row = sqlx::query("SELECT last_four, created_at, created_by FROM registry_api_tokens WHERE registry_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC")
            .bind(registry_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(ApiTokenInfo {
                last_four: r.try_get("last_four")?,
                created_at: Timestamp(r.try_get("created_at")?),
                created_by: r.try_get("created_by")?,
            })
        })
        .transpose()
    }

    /// The registry of a live token: (registry_id, created_at, last_four).
    pub async fn api_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(String, Timestamp, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT registry_id, created_at, last_four FROM registry_api_tokens WHERE token_hash = $1 AND revoked_at IS NULL").bind(token_hash).fetch_optional(&self.pool).await?;
        row.map(|r| {
            Ok((
                r.try_get("registry_id")?,
                Timestamp(r.try_get("created_at")?),
                r.try_get("last_four")?,
            ))
        })
        .transpose()
    }

    // ---- uploads

    pub async fn upload_summary(
        &self,
        registry_id: &str,
        idempotency_key: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT summary FROM uploads WHERE registry_id = $1 AND idempotency_key = $2",
        )
        .bind(registry_id)
        .bind(idempotency_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get::<String, _>("summary")).transpose()
    }

    /// Writes the upload row, its elections, submissions, measurement sets and files — all or
    /// nothing. `fail_after_sets` injects a failure after that many sets (tests only), to prove
    /// the rollback.
    pub async fn commit_upload(
        &self,
        plan: &UploadPlan,
        fail_after_sets: Option<usize>,
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
        .bind(plan.channel)
        .bind(&plan.summary)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted != 1 {
            tx.rollback().await?;
            let summary = self
                .upload_summary(&plan.registry_id, &plan.idempotency_key)
                .await?
                .unwrap_or_default();
            return Ok(UploadOutcome::Replayed(summary));
        }
        for e in &plan.elections {
            if !insert_election(&mut tx, e).await? {
                tx.rollback().await?;
                return Ok(UploadOutcome::ElectionRace {
                    tin: e.tin.clone(),
                    npi: e.npi.clone(),
                });
            }
        }
        let year = plan.performance_year.get() as i64;
        for (i, f) in plan.files.iter().enumerate() {
            sqlx::query("INSERT INTO upload_files (upload_id, file_index, file_name, format, bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&plan.upload_id)
                .bind(i as i64)
                .bind(&f.name)
                .bind(f.format.code())
                .bind(f.bytes)
                .bind(&f.sha256)
                .bind(&f.content)
                .execute(&mut *tx)
                .await?;
        }
        for (i, m) in plan.sets.iter().enumerate() {
            if fail_after_sets == Some(i) {
                return Err(sqlx::Error::Protocol(format!(
                    "injected failure after {i} measurement sets"
                )));
            }
            let npi = m.npi.as_ref().map(|n| n.as_str()).unwrap_or("");
            sqlx::query(
                "INSERT INTO submissions (performance_year, tin, npi, entity_type, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (performance_year, tin, npi) DO UPDATE SET updated_at = excluded.updated_at",
            )
            .bind(year)
            .bind(m.tin.as_str())
            .bind(npi)
            .bind(&m.entity_type)
            .bind(plan.created_at.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO measurement_sets (registry_id, performance_year, tin, npi, category, submission_method, program_name, measure_count, source_format, source_file, upload_id, submitted_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (registry_id, performance_year, tin, npi, category, submission_method, program_name) DO UPDATE SET \
                 measure_count = excluded.measure_count, source_format = excluded.source_format, source_file = excluded.source_file, \
                 upload_id = excluded.upload_id, submitted_at = excluded.submitted_at, body = excluded.body",
            )
            .bind(&plan.registry_id)
            .bind(year)
            .bind(m.tin.as_str())
            .bind(npi)
            .bind(&m.category)
            .bind(&m.submission_method)
            .bind(&m.program_name)
            .bind(m.measure_count)
            .bind(m.source_format.code())
            .bind(&m.source_file)
            .bind(&plan.upload_id)
            .bind(plan.created_at.0)
            .bind(&m.body)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(UploadOutcome::Committed)
    }

    pub async fn registry_sets(
        &self,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<Vec<StoredSetRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.tin, m.npi, s.entity_type, m.category, m.submission_method, m.program_name, m.measure_count, m.source_format, m.source_file, m.submitted_at \
             FROM measurement_sets m JOIN submissions s ON s.performance_year = m.performance_year AND s.tin = m.tin AND s.npi = m.npi \
             WHERE m.registry_id = $1 AND m.performance_year = $2 ORDER BY m.tin, m.npi, m.category, m.program_name",
        )
        .bind(registry_id)
        .bind(year.get() as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let npi: String = r.try_get("npi")?;
                Ok(StoredSetRow {
                    tin: decode(Tin::parse(&r.try_get::<String, _>("tin")?))?,
                    npi: if npi.is_empty() {
                        None
                    } else {
                        Some(decode(Npi::parse(&npi))?)
                    },
                    entity_type: r.try_get("entity_type")?,
                    set: StoredMeasurementSet {
                        category: r.try_get("category")?,
                        submission_method: r.try_get("submission_method")?,
                        program_name: r.try_get("program_name")?,
                        measure_count: r.try_get("measure_count")?,
                        source_format: format_from(&r.try_get::<String, _>("source_format")?),
                        source_file: r.try_get("source_file")?,
                        submitted_at: Timestamp(r.try_get("submitted_at")?),
                    },
                })
            })
            .collect()
    }

    /// The stored JSON of one set (tests and future scoring read it back).
    pub async fn measurement_set_body(
        &self,
        registry_id: &str,
        year: PerformanceYear,
        tin: &Tin,
        npi: Option<&Npi>,
        category: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT body FROM measurement_sets WHERE registry_id = $1 AND performance_year = $2 AND tin = $3 AND npi = $4 AND category = $5")
            .bind(registry_id)
            .bind(year.get() as i64)
            .bind(tin.as_str())
            .bind(npi.map(|n| n.as_str()).unwrap_or(""))
            .bind(category)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>("body"))
            .collect()
    }

    pub async fn upload_count(
        &self,
        registry_id: &str,
        year: PerformanceYear,
    ) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM uploads WHERE registry_id = $1 AND performance_year = $2",
        )
        .bind(registry_id)
        .bind(year.get() as i64)
        .fetch_one(&self.pool)
        .await?;
        row.try_get("n")
    }
}

impl Store {
    /// Records several elections in one transaction. `Some(key)` when one was taken meanwhile
    /// (nothing recorded).
    pub async fn record_elections(
        &self,
        elections: &[NewElection],
    ) -> Result<Option<(Tin, Option<Npi>)>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for e in elections {
            if !insert_election(&mut tx, e).await? {
                tx.rollback().await?;
                return Ok(Some((e.tin.clone(), e.npi.clone())));
            }
        }
        tx.commit().await?;
        Ok(None)
    }
}
