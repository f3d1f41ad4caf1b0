//! How each session filled: seats, confirmed sign-ups, the waiting list, check-ins, no-shows
//! and walk-ins; and demand, the sessions whose waiting list outran the seats.

use std::collections::HashMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::reports::{no_shows, participation_per_mille, trend_tenths};
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::{self, SessionRow};

use super::session_counts::{self, Counts, Sessions, ToKeep};
use super::{Scope, days};

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
    /// Whether it has ended.
    pub over: bool,
    /// Residents who entered its draw, if its seats are drawn (摇号).
    pub entries: Option<i64>,
}

impl SessionFigures {
    /// Seats filled, per thousand of capacity, for sessions with seats.
    pub fn fill_per_mille(&self) -> Option<i64> {
        let capacity = self.session.activity.capacity.map(i64::from)?;
        jiayuan_domain::reports::participation_per_mille(self.session.seats_taken, capacity)
    }

    /// Entries per seat at a drawn session, in tenths: the demand offices ask for.
    pub fn entries_per_seat_tenths(&self) -> Option<i64> {
        jiayuan_domain::reports::entries_per_seat_tenths(self.entries?, self.session.activity.capacity?)
    }
}

/// Whether the session has ended by `now_ms` in the community's time.
fn is_over(session: &SessionRow, now_ms: i64, offset: UtcOffset) -> bool {
    let ends = PrimitiveDateTime::new(session.activity.date, session.activity.ends).assume_offset(offset);
    OffsetDateTime::from_unix_timestamp(now_ms / 1000).is_ok_and(|now| now >= ends)
}

/// Every session of the site (or one room) in `period`, in time order, with its figures: kept
/// for sessions of kept days that have not changed since, counted for the others.
pub async fn sessions(db: &Database, scope: Scope<'_>) -> Result<Vec<SessionFigures>, AppError> {
    let (first, last) = (scope.period.from, scope.period.to);
    // The sessions and the kept figures are read at once, on two connections: which is read
    // first does not matter, kept figures count only for the version of the session read.
    let (sessions, kept, entries) = tokio::try_join!(
        schedule::sessions_of_site(db, scope.site_id, first, last),
        kept(db, scope),
        entries_by_session(db, scope.site_id, first, last)
    )?;
    figures_of(db, scope, sessions, kept, entries).await
}

/// Sessions whose waiting list is longer than `more_than`, longest first: the evidence for
/// opening another class. Only those are read: on a year, a few dozen of 12,000.
pub async fn demand(db: &Database, scope: Scope<'_>, more_than: i64) -> Result<Vec<SessionFigures>, AppError> {
    let (first, last) = (scope.period.from, scope.period.to);
    let (sessions, kept, entries) = tokio::try_join!(
        schedule::sessions_waiting_more_than(db, scope.site_id, first, last, more_than.max(0)),
        kept(db, scope),
        entries_by_session(db, scope.site_id, first, last)
    )?;
    Ok(longest_waits_first(figures_of(db, scope, sessions, kept, entries).await?, more_than))
}

/// The last day of the period whose figures are kept (before its first day if none is).
fn kept_until(scope: Scope<'_>) -> Date {
    let period = scope.period;
    days::last_kept_day(scope.now_ms, scope.offset)
        .map_or(period.from.saturating_sub(time::Duration::days(1)), |day| day.min(period.to))
}

/// The kept figures of the period's sessions, by session, with the version each was made from;
/// the days not kept yet are made first.
async fn kept(db: &Database, scope: Scope<'_>) -> Result<HashMap<String, (i64, Counts)>, AppError> {
    let Scope { site_id, period, offset, .. } = scope;
    let kept_until = kept_until(scope);
    if period.from > kept_until {
        return Ok(HashMap::new());
    }
    days::keep(db, site_id, period.from, kept_until, offset).await?;
    session_counts::read_kept(db, site_id, period.from, kept_until).await
}

/// The figures of `sessions` (of the scope's site and period), from `kept` where they are.
async fn figures_of(
    db: &Database,
    scope: Scope<'_>,
    sessions: Vec<SessionRow>,
    kept: HashMap<String, (i64, Counts)>,
    entries: HashMap<String, i64>,
) -> Result<Vec<SessionFigures>, AppError> {
    let Scope { site_id, room_id, offset, .. } = scope;
    let kept_until = kept_until(scope);
    let mut counts: HashMap<String, Counts> = HashMap::new();
    let mut to_count: Vec<&SessionRow> = Vec::new();
    for session in &sessions {
        match kept.get(&session.activity.id) {
            Some((version, figures)) if *version == session.version => {
                counts.insert(session.activity.id.clone(), *figures);
            }
            _ => to_count.push(session),
        }
    }
    // Sessions still to come or under way, and kept ones changed since: counted now, the kept
    // ones kept again at the version read with the session (before counting).
    let mut to_keep = Vec::new();
    for chunk in to_count.chunks(session_counts::MOST_AT_ONCE) {
        let ids: Vec<&str> = chunk.iter().map(|s| s.activity.id.as_str()).collect();
        let mut counted = session_counts::count(&db.pool, Sessions::These(&ids)).await?;
        for session in chunk {
            let figures = counted.remove(&session.activity.id).unwrap_or_default();
            if session.activity.date <= kept_until {
                to_keep.push(ToKeep {
                    activity_id: session.activity.id.clone(),
                    day: session.activity.date,
                    version: session.version,
                    counts: figures,
                });
            }
            counts.insert(session.activity.id.clone(), figures);
        }
    }
    if !to_keep.is_empty() {
        let mut tx = db.begin_write().await.map_err(AppError::db("starting to keep sessions' figures"))?;
        session_counts::write_kept(&mut tx, site_id, &to_keep).await?;
        tx.commit().await.map_err(AppError::db("keeping sessions' figures"))?;
    }
    Ok(sessions
        .into_iter()
        .filter(|session| room_id.is_empty() || session.activity.room_id == room_id)
        .map(|session| {
            let Counts { confirmed, checked_in, with_seat, visitors_checked_in } =
                counts.get(&session.activity.id).copied().unwrap_or_default();
            let over = is_over(&session, scope.now_ms, offset);
            let has_seats = session.activity.capacity.is_some();
            SessionFigures {
                confirmed,
                waiting: session.waiting,
                checked_in,
                visitors_checked_in,
                no_shows: no_shows(confirmed.saturating_sub(with_seat), has_seats, session.cancelled, over),
                walk_ins: checked_in.saturating_sub(with_seat),
                over,
                entries: entries.get(&session.activity.id).copied(),
                session,
            }
        })
        .collect())
}

