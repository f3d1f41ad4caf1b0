//! Applying a kiosk's batch: each record once, in the kiosk's order, with the answer given
//! stored beside it. A batch is one transaction: cut off anywhere, it has been applied wholly
//! or not at all, so resending it is always safe. (One transaction per batch rather than per
//! record: commits are what SQLite spends its time on; `cargo xtask bench` measures it.)

use jiayuan_domain::sync::{Action, KioskRecord, Outcome, Person, PushResponse, RecordResult, RejectReason};
use sqlx::{Any, Transaction};

use super::seats::{self, ActivityFacts};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::kiosks::Kiosk;

type Tx = Transaction<'static, Any>;

/// Applies `records` for `kiosk`. Nothing is stored for a batch that is malformed or names
/// another site's residents or activities (the transaction is dropped, so it rolls back).
pub async fn apply_batch(db: &Database, kiosk: &Kiosk, records: &[KioskRecord]) -> Result<PushResponse, AppError> {
    let failed = AppError::db;
    check_batch(records)?;
    let now = now_ms();
    let mut tx = db.begin_write().await.map_err(failed("starting to apply records"))?;
    // Touching the kiosk's row first holds its lock (PostgreSQL; on SQLite writers take turns
    // anyway), so two pushes from one kiosk apply its records one at a time.
    let applied: i64 = sqlx::query_scalar("UPDATE kiosks SET last_seen_at = $2 WHERE id = $1 RETURNING applied_through")
        .bind(&kiosk.id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(failed("reading a kiosk's progress"))?;
    let mut applied = u64::try_from(applied).unwrap_or(0);
    let mut results = Vec::with_capacity(records.len());
    for record in records {
        if record.seq <= applied {
            results.push(stored_result(&mut tx, kiosk, record).await?);
            continue;
        }
        if record.seq > applied + 1 {
            return Err(AppError::SeqGap { expected_seq: applied + 1 });
        }
        results.push(apply_new_record(&mut tx, kiosk, record, now).await?);
        applied = record.seq;
    }
    sqlx::query("UPDATE kiosks SET applied_through = $2 WHERE id = $1")
        .bind(&kiosk.id)
        .bind(seq_i64(applied)?)
        .execute(&mut **tx)
        .await
        .map_err(failed("advancing a kiosk's progress"))?;
    tx.commit().await.map_err(failed("committing records"))?;
    Ok(PushResponse { server_time: now_ms(), applied_through: applied, results })
}

/// The shape of a batch, before anything is applied.
fn check_batch(records: &[KioskRecord]) -> Result<(), AppError> {
    for record in records {
        record.validate().map_err(|e| AppError::BadRequest(format!("record {}: {e}", record.seq)))?;
    }
    if let Some(pair) = records.windows(2).find(|pair| pair[1].seq != pair[0].seq + 1) {
        return Err(AppError::BadRequest(format!(
            "records in a batch must be numbered one after another; {} follows {}",
            pair[1].seq, pair[0].seq
        )));
    }
    Ok(())
}

/// The resident and the activity a record is about.
fn subjects(action: &Action) -> (Option<&str>, Option<&str>) {
    fn resident(person: &Person) -> Option<&str> {
        match person {
            Person::Resident { resident_id } => Some(resident_id.as_str()),
            Person::Visitor => None,
        }
    }
    match action {
        Action::SignIn { person } => (resident(person), None),
        Action::CheckIn { person, activity_id } => (resident(person), Some(activity_id.as_str())),
        Action::SignUp { resident_id, activity_id, .. } | Action::Cancel { resident_id, activity_id } => {
            (Some(resident_id.as_str()), Some(activity_id.as_str()))
        }
    }
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::SignIn { .. } => "sign_in",
        Action::CheckIn { .. } => "check_in",
        Action::SignUp { .. } => "sign_up",
        Action::Cancel { .. } => "cancel",
    }
}

