//! `/console/reports…`: each report as a page, and its tables as files (`format=csv|xlsx`,
//! `table=` for pages with several). Viewers may read every report. What every report page
//! shares is here: the period and room controls and how figures are written.

use jiayuan_domain::reports::Period;
use jiayuan_domain::schedule::Room;
use serde::Deserialize;

use crate::console::auth::SignedIn;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::query_escape;
use crate::state::AppState;
use jiayuan_community::community_time;
use jiayuan_community::schedule::format_day;

use charts::Bar;
use jiayuan_community::reports::Scope;
use jiayuan_community::reports::export::Cell;

mod after_school;
pub mod charts;
mod communities;
pub mod download;
mod kiosks;
mod records;
mod satisfaction;
mod sessions;
mod summary;
mod upward;
mod visits;

pub use after_school::after_school;
pub use communities::communities;
pub use kiosks::kiosks;
pub use records::records;
pub use satisfaction::satisfaction;
pub use sessions::{demand, sessions};
pub use summary::summary;
pub use upward::upward;
pub use visits::visits;

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    room: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    more_than: String,
    /// Which of the page's tables a file is asked for.
    #[serde(default)]
    table: String,
    /// `all`: every site the account reads (the monthly report of a group of sites).
    #[serde(default)]
    sites: String,
}

/// What every report page shows above its table: the period, the room, links to move on.
pub struct Controls {
    /// The report's own path.
    pub path: &'static str,
    pub period: Period,
    pub room: String,
    pub rooms: Vec<Room>,
    /// Why the period typed was not used.
    pub problem: Option<String>,
    /// Extra query for this report (demand's threshold).
    pub extra: String,
    pub today: time::Date,
}

impl Controls {
    pub fn link_for(&self, period: &Period) -> String {
        format!(
            "{}?from={}&to={}&room={}{}",
            self.path,
            format_day(period.from),
            format_day(period.to),
            query_escape(&self.room),
            self.extra
        )
    }

    pub fn previous(&self) -> String {
        self.link_for(&self.period.previous())
    }

    pub fn next(&self) -> String {
        self.link_for(&self.period.next())
    }

    pub fn this_month(&self) -> String {
        self.link_for(&Period::month_of(self.today))
    }

    pub fn this_week(&self) -> String {
        self.link_for(&Period::week_of(self.today))
    }

    pub fn today_only(&self) -> String {
        self.link_for(&Period::day(self.today))
    }

    pub fn csv(&self) -> String {
        self.link_for(&self.period) + "&format=csv"
    }

    pub fn xlsx(&self) -> String {
        self.link_for(&self.period) + "&format=xlsx"
    }

    /// Another report on the same period and room.
    pub fn on(&self, path: &str) -> String {
        format!(
            "{path}?from={}&to={}&room={}",
            format_day(self.period.from),
            format_day(self.period.to),
            query_escape(&self.room)
        )
    }

    /// One of a page's several tables as a file: `format` csv or xlsx.
    pub fn file_of(&self, format: &str, table: &str) -> String {
        format!("{}&format={format}&table={table}", self.link_for(&self.period))
    }

    /// Every record of the period, as a file.
    pub fn records(&self) -> String {
        self.on("/console/reports/records") + "&format=xlsx"
    }

    pub fn from(&self) -> String {
        format_day(self.period.from)
    }

    pub fn to(&self) -> String {
        format_day(self.period.to)
    }

    /// What the report covers, for the report's own code.
    pub fn scope<'a>(&'a self, state: &AppState, signed_in: &'a SignedIn) -> Scope<'a> {
        Scope {
            site_id: signed_in.site_id(),
            room_id: &self.room,
            period: self.period,
            offset: state.utc_offset,
            now_ms: jiayuan_community::clock::now_ms(),
        }
    }

    /// The name of a room of the site, in the page's language.
    pub fn room_name(&self, words: &Words, room_id: &str) -> String {
        let room = self.rooms.iter().find(|room| room.id == room_id);
        room.map(|room| words.pick(&room.name).to_owned()).unwrap_or_else(|| room_id.to_owned())
    }

    pub fn current(&self, path: &str) -> &'static str {
        if path == self.path { "page" } else { "false" }
    }
}

pub(super) async fn controls(
    state: &AppState,
    signed_in: &SignedIn,
    path: &'static str,
    query: &ReportQuery,
    extra: String,
) -> Result<Controls, ConsoleError> {
    let today = community_time::today(state.utc_offset);
    let words = Words::new(signed_in.lang);
    let (period, problem) = match Period::parse(&query.from, &query.to, today) {
        Ok(period) => (period, None),
        Err(problem) => {
            (Period::month_of(today), Some(words.t(&format!("reports.problem.{}", problem.name())).into_owned()))
        }
    };
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let room = if rooms.iter().any(|r| r.id == query.room) { query.room.clone() } else { String::new() };
    Ok(Controls { path, period, room, rooms, problem, extra, today })
}

/// "12-01": a day along a chart's axis, where the year is in the page's title.
/// One bar for each day of `period`, the days nobody came included, so a month's chart is a
/// month wide whatever the days hold.
pub(super) fn daily_bars(period: &Period, days: &[jiayuan_community::reports::visits::DayVisits]) -> Vec<Bar> {
    let mut bars = Vec::new();
    let mut day = period.from;
    while day <= period.to {
        let residents = days.iter().find(|d| d.day == Some(day)).map_or(0, |d| d.residents);
        bars.push(Bar { label: short_day(day), value: residents as f64 });
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    bars
}

pub(super) fn short_day(day: time::Date) -> String {
    format!("{:02}-{:02}", u8::from(day.month()), day.day())
}

pub(super) fn percent(per_mille: Option<i64>) -> String {
    match per_mille {
        Some(n) => format!("{}.{}%", n / 10, n % 10),
        None => "—".to_owned(),
    }
}

pub(super) fn count_or_dash(n: Option<i64>) -> String {
    n.map(Cell::Number).unwrap_or(Cell::NotYet).shown()
}
