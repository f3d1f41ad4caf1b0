//! Kiosks and trust: staff make a one-time pairing code for a room; a kiosk that presents it
//! gets an id and a secret. Every sync request carries both; the server keeps only the
//! secret's SHA-256, and a revoked kiosk is refused at once.

use jiayuan_domain::sync::Pairing;
use sha2::{Digest, Sha256};

use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;

/// How long a pairing code stays good: long enough to walk to the activity room.
pub const PAIRING_CODE_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

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
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Eight digits: easy for staff to type on the kiosk's keypad.
fn new_pairing_code() -> String {
    format!("{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000)
}

/// 244 random bits from the OS, as hex.
fn new_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Makes a one-time pairing code for a kiosk in `room_id`.
pub async fn create_pairing_code(db: &Database, room_id: &str) -> Result<String, AppError> {
    let room: Option<String> = sqlx::query_scalar("SELECT id FROM rooms WHERE id = $1")
        .bind(room_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("looking up the room"))?;
    if room.is_none() {
        return Err(AppError::NotFound(format!("no room {room_id:?}")));
    }
    // Eight digits can repeat a code made before (one in a thousand after 100,000 pairings):
    // draw again rather than fail.
    for _ in 0..PAIRING_CODE_DRAWS {
        let code = new_pairing_code();
        let now = now_ms();
        let stored = sqlx::query(
            "INSERT INTO pairing_codes (code_sha256, room_id, created_at, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code_sha256) DO NOTHING",
        )
        .bind(sha256_hex(&code))
        .bind(room_id)
        .bind(now)
        .bind(now + PAIRING_CODE_LIFETIME_MS)
        .execute(&db.pool)
        .await
        .map_err(AppError::db("storing a pairing code"))?
        .rows_affected();
        if stored == 1 {
            return Ok(code);
        }
    }
    Err(AppError::Unfinished("making a pairing code that was not made before"))
}

const PAIRING_CODE_DRAWS: usize = 20;

/// Uses a pairing code (once) to make a new kiosk.
///
/// `first_seq` is the number of the first record the kiosk will send under its new identity:
/// a kiosk paired again (after a revocation, say) keeps numbering its queue where it was, and
/// its unsent records go to the server under the new id.
pub async fn pair(db: &Database, code: &str, first_seq: u64) -> Result<Pairing, AppError> {
    let applied_through = i64::try_from(first_seq.max(1) - 1)
        .map_err(|_| AppError::BadRequest("`first_seq` is too large".into()))?;
    let refused = || AppError::Unauthorized("this pairing code is wrong, used or expired; ask for a new one".into());
    let code_hash = sha256_hex(code.trim());
    let now = now_ms();
    let kiosk_id = format!("kiosk-{}", uuid::Uuid::new_v4().simple());
    let secret = new_secret();
    let mut tx = db.begin_write().await.map_err(AppError::db("pairing a kiosk"))?;
    // Claiming the code and making the kiosk happen together or not at all.
    let claimed = sqlx::query(
        "UPDATE pairing_codes SET kiosk_id = $1 WHERE code_sha256 = $2 AND kiosk_id IS NULL AND expires_at > $3",
    )
    .bind(&kiosk_id)
    .bind(&code_hash)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("pairing a kiosk"))?;
    if claimed.rows_affected() != 1 {
        return Err(refused());
    }
    let room_id: String = sqlx::query_scalar("SELECT room_id FROM pairing_codes WHERE code_sha256 = $1")
        .bind(&code_hash)
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db("pairing a kiosk"))?;
    let site_id: String = sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1")
        .bind(&room_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db("pairing a kiosk"))?;
    sqlx::query("INSERT INTO kiosks (id, room_id, secret_sha256, paired_at, applied_through) VALUES ($1, $2, $3, $4, $5)")
        .bind(&kiosk_id)
        .bind(&room_id)
        .bind(sha256_hex(&secret))
        .bind(now)
        .bind(applied_through)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("pairing a kiosk"))?;
    tx.commit().await.map_err(AppError::db("pairing a kiosk"))?;
    tracing::info!(kiosk = %kiosk_id, room = %room_id, "kiosk paired");
    Ok(Pairing { kiosk_id, secret, room_id, site_id })
}

/// Checks `Authorization: Bearer <kiosk id>.<secret>`; a revoked, unknown or forged kiosk is
/// refused with the same answer, so the answer tells an attacker nothing.
pub async fn authenticate(db: &Database, authorization: Option<&str>) -> Result<Kiosk, AppError> {
    let refused = |why: &str| AppError::Unauthorized(format!("this kiosk is not paired with the server ({why})"));
    let token = authorization
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| refused("no kiosk credentials"))?;
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
    Ok(Kiosk { id: kiosk_id.to_owned(), room_id, site_id, applied_through: u64::try_from(applied_through).unwrap_or(0) })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn list(db: &Database) -> Result<Vec<KioskListing>, AppError> {
    let rows: Vec<(String, String, i64, Option<i64>, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, room_id, paired_at, revoked_at, applied_through, last_seen_at FROM kiosks ORDER BY paired_at, id",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing kiosks"))?;
    Ok(rows
        .into_iter()
        .map(|(id, room_id, paired_at, revoked_at, applied_through, last_seen_at)| KioskListing {
            id,
            room_id,
            paired_at,
            revoked_at,
            applied_through,
            last_seen_at,
        })
        .collect())
}

/// Revokes a kiosk: its next request is refused. Its records already applied stay.
pub async fn revoke(db: &Database, kiosk_id: &str) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE kiosks SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(kiosk_id)
        .execute(&db.pool)
        .await
        .map_err(AppError::db("revoking a kiosk"))?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(format!("no active kiosk {kiosk_id:?}")));
    }
    tracing::info!(kiosk = %kiosk_id, "kiosk revoked");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_codes_are_eight_digits() {
        for _ in 0..100 {
            let code = new_pairing_code();
            assert_eq!(code.len(), 8);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn secrets_are_long_and_different() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
