//! The room visits page and its files.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::schedule::format_day;

use super::charts::{self, Bar};
use super::download::file;
use super::{Controls, ReportQuery, controls, daily_bars, percent};
use jiayuan_community::reports::export::{Cell, FileKind, Table};
use jiayuan_community::reports::visits::{self as report, AgeFigures, VisitsReport};

#[derive(Template)]
#[template(path = "console/report_visits.html")]
struct VisitsPage {
    chrome: Chrome,
    controls: Controls,
    report: VisitsReport,
    /// Residents once a day, day by day.
    daily_chart: Option<String>,
    /// Participation, month by month.
    months_chart: Option<String>,
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

    fn by_age(&self) -> &[AgeFigures] {
        &self.report.by_age
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
    let report = report::visits(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let table = table(&words, &report, &query.table);
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let title = words.t("reports.visits_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    let daily = daily_bars(&controls.period, &report.days);
    let daily_chart = charts::columns(&daily, &words.t("reports.residents_once_a_day"), false);
    let months: Vec<Bar> = report
        .months
        .iter()
        .map(|m| Bar { label: m.month.clone(), value: m.participation.unwrap_or(0) as f64 / 10.0 })
        .collect();
    let months_chart = charts::columns(&months, &words.t("reports.participation_short"), true);
    render(&VisitsPage { chrome, controls, report, daily_chart, months_chart })
}

/// The page's table `which` names (`months`, `ages`), or the days'.
fn table(words: &Words, report: &VisitsReport, which: &str) -> Table {
    let header = |keys: &[&str]| keys.iter().map(|key| words.t(key).into_owned()).collect::<Vec<_>>();
    let share = |per_mille: Option<i64>| per_mille.map(Cell::PerMille).unwrap_or(Cell::NotYet);
    match which {
        "months" => Table {
            name: "participation-by-month",
            header: header(&["reports.month", "reports.came", "reports.participation_short"]),
            rows: report
                .months
                .iter()
                .map(|m| vec![Cell::text(m.month.clone()), Cell::Number(m.came), share(m.participation)])
                .collect(),
        },
        "ages" => Table {
            name: "participation-by-age",
            header: header(&["reports.age_group", "reports.came", "reports.on_roster", "reports.participation_short"]),
            rows: report
                .by_age
                .iter()
                .map(|a| {
                    let group = words.t(&format!("age.{}", a.group.name())).into_owned();
                    vec![Cell::Text(group), Cell::Number(a.came), Cell::Number(a.roster), share(a.participation)]
                })
                .collect(),
        },
        _ => Table {
            name: "visits",
            header: header(&["reports.day", "reports.residents_once_a_day", "reports.visitors", "reports.sign_ins"]),
            rows: report
                .days
                .iter()
                .map(|d| {
                    let day = d.day.map(Cell::Day).unwrap_or(Cell::NotYet);
                    vec![day, Cell::Number(d.residents), Cell::Number(d.visitors), Cell::Number(d.sign_ins)]
                })
                .collect(),
        },
    }
}
