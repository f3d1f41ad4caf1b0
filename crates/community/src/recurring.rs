//! Recurring activities in the database, and the sessions made from them.
//!
//! Sessions are made up to the kiosks' horizon (four weeks ahead): when staff import a
//! recurring activity, and each day as the horizon moves on (see `horizon`).

use std::collections::HashSet;

use jiayuan_domain::civil::parse_hour_minute;
use jiayuan_domain::schedule::{RecurringActivity, Weekdays};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::{Date, Duration};

use crate::schedule::{format_day, format_time, localized, parse_day, upsert_activity};

use crate::attendance::{HOLDS_A_PLACE, came_to};
use crate::error::Tx;

/// What saving a recurring activity did to its coming sessions.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SessionChanges {
    /// Sessions made or brought up to date.
    pub saved: usize,
    /// Sessions no longer on its days, removed.
    pub removed: usize,
    /// Sessions no longer on its days that residents have signed up for: kept, for staff to
    /// tell those residents before removing them.
    pub kept: Vec<String>,
}

/// Writes `recurring` and brings its sessions from `today` through `through` in line with it:
/// new days get sessions, existing sessions take its new times and seats (seats already
/// taken stay), days it no longer has lose theirs unless someone signed up.
pub async fn save(
    tx: &mut Tx,
    recurring: &RecurringActivity,
    today: Date,
    through: Date,
    version: i64,
) -> Result<SessionChanges, sqlx::Error> {
    upsert(tx, recurring, through).await?;
    let mut changes = SessionChanges::default();
    let mut wanted = HashSet::new();
    for session in recurring.sessions(today, through) {
        upsert_activity(tx, &session, Some(&recurring.id), version).await?;
        wanted.insert(session.id);
        changes.saved += 1;
    }
    let existing: Vec<String> = sqlx::query_scalar("SELECT id FROM activities WHERE recurring_id = $1 AND day >= $2")
        .bind(&recurring.id)
        .bind(format_day(today))
        .fetch_all(&mut **tx)
        .await?;
    for id in existing.into_iter().filter(|id| !wanted.contains(id)) {
        if remove_session_unless_signed_up(tx, &id, version).await? {
            changes.removed += 1;
        } else {
            changes.kept.push(id);
        }
    }
    Ok(changes)
}

/// Makes the sessions of `recurring` on days after those already made, through `through`.
/// Returns how many it made.
pub async fn extend(
    tx: &mut Tx,
    recurring: &RecurringActivity,
    sessions_through: Date,
    today: Date,
    through: Date,
    version: i64,
) -> Result<usize, sqlx::Error> {
    let first = (sessions_through + Duration::days(1)).max(today);
    let mut made = 0;
    for session in recurring.sessions(first, through) {
        upsert_activity(tx, &session, Some(&recurring.id), version).await?;
        made += 1;
    }
    sqlx::query("UPDATE recurring_activities SET sessions_through = $2 WHERE id = $1")
        .bind(&recurring.id)
        .bind(format_day(through))
        .execute(&mut **tx)
        .await?;
    Ok(made)
}

/// The recurring activities of `site_id` whose sessions are not yet made through `through`,
/// with the last day made so far.
pub async fn behind(tx: &mut Tx, site_id: &str, through: Date) -> Result<Vec<(RecurringActivity, Date)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, recurring_activities.sessions_through FROM recurring_activities \
         JOIN rooms ON rooms.id = recurring_activities.room_id \
         WHERE rooms.site_id = $1 AND recurring_activities.sessions_through < $2 \
         AND (recurring_activities.last_day IS NULL OR recurring_activities.last_day > recurring_activities.sessions_through) \
         ORDER BY recurring_activities.id"
    ))
    .bind(site_id)
    .bind(format_day(through))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            let made: String = row.try_get("sessions_through")?;
            Ok((from_row(row)?, parse_day(&made).ok_or_else(|| bad("sessions_through", "not a date"))?))
        })
        .collect()
}

/// The recurring activities of `site_id`, with the count of staff's edits of each.
pub async fn of_site(db: &crate::db::Database, site_id: &str) -> Result<Vec<(RecurringActivity, i64)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, recurring_activities.revision FROM recurring_activities \
         JOIN rooms ON rooms.id = recurring_activities.room_id WHERE rooms.site_id = $1 \
         ORDER BY recurring_activities.room_id, recurring_activities.starts, recurring_activities.id"
    ))
    .bind(site_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|row| Ok((from_row(row)?, row.try_get("revision")?))).collect()
}

/// One recurring activity of `site_id`, with its count of staff's edits.
pub async fn find(
    db: &crate::db::Database,
    site_id: &str,
    id: &str,
) -> Result<Option<(RecurringActivity, i64)>, sqlx::Error> {
    Ok(of_site(db, site_id).await?.into_iter().find(|(recurring, _)| recurring.id == id))
}

