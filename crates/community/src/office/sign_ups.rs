//! Staff signing residents up, cancelling, and moving them on a waiting list. The server's seat
//! rules decide (`sync::seats`), exactly as for a record from a kiosk: one place per resident,
//! first come first served, never over capacity; each change has its line in the action log.

use jiayuan_domain::seats::{self as rules, status};
use jiayuan_domain::sync::Outcome;

use crate::action_log::{self, Act, Actor, Entry};
use crate::attendance::{ACCEPTED_SQL, came_to};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::office::form::ServiceError;
use crate::sync::seats::{self, ActivityFacts, SeatBook, promote_waiting};
use jiayuan_domain::sync::record::action_name::CHECK_IN;

const DB: &str = "changing a sign-up";

/// One resident's place in a session, as staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Place {
    pub resident_id: String,
    pub full_name: String,
    pub household: Option<String>,
    pub companions: i64,
    pub status: String,
    pub updated_at: i64,
}

/// A session's list: confirmed, waiting in order, cancelled, and who checked in.
#[derive(Debug, Clone, Default)]
pub struct SessionList {
    pub confirmed: Vec<Place>,
    pub waiting: Vec<Place>,
    pub cancelled: Vec<Place>,
    /// Entries to a draw not drawn yet (摇号).
    pub entered: Vec<Place>,
    /// Residents who checked in, at a kiosk or on paper: (id, name).
    pub checked_in: Vec<(String, String)>,
    /// Visitors who checked in.
    pub visitors_checked_in: i64,
}

pub async fn list(db: &Database, activity_id: &str) -> Result<SessionList, AppError> {
    let places: Vec<Place> = sqlx::query_as(
        "SELECT sign_ups.resident_id, residents.full_name, residents.household, sign_ups.companions, \
                sign_ups.status, sign_ups.updated_at \
         FROM sign_ups JOIN residents ON residents.id = sign_ups.resident_id \
         WHERE sign_ups.activity_id = $1 AND residents.site_id = ( \
           SELECT rooms.site_id FROM activities JOIN rooms ON rooms.id = activities.room_id \
           WHERE activities.id = $1) ORDER BY sign_ups.queue_order, sign_ups.record_id",
    )
    .bind(activity_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading a session's sign-ups"))?;
    // At a kiosk or ticked on a paper sheet: each resident once, and only the session's own
    // site's residents (a wall, should a record from elsewhere ever name one).
    let checked_in: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT residents.id, residents.full_name FROM residents WHERE residents.site_id = ( \
           SELECT rooms.site_id FROM activities JOIN rooms ON rooms.id = activities.room_id \
           WHERE activities.id = $1) AND residents.id IN ({}) \
         ORDER BY residents.full_name",
        came_to("$1")
    ))
    .bind(activity_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading a session's check-ins"))?;
    let visitors_checked_in: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM kiosk_records WHERE activity_id = $1 AND action = '{CHECK_IN}' \
           AND resident_id IS NULL AND outcome = {ACCEPTED_SQL}"
    ))
    .bind(activity_id)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("reading a session's check-ins"))?;
    let mut list = SessionList::default();
    for place in places {
        match place.status.as_str() {
            status::CONFIRMED => list.confirmed.push(place),
            status::WAITING => list.waiting.push(place),
            status::CANCELLED => list.cancelled.push(place),
            status::ENTERED => list.entered.push(place),
            _ => {}
        }
    }
    list.checked_in = checked_in;
    list.visitors_checked_in = visitors_checked_in;
    Ok(list)
}

/// The facts the seat rules need about a session of `site_id`.
async fn facts(db: &Database, site_id: &str, activity_id: &str) -> Result<ActivityFacts, ServiceError> {
    let session = crate::schedule::session_of_site(db, site_id, activity_id).await?.ok_or(ServiceError::NotFound)?;
    Ok(ActivityFacts {
        cancelled: session.activity.cancelled,
        capacity: session.activity.capacity,
        companions_allowed: session.activity.companions_allowed,
        site_id: site_id.to_owned(),
        day: session.activity.date,
    })
}

