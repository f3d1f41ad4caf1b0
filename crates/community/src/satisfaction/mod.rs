//! Residents' ratings of sessions (满意度), kept once per resident and session whichever kiosk
//! they came from. The rules are the domain's (`jiayuan_domain::satisfaction`); this is where
//! the server keeps what they allow.

use jiayuan_domain::satisfaction::{Rating, RatingRefused, may_rate};
use jiayuan_domain::sync::pull::ToRate;
use jiayuan_domain::sync::{Outcome, RejectReason};

use crate::attendance::{came, came_to};
use crate::error::AppError;

use crate::error::Tx;

/// A rating arriving from a kiosk, with what the server knows of its session.
#[derive(Debug, Clone, Copy)]
pub struct RatingRecord<'a> {
    pub kiosk_id: &'a str,
    pub seq: i64,
    pub resident_id: &'a str,
    pub activity_id: &'a str,
    pub rating: Rating,
    /// When it was given, by the kiosk's clock.
    pub rated_at: i64,
    /// When the session ended, ms since 1970.
    pub session_ends_at: i64,
    pub session_cancelled: bool,
    /// Checked in earlier in the same transaction (not yet stored).
    pub checked_in_just_now: bool,
}

/// Keeps a rating the rules allow, once: a second one for the same session is answered
/// `already_rated` and not counted.
pub async fn keep(tx: &mut Tx, rating: RatingRecord<'_>) -> Result<Outcome, AppError> {
    let checked_in = rating.checked_in_just_now || checked_in(tx, rating.activity_id, rating.resident_id).await?;
    if let Err(refused) = may_rate(checked_in, rating.session_cancelled, rating.session_ends_at, rating.rated_at) {
        return Ok(Outcome::rejected(match refused {
            RatingRefused::NotCheckedIn => RejectReason::NotCheckedIn,
            RatingRefused::NotOverYet => RejectReason::NotOverYet,
            RatingRefused::TooLate => RejectReason::TooLateToRate,
            RatingRefused::Cancelled => RejectReason::Cancelled,
        }));
    }
    let kept = sqlx::query(
        "INSERT INTO ratings (activity_id, resident_id, rating, rated_at, kiosk_id, seq) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (activity_id, resident_id) DO NOTHING",
    )
    .bind(rating.activity_id)
    .bind(rating.resident_id)
    .bind(rating.rating.name())
    .bind(rating.rated_at)
    .bind(rating.kiosk_id)
    .bind(rating.seq)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("keeping a rating"))?;
    Ok(if kept.rows_affected() == 0 { Outcome::rejected(RejectReason::AlreadyRated) } else { Outcome::Accepted })
}

/// Whether the resident checked in to the session, at a kiosk or on paper.
async fn checked_in(tx: &mut Tx, activity_id: &str, resident_id: &str) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM residents WHERE residents.id = $2 AND residents.id IN ({})",
        came_to("$1")
    ))
    .bind(activity_id)
    .bind(resident_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db("looking for a check-in"))?;
    Ok(found.is_some())
}

/// The sessions each resident checked in to from `first_day` on (at a kiosk or on paper) and
/// has not rated, for residents changed since `since` (kiosks ask about them).
pub async fn to_rate(
    tx: &mut Tx,
    site_id: &str,
    since: i64,
    first_day: time::Date,
    offset: time::UtcOffset,
) -> Result<std::collections::HashMap<String, Vec<ToRate>>, AppError> {
    type Row = (String, String, String, Option<String>, Option<String>, String, String);
    let came = came(
        "FROM activities JOIN rooms ON rooms.id = activities.room_id",
        "rooms.site_id = $1 AND activities.day >= $3 AND activities.cancelled_at IS NULL",
    );
    let statement = format!(
        "SELECT DISTINCT came.resident_id, a.id, a.title_zh_hans, a.title_zh_hant, a.title_en, a.day, a.ends \
         FROM ({came}) came JOIN activities a ON a.id = came.activity_id \
         JOIN residents r ON r.id = came.resident_id \
         WHERE r.version > $2 \
           AND NOT EXISTS (SELECT 1 FROM ratings WHERE ratings.activity_id = a.id \
                                                  AND ratings.resident_id = came.resident_id)"
    );
    let rows: Vec<Row> = sqlx::query_as(&statement)
        .bind(site_id)
        .bind(since)
        .bind(crate::schedule::format_day(first_day))
        .fetch_all(&mut **tx)
        .await
        .map_err(AppError::db("reading sessions to rate"))?;
    let mut by_resident: std::collections::HashMap<String, Vec<ToRate>> = std::collections::HashMap::new();
    for (resident_id, activity_id, zh_hans, zh_hant, en, day, ends) in rows {
        let (Some(day), Some(ends)) =
            (crate::schedule::parse_day(&day), jiayuan_domain::civil::parse_hour_minute(&ends))
        else {
            return Err(AppError::Unfinished("reading a session's date and hours"));
        };
        let ends_at = crate::community_time::ms_at(day, ends, offset);
        by_resident.entry(resident_id).or_default().push(ToRate {
            activity_id,
            title: jiayuan_domain::LocalizedText { zh_hans, zh_hant, en },
            ends_at,
        });
    }
    Ok(by_resident)
}

/// The residents who checked in to a session (at a kiosk or on paper) get change number
/// `version`: their list of sessions to rate changed (staff cancelled or restored the session).
pub async fn send_again_who_came(tx: &mut Tx, activity_id: &str, version: i64) -> Result<(), AppError> {
    sqlx::query(&format!("UPDATE residents SET version = $2 WHERE id IN ({})", came_to("$1")))
        .bind(activity_id)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(AppError::db("telling kiosks who came to a session"))
}
