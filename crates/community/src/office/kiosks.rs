//! Pairing and watching kiosks, for the console and the command line.

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::kiosks::pairing::{self, PairingCode};
use crate::secret_key::SecretKey;

/// A kiosk as staff watch it: what it last reported with its sync.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KioskStatus {
    pub id: String,
    pub room_id: String,
    pub paired_at: i64,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
    pub last_seen_at: Option<i64>,
    /// Records the server has applied from it.
    pub applied_through: i64,
    pub queued: Option<i64>,
    pub storage_used: Option<i64>,
    pub storage_quota: Option<i64>,
    /// Kiosk clock minus server clock when it last reported.
    pub clock_difference_ms: Option<i64>,
    pub app_version: Option<String>,
    /// One of `jiayuan_domain::sync::report::problem`.
    pub last_error: Option<String>,
    /// Records its storage returned damaged, and records lost after a restore.
    pub damaged: i64,
    pub lost: i64,
}

/// The kiosks in `site_id`'s rooms, those in use first.
pub async fn list(db: &Database, site_id: &str) -> Result<Vec<KioskStatus>, AppError> {
    sqlx::query_as(
        "SELECT kiosks.id, kiosks.room_id, kiosks.paired_at, kiosks.revoked_at, kiosks.revoke_reason, \
                kiosks.last_seen_at, kiosks.applied_through, kiosks.queued, kiosks.storage_used, \
                kiosks.storage_quota, kiosks.clock_difference_ms, kiosks.app_version, kiosks.last_error, \
           (SELECT COUNT(*) FROM kiosk_records r WHERE r.kiosk_id = kiosks.id AND r.void_reason = 'unreadable') \
             AS damaged, \
           (SELECT COUNT(*) FROM kiosk_records r WHERE r.kiosk_id = kiosks.id AND r.void_reason = 'not_kept') \
             AS lost \
         FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id WHERE rooms.site_id = $1 \
         ORDER BY kiosks.revoked_at IS NOT NULL, kiosks.room_id, kiosks.paired_at",
    )
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing kiosks"))
}

/// The site a room belongs to.
pub async fn site_of_room(db: &Database, room_id: &str) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1")
        .bind(room_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("looking up a room"))
}

/// A one-time code that pairs a kiosk with `room_id` of `site_id`; logged (never the code).
pub async fn make_pairing_code(
    db: &Database,
    key: &SecretKey,
    actor: &Actor,
    site_id: &str,
    room_id: &str,
    minutes: u32,
) -> Result<PairingCode, AppError> {
    if site_of_room(db, room_id).await?.as_deref() != Some(site_id) {
        return Err(AppError::NotFound(format!("no room {room_id:?} in this site")));
    }
    let code = pairing::create(db, key, room_id, minutes).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db("logging a pairing code"))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::PairingCodeMade,
            subject: room_id.to_owned(),
            reason: None,
            detail: Some(format!("{minutes} min")),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db("logging a pairing code"))?;
    Ok(code)
}

/// Revokes a kiosk of `site_id` (any site for the command line: None): its next request is
/// refused; its records already applied stay.
pub async fn revoke(
    db: &Database,
    actor: &Actor,
    site_id: Option<&str>,
    kiosk_id: &str,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(AppError::db("revoking a kiosk"))?;
    let site: Option<String> = sqlx::query_scalar(
        "SELECT rooms.site_id FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE kiosks.id = $1 AND kiosks.revoked_at IS NULL",
    )
    .bind(kiosk_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db("revoking a kiosk"))?;
    let site = match (site, site_id) {
        (Some(site), None) => site,
        (Some(site), Some(wanted)) if site == wanted => site,
        _ => return Err(AppError::NotFound(format!("no kiosk {kiosk_id:?} in use here"))),
    };
    sqlx::query("UPDATE kiosks SET revoked_at = $1, revoke_reason = $3 WHERE id = $2")
        .bind(now_ms())
        .bind(kiosk_id)
        .bind(reason)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("revoking a kiosk"))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(&site),
            actor,
            act: Act::KioskRevoked,
            subject: kiosk_id.to_owned(),
            reason: Some(reason.to_owned()),
            detail: None,
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db("revoking a kiosk"))?;
    tracing::info!(kiosk = %kiosk_id, "kiosk revoked");
    Ok(())
}