async fn apply_new_record(tx: &mut Tx, kiosk: &Kiosk, record: &KioskRecord, now: i64) -> Result<RecordResult, AppError> {
    let outcome = decide(tx, kiosk, record, now).await?;
    let (resident, activity) = subjects(&record.action);
    let companions = match record.action {
        Action::SignUp { companions, .. } => i64::from(companions),
        _ => 0,
    };
    let outcome_json = serde_json::to_string(&outcome)
        .map_err(|e| AppError::BadRequest(format!("record {} cannot be stored: {e}", record.seq)))?;
    sqlx::query(
        "INSERT INTO kiosk_records (kiosk_id, seq, record_id, action, resident_id, activity_id, companions, \
         happened_at, applied_at, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&kiosk.id)
    .bind(seq_i64(record.seq)?)
    .bind(&record.id)
    .bind(action_name(&record.action))
    .bind(resident.map(str::to_owned))
    .bind(activity.map(str::to_owned))
    .bind(companions)
    .bind(record.happened_at)
    .bind(now)
    .bind(&outcome_json)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("storing a record"))?;
    Ok(RecordResult { seq: record.seq, id: record.id.clone(), applied_at: now, outcome })
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
        return Err(AppError::Conflict(format!(
            "record number {} was already used by another record; this kiosk's numbering was reset",
            record.seq
        )));
    }
    let outcome: Outcome = serde_json::from_str(&outcome)
        .map_err(|e| AppError::Conflict(format!("the stored answer for record {} is unreadable: {e}", record.seq)))?;
    Ok(RecordResult { seq: record.seq, id: record_id, applied_at, outcome })
}

async fn decide(tx: &mut Tx, kiosk: &Kiosk, record: &KioskRecord, now: i64) -> Result<Outcome, AppError> {
    let (resident, activity) = subjects(&record.action);
    let foreign = |what: &str| {
        AppError::Forbidden(format!("record {} names {what} of another site than this kiosk's", record.seq))
    };
    if let Some(resident_id) = resident {
        match resident_site(tx, resident_id).await? {
            None => return Ok(Outcome::rejected(RejectReason::UnknownResident)),
            Some(site) if site != kiosk.site_id => return Err(foreign("a resident")),
            Some(_) => {}
        }
    }
    let facts = match activity {
        Some(activity_id) => match activity_facts(tx, activity_id).await? {
            None => return Ok(Outcome::rejected(RejectReason::UnknownActivity)),
            Some(facts) if facts.site_id != kiosk.site_id => return Err(foreign("an activity")),
            Some(facts) => Some(facts),
        },
        None => None,
    };
    match (&record.action, facts) {
        (Action::SignIn { .. }, _) => Ok(Outcome::Accepted),
        (Action::CheckIn { person, activity_id }, Some(facts)) => {
            if facts.capacity.is_none() {
                return Ok(Outcome::Accepted);
            }
            match person {
                Person::Resident { resident_id } if seats::has_seat(tx, activity_id, resident_id).await? => {
                    Ok(Outcome::Accepted)
                }
                _ => Ok(Outcome::rejected(RejectReason::NotSignedUp)),
            }
        }
        (Action::SignUp { resident_id, activity_id, companions }, Some(facts)) => {
            seats::sign_up(tx, activity_id, &facts, resident_id, *companions, &record.id, now).await
        }
        (Action::Cancel { resident_id, activity_id }, Some(_)) => {
            seats::cancel(tx, activity_id, resident_id, &record.id, now).await
        }
        (_, None) => Ok(Outcome::rejected(RejectReason::UnknownActivity)),
    }
}

async fn resident_site(tx: &mut Tx, resident_id: &str) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT site_id FROM residents WHERE id = $1")
        .bind(resident_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db("looking up a resident"))
}

async fn activity_facts(tx: &mut Tx, activity_id: &str) -> Result<Option<ActivityFacts>, AppError> {
    let row: Option<(Option<i64>, i64, String)> = sqlx::query_as(
        "SELECT activities.capacity, activities.companions_allowed, rooms.site_id \
         FROM activities JOIN rooms ON rooms.id = activities.room_id WHERE activities.id = $1",
    )
    .bind(activity_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db("looking up an activity"))?;
    Ok(row.map(|(capacity, companions_allowed, site_id)| ActivityFacts { capacity, companions_allowed, site_id }))
}
