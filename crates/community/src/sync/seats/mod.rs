//! Seats: the server decides. A seat is taken only by a conditional update that keeps
//! `seats_taken` at or under capacity, inside the transaction that applies the records, so
//! two kiosks racing for the last seat cannot both win, on SQLite or PostgreSQL.
//!
//! The waiting list is strictly first come, first served by arrival at the server: a freed
//! seat goes to the first in line, and nobody behind them overtakes, even a smaller party.
//!
//! A resident's first sign-up for an activity is decided in memory under the activity's lock
//! and written with the others when the transaction ends (`new_sign_ups`); everything else —
//! signing up again, cancelling, checking a seat — reads and writes the database directly,
//! after that activity's new sign-ups are written.

use std::collections::{HashMap, HashSet};

use jiayuan_domain::seats::{
    self as rules,
    status::{CANCEL_PENDING, CANCELLED, CONFIRMED, ENTERED, WAITING},
};
use jiayuan_domain::sync::Outcome;

use crate::db::placeholders;
use crate::error::AppError;

pub mod draw;
mod new_sign_ups;
mod waiting_counts;

use new_sign_ups::NewSignUps;

use crate::error::Tx;

/// What the server knows of an activity when deciding.
#[derive(Debug, Clone)]
pub struct ActivityFacts {
    /// Staff cancelled this session.
    pub cancelled: bool,
    /// None: open to all.
    pub capacity: Option<u32>,
    pub companions_allowed: u8,
    pub site_id: String,
    /// The session's date: a late record about it changes a day the reports may have kept.
    pub day: time::Date,
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

/// One transaction's seat decisions.
///
/// Holds the change number stamped on the activities it decides about: one per site for the
/// whole transaction, taken at its first decision there. Taking it locks the site's row
/// (PostgreSQL) until commit, always before any activity's row, so locks are taken in one order.
#[derive(Debug, Default)]
pub struct SeatBook {
    versions: HashMap<String, i64>,
    /// Sign-ups in the database for the (activity, resident) pairs this transaction is
    /// about, with their status as read or as written by it.
    rows: HashMap<(String, String), String>,
    /// Activities whose sign-ups this transaction changed in the database: a status above
    /// may have changed since (someone moved up), so it is read again.
    changed: HashSet<String>,
    /// Activities whose waiting lists this transaction may have changed: counted again at
    /// the end.
    lines_changed: HashSet<String>,
    new_sign_ups: NewSignUps,
}

impl SeatBook {
    /// A book for a transaction that will decide about `pairs` (activity, resident), knowing
    /// which of them the database already has a sign-up for. The activities in
    /// `to_sign_up_for` (with their sites) are locked now, all in one statement per site.
    pub async fn prepare<'p>(
        tx: &mut Tx,
        pairs: impl Iterator<Item = (&'p str, &'p str)>,
        to_sign_up_for: &[(&str, &str)],
    ) -> Result<SeatBook, AppError> {
        let mut activities: Vec<&str> = Vec::new();
        let mut residents: Vec<&str> = Vec::new();
        for (activity, resident) in pairs {
            activities.push(activity);
            residents.push(resident);
        }
        for list in [&mut activities, &mut residents] {
            list.sort_unstable();
            list.dedup();
        }
        let mut book = SeatBook::default();
        // The activities first: the sign-ups read after their locks are taken include every
        // one another server process committed for them, so two processes never both decide
        // a resident's first sign-up (PostgreSQL; SQLite has one writer at a time).
        let mut sites: Vec<&str> = to_sign_up_for.iter().map(|(_, site)| *site).collect();
        sites.sort_unstable();
        sites.dedup();
        for site in sites {
            let version = book.version(tx, site).await?;
            let mut ids: Vec<&str> = to_sign_up_for.iter().filter(|(_, s)| *s == site).map(|(id, _)| *id).collect();
            ids.sort_unstable();
            ids.dedup();
            book.new_sign_ups.open(lock_activities(tx, &ids, version).await?);
        }
        // Chunks keep the statement's values well under both databases' limits.
        for activity_chunk in activities.chunks(500) {
            for resident_chunk in residents.chunks(500) {
                let statement = format!(
                    "SELECT activity_id, resident_id, status FROM sign_ups \
                     WHERE activity_id IN ({}) AND resident_id IN ({})",
                    placeholders(1, activity_chunk.len()),
                    placeholders(activity_chunk.len().saturating_add(1), resident_chunk.len())
                );
                let mut query = sqlx::query_as::<_, (String, String, String)>(&statement);
                for id in activity_chunk.iter().chain(resident_chunk) {
                    query = query.bind(id.to_string());
                }
                let rows = query.fetch_all(&mut **tx).await.map_err(db("reading sign-ups"))?;
                book.rows.extend(rows.into_iter().map(|(activity, resident, status)| ((activity, resident), status)));
            }
        }
        Ok(book)
    }