/// Entries to the draws of the sessions of `site_id` from `first` to `last`, by session: the
/// demand figure of the reports. Sessions without a draw are not among them; a draw nobody
/// entered is, with none.
async fn entries_by_session(
    db: &Database,
    site_id: &str,
    first: time::Date,
    last: time::Date,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT activities.id, COUNT(sign_ups.resident_id) FROM activities \
         JOIN rooms ON rooms.id = activities.room_id \
         LEFT JOIN sign_ups ON sign_ups.activity_id = activities.id AND {} \
         WHERE rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3 \
           AND activities.draw_seed IS NOT NULL \
         GROUP BY activities.id",
        crate::attendance::IS_ENTRY
    ))
    .bind(site_id)
    .bind(crate::schedule::format_day(first))
    .bind(crate::schedule::format_day(last))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting draws' entries"))?;
    Ok(rows.into_iter().collect())
}

/// Of `sessions`, those whose waiting list is longer than `more_than`, not cancelled, longest
/// first.
pub fn longest_waits_first(sessions: Vec<SessionFigures>, more_than: i64) -> Vec<SessionFigures> {
    let mut wanted: Vec<SessionFigures> =
        sessions.into_iter().filter(|s| s.waiting > more_than && !s.session.cancelled).collect();
    wanted.sort_by(|a, b| b.waiting.cmp(&a.waiting).then(a.session.activity.date.cmp(&b.session.activity.date)));
    wanted
}

/// One activity over the period's sessions that happened (not cancelled): a weekly activity
/// counts as one, a one-off as itself.
#[derive(Debug, Clone)]
pub struct ActivityFigures {
    pub title: LocalizedText,
    pub room_id: String,
    pub sessions: i64,
    /// Seats offered and taken, over its sessions with seats.
    pub capacity: i64,
    pub seats_taken: i64,
    pub checked_in: i64,
    /// Check-ins a session, later half against earlier half, in tenths.
    pub trend_tenths: Option<i64>,
}

impl ActivityFigures {
    pub fn fill_per_mille(&self) -> Option<i64> {
        participation_per_mille(self.seats_taken, self.capacity)
    }

    /// Check-ins a session, in tenths.
    pub fn checked_in_tenths(&self) -> Option<i64> {
        (self.sessions > 0).then(|| self.checked_in.saturating_mul(10) / self.sessions)
    }
}

/// The activities of `sessions`, fullest first (open activities, without seats, last).
pub fn by_activity(sessions: &[SessionFigures]) -> Vec<ActivityFigures> {
    let mut order: Vec<String> = Vec::new();
    let mut grouped: HashMap<String, Vec<&SessionFigures>> = HashMap::new();
    for figures in sessions.iter().filter(|s| s.over && !s.session.cancelled) {
        let key = figures.session.activity_key().to_owned();
        if !grouped.contains_key(&key) {
            order.push(key.clone());
        }
        grouped.entry(key).or_default().push(figures);
    }
    let mut activities: Vec<ActivityFigures> = order
        .iter()
        .filter_map(|key| grouped.get(key))
        .filter_map(|sessions| {
            let last = sessions.last()?;
            let with_seats = || sessions.iter().filter(|s| s.session.activity.capacity.is_some());
            let checked_in: Vec<i64> = sessions.iter().map(|s| s.checked_in).collect();
            Some(ActivityFigures {
                title: last.session.activity.title.clone(),
                room_id: last.session.activity.room_id.clone(),
                sessions: i64::try_from(sessions.len()).unwrap_or(i64::MAX),
                capacity: with_seats().filter_map(|s| s.session.activity.capacity.map(i64::from)).sum(),
                seats_taken: with_seats().map(|s| s.session.seats_taken).sum(),
                checked_in: checked_in.iter().sum(),
                trend_tenths: trend_tenths(&checked_in),
            })
        })
        .collect();
    activities.sort_by_key(|a| std::cmp::Reverse(a.fill_per_mille().unwrap_or(-1)));
    activities
}
