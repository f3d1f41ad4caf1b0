//! Reports staff send upward and plan from: who came to the rooms, how each session filled,
//! where demand outran the seats. Each says what it counts and by whose clock; each table
//! downloads as CSV. Pages live in the console (`/console/reports…`), readable by viewers.
//!
//! When residents were there is the kiosk's clock (`happened_at`): a record that reaches the
//! server a week late still lands on the day it happened.

pub mod activities;
pub mod after_school;
pub mod communities;
pub mod days;
pub mod export;
pub mod follow_ups;
pub mod kiosks;
pub mod presence;
pub mod records;
pub mod satisfaction;
pub mod session_counts;
pub mod summary;
pub mod visits;

use jiayuan_domain::reports::Period;
use time::{Date, UtcOffset};

/// What a report covers: a site, or one of its rooms (`room_id` empty for the whole site), over
/// a period of the community's calendar, as it stands at `now_ms` (server clock).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub site_id: &'a str,
    pub room_id: &'a str,
    pub period: Period,
    pub offset: UtcOffset,
    pub now_ms: i64,
}

impl Scope<'_> {
    /// The community's date at `now_ms`.
    pub fn today(&self) -> Date {
        presence::date_of(self.now_ms, self.offset).unwrap_or(self.period.to)
    }
}

/// The first millisecond of `day` in the community, and of the day after `last`.
pub fn bounds_ms(first: Date, last: Date, offset: UtcOffset) -> (i64, i64) {
    let start = |day: Date| day.midnight().assume_offset(offset).unix_timestamp().saturating_mul(1000);
    (start(first), start(last.next_day().unwrap_or(last)))
}
