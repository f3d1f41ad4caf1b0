//! How each session filled: seats, confirmed sign-ups, the waiting list, check-ins, no-shows
//! and walk-ins; and demand, the sessions whose waiting list outran the seats.

use std::collections::HashMap;

use jiayuan_domain::reports::{Period, no_shows};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::{self, SessionRow, format_day};

use super::ACCEPTED_SQL;

#[derive(Debug, Clone)]
pub struct SessionFigures {
    pub session: SessionRow,
    /// Residents holding a confirmed seat (companions not counted).
    pub confirmed: i64,
    /// Residents still waiting: for a session that has happened, those turned away.
    pub waiting: i64,
    /// Residents who checked in, each once.
    pub checked_in: i64,
    /// Visitors' check-ins.
    pub visitors_checked_in: i64,
    /// Confirmed residents who did not check in, once the session is over (None before, or
    /// when it was cancelled).
    pub no_shows: Option<i64>,
    /// Residents who checked in without a confirmed seat (every resident, at open activities).
    pub walk_ins: i64,
}

impl SessionFigures {
    /// Seats filled, per thousand of capacity, for sessions with seats.
    pub fn fill_per_mille(&self) -> Option<i64> {
        let capacity = self.session.activity.capacity.map(i64::from)?;
        jiayuan_domain::reports::participation_per_mille(self.session.seats_taken, capacity)
    }
}

/// Whether the session has ended by `now_ms` in the community's time.
fn is_over(session: &SessionRow, now_ms: i64, offset: UtcOffset) -> bool {
    let ends = PrimitiveDateTime::new(session.activity.date, session.activity.ends).assume_offset(offset);
    OffsetDateTime::from_unix_timestamp(now_ms / 1000).is_ok_and(|now| now >= ends)
}

/// Per session: residents who checked in, of them those holding a confirmed seat, visitors.
type CheckIns = (String, i64, i64, i64);

/// Every session of the site (or one room) in `period`, in time order, with its figures.
///
/// Two grouped passes (confirmed seats; check-ins against seats) rather than a lookup per
/// session and resident: a year's report reads each sign-up and check-in once.
pub async fn sessions(
    db: &Database,
    site_id: &str,
    room_id: &str,
    period: Period,
    now_ms: i64,
    offset: UtcOffset,
) -> Result<Vec<SessionFigures>, AppError> {
    let sessions = schedule::sessions_of_site(db, site_id, period.from, period.to).await?;
    let in_period = "FROM activities JOIN rooms ON rooms.id = activities.room_id";
    let period_filter = "rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3";
    let confirmed: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT sign_ups.activity_id, COUNT(*) {in_period} \
         JOIN sign_ups ON sign_ups.activity_id = activities.id AND sign_ups.status = 'confirmed' \
         WHERE {period_filter} GROUP BY sign_ups.activity_id"
    ))
    .bind(site_id)
    .bind(format_day(period.from))
    .bind(format_day(period.to))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting sessions' confirmed seats"))?;
    // Check-ins at kiosks and ticks entered from paper sheets, each resident once a session.
    let check_ins: Vec<CheckIns> = sqlx::query_as(&format!(
        "SELECT came.activity_id, COUNT(DISTINCT came.resident_id), \
                COUNT(DISTINCT CASE WHEN sign_ups.resident_id IS NOT NULL THEN came.resident_id END), \
                SUM(CASE WHEN came.resident_id IS NULL THEN 1 ELSE 0 END) \
         FROM (SELECT kiosk_records.activity_id, kiosk_records.resident_id {in_period} \
                 JOIN kiosk_records ON kiosk_records.activity_id = activities.id \
                      AND kiosk_records.action = 'check_in' AND kiosk_records.outcome = {ACCEPTED_SQL} \
                 WHERE {period_filter} \
               UNION ALL \
               SELECT paper_check_ins.activity_id, paper_check_ins.resident_id {in_period} \
                 JOIN paper_check_ins ON paper_check_ins.activity_id = activities.id \
                 WHERE {period_filter}) AS came \
         LEFT JOIN sign_ups ON sign_ups.activity_id = came.activity_id \
              AND sign_ups.resident_id = came.resident_id AND sign_ups.status = 'confirmed' \
         GROUP BY came.activity_id"
    ))
    .bind(site_id)
    .bind(format_day(period.from))
    .bind(format_day(period.to))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting sessions' check-ins"))?;
    let confirmed: HashMap<String, i64> = confirmed.into_iter().collect();
    let check_ins: HashMap<String, CheckIns> = check_ins.into_iter().map(|row| (row.0.clone(), row)).collect();
    Ok(sessions
        .into_iter()
        .filter(|session| room_id.is_empty() || session.activity.room_id == room_id)
        .map(|session| {
            let confirmed = confirmed.get(&session.activity.id).copied().unwrap_or_default();
            let (_, checked_in, with_seat, visitors_checked_in) =
                check_ins.get(&session.activity.id).cloned().unwrap_or_default();
            let over = is_over(&session, now_ms, offset);
            let has_seats = session.activity.capacity.is_some();
            SessionFigures {
                confirmed,
                waiting: session.waiting,
                checked_in,
                visitors_checked_in,
                no_shows: no_shows(confirmed.saturating_sub(with_seat), has_seats, session.cancelled, over),
                walk_ins: checked_in.saturating_sub(with_seat),
                session,
            }
        })
        .collect())
}

/// Sessions whose waiting list is longer than `more_than`, longest first: the evidence for
/// opening another class.
pub fn demand(sessions: Vec<SessionFigures>, more_than: i64) -> Vec<SessionFigures> {
    let mut wanted: Vec<SessionFigures> =
        sessions.into_iter().filter(|s| s.waiting > more_than && !s.session.cancelled).collect();
    wanted.sort_by(|a, b| b.waiting.cmp(&a.waiting).then(a.session.activity.date.cmp(&b.session.activity.date)));
    wanted
}
