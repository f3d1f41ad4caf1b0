//! The kiosks page and its file.

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

use super::download::file;
use super::{Controls, ReportQuery, controls};
use jiayuan_community::reports::export::{Cell, FileKind, Table};
use jiayuan_community::reports::kiosks::{self as report, KioskFigures, KiosksReport};

#[derive(Template)]
#[template(path = "console/report_kiosks.html")]
struct KiosksPage {
    chrome: Chrome,
    controls: Controls,
    report: KiosksReport,
}

/// Silent days listed on the page; the file has them all, day by day.
const SILENT_DAYS_SHOWN: usize = 10;

impl KiosksPage {
    fn room_name(&self, room_id: &str) -> String {
        self.controls.room_name(&self.chrome.words, room_id)
    }

    fn day(&self, day: &time::Date) -> String {
        format_day(*day)
    }

    fn silent_on(&self, kiosk: &KioskFigures) -> String {
        let mut shown: Vec<String> = kiosk.silent.iter().take(SILENT_DAYS_SHOWN).map(|d| format_day(*d)).collect();
        if kiosk.silent.len() > SILENT_DAYS_SHOWN {
            shown.push("…".to_owned());
        }
        shown.join(", ")
    }
}

pub async fn kiosks(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/kiosks", &query, String::new()).await?;
    let report = report::kiosks(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    if let Some(kind) = FileKind::parse(&query.format) {
        let mut header = vec![words.t("reports.day").into_owned()];
        header.extend(report.kiosks.iter().map(|k| k.kiosk_id.clone()));
        let rows = report
            .days
            .iter()
            .map(|(day, counts)| {
                let mut row = vec![Cell::Day(*day)];
                row.extend(counts.iter().map(|n| Cell::Number(*n)));
                row
            })
            .collect();
        let table = Table { name: "kiosks", header, rows };
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let title = words.t("reports.kiosks_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&KiosksPage { chrome, controls, report })
}
