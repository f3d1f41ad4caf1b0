//! `/console/reports/satisfaction`: how satisfied residents were, per activity, host and month.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiayuan_domain::satisfaction::RatingCounts;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;

use super::charts::{self, Bar};
use super::download::file;
use super::{Controls, ReportQuery, controls, percent};
use jiayuan_community::reports::export::{Cell, FileKind, Table};
use jiayuan_community::reports::satisfaction::{self as report, Rated, SatisfactionReport};

#[derive(Template)]
#[template(path = "console/report_satisfaction.html")]
struct SatisfactionPage {
    chrome: Chrome,
    controls: Controls,
    report: SatisfactionReport,
    chart: Option<String>,
}

impl SatisfactionPage {
    fn satisfied(&self, counts: &RatingCounts) -> String {
        percent(counts.satisfied_per_mille())
    }

    fn name(&self, rated: &Rated) -> String {
        self.chrome.words.pick(&rated.name).to_owned()
    }

    /// The tables after the activities': per host, per month.
    fn groups(&self) -> [(&'static str, &'static str, &[Rated]); 2] {
        [("satisfaction.by_host", "hosts", &self.report.hosts), ("reports.by_month", "months", &self.report.months)]
    }

    fn room_name(&self, room_id: &Option<String>) -> String {
        room_id.as_deref().map(|id| self.controls.room_name(&self.chrome.words, id)).unwrap_or_default()
    }
}

pub async fn satisfaction(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/satisfaction", &query, String::new()).await?;
    let report = report::satisfaction(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let table = table(&words, &controls, &report, &query.table);
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    // Each bar says how many answered: no percentage without its count.
    let bars: Vec<Bar> = report
        .activities
        .iter()
        .filter_map(|a| {
            let share = a.counts.satisfied_per_mille()?;
            let label =
                format!("{} ({})", words.pick(&a.name), words.t_n("satisfaction.n_answered", a.counts.answered()));
            Some(Bar { label, value: share as f64 / 10.0 })
        })
        .collect();
    let chart = charts::rows_percent(&bars);
    let title = words.t("reports.satisfaction_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&SatisfactionPage { chrome, controls, report, chart })
}

/// The page's table `which` names (`hosts`, `months`), or the activities'.
fn table(words: &Words, controls: &Controls, report: &SatisfactionReport, which: &str) -> Table {
    let (name, first, rated) = match which {
        "hosts" => ("satisfaction-by-host", "satisfaction.host", &report.hosts),
        "months" => ("satisfaction-by-month", "reports.month", &report.months),
        _ => ("satisfaction-by-activity", "session.title", &report.activities),
    };
    let mut header = vec![words.t(first).into_owned()];
    if which == "activities" || which.is_empty() {
        header.push(words.t("reports.room").into_owned());
    }
    for key in [
        "satisfaction.satisfied_share",
        "satisfaction.answered",
        "satisfaction.satisfied",
        "satisfaction.so_so",
        "satisfaction.not_satisfied",
        "satisfaction.skipped",
    ] {
        header.push(words.t(key).into_owned());
    }
    let rows = rated
        .iter()
        .map(|r| {
            let mut row = vec![Cell::text(words.pick(&r.name))];
            if let Some(room_id) = &r.room_id {
                row.push(Cell::Text(controls.room_name(words, room_id)));
            }
            let c = r.counts;
            row.push(c.satisfied_per_mille().map(Cell::PerMille).unwrap_or(Cell::NotYet));
            row.extend([c.answered(), c.satisfied, c.so_so, c.not_satisfied, c.skipped].map(Cell::Number));
            row
        })
        .collect();
    Table { name, header, rows }
}
