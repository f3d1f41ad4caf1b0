//! Telling residents when their place changes (待通知): which changes make a notice, for whom,
//! and what one untold notice becomes when another change follows it. The server keeps the
//! notices; kiosks show them when the resident next comes, staff call those who do not.

use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// A change to a resident's place that they did not make themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// They were waiting and now hold a seat.
    MovedUp,
    /// Staff cancelled a session they held a place for.
    Cancelled,
    /// Staff restored that session: their place stands again.
    Restored,
    /// The draw (摇号) gave them a seat.
    Drawn,
    /// The draw did not: they wait, in drawn order.
    NotDrawn,
    /// Their entry reached the server after the draw: at the end of the waiting list.
    EnteredLate,
}

impl Change {
    /// The name the database and the action log keep.
    pub fn name(self) -> &'static str {
        match self {
            Change::MovedUp => "moved_up",
            Change::Cancelled => "cancelled",
            Change::Restored => "restored",
            Change::Drawn => "drawn",
            Change::NotDrawn => "not_drawn",
            Change::EnteredLate => "entered_late",
        }
    }

    pub const ALL: [Change; 6] =
        [Change::MovedUp, Change::Cancelled, Change::Restored, Change::Drawn, Change::NotDrawn, Change::EnteredLate];

    pub fn from_name(name: &str) -> Option<Change> {
        Change::ALL.into_iter().find(|change| change.name() == name)
    }
}

/// Something that happened to a resident's place in one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// From waiting to a seat: always someone else's doing (a cancellation, more seats, staff).
    MovedUp,
    /// The resident gave up their place themselves, at a kiosk or by asking staff.
    GaveUp,
    SessionCancelled {
        holds_a_place: bool,
    },
    SessionRestored {
        holds_a_place: bool,
    },
    /// The draw decided their entry: a seat, or a place in line.
    Drawn {
        seated: bool,
    },
    /// An entry that came after the draw, decided as a sign-up: a place in line.
    EnteredLate,
}

/// The notice an event makes by itself, if any: nobody is told of what they did themselves,
/// nor of a session they had no place in.
pub fn notice_for(event: Event) -> Option<Change> {
    match event {
        Event::MovedUp => Some(Change::MovedUp),
        Event::GaveUp => None,
        Event::SessionCancelled { holds_a_place } => holds_a_place.then_some(Change::Cancelled),
        Event::SessionRestored { holds_a_place } => holds_a_place.then_some(Change::Restored),
        Event::Drawn { seated: true } => Some(Change::Drawn),
        Event::Drawn { seated: false } => Some(Change::NotDrawn),
        Event::EnteredLate => Some(Change::EnteredLate),
    }
}

/// What a resident still has to be told about one session after `event`, given the notice
/// about it not yet told: the latest word; nothing once they gave the place up themselves
/// (they know); nothing when a cancellation they never heard of is undone (their place stands
/// as it was).
pub fn after(untold: Option<Change>, event: Event) -> Option<Change> {
    match (untold, notice_for(event)) {
        _ if event == Event::GaveUp => None,
        (untold, None) => untold,
        (Some(Change::Cancelled), Some(Change::Restored)) => None,
        (_, new) => new,
    }
}

/// A notice as a kiosk gets it with the resident's roster entry: enough to say it offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToTell {
    /// The server's id for the notice; the kiosk's `Told` record names it.
    pub id: String,
    pub change: Change,
    pub activity_id: String,
    pub title: LocalizedText,
    /// When the session starts, ms since 1970.
    pub starts_at: i64,
}

/// The notice to show `resident_id` now: the oldest the server sent that was not shown here.
pub fn next_to_tell(from_server: &[ToTell], told_here: impl Fn(&str) -> bool) -> Option<&ToTell> {
    from_server.iter().find(|notice| !told_here(&notice.id))
}

/// A text message tried and failed this many times waits this long before the next try:
/// half a minute, doubling, at most half an hour; a gateway down for an hour is tried seven
/// times, and reached within half an hour of coming back.
pub fn retry_after_ms(failures: u32) -> i64 {
    const FIRST_MS: i64 = 30_000;
    const MOST_MS: i64 = 30 * 60_000;
    FIRST_MS.saturating_mul(1i64 << failures.saturating_sub(1).min(20)).min(MOST_MS)
}

/// The words of a text message (短信) about a change, as the relay sends them: one sentence,
/// the community named first as Chinese messages are signed.
pub fn message_words(change: Change, community: &str, title: &str, when: &str) -> String {
    match change {
        Change::MovedUp => format!("【{community}】好消息：您报上了《{title}》，{when}。请按时来。"),
        Change::Cancelled => format!("【{community}】对不起：{when}的《{title}》取消了，不用来了。"),
        Change::Restored => format!("【{community}】好消息：{when}的《{title}》照常办，您的报名还在。"),
        Change::Drawn => format!("【{community}】好消息：《{title}》抽签，您抽中了，{when}。请按时来。"),
        Change::NotDrawn => {
            format!("【{community}】《{title}》（{when}）抽签没有抽中，您在候补名单上，有空位会告诉您。")
        }
        Change::EnteredLate => {
            format!("【{community}】《{title}》（{when}）抽签后才收到您的报名，您排在候补名单最后，有空位会告诉您。")
        }
    }
}

