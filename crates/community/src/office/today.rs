//! The first page after signing in: what is on today in each room of the site, sign-ins so
//! far, and kiosks not heard from for over an hour.

use jiayuan_domain::schedule::{Activity, Room};
use time::Date;

use crate::attendance::ACCEPTED_SQL;
use crate::clock::now_ms;
use crate::community_time;
use crate::db::Database;
use crate::error::AppError;
use crate::schedule::{self, format_day};
use jiayuan_domain::sync::record::action_name::SIGN_IN;

/// A kiosk is missed when it has not synced for this long.
pub const SILENT_AFTER_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone)]
pub struct SessionToday {
    pub activity: Activity,
    pub seats_taken: i64,
    pub waiting: i64,
    pub cancelled: bool,
}

#[derive(Debug, Clone)]
pub struct RoomToday {
    pub room: Room,
    pub sessions: Vec<SessionToday>,
    /// Residents who signed in (each once) and visitors, by the kiosks' clocks.
    pub residents_signed_in: i64,
    pub visitors: i64,
}

#[derive(Debug, Clone)]
pub struct SilentKiosk {
    pub id: String,
    pub room_id: String,
    pub last_seen_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Today {
    pub date: Date,
    pub rooms: Vec<RoomToday>,
    pub silent_kiosks: Vec<SilentKiosk>,
    pub residents: i64,
}

pub async fn today(db: &Database, site_id: &str, utc_offset: time::UtcOffset) -> Result<Today, AppError> {
    let date = community_time::today(utc_offset);
    let rooms = schedule::rooms_of_site(db, site_id).await?;
    let sessions = schedule::sessions_of_site(db, site_id, date, date).await?;
    let start = date.midnight().assume_offset(utc_offset).unix_timestamp().saturating_mul(1000);
    // Accepted sign-ins only, of this site's residents: what the reports count.
    let sign_ins: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT kiosks.room_id, COUNT(DISTINCT kiosk_records.resident_id), \
                SUM(CASE WHEN kiosk_records.resident_id IS NULL THEN 1 ELSE 0 END) \
         FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
         JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $3 AND kiosk_records.action = '{SIGN_IN}' \
           AND kiosk_records.happened_at >= $1 AND kiosk_records.happened_at < $2 \
           AND kiosk_records.outcome = {ACCEPTED_SQL} \
           AND (kiosk_records.resident_id IS NULL \
                OR kiosk_records.resident_id IN (SELECT id FROM residents WHERE site_id = $3)) \
         GROUP BY kiosks.room_id"
    ))
    .bind(start)
    .bind(start.saturating_add(24 * 60 * 60 * 1000))
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting today's sign-ins"))?;
    let silent_kiosks: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT kiosks.id, kiosks.room_id, kiosks.last_seen_at FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $1 AND kiosks.revoked_at IS NULL \
           AND (kiosks.last_seen_at IS NULL OR kiosks.last_seen_at < $2) ORDER BY kiosks.room_id, kiosks.id",
    )
    .bind(site_id)
    .bind(now_ms().saturating_sub(SILENT_AFTER_MS))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("finding silent kiosks"))?;
    let residents: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE site_id = $1 AND deactivated_at IS NULL")
            .bind(site_id)
            .fetch_one(&db.pool)
            .await
            .map_err(AppError::db("counting residents"))?;
    let rooms = rooms
        .into_iter()
        .map(|room| {
            let (residents_signed_in, visitors) = sign_ins
                .iter()
                .find(|(id, _, _)| *id == room.id)
                .map(|(_, residents, visitors)| (*residents, *visitors))
                .unwrap_or_default();
            RoomToday {
                sessions: sessions
                    .iter()
                    .filter(|s| s.activity.room_id == room.id)
                    .map(|s| SessionToday {
                        activity: s.activity.clone(),
                        seats_taken: s.seats_taken,
                        waiting: s.waiting,
                        cancelled: s.cancelled,
                    })
                    .collect(),
                room,
                residents_signed_in,
                visitors,
            }
        })
        .collect();
    Ok(Today {
        date,
        rooms,
        silent_kiosks: silent_kiosks
            .into_iter()
            .map(|(id, room_id, last_seen_at)| SilentKiosk { id, room_id, last_seen_at })
            .collect(),
        residents,
    })
}

/// The day as a page shows it: 2026-12-01.
pub fn day_text(date: Date) -> String {
    format_day(date)
}
