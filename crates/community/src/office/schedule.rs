//! Changing the schedule, for the console (and anything else that needs it): the same rules
//! as the file import (`jiayuan_domain::input`), one transaction per change with its line in
//! the action log, a new version so kiosks pull it, and a revision number so two staff editing
//! the same activity are told rather than one overwriting the other.

use jiayuan_domain::input::{ActivityInput, RecurringInput};
use jiayuan_domain::schedule::{Activity, RecurringActivity, Room};
use jiayuan_domain::seats;
use time::Date;

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::office::form::{FieldProblem, IdsOf, ServiceError, refuse_taken_id};
use crate::recurring::{self, SessionChanges};
use crate::schedule::{self, SessionRow, format_day, format_time};
use crate::sync::seats::promote_waiting;
use crate::{horizon, versions};

use crate::attendance::HOLDS_A_PLACE;
use crate::error::Tx;

const DB: &str = "saving a schedule change";

/// A week of one site's sessions, in one room or all of them.
#[derive(Debug, Clone)]
pub struct Week {
    pub monday: Date,
    pub rooms: Vec<Room>,
    pub sessions: Vec<SessionRow>,
}

/// The Monday of the week `day` is in.
pub fn monday_of(day: Date) -> Date {
    day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

pub async fn week(db: &Database, site_id: &str, room_id: Option<&str>, day: Date) -> Result<Week, AppError> {
    let monday = monday_of(day);
    let rooms = schedule::rooms_of_site(db, site_id).await?;
    let mut sessions = schedule::sessions_of_site(db, site_id, monday, monday + time::Duration::days(6)).await?;
    if let Some(room_id) = room_id {
        sessions.retain(|session| session.activity.room_id == room_id);
    }
    Ok(Week { monday, rooms, sessions })
}

/// A session of `site_id`, or NotFound.
pub async fn session(db: &Database, site_id: &str, id: &str) -> Result<SessionRow, ServiceError> {
    schedule::session_of_site(db, site_id, id).await?.ok_or(ServiceError::NotFound)
}

/// A fresh id for something staff add in the console (files bring their own).
fn new_id(prefix: &str) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &random[..12])
}

