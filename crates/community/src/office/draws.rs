//! Staff set a session's seats to be drawn (摇号): when entries close and how long the draw
//! waits after for kiosks that were offline. The seed is made when entries open and shown from
//! then on, and never changes; once drawn, nothing about the draw can be set again, and there
//! is no way to draw again.

use time::{PrimitiveDateTime, UtcOffset};

use super::form::ServiceError;
use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;

const DB: &str = "setting a draw";

/// Minutes the draw may wait after entries close: up to a day.
pub const GRACE_MINUTES: std::ops::RangeInclusive<u32> = 0..=1440;
/// What the form offers first: half an hour for kiosks to come back online.
pub const DEFAULT_GRACE_MINUTES: u32 = 30;

/// A session's draw as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawFacts {
    pub closes_at: i64,
    pub draws_at: i64,
    pub seed: String,
    pub drawn_at: Option<i64>,
    /// Residents who entered (before the draw), or whom the draw placed (after).
    pub entries: i64,
}

/// The draw of a session of `site_id`, if its seats are drawn.
pub async fn of_session(db: &Database, site_id: &str, activity_id: &str) -> Result<Option<DrawFacts>, ServiceError> {
    crate::schedule::session_of_site(db, site_id, activity_id).await?.ok_or(ServiceError::NotFound)?;
    type Row = (Option<i64>, Option<i64>, Option<String>, Option<i64>);
    let row: Option<Row> =
        sqlx::query_as("SELECT draw_closes_at, draws_at, draw_seed, drawn_at FROM activities WHERE id = $1")
            .bind(activity_id)
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("reading a draw"))?;
    let Some((Some(closes_at), Some(draws_at), Some(seed), drawn_at)) = row else { return Ok(None) };
    let entries: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1 AND {}",
        crate::attendance::IS_ENTRY
    ))
    .bind(activity_id)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("counting a draw's entries"))?;
    Ok(Some(DrawFacts { closes_at, draws_at, seed, drawn_at, entries }))
}

/// Sets (or moves) the close of entries of a session of `site_id`, `closes` in the community's
/// time. The draw must come before the session starts.
pub async fn set(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    closes: PrimitiveDateTime,
    grace_minutes: u32,
    offset: UtcOffset,
) -> Result<(), ServiceError> {
    let session = crate::schedule::session_of_site(db, site_id, activity_id).await?.ok_or(ServiceError::NotFound)?;
    if session.activity.capacity.is_none() {
        return Err(ServiceError::field("closes_day", "draw.problem.open_to_all"));
    }
    if !GRACE_MINUTES.contains(&grace_minutes) {
        return Err(ServiceError::field("grace_minutes", "draw.problem.grace"));
    }
    let closes_at = ms(closes, offset);
    let draws_at = closes_at.saturating_add(i64::from(grace_minutes).saturating_mul(60_000));
    let starts_at = ms(PrimitiveDateTime::new(session.activity.date, session.activity.starts), offset);
    if closes_at <= now_ms() {
        return Err(ServiceError::field("closes_day", "draw.problem.past"));
    }
    if draws_at >= starts_at {
        return Err(ServiceError::field("closes_day", "draw.problem.after_start"));
    }
    let seed = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let version = crate::versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    // Inside the transaction that writes, conditional on the draw not having happened: the
    // draw job may be making it this very moment.
    let set = sqlx::query(
        "UPDATE activities SET draw_closes_at = $2, draws_at = $3, draw_seed = COALESCE(draw_seed, $4), \
         version = $5 WHERE id = $1 AND drawn_at IS NULL",
    )
    .bind(activity_id)
    .bind(closes_at)
    .bind(draws_at)
    .bind(&seed)
    .bind(version)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    if set.rows_affected() != 1 {
        return Err(ServiceError::field("closes_day", "draw.problem.drawn"));
    }
    let seed: String = sqlx::query_scalar("SELECT draw_seed FROM activities WHERE id = $1")
        .bind(activity_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::DrawSet,
            subject: activity_id.to_owned(),
            reason: None,
            detail: Some(format!("entries close at {closes}, drawn {grace_minutes} minutes after; seed {seed}")),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

fn ms(at: PrimitiveDateTime, offset: UtcOffset) -> i64 {
    i64::try_from(at.assume_offset(offset).unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
