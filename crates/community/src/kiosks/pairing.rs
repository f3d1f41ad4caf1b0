//! One-time pairing codes: staff make one for a room, a kiosk trades it for its id and secret.
//!
//! Eight digits are easy to type on a kiosk's keypad and easy to guess, so a code lives only
//! as long as it takes to walk to the room (30 minutes unless the operator says otherwise), is
//! kept only as an HMAC under the server's secret key (`secret_key`), works once, and every
//! outstanding code is withdrawn when wrong codes pour in (`guard`). Whatever is wrong with a
//! code — never made, expired, used, withdrawn — gets the same answer, by the same path.

use jiayuan_domain::sync::Pairing;

use super::sha256_hex;
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::secret_key::SecretKey;

/// How long a code stays good unless the operator sets another (`--pairing-code-minutes`).
pub const DEFAULT_LIFETIME_MINUTES: u32 = 30;

/// The purpose a code's digest is made for (see `SecretKey::digest`).
const PURPOSE: &str = "pairing-code";

/// A code made for staff to type on a kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingCode {
    pub code: String,
    pub room_id: String,
    /// Server clock, ms since 1970.
    pub expires_at: i64,
}

/// Eight digits: easy for staff to type on the kiosk's keypad.
fn new_code() -> String {
    format!("{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000)
}

/// 244 random bits from the OS, as hex.
fn new_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Makes a one-time pairing code for a kiosk in `room_id`, good for `lifetime_minutes`.
pub async fn create(
    db: &Database,
    key: &SecretKey,
    room_id: &str,
    lifetime_minutes: u32,
) -> Result<PairingCode, AppError> {
    let room: Option<String> = sqlx::query_scalar("SELECT id FROM rooms WHERE id = $1")
        .bind(room_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("looking up the room"))?;
    if room.is_none() {
        return Err(AppError::NotFound(format!("no room {room_id:?}")));
    }
    let lifetime_ms = i64::from(lifetime_minutes) * 60 * 1000;
    // Eight digits can repeat a code made before (one in a thousand after 100,000 pairings):
    // draw again rather than fail.
    for _ in 0..DRAWS {
        let code = new_code();
        let now = now_ms();
        let stored = sqlx::query(
            "INSERT INTO pairing_codes (code_digest, room_id, created_at, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code_digest) DO NOTHING",
        )
        .bind(key.digest(PURPOSE, &code))
        .bind(room_id)
        .bind(now)
        .bind(now + lifetime_ms)
        .execute(&db.pool)
        .await
        .map_err(AppError::db("storing a pairing code"))?
        .rows_affected();
        if stored == 1 {
            tracing::info!(room = %room_id, lifetime_minutes, "pairing code made");
            return Ok(PairingCode { code, room_id: room_id.to_owned(), expires_at: now + lifetime_ms });
        }
    }
    Err(AppError::Unfinished("making a pairing code that was not made before"))
}

const DRAWS: usize = 20;

/// Uses a pairing code (once) to make a new kiosk.
///
/// `first_seq` is the number of the first record the kiosk will send under its new identity:
/// a kiosk paired again (after a revocation, say) keeps numbering its journal where it was,
/// and its unsent records go to the server under the new id.
pub async fn pair(db: &Database, key: &SecretKey, code: &str, first_seq: u64) -> Result<Pairing, AppError> {
    let applied_through = first_seq
        .max(1)
        .checked_sub(1)
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(|| AppError::BadRequest("`first_seq` is too large".into()))?;
    let digest = key.digest(PURPOSE, code.trim());
    let now = now_ms();
    let kiosk_id = format!("kiosk-{}", uuid::Uuid::new_v4().simple());
    let secret = new_secret();
    let failed = AppError::db("pairing a kiosk");
    let mut tx = db.begin_write().await.map_err(failed)?;
    // Claiming the code and making the kiosk happen together or not at all.
    let claimed: Option<String> = sqlx::query_scalar(
        "UPDATE pairing_codes SET kiosk_id = $1 \
         WHERE code_digest = $2 AND kiosk_id IS NULL AND withdrawn_at IS NULL AND expires_at > $3 \
         RETURNING room_id",
    )
    .bind(&kiosk_id)
    .bind(&digest)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db("pairing a kiosk"))?;
    let Some(room_id) = claimed else {
        return Err(AppError::PairingCodeRefused);
    };
    let site_id: String = sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1")
        .bind(&room_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db("pairing a kiosk"))?;
    sqlx::query(
        "INSERT INTO kiosks (id, room_id, secret_sha256, paired_at, applied_through) VALUES ($1, $2, $3, $4, $5)",
    )
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

/// Withdraws every code not yet used: staff make new ones. Returns how many were withdrawn.
pub async fn withdraw_outstanding(db: &Database) -> Result<u64, AppError> {
    let now = now_ms();
    let withdrawn = sqlx::query(
        "UPDATE pairing_codes SET withdrawn_at = $1 WHERE kiosk_id IS NULL AND withdrawn_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .execute(&db.pool)
    .await
    .map_err(AppError::db("withdrawing pairing codes"))?;
    Ok(withdrawn.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_and_secrets_long_and_different() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 8);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