/// "12月9日星期三 09:00": when a session starts, as a message says it.
pub fn when_words(date: time::Date, starts: time::Time) -> String {
    const WEEKDAYS: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];
    let weekday = WEEKDAYS[usize::from(date.weekday().number_days_from_monday())];
    format!("{}月{}日{weekday} {:02}:{:02}", u8::from(date.month()), date.day(), starts.hour(), starts.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resident_is_told_of_what_others_did_to_their_place_never_of_what_they_did() {
        assert_eq!(notice_for(Event::MovedUp), Some(Change::MovedUp));
        assert_eq!(notice_for(Event::GaveUp), None, "their own cancellation");
        assert_eq!(notice_for(Event::SessionCancelled { holds_a_place: true }), Some(Change::Cancelled));
        assert_eq!(notice_for(Event::SessionRestored { holds_a_place: true }), Some(Change::Restored));
        assert_eq!(notice_for(Event::SessionCancelled { holds_a_place: false }), None, "no place, nothing to tell");
        assert_eq!(notice_for(Event::SessionRestored { holds_a_place: false }), None);
    }

    #[test]
    fn a_draw_tells_everyone_who_entered() {
        assert_eq!(notice_for(Event::Drawn { seated: true }), Some(Change::Drawn));
        assert_eq!(notice_for(Event::Drawn { seated: false }), Some(Change::NotDrawn));
        assert_eq!(notice_for(Event::EnteredLate), Some(Change::EnteredLate));
        // Drawn to wait, then moved up before they heard: the latest word.
        assert_eq!(after(Some(Change::NotDrawn), Event::MovedUp), Some(Change::MovedUp));
    }

    #[test]
    fn an_untold_notice_becomes_the_latest_word_and_an_undone_cancellation_is_nothing() {
        let (cancelled, restored) =
            (Event::SessionCancelled { holds_a_place: true }, Event::SessionRestored { holds_a_place: true });
        assert_eq!(after(None, Event::MovedUp), Some(Change::MovedUp));
        assert_eq!(after(Some(Change::Cancelled), restored), None);
        assert_eq!(after(Some(Change::Restored), cancelled), Some(Change::Cancelled));
        assert_eq!(after(Some(Change::MovedUp), cancelled), Some(Change::Cancelled));
        // Waiting when cancelled, moved up when restored: told they have a seat.
        assert_eq!(after(after(Some(Change::Cancelled), restored), Event::MovedUp), Some(Change::MovedUp));
        // Moved up, then they cancelled by phone: nothing left to tell.
        assert_eq!(after(Some(Change::MovedUp), Event::GaveUp), None);
        assert_eq!(
            after(Some(Change::MovedUp), Event::SessionRestored { holds_a_place: false }),
            Some(Change::MovedUp)
        );
    }

    #[test]
    fn a_message_is_tried_again_soon_then_less_often_never_more_than_half_an_hour_apart() {
        assert_eq!(retry_after_ms(1), 30_000);
        assert_eq!(retry_after_ms(2), 60_000);
        assert_eq!(retry_after_ms(7), 30 * 60_000);
        assert_eq!(retry_after_ms(u32::MAX), 30 * 60_000);
        let mut waited = 0;
        let mut tries = 0;
        while waited < 60 * 60_000 {
            tries += 1;
            waited += retry_after_ms(tries);
        }
        assert_eq!(tries, 7, "an hour down is seven tries");
    }

    #[test]
    fn a_message_says_the_change_in_one_sentence_signed_by_the_community() {
        let words = message_words(Change::MovedUp, "幸福里社区", "书法", "12月9日 星期三 09:00");
        assert_eq!(words, "【幸福里社区】好消息：您报上了《书法》，12月9日 星期三 09:00。请按时来。");
        assert!(message_words(Change::Cancelled, "幸福里社区", "书法", "周三").contains("取消了"));
        let when = when_words(time::macros::date!(2026 - 12 - 09), time::macros::time!(9:00));
        assert_eq!(when, "12月9日星期三 09:00");
    }

    #[test]
    fn names_travel_and_come_back() {
        for change in Change::ALL {
            assert_eq!(Change::from_name(change.name()), Some(change));
            assert_eq!(serde_json::to_value(change).unwrap(), change.name());
        }
        assert_eq!(Change::from_name("drawn_twice"), None);
    }

    #[test]
    fn the_kiosk_tells_the_oldest_notice_not_told_here() {
        let notice = |id: &str| ToTell {
            id: id.into(),
            change: Change::MovedUp,
            activity_id: "a".into(),
            title: LocalizedText::default(),
            starts_at: 0,
        };
        let sent = [notice("n1"), notice("n2")];
        assert_eq!(next_to_tell(&sent, |_| false).map(|n| n.id.as_str()), Some("n1"));
        assert_eq!(next_to_tell(&sent, |id| id == "n1").map(|n| n.id.as_str()), Some("n2"));
        assert_eq!(next_to_tell(&sent, |_| true), None);
    }
}
