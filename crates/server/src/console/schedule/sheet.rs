//! `GET /console/schedule/sessions/{id}/sheet`: a session's sign-in sheet on A4 paper, the
//! room's fallback when its kiosk is broken: the residents with a seat (full names, for staff),
//! a box to tick for each, and empty rows for those who come without one.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::office::sign_ups::{self as sign_ups, Place};
use jiayuan_community::schedule::{SessionRow, format_day, format_time};

use jiayuan_community::office::schedule as service;

/// Rows left empty for residents who come without a seat.
const EMPTY_ROWS: usize = 8;

#[derive(Template)]
#[template(path = "console/sign_in_sheet.html")]
struct SheetPage {
    chrome: Chrome,
    session: SessionRow,
    room: String,
    confirmed: Vec<Place>,
}

impl SheetPage {
    fn when(&self) -> String {
        let activity = &self.session.activity;
        format!("{} {}–{}", format_day(activity.date), format_time(activity.starts), format_time(activity.ends))
    }

    fn empty_rows(&self) -> std::ops::Range<usize> {
        0..EMPTY_ROWS
    }
}

pub async fn sign_in_sheet(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Path(id): Path<String>,
) -> Result<Response, ConsoleError> {
    let session = service::session(&state.db, signed_in.site_id(), &id).await?;
    let list = sign_ups::list(&state.db, &id).await?;
    let words = Words::new(signed_in.lang);
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let room = rooms
        .iter()
        .find(|room| room.id == session.activity.room_id)
        .map(|room| words.pick(&room.name).to_owned())
        .unwrap_or_default();
    let title = format!("{} · {}", words.t("sheet.title"), words.pick(&session.activity.title));
    let path = format!("/console/schedule/sessions/{id}/sheet");
    let chrome = Chrome::signed_in(&state, &signed_in, "schedule", title, &path).await?;
    render(&SheetPage { chrome, session, room, confirmed: list.confirmed })
}
