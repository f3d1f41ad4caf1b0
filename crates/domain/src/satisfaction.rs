//! Residents say how a session was (满意度): one tap, asked once, after a session they checked
//! in to has ended. The kiosk asks by these rules and the server keeps by them.

mod asked_here;

pub use asked_here::AskedHere;

use serde::{Deserialize, Serialize};

use crate::sync::pull::ToRate;

/// How a resident found a session. Skipping counts as asked; it is never in a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    SoSo,
    NotSatisfied,
    Skipped,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Satisfied, Rating::SoSo, Rating::NotSatisfied, Rating::Skipped];

    /// The name the database and the files write.
    pub fn name(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::SoSo => "so_so",
            Rating::NotSatisfied => "not_satisfied",
            Rating::Skipped => "skipped",
        }
    }

    pub fn parse(name: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|rating| rating.name() == name)
    }
}

/// A session is asked about for this long after it ended: a resident who comes back within the
/// week is asked about the last session they came to.
pub const ASK_WITHIN_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The session to ask a resident about as they identify: of the sessions they checked in to
/// that have ended within the week and that they have not rated or skipped, the one that ended
/// last. One question a visit, never the same session twice.
pub fn session_to_ask<'a>(
    attended: impl IntoIterator<Item = &'a ToRate>,
    already_asked: impl Fn(&str) -> bool,
    now_ms: i64,
) -> Option<&'a ToRate> {
    attended
        .into_iter()
        .filter(|session| session.ends_at <= now_ms && now_ms.saturating_sub(session.ends_at) <= ASK_WITHIN_MS)
        .filter(|session| !already_asked(&session.activity_id))
        .max_by_key(|session| session.ends_at)
}

/// Why the server does not count a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingRefused {
    /// The resident did not check in to this session.
    NotCheckedIn,
    /// The session has not ended by the time of the rating (by the kiosk's clock).
    NotOverYet,
    /// The rating came more than a week after the session.
    TooLate,
    /// Staff cancelled the session.
    Cancelled,
}

/// Whether a rating made at `rated_at_ms` (the kiosk's clock) may count.
pub fn may_rate(checked_in: bool, cancelled: bool, ends_at_ms: i64, rated_at_ms: i64) -> Result<(), RatingRefused> {
    if cancelled {
        return Err(RatingRefused::Cancelled);
    }
    if !checked_in {
        return Err(RatingRefused::NotCheckedIn);
    }
    if rated_at_ms < ends_at_ms {
        return Err(RatingRefused::NotOverYet);
    }
    if rated_at_ms.saturating_sub(ends_at_ms) > ASK_WITHIN_MS {
        return Err(RatingRefused::TooLate);
    }
    Ok(())
}

/// Ratings of one activity, host or month, added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatingCounts {
    pub satisfied: i64,
    pub so_so: i64,
    pub not_satisfied: i64,
    pub skipped: i64,
}

impl RatingCounts {
    pub fn add(&mut self, rating: Rating, n: i64) {
        let count = match rating {
            Rating::Satisfied => &mut self.satisfied,
            Rating::SoSo => &mut self.so_so,
            Rating::NotSatisfied => &mut self.not_satisfied,
            Rating::Skipped => &mut self.skipped,
        };
        *count = count.saturating_add(n);
    }

    /// Adds `other`'s counts to these (several communities' ratings as one).
    pub fn add_counts(&mut self, other: &RatingCounts) {
        let RatingCounts { satisfied, so_so, not_satisfied, skipped } = *other;
        self.add(Rating::Satisfied, satisfied);
        self.add(Rating::SoSo, so_so);
        self.add(Rating::NotSatisfied, not_satisfied);
        self.add(Rating::Skipped, skipped);
    }

    /// Residents who answered (skips left out): the count shown beside every percentage.
    pub fn answered(&self) -> i64 {
        self.satisfied.saturating_add(self.so_so).saturating_add(self.not_satisfied)
    }

    /// Satisfied, per thousand of those who answered; None when nobody answered.
    pub fn satisfied_per_mille(&self) -> Option<i64> {
        crate::reports::participation_per_mille(self.satisfied, self.answered())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 60 * 60 * 1000;

    #[test]
    fn the_last_session_that_ended_within_the_week_and_was_not_asked_about_is_asked() {
        let now = 100 * 24 * HOUR;
        let session = |id: &str, ends_at: i64| ToRate {
            activity_id: id.to_owned(),
            title: crate::LocalizedText::new(id, id, id),
            ends_at,
        };
        let attended = [
            session("tai-chi-monday", now - 50 * HOUR),
            session("calligraphy-today", now - 2 * HOUR),
            session("dance-later-today", now + 3 * HOUR),
            session("chess-last-month", now - 30 * 24 * HOUR),
        ];
        let asked =
            |already: &dyn Fn(&str) -> bool| session_to_ask(&attended, already, now).map(|s| s.activity_id.as_str());
        assert_eq!(asked(&|_| false), Some("calligraphy-today"));
        assert_eq!(asked(&|id| id == "calligraphy-today"), Some("tai-chi-monday"));
        assert_eq!(asked(&|id| id != "dance-later-today"), None, "not before it ends");
        assert_eq!(session_to_ask(&[], |_| false, now), None);
    }

    #[test]
    fn a_rating_counts_only_from_someone_who_came_after_the_session_within_the_week() {
        let ends = 1_000 * HOUR;
        assert_eq!(may_rate(true, false, ends, ends + HOUR), Ok(()));
        assert_eq!(may_rate(false, false, ends, ends + HOUR), Err(RatingRefused::NotCheckedIn));
        assert_eq!(may_rate(true, false, ends, ends - HOUR), Err(RatingRefused::NotOverYet));
        assert_eq!(may_rate(true, false, ends, ends + 8 * 24 * HOUR), Err(RatingRefused::TooLate));
        assert_eq!(may_rate(true, true, ends, ends + HOUR), Err(RatingRefused::Cancelled));
    }

    #[test]
    fn skips_are_asked_but_never_in_the_percentage() {
        let mut counts = RatingCounts::default();
        counts.add(Rating::Satisfied, 2);
        counts.add(Rating::NotSatisfied, 1);
        counts.add(Rating::Skipped, 5);
        assert_eq!(counts.answered(), 3);
        assert_eq!(counts.satisfied_per_mille(), Some(667));
        assert_eq!(RatingCounts::default().satisfied_per_mille(), None, "no percentage without ratings");
        assert_eq!(Rating::parse("so_so"), Some(Rating::SoSo));
        assert!(Rating::ALL.iter().all(|r| Rating::parse(r.name()) == Some(*r)));
    }
}
