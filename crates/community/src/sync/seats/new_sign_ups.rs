//! Residents' first sign-ups for activities, decided in memory and written together.
//!
//! The activities a transaction's new sign-ups are for are locked together at its start (or
//! one by one, when one is locked again later), reading their seats and lines; every new
//! sign-up for them is then decided by the first-come rule against those figures, kept up to
//! date here. When the transaction ends,
//! or as soon as anything else reads or changes the activity's sign-ups, they are written:
//! one conditional update of its seats (which must hold: the activity stayed locked) and one
//! insert for its sign-ups, instead of a few statements for each resident.

use std::collections::HashMap;

use jiayuan_domain::sync::Outcome;

use jiayuan_domain::seats::{
    place_behind,
    status::{CONFIRMED, ENTERED, WAITING},
};

use super::{Draw, Request, Seats, Tx, db, lock_activity, tell_if_entered_late};
use crate::error::AppError;

#[derive(Debug, Default)]
pub(super) struct NewSignUps(HashMap<String, Open>);

/// An activity locked by this transaction, with the sign-ups decided for it since.
#[derive(Debug)]
struct Open {
    seats: Seats,
    seats_to_take: i64,
    rows: Vec<Row>,
    /// Each resident's answer, by resident.
    decided: HashMap<String, Outcome>,
}

#[derive(Debug)]
struct Row {
    resident_id: String,
    companions: i64,
    status: &'static str,
    queue_order: i64,
    record_id: String,
    now: i64,
}

/// Rows per INSERT: 100 × 7 values, far below both databases' limits on bound values.
const ROWS_PER_INSERT: usize = 100;

impl NewSignUps {
    /// Activities just locked, with their seats and lines.
    pub(super) fn open(&mut self, locked: HashMap<String, Seats>) {
        for (activity_id, seats) in locked {
            self.0.insert(activity_id, Open { seats, seats_to_take: 0, rows: Vec::new(), decided: HashMap::new() });
        }
    }

    /// Decides the sign-up of a resident with no sign-up row for the activity yet.
    pub(super) async fn decide(
        &mut self,
        tx: &mut Tx,
        request: &Request<'_>,
        version: i64,
    ) -> Result<Outcome, AppError> {
        let open = match self.0.entry(request.activity_id.to_owned()) {
            std::collections::hash_map::Entry::Occupied(open) => open.into_mut(),
            std::collections::hash_map::Entry::Vacant(vacant) => {
                let seats = lock_activity(tx, request.activity_id, version).await?;
                vacant.insert(Open { seats, seats_to_take: 0, rows: Vec::new(), decided: HashMap::new() })
            }
        };
        if open.seats.draw == Draw::Entering {
            // An entry: no seat and no place in line until the draw.
            open.rows.push(Row {
                resident_id: request.resident_id.to_owned(),
                companions: i64::from(request.companions),
                status: ENTERED,
                queue_order: 0,
                record_id: request.record_id.to_owned(),
                now: request.now,
            });
            open.decided.insert(request.resident_id.to_owned(), Outcome::Entered);
            return Ok(Outcome::Entered);
        }
        let party = request.party();
        let gets_seat = open.seats.gets_seat(party);
        open.rows.push(Row {
            resident_id: request.resident_id.to_owned(),
            companions: i64::from(request.companions),
            status: if gets_seat { CONFIRMED } else { WAITING },
            queue_order: open.seats.next_in_line,
            record_id: request.record_id.to_owned(),
            now: request.now,
        });
        open.seats.next_in_line = open.seats.next_in_line.saturating_add(1);
        let outcome = if gets_seat {
            open.seats.taken = open.seats.taken.saturating_add(party);
            open.seats_to_take = open.seats_to_take.saturating_add(party);
            Outcome::Confirmed
        } else {
            // At the back of the line.
            let position = place_behind(open.seats.waiting);
            open.seats.waiting = open.seats.waiting.saturating_add(1);
            Outcome::Waitlisted { position }
        };
        open.decided.insert(request.resident_id.to_owned(), outcome.clone());
        tell_if_entered_late(tx, request, &open.seats, &outcome).await?;
        Ok(outcome)
    }

    /// The answer already given to `resident_id` for `activity_id` in this transaction, while
    /// it is not yet written (nothing can have changed it).
    pub(super) fn decided(&self, activity_id: &str, resident_id: &str) -> Option<Outcome> {
        self.0.get(activity_id)?.decided.get(resident_id).cloned()
    }

    /// Writes what was decided for `activity_id`, if anything; returns each resident written
    /// with their status.
    pub(super) async fn write(
        &mut self,
        tx: &mut Tx,
        activity_id: &str,
    ) -> Result<Vec<(String, &'static str)>, AppError> {
        match self.0.remove(activity_id) {
            Some(open) => write_open(tx, activity_id, open).await,
            None => Ok(Vec::new()),
        }
    }

    pub(super) async fn write_all(&mut self, tx: &mut Tx) -> Result<(), AppError> {
        for (activity_id, open) in std::mem::take(&mut self.0) {
            write_open(tx, &activity_id, open).await?;
        }
        Ok(())
    }
}

async fn write_open(tx: &mut Tx, activity_id: &str, open: Open) -> Result<Vec<(String, &'static str)>, AppError> {
    if open.seats_to_take > 0 {
        let taken = sqlx::query(
            "UPDATE activities SET seats_taken = seats_taken + $2 \
             WHERE id = $1 AND capacity IS NOT NULL AND seats_taken + $2 <= capacity",
        )
        .bind(activity_id)
        .bind(open.seats_to_take)
        .execute(&mut **tx)
        .await
        .map_err(db("taking seats"))?;
        if taken.rows_affected() != 1 {
            // Cannot happen while the activity is locked; if it ever did, nothing of these
            // records is applied (the kiosk sends them again) rather than anyone overbooked.
            return Err(AppError::Unfinished("keeping an activity's seats within its capacity"));
        }
    }
    for chunk in open.rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let first = i.saturating_mul(6).saturating_add(2);
                format!(
                    "($1, {})",
                    (0..6).map(|n| format!("${}", first.saturating_add(n))).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        let statement = format!(
            "INSERT INTO sign_ups (activity_id, resident_id, companions, status, queue_order, record_id, updated_at) \
             VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&statement).bind(activity_id.to_owned());
        for row in chunk {
            query = query
                .bind(row.resident_id.clone())
                .bind(row.companions)
                .bind(row.status)
                .bind(row.queue_order)
                .bind(row.record_id.clone())
                .bind(row.now);
        }
        query.execute(&mut **tx).await.map_err(db("saving sign-ups"))?;
    }
    Ok(open.rows.into_iter().map(|row| (row.resident_id, row.status)).collect())
}
