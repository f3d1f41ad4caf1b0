//! Every record of a period, one row each, as the kiosks sent them and the server answered:
//! what staff hand an auditor, or look through when a figure surprises them. A file only.

use std::collections::HashMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::sync::Outcome;
use time::{Date, OffsetDateTime};

use crate::console::i18n::Words;
use crate::db::Database;
use crate::error::AppError;
use crate::schedule::format_day;
use jiayuan_domain::schedule::Room;

use super::export::{Cell, Table};
use super::{Scope, bounds_ms};

#[derive(Debug, Clone)]
pub struct RecordRow {
    pub day: Date,
    /// 14:05, the community's time by the kiosk's clock.
    pub time: String,
    pub room_id: String,
    pub kiosk_id: String,
    /// sign_in, check_in, sign_up, cancel, void
    pub action: String,
    pub resident_id: Option<String>,
    pub resident_name: Option<String>,
    pub activity: Option<LocalizedText>,
    /// The server's answer; None if it cannot be read.
    pub outcome: Option<Outcome>,
}

type Row = (i64, String, String, Option<String>, Option<String>, String);

/// The period's records in the site (or one room), in the order they happened. Names and
/// titles are looked up once each rather than joined into every row: a month is a quarter of a
/// million rows, and every value read costs the driver a little.
pub async fn records(db: &Database, scope: Scope<'_>) -> Result<Vec<RecordRow>, AppError> {
    let failed = AppError::db("reading the period's records");
    let (from, until) = bounds_ms(scope.period.from, scope.period.to, scope.offset);
    let kiosks: HashMap<String, String> = sqlx::query_as(
        "SELECT kiosks.id, kiosks.room_id FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $1 AND ($2 = '' OR kiosks.room_id = $2)",
    )
    .bind(scope.site_id)
    .bind(scope.room_id)
    .fetch_all(&db.pool)
    .await
    .map_err(failed)?
    .into_iter()
    .collect();
    let names: HashMap<String, String> = sqlx::query_as("SELECT id, full_name FROM residents WHERE site_id = $1")
        .bind(scope.site_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading residents' names"))?
        .into_iter()
        .collect();
    let titles: HashMap<String, LocalizedText> = sqlx::query_as::<_, (String, String, Option<String>, Option<String>)>(
        "SELECT activities.id, activities.title_zh_hans, activities.title_zh_hant, activities.title_en \
         FROM activities JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3",
    )
    .bind(scope.site_id)
    // A check-in or sign-up may be days before or after its session.
    .bind(format_day(scope.period.from.saturating_sub(time::Duration::days(CLOSE_DAYS))))
    .bind(format_day(scope.period.to.saturating_add(time::Duration::days(FAR_DAYS))))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading sessions' titles"))?
    .into_iter()
    .map(|(id, zh_hans, zh_hant, en)| (id, LocalizedText { zh_hans, zh_hant, en }))
    .collect();
    // Each kiosk's records by the (kiosk, time) index, a range per kiosk.
    let statement = format!(
        "SELECT happened_at, kiosk_id, action, resident_id, activity_id, outcome FROM kiosk_records \
         WHERE kiosk_id IN ({}) AND happened_at >= $1 AND happened_at < $2 ORDER BY happened_at, kiosk_id, seq",
        crate::db::placeholders(3, kiosks.len())
    );
    if kiosks.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_as::<_, Row>(&statement).bind(from).bind(until);
    for id in kiosks.keys() {
        query = query.bind(id.clone());
    }
    let rows = query.fetch_all(&db.pool).await.map_err(AppError::db("reading the period's records"))?;
    let mut outcomes: HashMap<String, Option<Outcome>> = HashMap::new();
    Ok(rows
        .into_iter()
        .filter_map(|(at, kiosk_id, action, resident_id, activity_id, outcome)| {
            let when = OffsetDateTime::from_unix_timestamp(at.div_euclid(1000)).ok()?.to_offset(scope.offset);
            let outcome = outcomes.entry(outcome).or_insert_with_key(|text| serde_json::from_str(text).ok()).clone();
            Some(RecordRow {
                day: when.date(),
                time: format!("{:02}:{:02}", when.hour(), when.minute()),
                room_id: kiosks.get(&kiosk_id).cloned().unwrap_or_default(),
                kiosk_id,
                action,
                resident_name: resident_id.as_ref().and_then(|id| names.get(id).cloned()),
                resident_id,
                activity: activity_id.and_then(|id| titles.get(&id).cloned()),
                outcome,
            })
        })
        .collect())
}

/// How far before and after the period the sessions its records may be about are looked up:
/// check-ins happen on the day, sign-ups up to the schedule's horizon ahead.
const CLOSE_DAYS: i64 = 1;
const FAR_DAYS: i64 = 120;

/// The word key of an answer (`record.outcome.*`), and of its reason when refused.
pub fn outcome_key(outcome: &Option<Outcome>) -> (&'static str, Option<&'static str>) {
    match outcome {
        Some(Outcome::Accepted) => ("accepted", None),
        Some(Outcome::Confirmed) => ("confirmed", None),
        Some(Outcome::Waitlisted { .. }) => ("waitlisted", None),
        Some(Outcome::Cancelled) => ("cancelled", None),
        Some(Outcome::Rejected { reason, .. }) => ("rejected", Some(reason_key(*reason))),
        Some(Outcome::Void) => ("void", None),
        None => ("unreadable", None),
    }
}

fn reason_key(reason: jiayuan_domain::sync::RejectReason) -> &'static str {
    use jiayuan_domain::sync::RejectReason as R;
    match reason {
        R::UnknownResident => "unknown_resident",
        R::UnknownActivity => "unknown_activity",
        R::OtherSite => "other_site",
        R::NoSignUpNeeded => "no_sign_up_needed",
        R::TooManyCompanions => "too_many_companions",
        R::NotSignedUp => "not_signed_up",
        R::Cancelled => "cancelled",
        R::NotCheckedIn => "not_checked_in",
        R::NotOverYet => "not_over_yet",
        R::TooLateToRate => "too_late_to_rate",
        R::AlreadyRated => "already_rated",
        R::NotAVolunteer => "not_a_volunteer",
        R::NotVolunteerService => "not_volunteer_service",
    }
}

