//! What the kiosk remembers of residents' visits between syncs: the sessions it asked about
//! and the check-ins it took (满意度), volunteers' service tapped here (爱心银行), and the
//! children it saw dropped off and picked up (托管). Made
//! from the records its journal keeps when it opens, then kept up to date as records are
//! saved: the journal stays the one place records are kept.

use jiayuan_domain::handover::{HandedHere, seen_here};
use jiayuan_domain::notices::{ToTell, next_to_tell};
use jiayuan_domain::satisfaction::AskedHere;
use jiayuan_domain::sync::pull::HandedOver;
use jiayuan_domain::sync::pull::ToRate;
use jiayuan_domain::sync::{Action, KioskRecord};
use jiayuan_domain::time_bank::{self, MARGIN_MINUTES_HERE, ServiceHere};
use leptos::prelude::*;

use crate::clock::{ms_at, now_ms};
use crate::state::{LocalData, Screen};

/// Every kind of note, in one signal (each signal type costs the kiosk's download).
#[derive(Default)]
pub struct VisitNotes {
    asked: AskedHere,
    service: ServiceHere,
    /// Notices told here (`Action::Told`) that the last pull may still send.
    told: Vec<String>,
    /// Children dropped off and picked up here, this week.
    handed: Vec<HandedHere>,
}

/// Half hours of service as shown, and of them what this kiosk ended that the server's count,
/// as last pulled, does not have yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    pub shown: i64,
    pub not_yet_counted: i64,
}

impl LocalData {
    /// What a resident sees first as they arrive: a change to their place not yet told, then
    /// the question about their last session, then their menu.
    pub fn first_screen(&self, resident_id: &str) -> Screen {
        self.notice(resident_id)
            .map(Screen::Tell)
            .or_else(|| self.question(resident_id).map(Screen::Rate))
            .unwrap_or(Screen::Menu)
    }

    /// The change to tell the resident of now, from what the last pull brought.
    fn notice(&self, resident_id: &str) -> Option<ToTell> {
        self.catalog.with_untracked(|c| {
            let from_server = c.resident(resident_id).map_or(&[][..], |r| &r.to_tell[..]);
            self.notes.with_untracked(|notes| {
                next_to_tell(from_server, |id| notes.told.iter().any(|told| told == id)).cloned()
            })
        })
    }

    pub fn note_told(&self, notice_id: &str) {
        self.notes.update(|notes| notes.told.push(notice_id.to_owned()));
    }

    /// The session to ask the resident about as they arrive, if any.
    fn question(&self, resident_id: &str) -> Option<ToRate> {
        self.catalog.with_untracked(|c| {
            let from_server = c.resident(resident_id).map_or(&[][..], |r| &r.to_rate[..]);
            self.notes.with_untracked(|notes| notes.asked.question(resident_id, from_server, now_ms()).cloned())
        })
    }

    pub fn note_asked(&self, resident_id: &str, activity_id: &str) {
        self.notes.update(|notes| notes.asked.note_asked(resident_id, activity_id));
    }

    /// A check-in saved here: the resident is asked about the session once it is over.
    pub fn note_check_in(&self, resident_id: &str, activity_id: &str) {
        if let Some(session) = self.session_to_rate(activity_id) {
            self.notes.update(|notes| notes.asked.note_check_in(resident_id, session));
        }
    }

    /// A record saved here: a drop-off or a pick-up at after-school care is noted.
    pub(super) fn note_handover(&self, action: &Action) {
        if let Some(handed) = self.handover(action) {
            self.notes.update(|notes| notes.handed.push(handed));
        }
    }

    fn handover(&self, action: &Action) -> Option<HandedHere> {
        self.catalog
            .with_untracked(|c| HandedHere::of(action, |id| c.activity(id).is_some_and(|a| a.activity.after_school)))
    }

    /// The children of after-school session `activity_id` as this kiosk knows them: the last
    /// pull and its own records since (reactive).
    pub fn children_here(&self, activity_id: &str) -> HandedOver {
        let server = self.catalog.with(|c| c.activity(activity_id).map(|a| a.children.clone())).unwrap_or_default();
        self.notes.with(|notes| seen_here(activity_id, &server, &notes.handed))
    }

