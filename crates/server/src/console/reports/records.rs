//! `/console/reports/records`: every record of the period as a file, one row each.

use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::state::AppState;

use super::download::{download, file};
use super::{ReportQuery, controls};
use jiayuan_community::reports::export::FileKind;
use jiayuan_community::reports::records as report;

pub async fn records(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/records", &query, String::new()).await?;
    let scope = controls.scope(&state, &signed_in);
    let words = Words::new(signed_in.lang);
    let slug = controls.period.slug();
    let kind = FileKind::parse(&query.format).unwrap_or(FileKind::Xlsx);
    Ok(match kind {
        FileKind::Xlsx => {
            let bytes = report::xlsx(&state.db, scope, &words, controls.rooms.clone()).await?;
            download(kind, bytes, report::FILE_NAME, &slug)
        }
        FileKind::Csv => {
            let rows = report::records(&state.db, scope).await?;
            file(kind, &report::table(rows, &words, &controls.rooms), &slug)?
        }
    })
}
