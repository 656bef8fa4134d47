//! Accounts (`users`).

use super::codec::{from_row, Code};
use super::{Db, Store};
use crate::api::UserRole;
use crate::domain::Timestamp;

#[derive(Clone, Debug)]
pub struct UserRow {
    pub user_id: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: UserRole,
}

from_row!(UserRow { user_id, display_name, password_hash, role });

impl Store {
    pub async fn upsert_user(
        &self, user_id: &str, display_name: &str, password_hash: &str, role: UserRole, is_demo: bool, now: Timestamp,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO users (user_id, display_name, password_hash, role, is_demo, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(display_name)
        .bind(password_hash)
        .bind(role.code())
        .bind(is_demo as i64)
        .bind(now.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn user(&self, user_id: &str) -> Db<Option<UserRow>> {
        let sql = "SELECT user_id, display_name, password_hash, role FROM users WHERE user_id = $1";
        Ok(self.rows_by(sql, user_id).await?.pop())
    }
}
