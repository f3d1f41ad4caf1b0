//! Applying kiosks' batches: each record once, in its kiosk's order, with the answer given
//! stored beside it. Batches are applied in one transaction: cut off anywhere, they have been
//! applied wholly or not at all, so resending is always safe. Commits and statements are
//! what the database spends its time on (`cargo xtask bench` measures it), so the batches that
//! arrive together are applied together (`group_commit`), the residents and activities they
//! name are looked up once, and their records are stored with a few multi-row inserts.

use std::collections::{HashMap, HashSet};

use jiayuan_domain::sync::{Action, KioskRecord, Outcome, PushResponse, RecordResult, RejectReason, VoidReason};

use super::seats::{self, ActivityFacts, SeatBook};
use crate::clock::now_ms;
use crate::db::{Backend, Database, placeholders};
use crate::error::AppError;
use crate::kiosks::Kiosk;
use crate::metrics::Metrics;
use crate::reports::{self, presence};
use jiayuan_domain::seats as rules;
use jiayuan_domain::time_bank::TapKind;
use time::{Date, PrimitiveDateTime, UtcOffset};

use crate::error::Tx;
use crate::schedule::{ACTIVITY_COLUMNS, activity_from_row};
use jiayuan_domain::schedule::Activity;
use sqlx::Row;

/// One kiosk's push: its records, numbered one after another.
#[derive(Debug, Clone)]
pub struct Batch {
    pub kiosk: Kiosk,
    pub records: Vec<KioskRecord>,
}

/// Applies `batches` (each already checked with `PushRequest::check`) in one transaction, in order,
/// answering each. Any batch's error undoes them all; `group_commit` then applies each alone,
/// so only the batch at fault is refused. Two batches of one kiosk follow each other.
pub async fn apply_together(
    db: &Database,
    batches: &[Batch],
    offset: UtcOffset,
    metrics: &Metrics,
) -> Result<Vec<PushResponse>, AppError> {
    let failed = AppError::db;
    let now = now_ms();
    let mut tx = db.begin_write().await.map_err(failed("starting to apply records"))?;
    let mut applied = progress(&mut tx, batches, now).await?;
    let records = || batches.iter().flat_map(|batch| &batch.records);
    let known = Known::look_up(&mut tx, batches).await?;
    // Check-ins accepted in this transaction, not stored yet: a rating right after one counts.
    let mut checked_in_now: HashSet<(String, String)> = HashSet::new();
    let to_sign_up_for: Vec<(&str, &str)> = records()
        .filter_map(|record| match &record.action {
            Action::SignUp { activity_id, .. } => {
                known.activities.get(activity_id).map(|facts| (activity_id.as_str(), facts))
            }
            _ => None,
        })
        .filter(|(_, facts)| !rules::is_open_to_all(facts.capacity))
        .map(|(id, facts)| (id, facts.site_id.as_str()))
        .collect();
    let mut seats = SeatBook::prepare(&mut tx, records().filter_map(seat_pair), &to_sign_up_for).await?;
    let mut responses = Vec::with_capacity(batches.len());
    let mut new_records: Vec<(&Kiosk, &KioskRecord, Outcome)> = Vec::new();
    for Batch { kiosk, records } in batches {
        let applied = applied.get_mut(&kiosk.id).ok_or(AppError::Unfinished("finding a kiosk's progress"))?;
        let mut results = Vec::with_capacity(records.len());
        for record in records {
            if record.seq <= *applied {
                // Sent again: by a push before this one in the same transaction, or earlier.
                let earlier = new_records.iter().find(|(k, r, _)| k.id == kiosk.id && r.seq == record.seq);
                results.push(match earlier {
                    Some((_, first, outcome)) => same_record(first, record).map(|()| RecordResult {
                        seq: record.seq,
                        id: record.id.clone(),
                        applied_at: now,
                        outcome: outcome.clone(),
                    })?,
                    None => stored_result(&mut tx, kiosk, record).await?,
                });
                continue;
            }
            // Numbers are at most MAX_SEQ (checked with the batch), so this cannot overflow.
            let expected_seq = applied.saturating_add(1);
            if record.seq > expected_seq {
                return Err(AppError::SeqGap { expected_seq });
            }
            let mut context =
                Context { seats: &mut seats, known: &known, checked_in_now: &checked_in_now, offset, now };
            let outcome = decide(&mut tx, &mut context, kiosk, record).await?;
            if let (Action::CheckIn { person, activity_id }, Outcome::Accepted) = (&record.action, &outcome) {
                checked_in_now.extend(person.resident_id().map(|r| (activity_id.clone(), r.to_owned())));
            }
            let result = RecordResult { seq: record.seq, id: record.id.clone(), applied_at: now, outcome };
            new_records.push((kiosk, record, result.outcome.clone()));
            results.push(result);
            *applied = record.seq;
        }
        responses.push(PushResponse { server_time: now, applied_through: *applied, results });
    }
    seats.finish(&mut tx).await?;
    send_residents_again(&mut tx, &new_records).await?;
    send_care_sessions_again(&mut tx, &known, &new_records).await?;
    store_records(&mut tx, db.backend, &new_records, now).await?;
    note_for_reports(&mut tx, &known, &new_records, now, offset).await?;
    save_progress(&mut tx, &applied).await?;
    tx.commit().await.map_err(failed("committing records"))?;
    metrics.records_applied.inc_by(new_records.len() as u64);
    metrics.records_per_commit.observe(new_records.len() as f64);
    let server_time = now_ms();
    for response in &mut responses {
        response.server_time = server_time;
    }
    Ok(responses)
}