    /// The change number this transaction stamps on `site_id`'s rows, taken at the first ask.
    pub(crate) async fn version(&mut self, tx: &mut Tx, site_id: &str) -> Result<i64, AppError> {
        if let Some(version) = self.versions.get(site_id) {
            return Ok(*version);
        }
        let version = crate::versions::next_for_site(tx, site_id).await.map_err(db("numbering a change"))?;
        self.versions.insert(site_id.to_owned(), version);
        Ok(version)
    }

    /// Writes what is decided but not yet written; call before committing.
    pub async fn finish(&mut self, tx: &mut Tx) -> Result<(), AppError> {
        self.new_sign_ups.write_all(tx).await?;
        let mut lines: Vec<String> = std::mem::take(&mut self.lines_changed).into_iter().collect();
        // Rows updated in one order, as everywhere else.
        lines.sort_unstable();
        waiting_counts::recount(tx, &lines).await
    }

    /// Before the database's sign-ups for `activity_id` are read or changed directly: writes
    /// its new sign-ups, and from then on reads its statuses again.
    async fn change_directly(&mut self, tx: &mut Tx, activity_id: &str) -> Result<(), AppError> {
        for (resident, status) in self.new_sign_ups.write(tx, activity_id).await? {
            self.rows.insert((activity_id.to_owned(), resident), status.to_owned());
        }
        self.changed.insert(activity_id.to_owned());
        Ok(())
    }
}

/// An activity's seats and line, read as its lock was taken.
#[derive(Debug)]
struct Seats {
    cancelled: bool,
    capacity: Option<u32>,
    taken: i64,
    waiting: i64,
    /// The queue order the next sign-up gets.
    next_in_line: i64,
    draw: Draw,
}

/// Whether the activity's seats are drawn, read under its lock: the draw takes the same lock
/// to happen, so a sign-up is an entry exactly when it is decided before the draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Draw {
    /// First come, first served.
    None,
    /// Entries are taken; the draw decides.
    Entering,
    /// Drawn: sign-ups are decided first come again, behind everyone the draw put in line.
    Drawn { closed_at: i64 },
}

impl Seats {
    fn gets_seat(&self, party: i64) -> bool {
        rules::gets_seat(self.capacity, self.taken, self.waiting, party)
    }
}

/// An entry made at a kiosk while entries were open that reached the server after the draw:
/// the resident is told where it left them (`Draw::Drawn`), as they expected a draw. (The
/// kiosk's clock only picks the words here; the seat was decided as any sign-up.)
async fn tell_if_entered_late(
    tx: &mut Tx,
    request: &Request<'_>,
    seats: &Seats,
    outcome: &Outcome,
) -> Result<(), AppError> {
    let Draw::Drawn { closed_at } = seats.draw else { return Ok(()) };
    if request.made_at >= closed_at {
        return Ok(());
    }
    let event = match outcome {
        Outcome::Confirmed => jiayuan_domain::notices::Event::Drawn { seated: true },
        Outcome::Waitlisted { .. } => jiayuan_domain::notices::Event::EnteredLate,
        _ => return Ok(()),
    };
    crate::notices::note(tx, request.activity_id, request.resident_id, event, request.now).await
}