/// The room must be one of this site's.
async fn check_room(tx: &mut Tx, site_id: &str, room_id: &str) -> Result<(), ServiceError> {
    let site: Option<String> = sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1")
        .bind(room_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    match site {
        Some(site) if site == site_id => Ok(()),
        _ => Err(ServiceError::field("room_id", "schedule.problem.unknown_room")),
    }
}

async fn log(
    tx: &mut Tx,
    site_id: &str,
    actor: &Actor,
    act: Act,
    subject: &str,
    reason: Option<String>,
    detail: Option<String>,
) -> Result<(), AppError> {
    action_log::record(tx, Entry { site_id: Some(site_id), actor, act, subject: subject.to_owned(), reason, detail })
        .await
}

/// "2026-12-03 08:30–09:30, 20 seats": what a session is, for the action log.
fn describe(activity: &Activity) -> String {
    let seats = activity.capacity.map(|c| format!(", {c} seats")).unwrap_or_default();
    format!(
        "{} {} {}–{}{seats}",
        activity.title.zh_hans,
        format_day(activity.date),
        format_time(activity.starts),
        format_time(activity.ends)
    )
}

/// Adds a one-off activity; its id.
pub async fn add_activity(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    mut input: ActivityInput,
) -> Result<String, ServiceError> {
    if input.id.trim().is_empty() {
        input.id = new_id("a");
    }
    let activity = input.check().map_err(|problems| ServiceError::from_domain(&problems))?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    check_room(&mut tx, site_id, &activity.room_id).await?;
    refuse_taken_id(&mut tx, IdsOf::Activities, &activity.id, "schedule.problem.id_taken").await?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    schedule::upsert_activity(&mut tx, &activity, None, version).await.map_err(AppError::db(DB))?;
    log(&mut tx, site_id, actor, Act::ActivityAdded, &activity.id, None, Some(describe(&activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(activity.id)
}

/// Changes a session as staff edited it from `revision`. Seats already taken stay; more seats
/// go to the waiting list in order; fewer seats than are taken, or no sign-up at all while
/// residents hold places, are refused with the field named.
pub async fn change_activity(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    mut input: ActivityInput,
    revision: i64,
) -> Result<(), ServiceError> {
    input.id = id.to_owned();
    let activity = input.check().map_err(|problems| ServiceError::from_domain(&problems))?;
    let before = session(db, site_id, id).await?;
    if before.revision != revision {
        return Err(ServiceError::Conflict);
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    check_room(&mut tx, site_id, &activity.room_id).await?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    // The session's row is locked before its seats and places are read, as a kiosk's sign-up
    // locks it (sync::seats): a sign-up landing meanwhile waits for this change, then meets the
    // new capacity, rather than being counted before it and leaving fewer seats than are taken.
    let (seats_taken, holding) = lock_and_count(&mut tx, id, revision, version).await?;
    match activity.capacity {
        Some(capacity) if i64::from(capacity) < seats_taken => {
            return Err(ServiceError::field("capacity", "schedule.problem.below_taken"));
        }
        None if holding > 0 => return Err(ServiceError::field("capacity", "schedule.problem.open_with_sign_ups")),
        _ => {}
    }
    schedule::upsert_activity(&mut tx, &activity, before.recurring_id.as_deref(), version)
        .await
        .map_err(AppError::db(DB))?;
    if seats::moves_line_up(before.cancelled) {
        promote_waiting(&mut tx, id, now_ms()).await?;
    }
    log(&mut tx, site_id, actor, Act::ActivityChanged, id, None, Some(describe(&activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Locks session `id` as of `revision` (another change since answers `Conflict`), then reads
/// its seats taken and the residents holding a place (a seat or a place in line).
async fn lock_and_count(tx: &mut Tx, id: &str, revision: i64, version: i64) -> Result<(i64, i64), ServiceError> {
    let locked = sqlx::query("UPDATE activities SET version = $3 WHERE id = $1 AND revision = $2")
        .bind(id)
        .bind(revision)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("locking a session"))?;
    if locked.rows_affected() != 1 {
        return Err(ServiceError::Conflict);
    }
    let counted: (i64, i64) = sqlx::query_as(&format!(
        "SELECT activities.seats_taken, \
                (SELECT COUNT(*) FROM sign_ups WHERE sign_ups.activity_id = activities.id AND {HOLDS_A_PLACE}) \
         FROM activities WHERE activities.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .map_err(AppError::db("counting a session's places"))?;
    Ok(counted)
}

/// Removes a session nobody holds a place in. One that residents signed up for is never
/// removed this way: staff cancel it, and residents are told.
pub async fn remove_activity(db: &Database, actor: &Actor, site_id: &str, id: &str) -> Result<(), ServiceError> {
    let before = session(db, site_id, id).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    if !recurring::remove_session_unless_signed_up(&mut tx, id, version).await.map_err(AppError::db(DB))? {
        return Err(ServiceError::Form(vec![FieldProblem::new("id", "schedule.problem.has_sign_ups")]));
    }
    log(&mut tx, site_id, actor, Act::ActivityRemoved, id, None, Some(describe(&before.activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Cancels one session (a holiday, a teacher ill): it stays with its sign-ups, takes no new
/// ones, its line stops moving, and kiosks tell the residents signed up.
pub async fn cancel_session(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    reason: &str,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "schedule.problem.reason_needed"));
    }
    set_cancelled(db, actor, site_id, id, Some(reason)).await
}

/// Restores a cancelled session: sign-ups stand as they were, and seats freed meanwhile go
/// to the waiting list in order.
pub async fn restore_session(db: &Database, actor: &Actor, site_id: &str, id: &str) -> Result<(), ServiceError> {
    set_cancelled(db, actor, site_id, id, None).await
}

async fn set_cancelled(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    reason: Option<&str>,
) -> Result<(), ServiceError> {
    let before = session(db, site_id, id).await?;
    let cancelling = reason.is_some();
    if before.cancelled == cancelling {
        return Ok(());
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    sqlx::query("UPDATE activities SET cancelled_at = $2, version = $3 WHERE id = $1")
        .bind(id)
        .bind(cancelling.then(now_ms))
        .bind(version)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    // Those holding a place are told, before anyone moved up by a restore is told of that.
    crate::notices::note_holders(&mut tx, id, cancelling, now_ms()).await?;
    if !cancelling {
        promote_waiting(&mut tx, id, now_ms()).await?;
    }
    // Kiosks stop (or start again) asking those who came how it was.
    crate::satisfaction::send_again_who_came(&mut tx, id, version).await?;
    let act = if cancelling { Act::SessionCancelled } else { Act::SessionRestored };
    log(&mut tx, site_id, actor, act, id, reason.map(str::to_owned), Some(describe(&before.activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// The recurring activities of a site, with their revisions.
pub async fn recurring_activities(db: &Database, site_id: &str) -> Result<Vec<(RecurringActivity, i64)>, AppError> {
    recurring::of_site(db, site_id).await.map_err(AppError::db("reading recurring activities"))
}

pub async fn recurring_activity(
    db: &Database,
    site_id: &str,
    id: &str,
) -> Result<(RecurringActivity, i64), ServiceError> {
    recurring::find(db, site_id, id)
        .await
        .map_err(AppError::db("reading a recurring activity"))?
        .ok_or(ServiceError::NotFound)
}

/// Adds a recurring activity and makes its sessions for the coming weeks; its id and what
/// was made.
pub async fn add_recurring(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    mut input: RecurringInput,
    today: Date,
) -> Result<(String, SessionChanges), ServiceError> {
    if input.id.trim().is_empty() {
        input.id = new_id("r");
    }
    let activity = input.check(today).map_err(|problems| ServiceError::from_domain(&problems))?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    check_room(&mut tx, site_id, &activity.room_id).await?;
    refuse_taken_id(&mut tx, IdsOf::Recurring, &activity.id, "schedule.problem.id_taken").await?;
    let changes = save_recurring(&mut tx, site_id, &activity, today).await?;
    log(&mut tx, site_id, actor, Act::RecurringSaved, &activity.id, None, Some(describe_recurring(&activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok((activity.id, changes))
}

/// Changes a recurring activity as staff edited it from `revision`: its coming sessions follow
/// (seats taken stay); days it no longer has lose their sessions, unless residents signed up.
pub async fn change_recurring(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    mut input: RecurringInput,
    revision: i64,
    today: Date,
) -> Result<SessionChanges, ServiceError> {
    input.id = id.to_owned();
    let activity = input.check(today).map_err(|problems| ServiceError::from_domain(&problems))?;
    recurring_activity(db, site_id, id).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    bump_recurring_revision(&mut tx, id, revision).await?;
    check_room(&mut tx, site_id, &activity.room_id).await?;
    let changes = save_recurring(&mut tx, site_id, &activity, today).await?;
    log(&mut tx, site_id, actor, Act::RecurringSaved, id, None, Some(describe_recurring(&activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(changes)
}

/// Ends a recurring activity: no sessions from today on, except those residents signed up
/// for, which are kept and named for staff to cancel.
pub async fn end_recurring(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    revision: i64,
    today: Date,
) -> Result<SessionChanges, ServiceError> {
    let (mut activity, _) = recurring_activity(db, site_id, id).await?;
    activity.last_day = Some(today - time::Duration::days(1));
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    bump_recurring_revision(&mut tx, id, revision).await?;
    let changes = save_recurring(&mut tx, site_id, &activity, today).await?;
    log(&mut tx, site_id, actor, Act::RecurringEnded, id, None, Some(describe_recurring(&activity))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(changes)
}

async fn bump_recurring_revision(tx: &mut Tx, id: &str, revision: i64) -> Result<(), ServiceError> {
    let bumped = sqlx::query("UPDATE recurring_activities SET revision = revision + 1 WHERE id = $1 AND revision = $2")
        .bind(id)
        .bind(revision)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if bumped.rows_affected() == 1 { Ok(()) } else { Err(ServiceError::Conflict) }
}

async fn save_recurring(
    tx: &mut Tx,
    site_id: &str,
    activity: &RecurringActivity,
    today: Date,
) -> Result<SessionChanges, ServiceError> {
    let version = versions::next_for_site(tx, site_id).await.map_err(AppError::db(DB))?;
    Ok(recurring::save(tx, activity, today, horizon::last_day(today), version).await.map_err(AppError::db(DB))?)
}

fn describe_recurring(activity: &RecurringActivity) -> String {
    let seats = activity.capacity.map(|c| format!(", {c} seats")).unwrap_or_default();
    let until = activity.last_day.map(|d| format!(" until {}", format_day(d))).unwrap_or_default();
    format!(
        "{} {} {}–{}{seats}{until}",
        activity.title.zh_hans,
        activity.weekdays,
        format_time(activity.starts),
        format_time(activity.ends)
    )
}
