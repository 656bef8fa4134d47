//! Sign-in attempt counters (`sign_in_attempts`), the operator's one-time sign-in links
//! (`sign_in_links`) and the deployment's shared secrets (`server_secrets`), shared by every
//! instance on the database.

use super::{Db, Store};
use crate::domain::sign_in::{AttemptCount, SIGN_IN_WINDOW_MS};
use crate::domain::Timestamp;

impl Store {
    /// The deployment's secret `name`: made at random by the first instance that asks, the same
    /// for every instance after.
    pub async fn shared_secret(&self, name: &str) -> Db<String> {
        sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(crate::server::secrets::random_token())
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1").bind(name).fetch_one(&self.pool).await
    }

    /// Counts one attempt in `bucket` and returns the count with it, in one statement, so that
    /// concurrent attempts each see the others. A window older than `SIGN_IN_WINDOW_MS` starts
    /// again at this attempt.
    pub async fn count_sign_in_attempt(&self, bucket: &str, now: Timestamp) -> Db<AttemptCount> {
        let stale = now.0 - SIGN_IN_WINDOW_MS;
        let (attempts, window_start): (i64, i64) = sqlx::query_as(
            "INSERT INTO sign_in_attempts (bucket, attempts, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (bucket) DO UPDATE SET \
               attempts = CASE WHEN sign_in_attempts.window_start <= $3 THEN 1 ELSE sign_in_attempts.attempts + 1 END, \
               window_start = CASE WHEN sign_in_attempts.window_start <= $3 THEN $2 ELSE sign_in_attempts.window_start END \
             RETURNING attempts, window_start",
        )
        .bind(bucket)
        .bind(now.0)
        .bind(stale)
        .fetch_one(&self.pool)
        .await?;
        Ok(AttemptCount { attempts, window_start: Timestamp(window_start) })
    }

    /// A successful sign-in: the account-and-address bucket starts again, and the account and the
    /// address each get this attempt back.
    pub async fn sign_in_succeeded(&self, account_and_address: &str, given_back: [&str; 2]) -> Db<()> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE bucket = $1")
            .bind(account_and_address)
            .execute(&self.pool)
            .await?;
        for bucket in given_back {
            sqlx::query("UPDATE sign_in_attempts SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0")
                .bind(bucket)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Keeps a one-time sign-in link for `user_id` (its token's hash), working until `expires_at`.
    pub async fn create_sign_in_link(
        &self, token_hash: &str, user_id: &str, now: Timestamp, expires_at: Timestamp,
    ) -> Db<()> {
        sqlx::query("INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now.0)
            .bind(expires_at.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether the link with this token hash is unused, unexpired and made for `user_id`.
    pub async fn sign_in_link_works(&self, token_hash: &str, user_id: &str, now: Timestamp) -> Db<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sign_in_links WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3 \
             AND used_at IS NULL",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 1)
    }

    /// Uses the link up; false when another request used it first (or it expired meanwhile).
    pub async fn use_sign_in_link(&self, token_hash: &str, now: Timestamp) -> Db<bool> {
        let r = sqlx::query(
            "UPDATE sign_in_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now.0)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Removes counters whose window has passed (they would start again anyway).
    pub async fn delete_stale_sign_in_attempts(&self, now: Timestamp) -> Db<u64> {
        let r = sqlx::query("DELETE FROM sign_in_attempts WHERE window_start <= $1")
            .bind(now.0 - SIGN_IN_WINDOW_MS)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}