/// A sign-up about to be written.
struct Request<'a> {
    activity_id: &'a str,
    resident_id: &'a str,
    companions: u8,
    record_id: &'a str,
    now: i64,
    /// When it was made, by the kiosk's clock (staff: now): only for words, never to decide.
    made_at: i64,
}

impl Request<'_> {
    fn party(&self) -> i64 {
        i64::from(self.companions).saturating_add(1)
    }
}

/// A sign-up as it reaches the seats: from a kiosk's record or from staff.
#[derive(Debug, Clone, Copy)]
pub struct SignUp<'a> {
    pub activity_id: &'a str,
    pub resident_id: &'a str,
    pub companions: u8,
    pub record_id: &'a str,
    /// The server's clock.
    pub now: i64,
    /// The record's own time (`happened_at`); staff's sign-ups: `now`.
    pub made_at: i64,
}

pub async fn sign_up(
    tx: &mut Tx,
    book: &mut SeatBook,
    activity: &ActivityFacts,
    asked: SignUp<'_>,
) -> Result<Outcome, AppError> {
    let SignUp { activity_id, resident_id, companions, record_id, now, made_at } = asked;
    if let Err(reason) = rules::sign_up(activity.cancelled, activity.capacity, activity.companions_allowed, companions)
    {
        return Ok(Outcome::rejected(reason));
    }
    let request = Request { activity_id, resident_id, companions, record_id, now, made_at };
    // The same resident signing up again (another kiosk) is not a second seat.
    if let Some(outcome) = book.new_sign_ups.decided(activity_id, resident_id) {
        return Ok(outcome);
    }
    let version = book.version(tx, &activity.site_id).await?;
    let pair = (activity_id.to_owned(), resident_id.to_owned());
    match book.rows.get(&pair) {
        None => {
            book.lines_changed.insert(activity_id.to_owned());
            return book.new_sign_ups.decide(tx, &request, version).await;
        }
        Some(status) if status == CONFIRMED && !book.changed.contains(activity_id) => return Ok(Outcome::Confirmed),
        Some(_) => {}
    }
    book.lines_changed.insert(activity_id.to_owned());
    book.change_directly(tx, activity_id).await?;
    let seats = lock_activity(tx, activity_id, version).await?;
    sign_up_again(tx, &request, &seats).await
}

/// A resident whose sign-up for this activity the server already has.
async fn sign_up_again(tx: &mut Tx, request: &Request<'_>, seats: &Seats) -> Result<Outcome, AppError> {
    let status = status_of(tx, request.activity_id, request.resident_id)
        .await?
        .ok_or(AppError::Unfinished("reading a sign-up that is no longer there"))?;
    match status.as_str() {
        // The same resident signing up again (another kiosk) is not a second seat.
        CONFIRMED => Ok(Outcome::Confirmed),
        WAITING => waiting_outcome(tx, request.activity_id, request.resident_id).await,
        // One entry per resident, however many kiosks it came from.
        ENTERED => Ok(Outcome::Entered),
        CANCEL_PENDING => {
            set_status(tx, request.activity_id, request.resident_id, CANCELLED, request.now).await?;
            Ok(Outcome::Cancelled)
        }
        _ if seats.draw == Draw::Entering => {
            // Entering again after withdrawing: an entry like any other (its place in the
            // draw comes from the resident's id, so entering again changes nothing of it).
            sqlx::query(
                "UPDATE sign_ups SET companions = $3, status = $4, record_id = $5, updated_at = $6 \
                 WHERE activity_id = $1 AND resident_id = $2",
            )
            .bind(request.activity_id)
            .bind(request.resident_id)
            .bind(i64::from(request.companions))
            .bind(ENTERED)
            .bind(request.record_id)
            .bind(request.now)
            .execute(&mut **tx)
            .await
            .map_err(db("saving an entry"))?;
            Ok(Outcome::Entered)
        }
        _ => {
            // Signing up again after cancelling: to the back of the line, like anyone new.
            let gets_seat = seats.gets_seat(request.party());
            sqlx::query(
                "UPDATE sign_ups SET companions = $3, status = $4, queue_order = $5, record_id = $6, updated_at = $7 \
                 WHERE activity_id = $1 AND resident_id = $2",
            )
            .bind(request.activity_id)
            .bind(request.resident_id)
            .bind(i64::from(request.companions))
            .bind(if gets_seat { CONFIRMED } else { WAITING })
            .bind(seats.next_in_line)
            .bind(request.record_id)
            .bind(request.now)
            .execute(&mut **tx)
            .await
            .map_err(db("saving a sign-up"))?;
            let outcome = settle(tx, request, seats, gets_seat).await?;
            tell_if_entered_late(tx, request, seats, &outcome).await?;
            Ok(outcome)
        }
    }
}

