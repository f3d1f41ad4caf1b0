//! How far ahead kiosks see, and moving it on each day.
//!
//! Kiosks hold activities from yesterday to four weeks ahead. Each day that window moves on by
//! a day: recurring activities get their new sessions, and activities staff dated further
//! ahead are stamped with a new version as they come within reach, so a kiosk whose cursor is
//! already past their import still receives them.

use std::time::Duration as StdDuration;

use time::{Date, Duration, UtcOffset};

use crate::community_time;
use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::recurring;
use crate::schedule::{format_day, parse_day};
use crate::versions;

pub const DAYS_BEHIND: i64 = 1;
pub const DAYS_AHEAD: i64 = 28;

/// How often the server looks whether the day has turned.
const CHECK_EVERY: StdDuration = StdDuration::from_secs(10 * 60);

/// The first day kiosks hold on `today`.
pub fn first_day(today: Date) -> Date {
    today - Duration::days(DAYS_BEHIND)
}

/// The last day kiosks hold on `today`.
pub fn last_day(today: Date) -> Date {
    today + Duration::days(DAYS_AHEAD)
}

/// What moving the horizon did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Advance {
    pub sessions_made: usize,
    pub activities_stamped: u64,
}

/// Moves every site's horizon to `today`'s; does nothing for a site already there.
pub async fn advance(db: &Database, today: Date) -> Result<Advance, AppError> {
    let sites: Vec<String> = sqlx::query_scalar("SELECT id FROM sites ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading sites"))?;
    let mut total = Advance::default();
    for site in sites {
        let mut tx = db.begin_write().await.map_err(AppError::db("moving the horizon"))?;
        let done = advance_site(&mut tx, &site, today).await.map_err(AppError::db("moving the horizon"))?;
        tx.commit().await.map_err(AppError::db("moving the horizon"))?;
        total.sessions_made += done.sessions_made;
        total.activities_stamped += done.activities_stamped;
    }
    Ok(total)
}

async fn advance_site(tx: &mut Tx, site_id: &str, today: Date) -> Result<Advance, sqlx::Error> {
    let through = last_day(today);
    let stamped_through: Option<String> = sqlx::query_scalar("SELECT horizon_through FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(&mut **tx)
        .await?;
    // Never stamped: everything kiosks may already hold is stamped once.
    let stamped_through =
        stamped_through.as_deref().and_then(parse_day).unwrap_or(first_day(today) - Duration::days(1));
    let behind = recurring::behind(tx, site_id, through).await?;
    if behind.is_empty() && stamped_through >= through {
        return Ok(Advance::default());
    }
    let version = versions::next_for_site(tx, site_id).await?;
    let mut done = Advance::default();
    for (activity, sessions_through) in &behind {
        done.sessions_made += recurring::extend(tx, activity, *sessions_through, today, through, version).await?;
    }
    if stamped_through < through {
        done.activities_stamped = sqlx::query(
            "UPDATE activities SET version = $1 WHERE recurring_id IS NULL AND day > $2 AND day <= $3 \
             AND room_id IN (SELECT id FROM rooms WHERE site_id = $4)",
        )
        .bind(version)
        .bind(format_day(stamped_through))
        .bind(format_day(through))
        .bind(site_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE sites SET horizon_through = $2 WHERE id = $1")
            .bind(site_id)
            .bind(format_day(through))
            .execute(&mut **tx)
            .await?;
    }
    Ok(done)
}

/// Moves the horizon whenever the community's day has turned, until the server stops (the
/// server moves it once itself before listening). A failure is logged and tried again at the
/// next check.
pub fn keep_moving(db: Database, offset: UtcOffset) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CHECK_EVERY).await;
            match advance(&db, community_time::today(offset)).await {
                Ok(done) if done != Advance::default() => tracing::info!(
                    sessions_made = done.sessions_made,
                    activities_stamped = done.activities_stamped,
                    "kiosks' horizon moved on"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!("could not move the kiosks' horizon: {error}"),
            }
        }
    });
}
