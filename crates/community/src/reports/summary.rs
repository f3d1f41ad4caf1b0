//! A period's summary on one printed page, for the report staff send upward each month: the
//! figures of the other reports, said once, counted by the same code.

use jiayuan_domain::reports::participation_per_mille;

use crate::db::Database;
use crate::error::AppError;

use super::Scope;
use super::activities::{self, SessionFigures};
use super::kiosks;
use super::visits::{self, VisitsReport};

/// The sessions with the longest waiting lists the summary names.
const MOST_WANTED: usize = 5;

#[derive(Debug, Clone)]
pub struct Summary {
    pub visits: VisitsReport,
    /// Sessions that have ended and were not cancelled.
    pub sessions_held: i64,
    pub sessions_cancelled: i64,
    /// Residents checked in at those sessions, each once a session.
    pub checked_in: i64,
    pub no_shows: i64,
    /// Seats taken of seats offered at those sessions, per thousand.
    pub fill: Option<i64>,
    /// Sessions whose waiting list was longest (someone was turned away), longest first.
    pub most_wanted: Vec<SessionFigures>,
    pub kiosks: i64,
    /// Days kiosks in service made no record, added up over the kiosks.
    pub silent_kiosk_days: i64,
    /// Regulars not seen whom staff followed up in the period (关爱提醒), site-wide.
    pub follow_ups: super::follow_ups::FollowUps,
}

pub async fn summary(db: &Database, scope: Scope<'_>) -> Result<Summary, AppError> {
    let (visits, sessions, kiosks, follow_ups) = tokio::try_join!(
        visits::visits(db, scope),
        activities::sessions(db, scope),
        kiosks::kiosks(db, scope),
        super::follow_ups::in_period(db, scope.site_id, scope.period),
    )?;
    let held = SessionTotals::of(&sessions);
    Ok(Summary {
        sessions_held: held.held,
        sessions_cancelled: held.cancelled,
        checked_in: held.checked_in,
        no_shows: held.no_shows,
        fill: held.fill,
        most_wanted: activities::longest_waits_first(sessions, 0).into_iter().take(MOST_WANTED).collect(),
        kiosks: i64::try_from(kiosks.kiosks.len()).unwrap_or(i64::MAX),
        silent_kiosk_days: kiosks.kiosks.iter().map(|k| i64::try_from(k.silent.len()).unwrap_or(i64::MAX)).sum(),
        visits,
        follow_ups,
    })
}

/// The period's sessions added up, as the summary and the communities side by side say them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionTotals {
    /// Sessions that have ended and were not cancelled.
    pub held: i64,
    pub cancelled: i64,
    /// Residents checked in at the sessions held, each once a session.
    pub checked_in: i64,
    pub no_shows: i64,
    /// Seats taken of seats offered at the sessions held, per thousand.
    pub fill: Option<i64>,
}

impl SessionTotals {
    pub fn of(sessions: &[SessionFigures]) -> SessionTotals {
        let held: Vec<&SessionFigures> = sessions.iter().filter(|s| s.over && !s.session.cancelled).collect();
        let with_seats = || held.iter().filter_map(|s| Some((s.session.activity.capacity?, s.session.seats_taken)));
        let offered: i64 = with_seats().map(|(capacity, _)| i64::from(capacity)).sum();
        let taken: i64 = with_seats().map(|(_, taken)| taken).sum();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        SessionTotals {
            held: count(held.len()),
            cancelled: count(sessions.iter().filter(|s| s.session.cancelled).count()),
            checked_in: held.iter().map(|s| s.checked_in).sum(),
            no_shows: held.iter().filter_map(|s| s.no_shows).sum(),
            fill: participation_per_mille(taken, offered),
        }
    }
}