/// Once the sign-up is written as confirmed or waiting: takes its seats, or tells its place.
async fn settle(tx: &mut Tx, request: &Request<'_>, seats: &Seats, gets_seat: bool) -> Result<Outcome, AppError> {
    if !gets_seat {
        // It joined the back of the line.
        return Ok(Outcome::Waitlisted { position: rules::place_behind(seats.waiting) });
    }
    if take_seats(tx, request.activity_id, request.party()).await? {
        return Ok(Outcome::Confirmed);
    }
    // Cannot happen while the activity is locked; if it ever did, the resident would wait
    // rather than anyone be overbooked.
    set_status(tx, request.activity_id, request.resident_id, WAITING, request.now).await?;
    waiting_outcome(tx, request.activity_id, request.resident_id).await
}

pub async fn cancel(
    tx: &mut Tx,
    book: &mut SeatBook,
    site_id: &str,
    activity_id: &str,
    resident_id: &str,
    record_id: &str,
    now: i64,
) -> Result<Outcome, AppError> {
    let version = book.version(tx, site_id).await?;
    book.lines_changed.insert(activity_id.to_owned());
    book.change_directly(tx, activity_id).await?;
    let seats = lock_activity(tx, activity_id, version).await?;
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT status, companions FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
            .bind(activity_id)
            .bind(resident_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db("reading a sign-up"))?;
    if existing.as_ref().is_some_and(|(status, _)| rules::status::holds_a_place(status)) {
        // Their own doing: whatever they were still to be told about this session is moot.
        crate::notices::note(tx, activity_id, resident_id, jiayuan_domain::notices::Event::GaveUp, now).await?;
    }
    match existing {
        Some((status, companions)) if status == CONFIRMED => {
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
            sqlx::query("UPDATE activities SET seats_taken = seats_taken - $2 WHERE id = $1")
                .bind(activity_id)
                .bind(companions.saturating_add(1))
                .execute(&mut **tx)
                .await
                .map_err(db("freeing a seat"))?;
            if rules::moves_line_up(seats.cancelled) {
                promote_waiting(tx, activity_id, now).await?;
            }
        }
        Some((status, _)) if status == ENTERED => {
            // Withdrawn from the draw: no seat or place was held.
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
        }
        Some((status, _)) if status == WAITING => {
            set_status(tx, activity_id, resident_id, CANCELLED, now).await?;
            // A party at the head of the line too large for the seats left holds those behind
            // it back; once it leaves, the next in line may fit (found by the chaos test).
            if rules::moves_line_up(seats.cancelled) {
                promote_waiting(tx, activity_id, now).await?;
            }
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
            book.rows.insert((activity_id.to_owned(), resident_id.to_owned()), CANCEL_PENDING.to_owned());
        }
    }
    Ok(Outcome::Cancelled)
}

/// Whether `resident_id` holds a confirmed seat.
pub async fn has_seat(
    tx: &mut Tx,
    book: &mut SeatBook,
    activity_id: &str,
    resident_id: &str,
) -> Result<bool, AppError> {
    if let Some(outcome) = book.new_sign_ups.decided(activity_id, resident_id) {
        return Ok(outcome == Outcome::Confirmed);
    }
    book.change_directly(tx, activity_id).await?;
    Ok(status_of(tx, activity_id, resident_id).await?.as_deref() == Some(CONFIRMED))
}