/// A resident of `site_id` still on the roster: their name.
async fn resident(db: &Database, site_id: &str, resident_id: &str) -> Result<String, ServiceError> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1 AND site_id = $2 AND deactivated_at IS NULL")
            .bind(resident_id)
            .bind(site_id)
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("finding a resident"))?;
    name.ok_or_else(|| ServiceError::field("resident_id", "sign_ups.problem.no_such_resident"))
}

/// Signs `resident_id` up for `activity_id` with `companions`, as if at a kiosk: the decision.
pub async fn sign_up(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    resident_id: &str,
    companions: u8,
) -> Result<Outcome, ServiceError> {
    let facts = facts(db, site_id, activity_id).await?;
    let name = resident(db, site_id, resident_id).await?;
    let record_id = format!("staff-{}", uuid::Uuid::new_v4().simple());
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let pairs = [(activity_id, resident_id)];
    let mut book = SeatBook::prepare(&mut tx, pairs.into_iter(), &[(activity_id, site_id)]).await?;
    let now = now_ms();
    let asked = seats::SignUp { activity_id, resident_id, companions, record_id: &record_id, now, made_at: now };
    let outcome = seats::sign_up(&mut tx, &mut book, &facts, asked).await?;
    book.finish(&mut tx).await?;
    let detail = format!("{name}, {companions} companions: {}", outcome_words(&outcome));
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::SignedUpForResident,
            subject: format!("{activity_id} · {resident_id}"),
            reason: None,
            detail: Some(detail),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(outcome)
}

fn outcome_words(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Confirmed => "confirmed".to_owned(),
        Outcome::Waitlisted { position } => format!("waiting, number {position}"),
        Outcome::Rejected { message, .. } => format!("refused: {message}"),
        other => format!("{other:?}"),
    }
}

