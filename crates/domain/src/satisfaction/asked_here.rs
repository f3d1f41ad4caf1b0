//! What a kiosk knows between syncs so a resident is asked once: the questions it asked (the
//! server hears of a rating only when the kiosk syncs) and the check-ins it took (so a resident
//! is asked with the network down too). Made from the records its journal keeps for a week,
//! then kept up to date as records are saved.

use super::session_to_ask;
use crate::sync::pull::ToRate;
use crate::sync::{Action, Person};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AskedHere {
    /// (resident, session).
    asked: Vec<(String, String)>,
    /// (resident, session checked in to here).
    attended: Vec<(String, ToRate)>,
}

impl AskedHere {
    /// From the records saved here: ratings and skips, and check-ins to sessions `session`
    /// still knows.
    pub fn from_records<'a>(
        records: impl IntoIterator<Item = &'a Action>,
        session: impl Fn(&str) -> Option<ToRate>,
    ) -> AskedHere {
        let mut here = AskedHere::default();
        for action in records {
            match action {
                Action::Rate { resident_id, activity_id, .. } => here.note_asked(resident_id, activity_id),
                Action::CheckIn { person: Person::Resident { resident_id }, activity_id } => {
                    if let Some(session) = session(activity_id) {
                        here.note_check_in(resident_id, session);
                    }
                }
                _ => {}
            }
        }
        here
    }

    pub fn note_check_in(&mut self, resident_id: &str, session: ToRate) {
        self.attended.push((resident_id.to_owned(), session));
    }

    /// The resident was asked about the session: rated or skipped, never asked again.
    pub fn note_asked(&mut self, resident_id: &str, activity_id: &str) {
        self.asked.push((resident_id.to_owned(), activity_id.to_owned()));
    }

    /// The session to ask `resident_id` about now, from the server's list and the check-ins
    /// taken here, leaving out what was asked here.
    pub fn question<'a>(&'a self, resident_id: &str, from_server: &'a [ToRate], now_ms: i64) -> Option<&'a ToRate> {
        let here = self.attended.iter().filter(|(r, _)| r == resident_id).map(|(_, session)| session);
        let asked = |id: &str| self.asked.iter().any(|(r, a)| r == resident_id && a == id);
        session_to_ask(from_server.iter().chain(here), asked, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LocalizedText;

    const HOUR: i64 = 60 * 60 * 1000;

    fn session(id: &str, ends_at: i64) -> ToRate {
        ToRate { activity_id: id.to_owned(), title: LocalizedText::new(id, id, id), ends_at }
    }

    #[test]
    fn a_session_is_asked_about_once_whether_the_server_or_this_kiosk_knows_of_the_check_in() {
        let now = 1_000 * HOUR;
        let mut here = AskedHere::default();
        let from_server = [session("tai-chi", now - 3 * HOUR)];
        assert_eq!(here.question("r1", &from_server, now).map(|s| s.activity_id.as_str()), Some("tai-chi"));
        assert_eq!(here.question("r2", &[], now), None, "another resident has nothing to rate");

        here.note_check_in("r1", session("calligraphy", now - HOUR));
        assert_eq!(
            here.question("r1", &from_server, now).map(|s| s.activity_id.as_str()),
            Some("calligraphy"),
            "the later one first"
        );
        here.note_asked("r1", "calligraphy");
        assert_eq!(here.question("r1", &from_server, now).map(|s| s.activity_id.as_str()), Some("tai-chi"));
        here.note_asked("r1", "tai-chi");
        assert_eq!(here.question("r1", &from_server, now), None, "asked about both: never again");
    }

    #[test]
    fn the_journals_records_say_what_was_asked_and_attended_here() {
        use crate::satisfaction::Rating;
        let now = 1_000 * HOUR;
        let records = [
            Action::CheckIn { person: Person::Resident { resident_id: "r1".into() }, activity_id: "chess".into() },
            Action::CheckIn { person: Person::Visitor, activity_id: "chess".into() },
            Action::CheckIn { person: Person::Resident { resident_id: "r2".into() }, activity_id: "gone".into() },
            Action::Rate { resident_id: "r3".into(), activity_id: "chess".into(), rating: Rating::Skipped },
        ];
        let known = |id: &str| (id == "chess").then(|| session("chess", now - HOUR));
        let here = AskedHere::from_records(&records, known);
        assert_eq!(here.question("r1", &[], now).map(|s| s.activity_id.as_str()), Some("chess"));
        assert_eq!(here.question("r2", &[], now), None, "a session the kiosk no longer knows");
        let from_server = [session("chess", now - HOUR)];
        assert_eq!(here.question("r3", &from_server, now), None, "skipped here before the server knew");
    }
}
