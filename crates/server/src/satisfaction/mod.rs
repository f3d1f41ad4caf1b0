//! Residents' ratings of sessions (满意度), kept once per resident and session whichever kiosk
//! they came from. The rules are the domain's (`jiayuan_domain::satisfaction`); this is where
//! the server keeps what they allow.

use jiayuan_domain::satisfaction::{Rating, RatingRefused, may_rate};
use jiayuan_domain::sync::{Outcome, RejectReason};
use sqlx::{Any, Transaction};

use crate::error::AppError;
use crate::reports::ACCEPTED_SQL;

type Tx = Transaction<'static, Any>;

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
        "SELECT 1 FROM kiosk_records WHERE activity_id = $1 AND resident_id = $2 AND action = 'check_in' \
           AND outcome = {ACCEPTED_SQL} \
         UNION ALL SELECT 1 FROM paper_check_ins WHERE activity_id = $1 AND resident_id = $2 LIMIT 1"
    ))
    .bind(activity_id)
    .bind(resident_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db("looking for a check-in"))?;
    Ok(found.is_some())
}
