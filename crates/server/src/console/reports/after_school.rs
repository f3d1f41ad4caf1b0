//! The after-school care (托管) page and its files: each care activity's totals and each
//! child's sessions, late pick-ups and pick-ups by staff.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;

use super::download::file;
use super::{Controls, ReportQuery, controls};
use jiayuan_community::reports::after_school::{self as report, AfterSchoolReport};
use jiayuan_community::reports::export::{Cell, FileKind, Table};

#[derive(Template)]
#[template(path = "console/report_after_school.html")]
struct AfterSchoolPage {
    chrome: Chrome,
    controls: Controls,
    report: AfterSchoolReport,
}

impl AfterSchoolPage {
    fn room_name(&self, room_id: &str) -> String {
        self.controls.room_name(&self.chrome.words, room_id)
    }
}

const ACTIVITY_COLUMNS: [&str; 8] = [
    "session.title",
    "reports.room",
    "reports.sessions",
    "handover.children",
    "handover.visits",
    "handover.late",
    "handover.by_staff",
    "handover.not_picked_up",
];

const CHILD_COLUMNS: [&str; 8] = [
    "resident.name",
    "session.title",
    "reports.room",
    "handover.sessions_came",
    "handover.late",
    "handover.by_staff",
    "handover.not_picked_up",
    "handover.resident_id",
];

fn tables(words: &Words, controls: &Controls, report: &AfterSchoolReport, which: &str) -> Table {
    let header = |columns: &[&str]| columns.iter().map(|key| words.t(key).into_owned()).collect();
    if which == "children" {
        let rows = report
            .children
            .iter()
            .map(|c| {
                vec![
                    Cell::text(&c.full_name),
                    Cell::text(words.pick(&c.title)),
                    Cell::text(controls.room_name(words, &c.room_id)),
                    Cell::Number(c.sessions),
                    Cell::Number(c.late),
                    Cell::Number(c.by_staff),
                    Cell::Number(c.not_picked_up),
                    Cell::text(&c.child_id),
                ]
            })
            .collect();
        return Table { name: "after-school-children", header: header(&CHILD_COLUMNS), rows };
    }
    let rows = report
        .activities
        .iter()
        .map(|a| {
            vec![
                Cell::text(words.pick(&a.title)),
                Cell::text(controls.room_name(words, &a.room_id)),
                Cell::Number(a.sessions),
                Cell::Number(a.children),
                Cell::Number(a.visits),
                Cell::Number(a.late),
                Cell::Number(a.by_staff),
                Cell::Number(a.not_picked_up),
            ]
        })
        .collect();
    Table { name: "after-school", header: header(&ACTIVITY_COLUMNS), rows }
}

pub async fn after_school(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/after-school", &query, String::new()).await?;
    let report = report::after_school(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let table = tables(&words, &controls, &report, &query.table);
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let title = words.t("reports.after_school_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&AfterSchoolPage { chrome, controls, report })
}