/// Cancels `resident_id`'s sign-up; a freed seat goes to the first in line.
pub async fn cancel(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    resident_id: &str,
    reason: &str,
) -> Result<(), ServiceError> {
    facts(db, site_id, activity_id).await?;
    let name = resident(db, site_id, resident_id).await?;
    let record_id = format!("staff-{}", uuid::Uuid::new_v4().simple());
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let pairs = [(activity_id, resident_id)];
    let mut book = SeatBook::prepare(&mut tx, pairs.into_iter(), &[]).await?;
    seats::cancel(&mut tx, &mut book, site_id, activity_id, resident_id, &record_id, now_ms()).await?;
    book.finish(&mut tx).await?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::CancelledForResident,
            subject: format!("{activity_id} · {resident_id}"),
            reason: Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
            detail: Some(name),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Enters the ticks of a session's printed sign-in sheet: residents holding a seat who came.
/// A tick entered again, or for a resident who also checked in at the kiosk, counts once. The
/// same rule as a kiosk's check-in decides who may be ticked. How many ticks were new.
pub async fn enter_paper_check_ins(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    resident_ids: &[String],
) -> Result<usize, ServiceError> {
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    // Read in the transaction that writes: staff cancelling the session meanwhile is seen.
    let session: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT activities.cancelled_at, activities.capacity FROM activities \
         JOIN rooms ON rooms.id = activities.room_id WHERE activities.id = $1 AND rooms.site_id = $2",
    )
    .bind(activity_id)
    .bind(site_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    let Some((cancelled_at, capacity)) = session else { return Err(ServiceError::NotFound) };
    let (cancelled, capacity) = (cancelled_at.is_some(), capacity.and_then(|c| u32::try_from(c).ok()));
    let mut entered = Vec::new();
    for resident_id in resident_ids {
        // Checked in the transaction that writes: a resident of this site (an id from another
        // site, or none, is not found here), holding a seat now.
        let seat: Option<Option<String>> = sqlx::query_scalar(
            "SELECT (SELECT sign_ups.status FROM sign_ups WHERE sign_ups.activity_id = $1 \
                       AND sign_ups.resident_id = residents.id AND sign_ups.status = $4) \
             FROM residents WHERE residents.id = $2 AND residents.site_id = $3",
        )
        .bind(activity_id)
        .bind(resident_id)
        .bind(site_id)
        .bind(status::CONFIRMED)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
        let Some(seat) = seat else { return Err(ServiceError::NotFound) };
        if rules::check_in(cancelled, capacity, seat.is_some()).is_err() {
            return Err(ServiceError::field("resident_id", "sign_ups.problem.no_seat"));
        }
        let added = sqlx::query(
            "INSERT INTO paper_check_ins (activity_id, resident_id, entered_by, entered_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (activity_id, resident_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(resident_id)
        .bind(actor.as_text())
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
        if added.rows_affected() > 0 {
            entered.push(resident_id.as_str());
        }
    }
    if !entered.is_empty() {
        // The session's figures changed: a new number, so reports count them again.
        stamp_change(&mut tx, site_id, activity_id).await?;
        // Kiosks may now ask them how it was.
        crate::roster::send_again(&mut tx, site_id, &entered).await.map_err(AppError::db(DB))?;
        action_log::record(
            &mut tx,
            Entry {
                site_id: Some(site_id),
                actor,
                act: Act::PaperCheckInsEntered,
                subject: activity_id.to_owned(),
                reason: None,
                detail: Some(entered.join(", ")),
            },
        )
        .await?;
    }
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(entered.len())
}

/// Gives the session the site's next change number (`schedule::send_again`).
async fn stamp_change(tx: &mut crate::db::WriteTx, site_id: &str, activity_id: &str) -> Result<(), AppError> {
    crate::schedule::send_again(tx, site_id, &[activity_id]).await.map_err(AppError::db(DB))
}

/// Which way a resident moves on a waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One place nearer the front.
    Up,
    /// One place further back.
    Down,
}

/// Moves `resident_id` one place on the waiting list, with the reason staff give (it is kept in
/// the action log); then the first in line gets a seat if one is free for their party.
pub async fn move_in_line(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    resident_id: &str,
    direction: Move,
    reason: &str,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "sign_ups.problem.reason_needed"));
    }
    let facts = facts(db, site_id, activity_id).await?;
    let name = resident(db, site_id, resident_id).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    // Locks the session's row, as every seat decision does, and numbers the change for kiosks.
    stamp_change(&mut tx, site_id, activity_id).await?;
    let line: Vec<(String, i64)> = sqlx::query_as(
        "SELECT resident_id, queue_order FROM sign_ups WHERE activity_id = $1 AND status = $2 \
         ORDER BY queue_order, record_id",
    )
    .bind(activity_id)
    .bind(status::WAITING)
    .fetch_all(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    let Some(at) = line.iter().position(|(id, _)| id == resident_id) else {
        return Err(ServiceError::field("resident_id", "sign_ups.problem.not_waiting"));
    };
    let other = match direction {
        Move::Up => at.checked_sub(1),
        Move::Down => Some(at + 1).filter(|next| *next < line.len()),
    };
    let Some(other) = other else { return Ok(()) };
    // The line renumbered in its new order from its first number: arrival order can tie (two
    // kiosks' records numbered alike), and a move must still change who is ahead.
    let first = line.first().map(|(_, order)| *order).unwrap_or(1);
    let mut reordered: Vec<&str> = line.iter().map(|(id, _)| id.as_str()).collect();
    reordered.swap(at, other);
    for (place, id) in (first..).zip(reordered) {
        sqlx::query(
            "UPDATE sign_ups SET queue_order = $3, updated_at = $4 WHERE activity_id = $1 AND resident_id = $2",
        )
        .bind(activity_id)
        .bind(id)
        .bind(place)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    }
    if rules::moves_line_up(facts.cancelled) {
        promote_waiting(&mut tx, activity_id, now_ms()).await?;
    }
    let detail = format!("{name}: {} → {}", at + 1, other + 1);
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::WaitingListMoved,
            subject: format!("{activity_id} · {resident_id}"),
            reason: Some(reason.to_owned()),
            detail: Some(detail),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}
