//! Signed-in browsers, kept in the database so every server process on it knows them. The
//! cookie carries a random token; the table keeps its SHA-256, the staff member, the site they
//! work on and the token their forms must carry back.

use crate::clock::now_ms;
use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::kiosks::sha256_hex;

use super::roles::Role;

/// The session cookie's name.
pub const COOKIE: &str = "jiayuan_staff_session";
/// A session ends after this long without a request (an office PC left signed in)…
pub const IDLE_MS: i64 = 30 * 60 * 1000;
/// …and after this long whatever happens (a working day).
pub const LONGEST_MS: i64 = 12 * 60 * 60 * 1000;
/// Seen-at times are written at most this often, not on every page.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A signed-in staff member, as their session says.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_digest: String,
    pub staff_id: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: String,
    pub form_token: String,
    pub must_change_password: bool,
}

fn random_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Starts a session for `staff_id` working on `site_id`; the token for the cookie.
pub async fn start(db: &Database, staff_id: &str, site_id: &str) -> Result<String, AppError> {
    let token = random_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO staff_sessions (token_digest, staff_id, site_id, form_token, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(sha256_hex(&token))
    .bind(staff_id)
    .bind(site_id)
    .bind(random_token())
    .bind(now)
    .execute(&db.pool)
    .await
    .map_err(AppError::db("starting a staff session"))?;
    Ok(token)
}

/// The live session whose cookie holds `token`. A session idle too long, too old, of a removed
/// account, or on a site its staff member no longer has, is ended and gives None.
pub async fn find(db: &Database, token: &str) -> Result<Option<Session>, AppError> {
    type Row = (String, String, String, i64, i64, String, String, i64, i64);
    let digest = sha256_hex(token);
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.staff_id, s.site_id, s.form_token, s.created_at, s.last_used_at, \
                staff.display_name, staff.role, staff.must_change_password, \
                (SELECT COUNT(*) FROM staff_sites WHERE staff_id = s.staff_id AND site_id = s.site_id) \
         FROM staff_sessions s JOIN staff ON staff.id = s.staff_id \
         WHERE s.token_digest = $1 AND staff.removed_at IS NULL",
    )
    .bind(&digest)
    .fetch_optional(&db.pool)
    .await
    .map_err(AppError::db("reading a staff session"))?;
    let Some((staff_id, site_id, form_token, created_at, last_used_at, display_name, role, must_change, has_site)) =
        row
    else {
        return Ok(None);
    };
    let now = now_ms();
    let role = Role::parse(&role);
    let expired = now.saturating_sub(last_used_at) > IDLE_MS || now.saturating_sub(created_at) > LONGEST_MS;
    let (Some(role), false, 1..) = (role, expired, has_site) else {
        end(db, &digest).await?;
        return Ok(None);
    };
    if now.saturating_sub(last_used_at) > TOUCH_EVERY_MS {
        sqlx::query("UPDATE staff_sessions SET last_used_at = $2 WHERE token_digest = $1")
            .bind(&digest)
            .bind(now)
            .execute(&db.pool)
            .await
            .map_err(AppError::db("keeping a staff session"))?;
    }
    Ok(Some(Session {
        token_digest: digest,
        staff_id,
        display_name,
        role,
        site_id,
        form_token,
        must_change_password: must_change != 0,
    }))
}

/// Ends one session (signing out).
pub async fn end(db: &Database, token_digest: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_digest = $1")
        .bind(token_digest)
        .execute(&db.pool)
        .await
        .map(drop)
        .map_err(AppError::db("ending a staff session"))
}

/// Ends every session of `staff_id` (password changed, account removed, role changed).
pub async fn end_all(tx: &mut Tx, staff_id: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(AppError::db("ending a staff member's sessions"))
}

/// Moves a session to another of its staff member's sites.
pub async fn switch_site(db: &Database, session: &Session, site_id: &str) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE staff_sessions SET site_id = $2 WHERE token_digest = $1 \
         AND EXISTS (SELECT 1 FROM staff_sites WHERE staff_id = $3 AND site_id = $2)",
    )
    .bind(&session.token_digest)
    .bind(site_id)
    .bind(&session.staff_id)
    .execute(&db.pool)
    .await
    .map_err(AppError::db("switching site"))?;
    Ok(done.rows_affected() == 1)
}

/// Sessions end by themselves when used after their time; this clears the ones never used
/// again (called now and then by the horizon's loop).
pub async fn forget_expired(db: &Database) -> Result<u64, AppError> {
    let now = now_ms();
    sqlx::query("DELETE FROM staff_sessions WHERE last_used_at < $1 OR created_at < $2")
        .bind(now.saturating_sub(IDLE_MS))
        .bind(now.saturating_sub(LONGEST_MS))
        .execute(&db.pool)
        .await
        .map(|done| done.rows_affected())
        .map_err(AppError::db("forgetting ended staff sessions"))
}