/// Where each kiosk's numbering stands. Touching the kiosks' rows holds their locks
/// (PostgreSQL; on SQLite writers take turns anyway) until the batches commit.
async fn progress(tx: &mut Tx, batches: &[Batch], now: i64) -> Result<HashMap<String, u64>, AppError> {
    let mut ids: Vec<&str> = batches.iter().map(|batch| batch.kiosk.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let statement = format!(
        "UPDATE kiosks SET last_seen_at = $1 WHERE id IN ({}) RETURNING id, applied_through",
        placeholders(2, ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(&statement).bind(now);
    for id in &ids {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&mut **tx).await.map_err(AppError::db("reading kiosks' progress"))?;
    Ok(rows.into_iter().map(|(id, applied)| (id, u64::try_from(applied).unwrap_or(0))).collect())
}

async fn save_progress(tx: &mut Tx, applied: &HashMap<String, u64>) -> Result<(), AppError> {
    let mut cases = String::new();
    for n in 0..applied.len() {
        let id = n.saturating_mul(2).saturating_add(1);
        cases.push_str(&format!(" WHEN ${id} THEN ${}", id.saturating_add(1)));
    }
    let ids = (0..applied.len())
        .map(|n| format!("${}", n.saturating_mul(2).saturating_add(1)))
        .collect::<Vec<_>>()
        .join(", ");
    let statement = format!("UPDATE kiosks SET applied_through = CASE id{cases} END WHERE id IN ({ids})");
    let mut query = sqlx::query(&statement);
    for (id, seq) in applied {
        query = query.bind(id.clone()).bind(seq_i64(*seq)?);
    }
    query.execute(&mut **tx).await.map(drop).map_err(AppError::db("advancing kiosks' progress"))
}

/// What the reports' summaries keep of the new records, in the same transaction: the months
/// residents signed in, and which already-counted days a late record changes.
async fn note_for_reports(
    tx: &mut Tx,
    known: &Known,
    records: &[(&Kiosk, &KioskRecord, Outcome)],
    now: i64,
    offset: UtcOffset,
) -> Result<(), AppError> {
    let sign_ins = records.iter().filter_map(|(kiosk, record, outcome)| match (&record.action, outcome) {
        (Action::SignIn { person }, Outcome::Accepted) => Some(presence::SignIn {
            site_id: &kiosk.site_id,
            room_id: &kiosk.room_id,
            resident_id: person.resident_id()?,
            happened_at: record.happened_at,
        }),
        _ => None,
    });
    presence::note(tx, sign_ins, offset).await?;
    // The day each record happened, and the day of the session it is about (a check-in counts
    // in its session's figures).
    let mut days: Vec<(&str, Date)> = Vec::new();
    for (kiosk, record, _) in records {
        days.extend(presence::date_of(record.happened_at, offset).map(|day| (kiosk.site_id.as_str(), day)));
        if let (_, Some(activity)) = record.action.subjects() {
            days.extend(known.activities.get(activity).map(|facts| (facts.site_id.as_str(), facts.day)));
        }
    }
    reports::days::note_late(tx, days.into_iter(), now, offset).await
}

/// Residents whose own figures kiosks hold changed with these records: a check-in (a session
/// to ask them about), a rating (asked), a service tap (their hours).
async fn send_residents_again(tx: &mut Tx, records: &[(&Kiosk, &KioskRecord, Outcome)]) -> Result<(), AppError> {
    let changed = accepted_by_site(records, |record| match record.action.subjects() {
        (Some(resident_id), _)
            if matches!(
                record.action,
                Action::CheckIn { .. } | Action::Rate { .. } | Action::ServiceStart { .. } | Action::ServiceEnd { .. }
            ) =>
        {
            Some(resident_id)
        }
        _ => None,
    });
    for (site_id, residents) in changed {
        crate::roster::send_again(tx, site_id, &residents)
            .await
            .map_err(AppError::db("telling kiosks of residents"))?;
    }
    Ok(())
}

/// A child dropped off or picked up: kiosks pull the after-school session again, with who is
/// in the room now.
async fn send_care_sessions_again(
    tx: &mut Tx,
    known: &Known,
    records: &[(&Kiosk, &KioskRecord, Outcome)],
) -> Result<(), AppError> {
    let changed = accepted_by_site(records, |record| match (&record.action, record.action.subjects()) {
        (Action::CheckIn { .. } | Action::PickUp { .. }, (_, Some(activity_id)))
            if known.times.get(activity_id).is_some_and(|times| times.after_school) =>
        {
            Some(activity_id)
        }
        _ => None,
    });
    for (site_id, sessions) in changed {
        crate::schedule::send_again(tx, site_id, &sessions)
            .await
            .map_err(AppError::db("telling kiosks who is in the room"))?;
    }
    Ok(())
}

/// What `changed` names of each accepted record, by the kiosk's site, each once.
fn accepted_by_site<'a>(
    records: &[(&'a Kiosk, &'a KioskRecord, Outcome)],
    changed: impl Fn(&'a KioskRecord) -> Option<&'a str>,
) -> HashMap<&'a str, Vec<&'a str>> {
    let mut by_site: HashMap<&str, Vec<&str>> = HashMap::new();
    for (kiosk, record, outcome) in records {
        if let (Outcome::Accepted, Some(id)) = (outcome, changed(record)) {
            by_site.entry(kiosk.site_id.as_str()).or_default().push(id);
        }
    }
    for ids in by_site.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    by_site
}

/// The activity and resident of a record about a seat: a sign-up or a cancellation.
fn seat_pair(record: &KioskRecord) -> Option<(&str, &str)> {
    match &record.action {
        Action::SignUp { resident_id, activity_id, .. } | Action::Cancel { resident_id, activity_id } => {
            Some((activity_id.as_str(), resident_id.as_str()))
        }
        _ => None,
    }
}

/// Rows per INSERT: 100 rows × 11 values stays far below SQLite's and PostgreSQL's limits on
/// bound parameters.
const ROWS_PER_INSERT: usize = 100;
/// Values per stored record.
const COLUMNS: usize = 11;

async fn store_records(
    tx: &mut Tx,
    backend: Backend,
    records: &[(&Kiosk, &KioskRecord, Outcome)],
    now: i64,
) -> Result<(), AppError> {
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let statement = format!(
            "INSERT INTO kiosk_records (kiosk_id, seq, record_id, action, resident_id, activity_id, companions, \
             happened_at, applied_at, outcome, void_reason) VALUES {}",
            backend.value_rows(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(&statement);
        for (kiosk, record, outcome) in chunk {
            let (resident, activity) = record.action.subjects();
            let companions = match record.action {
                Action::SignUp { companions, .. } => i64::from(companions),
                _ => 0,
            };
            let void_reason = match record.action {
                Action::Void { reason: VoidReason::Unreadable } => Some("unreadable"),
                Action::Void { reason: VoidReason::NotKept } => Some("not_kept"),
                _ => None,
            };
            let outcome_json = serde_json::to_string(outcome)
                .map_err(|e| AppError::BadRequest(format!("record {} cannot be stored: {e}", record.seq)))?;
            query = query
                .bind(kiosk.id.clone())
                .bind(seq_i64(record.seq)?)
                .bind(record.id.clone())
                .bind(record.action.name())
                .bind(resident.map(str::to_owned))
                .bind(activity.map(str::to_owned))
                .bind(companions)
                .bind(record.happened_at)
                .bind(now)
                .bind(outcome_json)
                .bind(void_reason);
        }
        query.execute(&mut **tx).await.map_err(AppError::db("storing records"))?;
    }
    Ok(())
}

/// The sites of the residents and the facts of the activities a batch names, read once.
struct Known {
    resident_sites: HashMap<String, String>,
    /// Of those residents, the volunteers on the roster.
    volunteers: HashSet<String>,
    activities: HashMap<String, ActivityFacts>,
    /// The activities' hours and whether they are volunteer service.
    times: HashMap<String, SessionTimes>,
    /// How far each kiosk's clock runs ahead of the server's, as it last reported.
    clock_differences: HashMap<String, i64>,
    /// How much longer than its session a volunteer's service may count, per site.
    service_margins: HashMap<String, i64>,
}

#[derive(Debug, Clone, Copy)]
struct SessionTimes {
    starts: time::Time,
    ends: time::Time,
    volunteer_service: bool,
    after_school: bool,
}

/// What deciding one record may need besides the record and its kiosk.
struct Context<'a> {
    seats: &'a mut SeatBook,
    known: &'a Known,
    checked_in_now: &'a HashSet<(String, String)>,
    offset: UtcOffset,
    now: i64,
}

impl Known {
    async fn look_up(tx: &mut Tx, batches: &[Batch]) -> Result<Known, AppError> {
        let mut residents: Vec<&str> = Vec::new();
        let mut activities: Vec<&str> = Vec::new();
        let mut serving = false;
        for record in batches.iter().flat_map(|batch| &batch.records) {
            let (resident, activity) = record.action.subjects();
            residents.extend(resident);
            activities.extend(activity);
            // Service taps and pick-ups are kept at the server's time: they need the kiosks' clocks.
            serving |= matches!(
                record.action,
                Action::ServiceStart { .. } | Action::ServiceEnd { .. } | Action::PickUp { .. }
            );
        }
        residents.sort_unstable();
        residents.dedup();
        activities.sort_unstable();
        activities.dedup();
        let mut known = Known {
            resident_sites: HashMap::new(),
            volunteers: HashSet::new(),
            activities: HashMap::new(),
            times: HashMap::new(),
            clock_differences: HashMap::new(),
            service_margins: HashMap::new(),
        };
        for chunk in residents.chunks(ROWS_PER_INSERT * 5) {
            let statement =
                format!("SELECT id, site_id, volunteer FROM residents WHERE id IN ({})", placeholders(1, chunk.len()));
            let mut query = sqlx::query_as::<_, (String, String, i64)>(&statement);
            for id in chunk {
                query = query.bind(id.to_string());
            }
            let rows = query.fetch_all(&mut **tx).await.map_err(AppError::db("looking up residents"))?;
            for (id, site_id, volunteer) in rows {
                if volunteer != 0 {
                    known.volunteers.insert(id.clone());
                }
                known.resident_sites.insert(id, site_id);
            }
        }
        if serving {
            known.look_up_service(tx, batches).await?;
        }
        for chunk in activities.chunks(ROWS_PER_INSERT * 5) {
            let statement = format!(
                "SELECT {ACTIVITY_COLUMNS}, rooms.site_id \
                 FROM activities JOIN rooms ON rooms.id = activities.room_id WHERE activities.id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&statement);
            for id in chunk {
                query = query.bind(id.to_string());
            }
            let rows = query.fetch_all(&mut **tx).await.map_err(AppError::db("looking up activities"))?;
            for row in &rows {
                let (activity, site_id) = activity_from_row(row)
                    .and_then(|activity| Ok((activity, row.try_get::<String, _>("site_id")?)))
                    .map_err(AppError::db("reading an activity"))?;
                let Activity {
                    id,
                    starts,
                    ends,
                    volunteer_service,
                    after_school,
                    cancelled,
                    capacity,
                    companions_allowed,
                    date,
                    ..
                } = activity;
                known.times.insert(id.clone(), SessionTimes { starts, ends, volunteer_service, after_school });
                known
                    .activities
                    .insert(id, ActivityFacts { cancelled, capacity, companions_allowed, site_id, day: date });
            }
        }
        Ok(known)
    }

    /// For service taps: the kiosks' clock differences and the sites' margins.
    async fn look_up_service(&mut self, tx: &mut Tx, batches: &[Batch]) -> Result<(), AppError> {
        let kiosks: Vec<&str> = batches.iter().map(|batch| batch.kiosk.id.as_str()).collect();
        let statement = format!(
            "SELECT id, COALESCE(clock_difference_ms, 0) FROM kiosks WHERE id IN ({})",
            placeholders(1, kiosks.len())
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&statement);
        for id in &kiosks {
            query = query.bind(id.to_string());
        }
        self.clock_differences =
            query.fetch_all(&mut **tx).await.map_err(AppError::db("reading kiosks' clocks"))?.into_iter().collect();
        self.service_margins = sqlx::query_as::<_, (String, i64)>("SELECT id, service_margin_minutes FROM sites")
            .fetch_all(&mut **tx)
            .await
            .map_err(AppError::db("reading sites' service margins"))?
            .into_iter()
            .collect();
        Ok(())
    }
}

fn seq_i64(seq: u64) -> Result<i64, AppError> {
    i64::try_from(seq).map_err(|_| AppError::BadRequest(format!("record number {seq} is too large")))
}

/// The answer given when the record was first applied. A different record under a number
/// already used is refused: accepting it would make the kiosk drop a record never applied.
async fn stored_result(tx: &mut Tx, kiosk: &Kiosk, record: &KioskRecord) -> Result<RecordResult, AppError> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT record_id, applied_at, outcome FROM kiosk_records WHERE kiosk_id = $1 AND seq = $2")
            .bind(&kiosk.id)
            .bind(seq_i64(record.seq)?)
            .fetch_optional(&mut **tx)
            .await
            .map_err(AppError::db("reading a stored answer"))?;
    let Some((record_id, applied_at, outcome)) = row else {
        return Err(AppError::Conflict(format!("record {} was applied but its answer is missing", record.seq)));
    };
    if record_id != record.id {
        return Err(AppError::SeqReused { seq: record.seq });
    }
    let outcome: Outcome = serde_json::from_str(&outcome)
        .map_err(|e| AppError::Conflict(format!("the stored answer for record {} is unreadable: {e}", record.seq)))?;
    Ok(RecordResult { seq: record.seq, id: record_id, applied_at, outcome })
}

fn same_record(first: &KioskRecord, again: &KioskRecord) -> Result<(), AppError> {
    if first.id == again.id { Ok(()) } else { Err(AppError::SeqReused { seq: again.seq }) }
}

async fn decide(
    tx: &mut Tx,
    context: &mut Context<'_>,
    kiosk: &Kiosk,
    record: &KioskRecord,
) -> Result<Outcome, AppError> {
    let (known, now) = (context.known, context.now);
    let (resident, activity) = record.action.subjects();
    // Another site's resident or activity: a kiosk moved to another site with records still
    // queued. Never counted here, answered for that record alone, so the queue moves on.
    let other_site = || {
        tracing::warn!(kiosk = %kiosk.id, seq = record.seq, "a record names another site's resident or activity");
        Ok(Outcome::rejected(RejectReason::OtherSite))
    };
    if let Some(resident_id) = resident {
        match known.resident_sites.get(resident_id) {
            None => return Ok(Outcome::rejected(RejectReason::UnknownResident)),
            Some(site) if *site != kiosk.site_id => return other_site(),
            Some(_) => {}
        }
    }
    let facts = match activity {
        Some(activity_id) => match known.activities.get(activity_id) {
            None => return Ok(Outcome::rejected(RejectReason::UnknownActivity)),
            Some(facts) if facts.site_id != kiosk.site_id => return other_site(),
            Some(facts) => Some(facts.clone()),
        },
        None => None,
    };
    let seats = &mut *context.seats;
    match (&record.action, facts) {
        (Action::Void { reason }, _) => {
            tracing::warn!(kiosk = %kiosk.id, seq = record.seq, ?reason, "a kiosk gave up a record number");
            Ok(Outcome::Void)
        }
        (Action::SignIn { .. }, _) => Ok(Outcome::Accepted),
        (Action::CheckIn { person, activity_id }, Some(facts)) => {
            let holds_a_seat = match person.resident_id() {
                Some(resident_id) if !rules::is_open_to_all(facts.capacity) => {
                    seats::has_seat(tx, seats, activity_id, resident_id).await?
                }
                _ => false,
            };
            Ok(match rules::check_in(facts.cancelled, facts.capacity, holds_a_seat) {
                Ok(()) => Outcome::Accepted,
                Err(reason) => Outcome::rejected(reason),
            })
        }
        (Action::SignUp { resident_id, activity_id, companions }, Some(facts)) => {
            let asked = seats::SignUp {
                activity_id,
                resident_id,
                companions: *companions,
                record_id: &record.id,
                now,
                made_at: record.happened_at,
            };
            seats::sign_up(tx, seats, &facts, asked).await
        }
        (Action::Cancel { resident_id, activity_id }, Some(_)) => {
            seats::cancel(tx, seats, &kiosk.site_id, activity_id, resident_id, &record.id, now).await
        }
        (Action::Rate { resident_id, activity_id, rating }, Some(facts)) => {
            let times = known.times.get(activity_id).ok_or(AppError::Unfinished("reading a session's hours"))?;
            let ends = PrimitiveDateTime::new(facts.day, times.ends).assume_offset(context.offset);
            crate::satisfaction::keep(
                tx,
                crate::satisfaction::RatingRecord {
                    kiosk_id: &kiosk.id,
                    seq: seq_i64(record.seq)?,
                    resident_id,
                    activity_id,
                    rating: *rating,
                    rated_at: record.happened_at,
                    session_ends_at: ends.unix_timestamp().saturating_mul(1000),
                    session_cancelled: facts.cancelled,
                    checked_in_just_now: context.checked_in_now.contains(&(activity_id.clone(), resident_id.clone())),
                },
            )
            .await
        }
        (
            Action::ServiceStart { resident_id, activity_id } | Action::ServiceEnd { resident_id, activity_id },
            Some(facts),
        ) => {
            let times = known.times.get(activity_id).ok_or(AppError::Unfinished("reading a session's hours"))?;
            let margin_minutes = known.service_margins.get(&kiosk.site_id).copied().unwrap_or(0);
            let kind = if matches!(record.action, Action::ServiceStart { .. }) { TapKind::Start } else { TapKind::End };
            crate::time_bank::keep(
                tx,
                crate::time_bank::TapRecord {
                    kiosk_id: &kiosk.id,
                    seq: seq_i64(record.seq)?,
                    record_id: &record.id,
                    site_id: &kiosk.site_id,
                    resident_id,
                    activity_id,
                    kind,
                    happened_at: record.happened_at,
                    kiosk_minus_server_ms: known.clock_differences.get(&kiosk.id).copied().unwrap_or(0),
                    volunteer: known.volunteers.contains(resident_id),
                    volunteer_service: times.volunteer_service,
                    day: facts.day,
                    cap_ms: jiayuan_domain::time_bank::cap_ms(times.starts, times.ends, margin_minutes),
                },
            )
            .await
        }
        (Action::PickUp { resident_id, activity_id, guardian_id }, Some(_)) => {
            let times = known.times.get(activity_id).ok_or(AppError::Unfinished("reading a session's hours"))?;
            let kiosk_minus_server = known.clock_differences.get(&kiosk.id).copied().unwrap_or(0);
            crate::handover::keep_pick_up(
                tx,
                crate::handover::PickUpRecord {
                    site_id: &kiosk.site_id,
                    record_id: &record.id,
                    child_id: resident_id,
                    guardian_id,
                    activity_id,
                    after_school: times.after_school,
                    at: jiayuan_domain::time_bank::corrected(record.happened_at, kiosk_minus_server),
                    now,
                },
            )
            .await
        }
        (Action::Told { resident_id, notice_id }, _) => {
            let version = seats.version(tx, &kiosk.site_id).await?;
            let teller = crate::notices::Teller { how: crate::notices::how::KIOSK, by: &kiosk.id, version };
            crate::notices::told(tx, notice_id, resident_id, teller, now).await
        }
        (_, None) => Ok(Outcome::rejected(RejectReason::UnknownActivity)),
    }
}
