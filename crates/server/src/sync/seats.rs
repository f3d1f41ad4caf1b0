//! Seats: the server decides. A seat is taken only by a conditional update that keeps
//! `seats_taken` at or under capacity, inside the record's transaction, so two kiosks racing
//! for the last seat cannot both win, on SQLite or PostgreSQL.
//!
//! The waiting list is strictly first come, first served by arrival at the server: a freed
//! seat goes to the first in line, and nobody behind them overtakes, even a smaller party.

use jiayuan_domain::sync::{Outcome, RejectReason};
use sqlx::{Any, Transaction};

use crate::error::AppError;

type Tx = Transaction<'static, Any>;

const CONFIRMED: &str = "confirmed";
const WAITING: &str = "waiting";
const CANCELLED: &str = "cancelled";
/// A cancellation that arrived before the sign-up it cancels; that sign-up is cancelled the
/// moment it arrives.
const CANCEL_PENDING: &str = "cancel_pending";

/// What the server knows of an activity when deciding.
#[derive(Debug, Clone)]
pub struct ActivityFacts {
    pub capacity: Option<i64>,
    pub companions_allowed: i64,
    pub site_id: String,
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

pub async fn sign_up(
    tx: &mut Tx,
    activity_id: &str,
    activity: &ActivityFacts,
    resident_id: &str,
    companions: u8,
    record_id: &str,
    now: i64,
) -> Result<Outcome, AppError> {
    if activity.capacity.is_none() {
        return Ok(Outcome::rejected(RejectReason::NoSignUpNeeded));
    }
    if i64::from(companions) > activity.companions_allowed {
        return Ok(Outcome::rejected(RejectReason::TooManyCompanions));
    }
    lock_activity(tx, activity_id).await?;
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT status, queue_order FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
            .bind(activity_id)
            .bind(resident_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db("reading a sign-up"))?;
    match existing.as_ref().map(|(status, _)| status.as_str()) {
        // The same resident signing up again (another kiosk, a resend) is not a second seat.
        Some(CONFIRMED) => return Ok(Outcome::Confirmed),
        Some(WAITING) => return waiting_outcome(tx, activity_id, resident_id).await,
        Some(CANCEL_PENDING) => {
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
            return Ok(Outcome::Cancelled);
        }
        _ => {}
    }

    let queue_order: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(queue_order), 0) + 1 FROM sign_ups WHERE activity_id = $1")
            .bind(activity_id)
            .fetch_one(&mut **tx)
            .await
            .map_err(db("ordering a sign-up"))?;
    let party = 1 + i64::from(companions);
    let someone_waiting = first_waiting(tx, activity_id).await?.is_some();
    let seated = !someone_waiting && take_seats(tx, activity_id, party).await?;
    let status = if seated { CONFIRMED } else { WAITING };
    let statement = if existing.is_some() {
        // Signing up again after cancelling: to the back of the line, like anyone new.
        "UPDATE sign_ups SET companions = $3, status = $4, queue_order = $5, record_id = $6, updated_at = $7 \
         WHERE activity_id = $1 AND resident_id = $2"
    } else {
        "INSERT INTO sign_ups (activity_id, resident_id, companions, status, queue_order, record_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    };
    sqlx::query(statement)
        .bind(activity_id)
        .bind(resident_id)
        .bind(i64::from(companions))
        .bind(status)
        .bind(queue_order)
        .bind(record_id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(db("saving a sign-up"))?;
    if seated { Ok(Outcome::Confirmed) } else { waiting_outcome(tx, activity_id, resident_id).await }
}

pub async fn cancel(
    tx: &mut Tx,
    activity_id: &str,
    resident_id: &str,
    record_id: &str,
    now: i64,
) -> Result<Outcome, AppError> {
    lock_activity(tx, activity_id).await?;
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT status, companions FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
            .bind(activity_id)
            .bind(resident_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db("reading a sign-up"))?;
    match existing {
        Some((status, companions)) if status == CONFIRMED => {
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
            sqlx::query("UPDATE activities SET seats_taken = seats_taken - $2 WHERE id = $1")
                .bind(activity_id)
                .bind(1 + companions)
                .execute(&mut **tx)
                .await
                .map_err(db("freeing a seat"))?;
            promote_waiting(tx, activity_id, now).await?;
        }
        Some((status, _)) if status == WAITING => {
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
        }
        Some(_) => {}
        None => {
            sqlx::query(
                "INSERT INTO sign_ups (activity_id, resident_id, companions, status, queue_order, record_id, updated_at) \
                 VALUES ($1, $2, 0, $3, 0, $4, $5)",
            )
            .bind(activity_id)
            .bind(resident_id)
            .bind(CANCEL_PENDING)
            .bind(record_id)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(db("keeping an early cancellation"))?;
        }
    }
    Ok(Outcome::Cancelled)
}

/// Whether `resident_id` holds a confirmed seat.
pub async fn has_seat(tx: &mut Tx, activity_id: &str, resident_id: &str) -> Result<bool, AppError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
            .bind(activity_id)
            .bind(resident_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db("reading a sign-up"))?;
    Ok(status.as_deref() == Some(CONFIRMED))
}

/// Decisions about one activity's seats and waiting list happen one at a time: the waiting
/// list's order and the positions told to residents then count every earlier decision.
/// (The update takes PostgreSQL's row lock; SQLite already has one writer at a time.) The
/// seat count itself would stay within capacity without this, by `take_seats`. The new
/// version sends the activity, its seats left and its sign-ups to every kiosk's next pull.
async fn lock_activity(tx: &mut Tx, activity_id: &str) -> Result<(), AppError> {
    let version = crate::versions::next_for_activity(tx, activity_id)
        .await
        .map_err(db("numbering a change"))?;
    sqlx::query("UPDATE activities SET version = $2 WHERE id = $1")
        .bind(activity_id)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(db("locking an activity's seats"))
}

/// The conditional update at the heart of "never overbooked".
async fn take_seats(tx: &mut Tx, activity_id: &str, party: i64) -> Result<bool, AppError> {
    let taken = sqlx::query(
        "UPDATE activities SET seats_taken = seats_taken + $2 \
         WHERE id = $1 AND capacity IS NOT NULL AND seats_taken + $2 <= capacity",
    )
    .bind(activity_id)
    .bind(party)
    .execute(&mut **tx)
    .await
    .map_err(db("taking a seat"))?;
    Ok(taken.rows_affected() == 1)
}

async fn first_waiting(tx: &mut Tx, activity_id: &str) -> Result<Option<(String, i64)>, AppError> {
    sqlx::query_as(
        "SELECT resident_id, companions FROM sign_ups WHERE activity_id = $1 AND status = $2 \
         ORDER BY queue_order, record_id LIMIT 1",
    )
    .bind(activity_id)
    .bind(WAITING)
    .fetch_optional(&mut **tx)
    .await
    .map_err(db("reading the waiting list"))
}

/// Moves the first in line up while their whole party fits.
async fn promote_waiting(tx: &mut Tx, activity_id: &str, now: i64) -> Result<(), AppError> {
    while let Some((resident_id, companions)) = first_waiting(tx, activity_id).await? {
        if !take_seats(tx, activity_id, 1 + companions).await? {
            break;
        }
        set_status(tx, activity_id, &resident_id, CONFIRMED, now).await?;
        tracing::debug!(activity = %activity_id, resident = %resident_id, "moved up from the waiting list");
    }
    Ok(())
}

async fn set_status(tx: &mut Tx, activity_id: &str, resident_id: &str, status: &str, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE sign_ups SET status = $3, updated_at = $4 WHERE activity_id = $1 AND resident_id = $2")
        .bind(activity_id)
        .bind(resident_id)
        .bind(status)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(db("updating a sign-up"))
}

async fn waiting_outcome(tx: &mut Tx, activity_id: &str, resident_id: &str) -> Result<Outcome, AppError> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_ups AS ahead JOIN sign_ups AS me \
           ON me.activity_id = ahead.activity_id AND me.resident_id = $2 \
         WHERE ahead.activity_id = $1 AND ahead.status = $3 \
           AND (ahead.queue_order < me.queue_order \
                OR (ahead.queue_order = me.queue_order AND ahead.record_id <= me.record_id))",
    )
    .bind(activity_id)
    .bind(resident_id)
    .bind(WAITING)
    .fetch_one(&mut **tx)
    .await
    .map_err(db("finding a waiting-list position"))?;
    Ok(Outcome::Waitlisted { position: u32::try_from(position).unwrap_or(u32::MAX) })
}