    /// Children dropped off at today's after-school sessions and not picked up, as this kiosk
    /// knows (reactive).
    pub fn children_in_the_room_today(&self) -> usize {
        let today = crate::clock::local_now().0;
        let sessions: Vec<String> = self
            .catalog
            .with(|c| c.day(today).filter(|a| a.activity.after_school).map(|a| a.activity.id.clone()).collect());
        sessions.iter().map(|id| self.children_here(id).in_the_room.len()).sum()
    }

    /// Whether the roster marks the resident a volunteer.
    pub fn is_volunteer(&self, resident_id: &str) -> bool {
        self.catalog.with_untracked(|c| c.resident(resident_id).is_some_and(|r| r.served.is_some()))
    }

    /// The volunteer-service session the volunteer started here and has not ended.
    pub fn serving(&self, resident_id: &str) -> Option<String> {
        self.notes.with_untracked(|notes| notes.service.open_session(resident_id).map(str::to_owned))
    }

    pub fn note_service_start(&self, resident_id: &str, activity_id: &str, at_ms: i64) {
        self.notes.update(|notes| notes.service.start(resident_id, activity_id, at_ms));
    }

    /// Service ended here (its end saved as record `seq`): the half hours it comes to by this
    /// kiosk's count, capped as the server caps them by default.
    pub fn note_service_end(&self, resident_id: &str, activity_id: &str, seq: u64, at_ms: i64) -> i64 {
        let cap = self.service_cap_ms(activity_id);
        self.notes.try_update(|notes| notes.service.end(resident_id, seq, at_ms, cap)).unwrap_or(0)
    }

    /// The volunteer's hours as shown: the server's and what is not yet counted (reactive).
    pub fn hours(&self, resident_id: &str) -> Hours {
        let server = self.catalog.with(|c| c.resident(resident_id).and_then(|r| r.served)).unwrap_or(0);
        let not_yet_counted = self.notes.with(|notes| notes.service.not_yet_counted(resident_id));
        Hours { shown: time_bank::shown_half_hours(server, not_yet_counted), not_yet_counted }
    }

    /// With a pull: service the server had answered before it is in the pulled count.
    pub(super) fn settle_service(&self) {
        if let Some(first_unanswered) = self.unanswered_from() {
            self.notes.update(|notes| notes.service.forget_settled(|seq| seq >= first_unanswered, now_ms()));
        }
    }

    /// Made again from the records the journal keeps (when it opens).
    pub(super) fn remember(&self, kept: &[KioskRecord], unanswered_from: u64) {
        let asked = AskedHere::from_records(kept.iter().map(|r| &r.action), |id| self.session_to_rate(id));
        let service = ServiceHere::from_records(
            kept.iter().map(|r| (r.seq, r.happened_at, &r.action)),
            |id| self.service_cap_ms(id),
            unanswered_from,
            now_ms(),
        );
        let told = kept
            .iter()
            .filter_map(|r| match &r.action {
                Action::Told { notice_id, .. } => Some(notice_id.clone()),
                _ => None,
            })
            .collect();
        let handed = kept.iter().filter_map(|r| self.handover(&r.action)).collect();
        self.notes.set(VisitNotes { asked, service, told, handed });
    }

    /// A session to ask about, as the catalog knows it.
    fn session_to_rate(&self, activity_id: &str) -> Option<ToRate> {
        self.catalog.with_untracked(|c| {
            c.activity(activity_id).map(|a| ToRate {
                activity_id: activity_id.to_owned(),
                title: a.activity.title.clone(),
                ends_at: ms_at(a.activity.date, a.activity.ends),
            })
        })
    }

    /// The most a session's service may count, as this kiosk counts it.
    fn service_cap_ms(&self, activity_id: &str) -> i64 {
        self.catalog.with_untracked(|c| {
            c.activity(activity_id)
                .map(|a| time_bank::cap_ms(a.activity.starts, a.activity.ends, MARGIN_MINUTES_HERE))
                .unwrap_or(0)
        })
    }
}