async fn upsert(tx: &mut Tx, recurring: &RecurringActivity, through: Date) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO recurring_activities (id, room_id, title_zh_hans, title_zh_hant, title_en, host_zh_hans, \
         host_zh_hant, host_en, weekdays, starts, ends, capacity, companions_allowed, first_day, last_day, \
         sessions_through, volunteer_service, after_school) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (id) DO UPDATE SET room_id = excluded.room_id, title_zh_hans = excluded.title_zh_hans, \
         title_zh_hant = excluded.title_zh_hant, title_en = excluded.title_en, host_zh_hans = excluded.host_zh_hans, \
         host_zh_hant = excluded.host_zh_hant, host_en = excluded.host_en, weekdays = excluded.weekdays, \
         starts = excluded.starts, ends = excluded.ends, capacity = excluded.capacity, \
         companions_allowed = excluded.companions_allowed, first_day = excluded.first_day, \
         last_day = excluded.last_day, sessions_through = excluded.sessions_through, \
         volunteer_service = excluded.volunteer_service, after_school = excluded.after_school",
    )
    .bind(&recurring.id)
    .bind(&recurring.room_id)
    .bind(&recurring.title.zh_hans)
    .bind(recurring.title.zh_hant.clone())
    .bind(recurring.title.en.clone())
    .bind(&recurring.host.zh_hans)
    .bind(recurring.host.zh_hant.clone())
    .bind(recurring.host.en.clone())
    .bind(recurring.weekdays.to_string())
    .bind(format_time(recurring.starts))
    .bind(format_time(recurring.ends))
    .bind(recurring.capacity.map(i64::from))
    .bind(i64::from(recurring.companions_allowed))
    .bind(format_day(recurring.first_day))
    .bind(recurring.last_day.map(format_day))
    .bind(format_day(through))
    .bind(i64::from(recurring.volunteer_service))
    .bind(i64::from(recurring.after_school))
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Removes a session nobody holds a place in (a cancelled sign-up holds none); kiosks remove
/// it at their next pull. Returns false, removing nothing, if someone is signed up or waiting.
pub(crate) async fn remove_session_unless_signed_up(tx: &mut Tx, id: &str, version: i64) -> Result<bool, sqlx::Error> {
    // Nor one anybody came to: its check-ins, ratings and volunteer hours are kept (cancel it).
    let holding: i64 = sqlx::query_scalar(&format!(
        "SELECT (SELECT COUNT(*) FROM sign_ups WHERE sign_ups.activity_id = $1 AND {HOLDS_A_PLACE}) \
                  + (SELECT COUNT(*) FROM ({came}) came) \
                  + (SELECT COUNT(*) FROM ratings WHERE activity_id = $1) \
                  + (SELECT COUNT(*) FROM service_taps WHERE activity_id = $1)",
        came = came_to("$1")
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    if holding > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO deletions (site_id, entity, entity_id, version) \
         SELECT rooms.site_id, 'activity', activities.id, $2 FROM activities \
         JOIN rooms ON rooms.id = activities.room_id WHERE activities.id = $1 \
         ON CONFLICT (site_id, entity, entity_id) DO UPDATE SET version = excluded.version",
    )
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM sign_ups WHERE activity_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM activities WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(true)
}

const COLUMNS: &str = "recurring_activities.id, recurring_activities.room_id, recurring_activities.title_zh_hans, \
    recurring_activities.title_zh_hant, recurring_activities.title_en, recurring_activities.host_zh_hans, \
    recurring_activities.host_zh_hant, recurring_activities.host_en, recurring_activities.weekdays, \
    recurring_activities.starts, recurring_activities.ends, recurring_activities.capacity, \
    recurring_activities.companions_allowed, recurring_activities.first_day, recurring_activities.last_day, recurring_activities.volunteer_service, \
    recurring_activities.after_school";

fn bad(column: &str, message: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.to_owned(), source: message.to_owned().into() }
}

fn from_row(row: &AnyRow) -> Result<RecurringActivity, sqlx::Error> {
    let day = |column: &str| -> Result<Date, sqlx::Error> {
        let text: String = row.try_get(column)?;
        parse_day(&text).ok_or_else(|| bad(column, "not a YYYY-MM-DD date"))
    };
    let time = |column: &str| -> Result<time::Time, sqlx::Error> {
        let text: String = row.try_get(column)?;
        parse_hour_minute(&text).ok_or_else(|| bad(column, "not an HH:MM time"))
    };
    let weekdays: String = row.try_get("weekdays")?;
    let capacity: Option<i64> = row.try_get("capacity")?;
    let companions: i64 = row.try_get("companions_allowed")?;
    let last_day: Option<String> = row.try_get("last_day")?;
    let volunteer_service: i64 = row.try_get("volunteer_service")?;
    let after_school: i64 = row.try_get("after_school")?;
    Ok(RecurringActivity {
        id: row.try_get("id")?,
        room_id: row.try_get("room_id")?,
        title: localized(row, "title")?,
        host: localized(row, "host")?,
        weekdays: Weekdays::parse(&weekdays).ok_or_else(|| bad("weekdays", "not a list of weekdays"))?,
        starts: time("starts")?,
        ends: time("ends")?,
        capacity: capacity.map(u32::try_from).transpose().map_err(|_| bad("capacity", "out of range"))?,
        companions_allowed: u8::try_from(companions).map_err(|_| bad("companions_allowed", "out of range"))?,
        first_day: day("first_day")?,
        last_day: last_day.map(|text| parse_day(&text).ok_or_else(|| bad("last_day", "not a date"))).transpose()?,
        volunteer_service: volunteer_service != 0,
        after_school: after_school != 0,
    })
}
