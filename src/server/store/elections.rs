//! Final elections and their audit trail (`elections`, `election_audit`). The database refuses UPDATE and DELETE (migrations); the primary key decides races.

use super::codec::{from_row, npi_text, Code};
use super::{Db, Scope, Store};
use crate::api::{ElectionChannel, ElectionRecord};
use crate::domain::{Election, Npi, PerformanceYear, Timestamp, Tin};

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
    Created(ElectionRecord),
    /// Another election already held the key (possibly written a moment ago by a concurrent
    /// request); nothing was written.
    Existing(ElectionRecord),
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
from_row!(AuditRow { election, actor_user_id, channel, occurred_at, statement_of_truth_agreed_at });

pub(super) const ELECTION_COLUMNS: &str =
    "e.performance_year, e.tin, e.npi, e.election, e.elected_at, e.elected_by, e.channel";

from_row!(ElectionRecord { performance_year, tin, npi, election, elected_at, elected_by, channel });

/// Inserts an election and its audit row inside the caller's transaction. False when the key
/// already held an election (nothing written).
pub(super) async fn insert_election(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: &NewElection,
) -> Result<bool, sqlx::Error> {
    let npi = npi_text(e.npi.as_ref());
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
    .bind(e.channel.code())
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
    .bind(e.channel.code())
    .bind(e.at.0)
    .bind(e.statement_of_truth_agreed_at.0)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// One participant's election: `$1` the year, `$2` the TIN, `$3` the NPI ("" for a group).
fn election_by_key() -> String {
    format!("SELECT {ELECTION_COLUMNS} FROM elections e WHERE e.performance_year = $1 AND e.tin = $2 AND e.npi = $3")
}

/// What inserting an election met.
pub(super) enum Inserted {
    /// Recorded now.
    Now,
    /// The same choice was recorded already (a concurrent retry won the race): it stands.
    Before,
    /// Another choice was recorded meanwhile.
    Conflict(ElectionRecord),
}

/// `insert_election`, and when the key is taken, the stored election compared with this one
/// (read in the same transaction, after the winner committed).
pub(super) async fn insert_or_match(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: &NewElection,
) -> Result<Inserted, sqlx::Error> {
    if insert_election(tx, e).await? {
        return Ok(Inserted::Now);
    }
    let rows = sqlx::query(&election_by_key())
        .bind(e.performance_year.get() as i64)
        .bind(e.tin.as_str())
        .bind(npi_text(e.npi.as_ref()))
        .fetch_all(&mut **tx)
        .await?;
    let existing: ElectionRecord = super::codec::rows(&rows)?
        .pop()
        .ok_or_else(|| sqlx::Error::Protocol("election key conflicted but no election was found".into()))?;
    Ok(if existing.election == e.election { Inserted::Before } else { Inserted::Conflict(existing) })
}

impl Store {
    pub async fn election(&self, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>) -> Db<Option<ElectionRecord>> {
        Ok(self.rows_for_key(&election_by_key(), year, tin, npi_text(npi)).await?.pop())
    }

    /// Writes the election and its audit row in one transaction, or nothing. The primary key
    /// decides races: of any number of concurrent writers for one key exactly one inserts.
    pub async fn record_election(&self, e: &NewElection) -> Result<RecordOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if insert_election(&mut tx, e).await? {
            tx.commit().await?;
            Ok(RecordOutcome::Created(ElectionRecord {
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
                .ok_or_else(|| sqlx::Error::Protocol("election key conflicted but no election was found".into()))?;
            Ok(RecordOutcome::Existing(existing))
        }
    }

    /// Records several elections in one transaction: all, or none when one was taken meanwhile
    /// with another choice (`Err` names it). One taken meanwhile with the same choice stands as
    /// made; `Ok` says which were made now.
    /// Writes each election with its audit row, in one transaction; each participant's own
    /// outcome: `Ok(true)` recorded now, `Ok(false)` the same choice was recorded meanwhile,
    /// `Err(existing)` another one was. One participant's conflict doesn't stop the others.
    pub async fn record_elections(
        &self, elections: &[NewElection],
    ) -> Result<Vec<Result<bool, ElectionRecord>>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut outcomes = vec![Ok(false); elections.len()];
        // In key order, so two calls naming the same participants in another order can't deadlock.
        let mut order: Vec<usize> = (0..elections.len()).collect();
        order.sort_by(|a, b| (&elections[*a].tin, &elections[*a].npi).cmp(&(&elections[*b].tin, &elections[*b].npi)));
        for i in order {
            outcomes[i] = match insert_or_match(&mut tx, &elections[i]).await? {
                Inserted::Now => Ok(true),
                Inserted::Before => Ok(false),
                Inserted::Conflict(existing) => Err(existing),
            };
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    pub async fn audit(&self, year: PerformanceYear, tin: &Tin, npi: Option<&Npi>) -> Db<Vec<AuditRow>> {
        let sql =
            "SELECT election, actor_user_id, channel, occurred_at, statement_of_truth_agreed_at FROM election_audit \
                   WHERE performance_year = $1 AND tin = $2 AND npi = $3";
        self.rows_for_key(sql, year, tin, npi_text(npi)).await
    }

    /// The elections of exactly these participants (a group's key has no NPI) in one year.
    pub async fn elections_named(
        &self, year: PerformanceYear, keys: &[(&Tin, Option<&Npi>)],
    ) -> Db<Vec<ElectionRecord>> {
        let keys: Vec<(&Tin, &str)> = keys.iter().map(|(t, n)| (*t, npi_text(*n))).collect();
        self.for_keys(ELECTION_COLUMNS, "elections", "e", year, &keys).await
    }

    /// The elections (group and individual) in scope for one year.
    pub async fn elections_in(
        &self, scope: Scope<'_>, year: PerformanceYear,
    ) -> Result<Vec<ElectionRecord>, sqlx::Error> {
        self.in_scope(scope, ELECTION_COLUMNS, "elections", "e", "", year).await
    }
}
