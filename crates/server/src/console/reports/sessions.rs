//! The pages of each session and of demand, and their files.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_domain::schedule::Room;

use crate::console::auth::SignedIn;
use jiayuan_community::schedule::format_time;

use super::charts::{self, Bar};
use super::download::file;
use super::{Controls, ReportQuery, controls, count_or_dash, percent};
use jiayuan_community::reports::activities::{self, ActivityFigures, SessionFigures};
use jiayuan_community::reports::export::{Cell, FileKind, Table};

#[derive(Template)]
#[template(path = "console/report_sessions.html")]
struct SessionsPage {
    chrome: Chrome,
    controls: Controls,
    sessions: Vec<SessionFigures>,
    /// Sessions of the period not listed on the page (they are in the file).
    not_listed: usize,
    /// Demand: only sessions with a longer waiting list than this.
    more_than: Option<i64>,
    /// Each activity over its sessions that happened (the sessions report only).
    activities: Vec<ActivityFigures>,
    /// Activities by how full their seats were.
    fill_chart: Option<String>,
}

impl SessionsPage {
    fn room_name(&self, room_id: &str) -> String {
        self.controls.room_name(&self.chrome.words, room_id)
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

    fn entries(&self, figures: &SessionFigures) -> String {
        count_or_dash(figures.entries)
    }

    fn entries_per_seat(&self, figures: &SessionFigures) -> String {
        tenths(figures.entries_per_seat_tenths())
    }

    fn activity_fill(&self, figures: &ActivityFigures) -> String {
        percent(figures.fill_per_mille())
    }

    fn per_session(&self, figures: &ActivityFigures) -> String {
        tenths(figures.checked_in_tenths())
    }

    fn trend(&self, figures: &ActivityFigures) -> String {
        trend_words(figures.trend_tenths)
    }
}

/// 2.5 from 25 tenths.
fn tenths(n: Option<i64>) -> String {
    n.map(Cell::Tenths).unwrap_or(Cell::NotYet).shown()
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
                s.entries.map(Cell::Number).unwrap_or(Cell::NotYet),
                s.entries_per_seat_tenths().map(Cell::Tenths).unwrap_or(Cell::NotYet),
            ]
        })
        .collect()
}

const SESSION_COLUMNS: [&str; 14] = [
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
    "reports.entries",
    "reports.entries_per_seat",
];

/// Sessions listed on a page at most: a month and more of a large community's.
const MOST_LISTED: usize = 1_500;

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
    let scope = controls.scope(&state, &signed_in);
    let (sessions, per_activity) = match more_than {
        Some(n) => (activities::demand(&state.db, scope, n).await?, Vec::new()),
        None => {
            let all = activities::sessions(&state.db, scope).await?;
            let per_activity = activities::by_activity(&all);
            (all, per_activity)
        }
    };
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let table = if query.table == "activities" && !demand {
            activity_table(&words, &controls, &per_activity)
        } else {
            let header = SESSION_COLUMNS.map(|key| words.t(key).into_owned()).to_vec();
            let name = if demand { "demand" } else { "sessions" };
            Table { name, header, rows: session_rows(&words, &sessions, &controls.rooms) }
        };
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    // A year is twelve thousand sessions: 13 MB of page nobody reads row by row. The page lists
    // the first ones (demand: the longest waits), the file has them all.
    let not_listed = sessions.len().saturating_sub(MOST_LISTED);
    let mut sessions = sessions;
    sessions.truncate(MOST_LISTED);
    let key = if demand { "reports.demand_title" } else { "reports.sessions_title" };
    let title = words.t(key).into_owned();
    let page_path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &page_path).await?;
    let fill: Vec<Bar> = per_activity
        .iter()
        .filter_map(|a| {
            let fill = a.fill_per_mille()?;
            let label = format!("{} · {}", words.pick(&a.title), controls.room_name(&words, &a.room_id));
            Some(Bar { label, value: fill as f64 / 10.0 })
        })
        .collect();
    let fill_chart = charts::rows_percent(&fill);
    render(&SessionsPage { chrome, controls, sessions, not_listed, more_than, activities: per_activity, fill_chart })
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

/// Each activity over its sessions that happened, as on the page.
fn activity_table(words: &Words, controls: &Controls, activities: &[ActivityFigures]) -> Table {
    let header = [
        "session.title",
        "reports.room",
        "reports.sessions",
        "reports.filled",
        "reports.checked_in_per_session",
        "reports.trend",
    ]
    .map(|key| words.t(key).into_owned())
    .to_vec();
    let rows = activities
        .iter()
        .map(|a| {
            vec![
                Cell::text(words.pick(&a.title)),
                Cell::Text(controls.room_name(words, &a.room_id)),
                Cell::Number(a.sessions),
                a.fill_per_mille().map(Cell::PerMille).unwrap_or(Cell::NotYet),
                Cell::Text(tenths(a.checked_in_tenths())),
                Cell::Text(trend_words(a.trend_tenths)),
            ]
        })
        .collect();
    Table { name: "activities", header, rows }
}

/// ↑ 2.5, ↓ 1.0, → 0, or — with too few sessions to tell.
fn trend_words(trend_tenths: Option<i64>) -> String {
    match trend_tenths {
        Some(n) if n > 0 => format!("↑ {}", tenths(Some(n))),
        Some(n) if n < 0 => format!("↓ {}", tenths(Some(n.saturating_neg()))),
        Some(_) => "→ 0".to_owned(),
        None => "—".to_owned(),
    }
}
