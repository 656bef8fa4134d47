//! Sessions and the Statement of Truth agreement recorded with each (`sessions`, `statement_of_truth_agreements`).

use super::codec::from_row;
use super::users::UserRow;
use super::{Db, Store};
use crate::domain::Timestamp;

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub user: UserRow,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub statement_of_truth_agreed_at: Timestamp,
}
from_row!(SessionRow { csrf_token, created_at, expires_at, statement_of_truth_agreed_at; user });

impl Store {
    /// Records the Statement of Truth agreement and opens a session, in one transaction.
    pub async fn create_session(
        &self, token_hash: &str, user_id: &str, csrf_token: &str, agreement_id: &str, now: Timestamp,
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

    pub async fn session(&self, token_hash: &str) -> Db<Option<SessionRow>> {
        let sql = "SELECT s.csrf_token, s.created_at, s.expires_at, s.statement_of_truth_agreed_at, u.user_id, u.display_name, u.password_hash, u.role \
                   FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.token_hash = $1";
        Ok(self.rows_by(sql, token_hash).await?.pop())
    }

    pub async fn extend_session(&self, token_hash: &str, expires_at: Timestamp) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(expires_at.0)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
