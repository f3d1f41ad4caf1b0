//! What a kiosk remembers of volunteers' service tapped at it: a start not yet ended (so the
//! volunteer sees 结束服务 even after the start was synced), and service ended here that the
//! server's count, as last pulled, does not have yet (shown as not yet counted). The server's
//! count is the one that stands; this only says what it will likely add. Made from the records
//! the kiosk's journal keeps, then kept up to date as records are saved.

use super::half_hours;
use crate::sync::Action;

/// A start left open longer than this is forgotten here; the server holds it for staff.
const OPEN_FOR_AT_MOST_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceHere {
    /// (volunteer, session, kiosk clock at the start).
    open: Vec<(String, String, i64)>,
    /// (volunteer, the end record's number, half hours by this kiosk's count).
    ended: Vec<(String, u64, i64)>,
}

impl ServiceHere {
    /// From the records saved here, oldest first (number, when, what): `cap_ms` of a session
    /// is the most its service may count; ends numbered before `unanswered_from` were answered
    /// and pulled back already.
    pub fn from_records<'a>(
        records: impl IntoIterator<Item = (u64, i64, &'a Action)>,
        cap_ms: impl Fn(&str) -> i64,
        unanswered_from: u64,
        now_ms: i64,
    ) -> ServiceHere {
        let mut here = ServiceHere::default();
        for (seq, at, action) in records {
            match action {
                Action::ServiceStart { resident_id, activity_id } => here.start(resident_id, activity_id, at),
                Action::ServiceEnd { resident_id, activity_id } => {
                    here.end(resident_id, seq, at, cap_ms(activity_id));
                }
                _ => {}
            }
        }
        here.forget_settled(|seq| seq >= unanswered_from, now_ms);
        here
    }

    /// The session the volunteer started serving here and has not ended.
    pub fn open_session(&self, resident_id: &str) -> Option<&str> {
        self.open.iter().find(|(r, _, _)| r == resident_id).map(|(_, activity, _)| activity.as_str())
    }

    pub fn start(&mut self, resident_id: &str, activity_id: &str, at_ms: i64) {
        self.open.retain(|(r, _, _)| r != resident_id);
        self.open.push((resident_id.to_owned(), activity_id.to_owned(), at_ms));
    }

    /// Ends the volunteer's open service (its end saved as record `end_seq`): the half hours
    /// it comes to by this kiosk's clock, at most `cap_ms`.
    pub fn end(&mut self, resident_id: &str, end_seq: u64, at_ms: i64, cap_ms: i64) -> i64 {
        let started = self.open.iter().position(|(r, _, _)| r == resident_id).map(|i| self.open.swap_remove(i));
        let served = started.map_or(0, |(_, _, start)| half_hours(start, at_ms, cap_ms));
        self.ended.push((resident_id.to_owned(), end_seq, served));
        served
    }

    /// Half hours ended here that the server's count does not have yet.
    pub fn not_yet_counted(&self, resident_id: &str) -> i64 {
        self.ended.iter().filter(|(r, _, _)| r == resident_id).map(|(_, _, served)| *served).sum()
    }

    /// Called with a pull: forgets ends the server had answered before it (the pulled count
    /// has them), and starts left open for a day.
    pub fn forget_settled(&mut self, unanswered: impl Fn(u64) -> bool, now_ms: i64) {
        self.ended.retain(|(_, seq, _)| unanswered(*seq));
        self.open.retain(|(_, _, at)| now_ms.saturating_sub(*at) <= OPEN_FOR_AT_MOST_MS);
    }
}

/// How long service may run past its session when the kiosk counts it (the server counts with
/// the margin staff set for the site; its default is this).
pub const MARGIN_MINUTES_HERE: i64 = 30;

/// Half hours as the kiosk shows them before the server answers.
pub fn shown_half_hours(server: i64, not_yet_counted: i64) -> i64 {
    server.saturating_add(not_yet_counted).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_bank::HALF_HOUR_MS;

    #[test]
    fn service_ended_here_is_not_yet_counted_until_a_pull_after_its_answer() {
        let mut here = ServiceHere::default();
        here.start("v1", "help-desk", 0);
        assert_eq!(here.open_session("v1"), Some("help-desk"));
        assert_eq!(here.open_session("v2"), None);
        let served = here.end("v1", 7, 2 * 60 * 60 * 1000 + 10 * 60 * 1000, 3 * 60 * 60 * 1000);
        assert_eq!(served, 4, "2 h 10 min is 2 hours");
        assert_eq!(here.open_session("v1"), None, "ended");
        assert_eq!(here.not_yet_counted("v1"), 4);
        assert_eq!(shown_half_hours(69, here.not_yet_counted("v1")), 73);
        here.forget_settled(|seq| seq >= 7, 0);
        assert_eq!(here.not_yet_counted("v1"), 4, "a pull before the end was answered");
        here.forget_settled(|seq| seq >= 8, 0);
        assert_eq!(here.not_yet_counted("v1"), 0, "answered, then pulled: the server's count has it");
    }

    #[test]
    fn the_journals_records_say_who_serves_now_and_what_is_not_yet_counted() {
        let hour = 2 * HALF_HOUR_MS;
        let start = |r: &str| Action::ServiceStart { resident_id: r.into(), activity_id: "help-desk".into() };
        let end = |r: &str| Action::ServiceEnd { resident_id: r.into(), activity_id: "help-desk".into() };
        let records = [
            (1, 0, start("v1")),
            (2, 2 * hour, end("v1")),
            (3, 3 * hour, start("v1")),
            (4, 0, start("v2")),
            (5, 5 * hour, end("v2")),
        ];
        let here =
            ServiceHere::from_records(records.iter().map(|(seq, at, a)| (*seq, *at, a)), |_| 8 * hour, 3, 4 * hour);
        assert_eq!(here.open_session("v1"), Some("help-desk"), "started again, not ended");
        assert_eq!(here.not_yet_counted("v1"), 0, "its first service was answered and pulled");
        assert_eq!(here.not_yet_counted("v2"), 10, "five hours, not answered yet");
    }

    #[test]
    fn an_end_without_a_start_here_counts_nothing_here_and_old_starts_are_forgotten() {
        let mut here = ServiceHere::default();
        assert_eq!(here.end("v1", 3, HALF_HOUR_MS * 4, HALF_HOUR_MS * 8), 0);
        here.start("v2", "help-desk", 0);
        here.forget_settled(|_| true, 2 * OPEN_FOR_AT_MOST_MS);
        assert_eq!(here.open_session("v2"), None);
    }
}
