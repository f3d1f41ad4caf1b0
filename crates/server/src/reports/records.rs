//! Every record of a period, one row each, as the kiosks sent them and the server answered:
//! what staff hand an auditor, or look through when a figure surprises them. A file only.

use jiayuan_domain::LocalizedText;
use jiayuan_domain::sync::Outcome;
use time::{Date, OffsetDateTime};

use crate::db::Database;
use crate::error::AppError;

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

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The period's records in the site (or one room), in the order they happened.
pub async fn records(db: &Database, scope: Scope<'_>) -> Result<Vec<RecordRow>, AppError> {
    let (from, until) = bounds_ms(scope.period.from, scope.period.to, scope.offset);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT kiosk_records.happened_at, kiosks.room_id, kiosk_records.kiosk_id, kiosk_records.action, \
                kiosk_records.resident_id, residents.full_name, activities.title_zh_hans, \
                activities.title_zh_hant, activities.title_en, kiosk_records.outcome \
         FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
         JOIN rooms ON rooms.id = kiosks.room_id \
         LEFT JOIN residents ON residents.id = kiosk_records.resident_id \
         LEFT JOIN activities ON activities.id = kiosk_records.activity_id \
         WHERE rooms.site_id = $1 AND ($2 = '' OR kiosks.room_id = $2) \
           AND kiosk_records.happened_at >= $3 AND kiosk_records.happened_at < $4 \
         ORDER BY kiosk_records.happened_at, kiosk_records.kiosk_id, kiosk_records.seq",
    )
    .bind(scope.site_id)
    .bind(scope.room_id)
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading the period's records"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, room_id, kiosk_id, action, resident_id, resident_name, zh_hans, zh_hant, en, outcome)| {
            let when = OffsetDateTime::from_unix_timestamp(at.div_euclid(1000)).ok()?.to_offset(scope.offset);
            Some(RecordRow {
                day: when.date(),
                time: format!("{:02}:{:02}", when.hour(), when.minute()),
                room_id,
                kiosk_id,
                action,
                resident_id,
                resident_name,
                activity: zh_hans.map(|zh_hans| LocalizedText { zh_hans, zh_hant, en }),
                outcome: serde_json::from_str(&outcome).ok(),
            })
        })
        .collect())
}

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
    }
}