const COLUMNS: [&str; 9] = [
    "reports.day",
    "session.time",
    "reports.room",
    "kiosks.kiosk",
    "record.what",
    "record.resident_id",
    "record.resident_name",
    "session.title",
    "record.answer",
];

/// The records as a table, in the staff member's words.
pub fn table(rows: Vec<RecordRow>, words: &Words, rooms: &[Room]) -> Table {
    let room_name = |room_id: &str| {
        let room = rooms.iter().find(|room| room.id == room_id);
        room.map(|room| words.pick(&room.name).to_owned()).unwrap_or_else(|| room_id.to_owned())
    };
    let header = COLUMNS.map(|key| words.t(key).into_owned()).to_vec();
    // A month is a quarter of a million rows and a handful of words: each looked up once.
    let mut said: HashMap<String, String> = HashMap::new();
    let mut say = |key: String| said.entry(key).or_insert_with_key(|key| words.t(key).into_owned()).clone();
    let rows: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|row| {
            let (outcome, reason) = outcome_key(&row.outcome);
            let mut answer = say(format!("record.outcome.{outcome}"));
            if let Some(reason) = reason {
                answer = format!("{answer}：{}", say(format!("record.reason.{reason}")));
            }
            vec![
                Cell::Day(row.day),
                Cell::Text(row.time),
                Cell::Text(room_name(&row.room_id)),
                Cell::Text(row.kiosk_id),
                Cell::Text(say(format!("record.action.{}", row.action))),
                Cell::Text(row.resident_id.clone().unwrap_or_default()),
                Cell::Text(match (&row.resident_id, row.resident_name) {
                    (None, _) => say("record.visitor".to_owned()),
                    (Some(_), name) => name.unwrap_or_default(),
                }),
                Cell::Text(row.activity.as_ref().map(|title| words.pick(title).to_owned()).unwrap_or_default()),
                Cell::Text(answer),
            ]
        })
        .collect();
    Table { name: "records", header, rows }
}
