//! The draw (摇号), inside the transaction that makes it: the activity's row is locked and
//! marked drawn by one conditional update, so of several server processes running the job at
//! once exactly one draws; the others find it drawn and do nothing. Seats go down the drawn
//! order (`jiayuan_domain::draws`); the rest wait behind anyone already waiting, in drawn
//! order; everyone who entered is told.

use jiayuan_domain::draws::{self as rules, Entry};
use jiayuan_domain::notices::Event;
use jiayuan_domain::seats::status::{CONFIRMED, ENTERED, WAITING};

use super::{Tx, db, lock_activity, take_seats, waiting_counts};
use crate::error::AppError;

/// What a draw decided, for the action log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub site_id: String,
    pub seed: String,
    /// Residents' ids in drawn order.
    pub order: Vec<String>,
    pub seated: usize,
}

/// Draws `activity_id` if it is due at `now` and not drawn yet; `None` when there was nothing
/// to do (not due, not a draw, or drawn already, perhaps by another process a moment ago).
pub async fn draw(tx: &mut Tx, activity_id: &str, now: i64) -> Result<Option<Drawn>, AppError> {
    let site_id: Option<String> = sqlx::query_scalar(
        "SELECT rooms.site_id FROM activities JOIN rooms ON rooms.id = activities.room_id WHERE activities.id = $1",
    )
    .bind(activity_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(db("reading a draw's site"))?;
    let Some(site_id) = site_id else { return Ok(None) };
    // The site's change number first, then the activity: locks in the order the seats take them.
    let version = crate::versions::next_for_site(tx, &site_id).await.map_err(db("numbering a change"))?;
    let claimed = sqlx::query(
        "UPDATE activities SET drawn_at = $2, version = $3 \
         WHERE id = $1 AND drawn_at IS NULL AND draw_seed IS NOT NULL AND draws_at <= $2",
    )
    .bind(activity_id)
    .bind(now)
    .bind(version)
    .execute(&mut **tx)
    .await
    .map_err(db("claiming a draw"))?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    let seats = lock_activity(tx, activity_id, version).await?;
    let seed: String = sqlx::query_scalar("SELECT draw_seed FROM activities WHERE id = $1")
        .bind(activity_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(db("reading a draw's seed"))?;
    let entries: Vec<(String, i64)> =
        sqlx::query_as("SELECT resident_id, companions FROM sign_ups WHERE activity_id = $1 AND status = $2")
            .bind(activity_id)
            .bind(ENTERED)
            .fetch_all(&mut **tx)
            .await
            .map_err(db("reading a draw's entries"))?;
    let parties: Vec<Entry> = entries
        .iter()
        .map(|(id, companions)| Entry { id, party: u32::try_from(companions.saturating_add(1)).unwrap_or(u32::MAX) })
        .collect();
    // A cancelled session seats nobody: everyone waits in drawn order, and moves up if staff
    // restore it. Seats already taken (staff's sign-ups before the draw was set) stay taken.
    let free = match seats.capacity {
        Some(capacity) if jiayuan_domain::seats::moves_line_up(seats.cancelled) => {
            u32::try_from(i64::from(capacity).saturating_sub(seats.taken).max(0)).unwrap_or(0)
        }
        _ => 0,
    };
    let result = rules::draw(&seed, &parties, free);
    let order = rules::order(&seed, entries.iter().map(|(id, _)| id.as_str()));
    let party_of = |id: &str| parties.iter().find(|entry| entry.id == id).map_or(1, |entry| i64::from(entry.party));
    // Behind anyone already waiting (staff may have put people in line before the draw).
    let mut queue_order = seats.next_in_line;
    for (place, resident_id) in order.iter().enumerate() {
        let seated = result.seated.contains(resident_id);
        if seated && !take_seats(tx, activity_id, party_of(resident_id)).await? {
            return Err(AppError::Unfinished("keeping a draw's seats within the capacity"));
        }
        sqlx::query(
            "UPDATE sign_ups SET status = $3, queue_order = $4, drawn_place = $5, updated_at = $6 \
             WHERE activity_id = $1 AND resident_id = $2",
        )
        .bind(activity_id)
        .bind(*resident_id)
        .bind(if seated { CONFIRMED } else { WAITING })
        .bind(queue_order)
        .bind(i64::try_from(place).unwrap_or(i64::MAX).saturating_add(1))
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(db("writing a draw's result"))?;
        queue_order = queue_order.saturating_add(1);
        crate::notices::note(tx, activity_id, resident_id, Event::Drawn { seated }, now).await?;
    }
    waiting_counts::recount(tx, &[activity_id]).await?;
    Ok(Some(Drawn {
        site_id,
        seed,
        order: order.iter().map(|id| (*id).to_owned()).collect(),
        seated: result.seated.len(),
    }))
}
