//! `/console/reports/records`: every record of the period as a file, one row each.

use axum::extract::{Query, State};
use axum::response::Response;

use crate::app::AppState;
use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;

use super::super::export::{Cell, FileKind, Table, file};
use super::super::records::{self as report, outcome_key};
use super::{ReportQuery, controls};

const COLUMNS: [&str; 9] = [
    "reports.day",
    "session.time",
    "reports.room",
    "kiosks.kiosk",
    "record.what",
    "record.resident_id",
    "record.resident_name",
    "session.title",
    "record.answer",
];

pub async fn records(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/records", &query, String::new()).await?;
    let rows = report::records(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    let header = COLUMNS.map(|key| words.t(key).into_owned()).to_vec();
    let rows = rows
        .into_iter()
        .map(|row| {
            let (outcome, reason) = outcome_key(&row.outcome);
            let mut answer = words.t(&format!("record.outcome.{outcome}")).into_owned();
            if let Some(reason) = reason {
                answer = format!("{answer}：{}", words.t(&format!("record.reason.{reason}")));
            }
            vec![
                Cell::Day(row.day),
                Cell::Text(row.time),
                Cell::Text(controls.room_name(&words, &row.room_id)),
                Cell::Text(row.kiosk_id),
                Cell::Text(words.t(&format!("record.action.{}", row.action)).into_owned()),
                Cell::Text(row.resident_id.clone().unwrap_or_default()),
                Cell::Text(match (&row.resident_id, row.resident_name) {
                    (None, _) => words.t("record.visitor").into_owned(),
                    (Some(_), name) => name.unwrap_or_default(),
                }),
                Cell::Text(row.activity.as_ref().map(|title| words.pick(title).to_owned()).unwrap_or_default()),
                Cell::Text(answer),
            ]
        })
        .collect();
    let kind = FileKind::parse(&query.format).unwrap_or(FileKind::Xlsx);
    let table = Table { name: "records", header, rows };
    Ok(file(kind, &table, &controls.period.slug())?)
}
