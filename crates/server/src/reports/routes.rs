//! `/console/reports…`: each report as a page, and its table as a CSV file (`format=csv`).
//! Viewers may read every report.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiayuan_domain::reports::Period;
use jiayuan_domain::schedule::Room;
use serde::Deserialize;

use crate::app::AppState;
use crate::clock::now_ms;
use crate::community_time;
use crate::console::auth::{Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::{query_escape, render};
use crate::schedule::{format_day, format_time};

use super::activities::{self, SessionFigures};
use super::export::{Cell, FileKind, Table, file};
use super::visits::{self, VisitsReport};

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

    pub fn from(&self) -> String {
        format_day(self.period.from)
    }

    pub fn to(&self) -> String {
        format_day(self.period.to)
    }

    pub fn current(&self, path: &str) -> &'static str {
        if path == self.path { "page" } else { "false" }
    }
}

async fn controls(
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
    let rooms = crate::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let room = if rooms.iter().any(|r| r.id == query.room) { query.room.clone() } else { String::new() };
    Ok(Controls { path, period, room, rooms, problem, extra, today })
}

fn percent(per_mille: Option<i64>) -> String {
    match per_mille {
        Some(n) => format!("{}.{}%", n / 10, n % 10),
        None => "—".to_owned(),
    }
}

fn count_or_dash(n: Option<i64>) -> String {
    n.map(Cell::Number).unwrap_or(Cell::NotYet).shown()
}

// ---------------------------------------------------------------------------------------------
// Room visits

#[derive(Template)]
#[template(path = "console/report_visits.html")]
struct VisitsPage {
    chrome: Chrome,
    controls: Controls,
    report: VisitsReport,
}

impl VisitsPage {
    fn day(&self, day: &Option<time::Date>) -> String {
        day.map(format_day).unwrap_or_default()
    }

    fn participation(&self) -> String {
        percent(self.report.participation)
    }

    fn hour(&self, hour: &i64) -> String {
        format!("{hour}:00–{}:00", hour + 1)
    }

    fn age_words(&self, group: &jiayuan_domain::reports::AgeGroup) -> String {
        self.chrome.t(&format!("age.{}", group.name())).into_owned()
    }

    fn percent(&self, per_mille: &Option<i64>) -> String {
        percent(*per_mille)
    }

    fn busiest(&self) -> Vec<(i64, i64)> {
        self.report.hours.iter().take(5).copied().collect()
    }
}

pub async fn visits(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports", &query, String::new()).await?;
    let report =
        visits::visits(&state.db, signed_in.site_id(), &controls.room, controls.period, state.utc_offset).await?;
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let header = ["reports.day", "reports.residents_once_a_day", "reports.visitors", "reports.sign_ins"]
            .map(|key| words.t(key).into_owned())
            .to_vec();
        let rows = report
            .days
            .iter()
            .map(|d| {
                let day = d.day.map(Cell::Day).unwrap_or(Cell::NotYet);
                vec![day, Cell::Number(d.residents), Cell::Number(d.visitors), Cell::Number(d.sign_ins)]
            })
            .collect();
        let table = Table { name: "visits", header, rows };
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let title = words.t("reports.visits_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&VisitsPage { chrome, controls, report })
}

// ---------------------------------------------------------------------------------------------
// Sessions and demand

#[derive(Template)]
#[template(path = "console/report_sessions.html")]
struct SessionsPage {
    chrome: Chrome,
    controls: Controls,
    sessions: Vec<SessionFigures>,
    /// Demand: only sessions with a longer waiting list than this.
    more_than: Option<i64>,
}

impl SessionsPage {
    fn room_name(&self, room_id: &str) -> String {
        let room = self.controls.rooms.iter().find(|room| room.id == room_id);
        room.map(|room| self.chrome.words.pick(&room.name).to_owned()).unwrap_or_else(|| room_id.to_owned())
    }

    fn hours(&self, figures: &SessionFigures) -> String {
        let activity = &figures.session.activity;
        format!("{}–{}", format_time(activity.starts), format_time(activity.ends))
    }

    fn capacity(&self, figures: &SessionFigures) -> String {
        match figures.session.activity.capacity {
            Some(capacity) => capacity.to_string(),
            None => self.chrome.t("session.open_to_all").into_owned(),
        }
    }

    fn fill(&self, figures: &SessionFigures) -> String {
        percent(figures.fill_per_mille())
    }

    fn no_shows(&self, figures: &SessionFigures) -> String {
        count_or_dash(figures.no_shows)
    }
}

fn session_rows(words: &Words, sessions: &[SessionFigures], rooms: &[Room]) -> Vec<Vec<Cell>> {
    sessions
        .iter()
        .map(|s| {
            let activity = &s.session.activity;
            let room = rooms.iter().find(|r| r.id == activity.room_id).map(|r| words.pick(&r.name).to_owned());
            vec![
                Cell::Day(activity.date),
                Cell::text(format_time(activity.starts)),
                Cell::text(words.pick(&activity.title)),
                Cell::text(room.unwrap_or_default()),
                match activity.capacity {
                    Some(capacity) => Cell::Number(i64::from(capacity)),
                    None => Cell::text(words.t("session.open_to_all")),
                },
                Cell::Number(s.confirmed),
                Cell::Number(s.waiting),
                Cell::Number(s.checked_in),
                s.no_shows.map(Cell::Number).unwrap_or(Cell::NotYet),
                Cell::Number(s.walk_ins),
                Cell::Number(s.visitors_checked_in),
                Cell::text(if s.session.cancelled { words.t("session.cancelled").into_owned() } else { String::new() }),
            ]
        })
        .collect()
}

const SESSION_COLUMNS: [&str; 12] = [
    "reports.day",
    "session.time",
    "session.title",
    "reports.room",
    "reports.seats",
    "reports.confirmed",
    "reports.waiting",
    "reports.checked_in",
    "reports.no_shows",
    "reports.walk_ins",
    "reports.visitors",
    "reports.state",
];

async fn sessions_report(
    state: AppState,
    signed_in: SignedIn,
    query: ReportQuery,
    demand: bool,
) -> Result<Response, ConsoleError> {
    let more_than = demand.then(|| query.more_than.trim().parse::<i64>().unwrap_or(0).max(0));
    let (path, extra) = match more_than {
        Some(n) => ("/console/reports/demand", format!("&more_than={n}")),
        None => ("/console/reports/sessions", String::new()),
    };
    let controls = controls(&state, &signed_in, path, &query, extra).await?;
    let all = activities::sessions(
        &state.db,
        signed_in.site_id(),
        &controls.room,
        controls.period,
        now_ms(),
        state.utc_offset,
    )
    .await?;
    let sessions = match more_than {
        Some(n) => activities::demand(all, n),
        None => all,
    };
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let header = SESSION_COLUMNS.map(|key| words.t(key).into_owned()).to_vec();
        let name = if demand { "demand" } else { "sessions" };
        let table = Table { name, header, rows: session_rows(&words, &sessions, &controls.rooms) };
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let key = if demand { "reports.demand_title" } else { "reports.sessions_title" };
    let title = words.t(key).into_owned();
    let page_path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &page_path).await?;
    render(&SessionsPage { chrome, controls, sessions, more_than })
}

pub async fn sessions(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    sessions_report(state, signed_in, query, false).await
}

pub async fn demand(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    sessions_report(state, signed_in, query, true).await
}
