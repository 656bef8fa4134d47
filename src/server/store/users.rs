//! Accounts (`users`).

use super::codec::{get_code, Code};
use super::Store;
use crate::api::UserRole;
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct UserRow {
    pub user_id: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: UserRole,
}

pub(super) fn user_from(r: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        user_id: r.try_get("user_id")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: get_code(r, "role")?,
    })
}

impl Store {
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
        .bind(role.code())
        .bind(is_demo as i64)
        .bind(now.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn user(&self, user_id: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let row = sqlx::query("SELECT user_id, display_name, password_hash, role FROM users WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from).transpose()
    }
}
