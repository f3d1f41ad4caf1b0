//! Kiosks and trust: staff make a one-time pairing code for a room (`pairing`); a kiosk that
//! presents it gets an id and a secret. Every sync request carries both; the server keeps only
//! the secret's SHA-256, and a revoked kiosk is refused at once.

pub mod pairing;
pub mod staff_pin;

use sha2::{Digest, Sha256};

use jiayuan_domain::sync::report::PullQuery;

use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;

/// A paired, unrevoked kiosk, as established from its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    pub id: String,
    pub room_id: String,
    pub site_id: String,
    pub applied_through: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct KioskListing {
    pub id: String,
    pub room_id: String,
    pub paired_at: i64,
    pub revoked_at: Option<i64>,
    pub applied_through: i64,
    pub last_seen_at: Option<i64>,
    /// Record numbers the kiosk gave up because its storage returned them damaged.
    pub damaged: i64,
    /// Record numbers the kiosk no longer held when the server asked for them again (after a
    /// restore): records lost for good.
    pub lost: i64,
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks `Authorization: Bearer <kiosk id>.<secret>`; a revoked, unknown or forged kiosk is
/// refused with the same answer, so the answer tells an attacker nothing.
pub async fn authenticate(db: &Database, authorization: Option<&str>) -> Result<Kiosk, AppError> {
    let refused = |why: &str| AppError::Unauthorized(format!("this kiosk is not paired with the server ({why})"));
    let token =
        authorization.and_then(|value| value.strip_prefix("Bearer ")).ok_or_else(|| refused("no kiosk credentials"))?;
    let (kiosk_id, secret) = token.split_once('.').ok_or_else(|| refused("malformed credentials"))?;
    let row: Option<(String, String, Option<i64>, i64, String)> = sqlx::query_as(
        "SELECT kiosks.room_id, kiosks.secret_sha256, kiosks.revoked_at, kiosks.applied_through, rooms.site_id \
         FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id WHERE kiosks.id = $1",
    )
    .bind(kiosk_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(AppError::db("checking kiosk credentials"))?;
    let Some((room_id, secret_sha256, revoked_at, applied_through, site_id)) = row else {
        return Err(refused("unknown kiosk"));
    };
    if !constant_time_eq(sha256_hex(secret).as_bytes(), secret_sha256.as_bytes()) {
        return Err(refused("wrong secret"));
    }
    if revoked_at.is_some() {
        return Err(AppError::Revoked);
    }
    Ok(Kiosk {
        id: kiosk_id.to_owned(),
        room_id,
        site_id,
        applied_through: u64::try_from(applied_through).unwrap_or(0),
    })
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn list(db: &Database) -> Result<Vec<KioskListing>, AppError> {
    type Row = (String, String, i64, Option<i64>, i64, Option<i64>, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, room_id, paired_at, revoked_at, applied_through, last_seen_at, \
           (SELECT COUNT(*) FROM kiosk_records r WHERE r.kiosk_id = kiosks.id AND r.void_reason = 'unreadable'), \
           (SELECT COUNT(*) FROM kiosk_records r WHERE r.kiosk_id = kiosks.id AND r.void_reason = 'not_kept') \
         FROM kiosks ORDER BY paired_at, id",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing kiosks"))?;
    Ok(rows
        .into_iter()
        .map(|(id, room_id, paired_at, revoked_at, applied_through, last_seen_at, damaged, lost)| KioskListing {
            id,
            room_id,
            paired_at,
            revoked_at,
            applied_through,
            last_seen_at,
            damaged,
            lost,
        })
        .collect())
}

/// Keeps what a kiosk says of itself with a pull, and that it was heard from.
pub async fn note_report(db: &Database, kiosk_id: &str, report: &PullQuery) -> Result<(), AppError> {
    let now = now_ms();
    let as_i64 = |n: Option<u64>| n.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let query = if report.clock.is_some() {
        sqlx::query(
            "UPDATE kiosks SET last_seen_at = $2, reported_at = $2, queued = $3, storage_used = $4, \
             storage_quota = $5, clock_difference_ms = $6, app_version = $7, last_error = $8 WHERE id = $1",
        )
        .bind(kiosk_id)
        .bind(now)
        .bind(as_i64(report.queued))
        .bind(as_i64(report.storage_used))
        .bind(as_i64(report.storage_quota))
        .bind(report.clock.map(|clock| clock.saturating_sub(now)))
        .bind(report.plain_version())
        .bind(report.known_problem())
    } else {
        sqlx::query("UPDATE kiosks SET last_seen_at = $2 WHERE id = $1").bind(kiosk_id).bind(now)
    };
    query.execute(&db.pool).await.map(drop).map_err(AppError::db("keeping a kiosk's report"))
}

/// Kiosks not revoked that have not been heard from since `since_ms`.
pub async fn count_silent(db: &Database, since_ms: i64) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < $1)",
    )
    .bind(since_ms)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("counting silent kiosks"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_needs_every_byte() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
