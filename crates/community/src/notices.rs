//! Notices (待通知): a resident is told when someone else changes their place — moved up from
//! the waiting list, a session cancelled or restored by staff. A notice is written in the
//! transaction that changes the place (the rules are `jiayuan_domain::notices`), sent to the
//! site's kiosks with the resident's roster entry, and told once: at a kiosk, when the
//! resident taps on past it, or by staff on the phone.

use std::collections::HashMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::notices::{self as rules, Change, Event, ToTell};
use jiayuan_domain::sync::{Outcome, RejectReason};
use time::{Date, PrimitiveDateTime, UtcOffset};

use crate::attendance::HOLDS_A_PLACE;
use crate::error::{AppError, Tx};
use crate::schedule::{format_day, parse_day};

/// How a notice was told, as the database keeps it.
pub mod how {
    pub const KIOSK: &str = "kiosk";
    pub const PHONE: &str = "phone";
    /// Nothing was left to tell: a cancellation undone, a place given up, a newer notice.
    pub const UNDONE: &str = "undone";
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

/// What `event` leaves the resident to be told about the session, written in `tx`: the untold
/// notice about it (if any) gives way to the new one, or to nothing. The resident's roster
/// entry goes to kiosks again with the session's change number (already taken in `tx`).
pub async fn note(tx: &mut Tx, activity_id: &str, resident_id: &str, event: Event, now: i64) -> Result<(), AppError> {
    let untold: Option<(String, String)> = sqlx::query_as(
        "SELECT id, change_kind FROM notices WHERE resident_id = $1 AND activity_id = $2 AND told_at IS NULL",
    )
    .bind(resident_id)
    .bind(activity_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(db("reading an untold notice"))?;
    let before = untold.as_ref().and_then(|(_, kind)| Change::from_name(kind));
    let next = rules::after(before, event);
    if next == before {
        return Ok(());
    }
    if let Some((id, _)) = &untold {
        // A new id rather than new words under the old one: a kiosk may already have shown the
        // old words, and its record of that must not tell the new ones.
        sqlx::query("UPDATE notices SET told_at = $2, told_how = $3 WHERE id = $1")
            .bind(id)
            .bind(now)
            .bind(how::UNDONE)
            .execute(&mut **tx)
            .await
            .map_err(db("replacing an untold notice"))?;
    }
    if let Some(change) = next {
        sqlx::query(
            "INSERT INTO notices (id, site_id, resident_id, activity_id, change_kind, created_at) \
             SELECT $1, site_id, id, $3, $4, $5 FROM residents WHERE id = $2",
        )
        .bind(format!("n-{}", uuid::Uuid::new_v4().simple()))
        .bind(resident_id)
        .bind(activity_id)
        .bind(change.name())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(db("keeping a notice"))?;
    }
    sqlx::query("UPDATE residents SET version = (SELECT version FROM activities WHERE id = $2) WHERE id = $1")
        .bind(resident_id)
        .bind(activity_id)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(db("sending a resident's notices again"))
}

/// Staff cancelled (`cancelled`) or restored a session: everyone holding a place in it is told.
pub async fn note_holders(tx: &mut Tx, activity_id: &str, cancelled: bool, now: i64) -> Result<(), AppError> {
    let holders: Vec<String> =
        sqlx::query_scalar(&format!("SELECT resident_id FROM sign_ups WHERE activity_id = $1 AND {HOLDS_A_PLACE}"))
            .bind(activity_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(db("reading who holds a place"))?;
    let event = if cancelled {
        Event::SessionCancelled { holds_a_place: true }
    } else {
        Event::SessionRestored { holds_a_place: true }
    };
    for resident_id in holders {
        note(tx, activity_id, &resident_id, event, now).await?;
    }
    Ok(())
}

/// Who told a notice, and the change number the resident's roster entry goes out again with
/// (so no other kiosk tells it again).
#[derive(Debug, Clone, Copy)]
pub struct Teller<'a> {
    pub how: &'static str,
    pub by: &'a str,
    pub version: i64,
}

/// A kiosk showed the notice and the resident tapped on (`Action::Told`), or staff told them:
/// told, once. The resident is already known to be of the teller's site; a notice not theirs
/// is refused.
pub async fn told(
    tx: &mut Tx,
    notice_id: &str,
    resident_id: &str,
    teller: Teller<'_>,
    now: i64,
) -> Result<Outcome, AppError> {
    let theirs: Option<Option<i64>> =
        sqlx::query_scalar("SELECT told_at FROM notices WHERE id = $1 AND resident_id = $2")
            .bind(notice_id)
            .bind(resident_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db("reading a notice"))?;
    match theirs {
        None => Ok(Outcome::rejected(RejectReason::UnknownNotice)),
        // Told already (by phone, at another kiosk, or undone): nothing changes.
        Some(Some(_)) => Ok(Outcome::Accepted),
        Some(None) => {
            sqlx::query("UPDATE notices SET told_at = $2, told_how = $3, told_by = $4 WHERE id = $1")
                .bind(notice_id)
                .bind(now)
                .bind(teller.how)
                .bind(teller.by)
                .execute(&mut **tx)
                .await
                .map_err(db("marking a notice told"))?;
            sqlx::query("UPDATE residents SET version = $2 WHERE id = $1")
                .bind(resident_id)
                .bind(teller.version)
                .execute(&mut **tx)
                .await
                .map_err(db("sending a resident's notices again"))?;
            Ok(Outcome::Accepted)
        }
    }
}

/// An untold notice with what saying it needs.
#[derive(Debug, Clone)]
pub struct Untold {
    pub id: String,
    pub resident_id: String,
    pub change: Change,
    pub activity_id: String,
    pub title: LocalizedText,
    pub day: Date,
    pub starts: time::Time,
    pub created_at: i64,
    pub no_answer_at: Option<i64>,
}

/// The untold notices of `site_id`'s residents about sessions from `first_day` on, oldest
/// first; only residents changed since `since` when given (a kiosk's pull).
pub async fn untold(tx: &mut Tx, site_id: &str, first_day: Date, since: Option<i64>) -> Result<Vec<Untold>, AppError> {
    type Row =
        (String, String, String, String, String, Option<String>, Option<String>, String, String, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT n.id, n.resident_id, n.change_kind, a.id, a.title_zh_hans, a.title_zh_hant, a.title_en, a.day, a.starts, \
                n.created_at, n.no_answer_at \
         FROM notices n JOIN activities a ON a.id = n.activity_id JOIN residents r ON r.id = n.resident_id \
         WHERE n.site_id = $1 AND n.told_at IS NULL AND a.day >= $2 AND r.deactivated_at IS NULL AND r.version > $3 \
         ORDER BY n.created_at, n.id",
    )
    .bind(site_id)
    .bind(format_day(first_day))
    .bind(since.unwrap_or(-1))
    .fetch_all(&mut **tx)
    .await
    .map_err(db("reading untold notices"))?;
    rows.into_iter()
        .map(|(id, resident_id, kind, activity_id, zh_hans, zh_hant, en, day, starts, created_at, no_answer_at)| {
            let (Some(change), Some(day), Some(starts)) =
                (Change::from_name(&kind), parse_day(&day), jiayuan_domain::civil::parse_hour_minute(&starts))
            else {
                return Err(AppError::Unfinished("reading a notice"));
            };
            Ok(Untold {
                id,
                resident_id,
                change,
                activity_id,
                title: LocalizedText { zh_hans, zh_hant, en },
                day,
                starts,
                created_at,
                no_answer_at,
            })
        })
        .collect()
}

/// The untold notices for the kiosk's roster entries, by resident.
pub async fn to_tell(
    tx: &mut Tx,
    site_id: &str,
    since: i64,
    today: Date,
    offset: UtcOffset,
) -> Result<HashMap<String, Vec<ToTell>>, AppError> {
    let mut by_resident: HashMap<String, Vec<ToTell>> = HashMap::new();
    for notice in untold(tx, site_id, today, Some(since)).await? {
        let starts_at = PrimitiveDateTime::new(notice.day, notice.starts)
            .assume_offset(offset)
            .unix_timestamp()
            .saturating_mul(1000);
        by_resident.entry(notice.resident_id).or_default().push(ToTell {
            id: notice.id,
            change: notice.change,
            activity_id: notice.activity_id,
            title: notice.title,
            starts_at,
        });
    }
    Ok(by_resident)
}