/// The status of `resident_id`'s sign-up for `activity_id` in the database, if they have one.
async fn status_of(tx: &mut Tx, activity_id: &str, resident_id: &str) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT status FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
        .bind(activity_id)
        .bind(resident_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db("reading a sign-up"))
}

/// Decisions about one activity's seats and waiting list happen one at a time: the waiting
/// list's order and the positions told to residents then count every earlier decision.
/// (The update takes PostgreSQL's row lock; SQLite already has one writer at a time.) The
/// seat count itself would stay within capacity without this, by `take_seats`. The new
/// version sends the activity, its seats left and its sign-ups to every kiosk's next pull.
async fn lock_activity(tx: &mut Tx, activity_id: &str, version: i64) -> Result<Seats, AppError> {
    lock_activities(tx, &[activity_id], version)
        .await?
        .remove(activity_id)
        .ok_or(AppError::Unfinished("locking an activity that is no longer there"))
}

/// The same for several activities, in one statement.
async fn lock_activities(tx: &mut Tx, activity_ids: &[&str], version: i64) -> Result<HashMap<String, Seats>, AppError> {
    let mut locked = HashMap::with_capacity(activity_ids.len());
    for chunk in activity_ids.chunks(500) {
        // The lock first, the seats and the line read afterwards, in a statement of their own:
        // PostgreSQL reads a statement's subqueries as of the moment the statement began, so
        // counted in the locking statement itself, a line that another process changed while
        // this one waited for the lock would be read as it was before (found by the chaos test:
        // a resident left waiting while a seat was free).
        let lock = format!("UPDATE activities SET version = $1 WHERE id IN ({})", placeholders(2, chunk.len()));
        let mut query = sqlx::query(&lock).bind(version);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        query.execute(&mut **tx).await.map_err(db("locking activities"))?;
        let read = format!(
            "SELECT id, cancelled_at, capacity, seats_taken, \
             (SELECT COUNT(*) FROM sign_ups WHERE sign_ups.activity_id = activities.id AND sign_ups.status = $1), \
             (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM sign_ups WHERE sign_ups.activity_id = activities.id), \
             draw_closes_at, drawn_at \
             FROM activities WHERE id IN ({})",
            placeholders(2, chunk.len())
        );
        type Row = (String, Option<i64>, Option<i64>, i64, i64, i64, Option<i64>, Option<i64>);
        let mut query = sqlx::query_as::<_, Row>(&read).bind(WAITING);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        let rows = query.fetch_all(&mut **tx).await.map_err(db("reading activities' seats"))?;
        for (id, cancelled_at, capacity, taken, waiting, next_in_line, closes_at, drawn_at) in rows {
            let capacity = capacity.map(|capacity| u32::try_from(capacity).unwrap_or(0));
            let draw = match (closes_at, drawn_at) {
                (None, _) => Draw::None,
                (Some(_), None) => Draw::Entering,
                (Some(closed_at), Some(_)) => Draw::Drawn { closed_at },
            };
            locked
                .insert(id, Seats { cancelled: cancelled_at.is_some(), capacity, taken, waiting, next_in_line, draw });
        }
    }
    Ok(locked)
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

/// Moves the first in line up while their whole party fits; each is told (`notices`).
pub(crate) async fn promote_waiting(tx: &mut Tx, activity_id: &str, now: i64) -> Result<(), AppError> {
    let mut moved_up = false;
    while let Some((resident_id, companions)) = first_waiting(tx, activity_id).await? {
        if !take_seats(tx, activity_id, companions.saturating_add(1)).await? {
            break;
        }
        set_status(tx, activity_id, &resident_id, CONFIRMED, now).await?;
        crate::notices::note(tx, activity_id, &resident_id, jiayuan_domain::notices::Event::MovedUp, now).await?;
        moved_up = true;
        tracing::debug!(activity = %activity_id, resident = %resident_id, "moved up from the waiting list");
    }
    if moved_up {
        waiting_counts::recount(tx, &[activity_id]).await?;
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
    // `position` counts everyone waiting up to and including this resident.
    Ok(Outcome::Waitlisted { position: rules::place_behind(position.saturating_sub(1)) })
}
