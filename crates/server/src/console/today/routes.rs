//! `GET /console`: today at a glance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use jiayuan_community::action_log::Actor;
use jiayuan_community::office::notices::{self, Call, ToCall};
use jiayuan_community::outgoing::MessageState;

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Editor, Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::page::Chrome;
use crate::console::{Done, render};
use crate::state::AppState;
use jiayuan_community::community_time::date_and_clock;
use jiayuan_community::db::Backend;
use jiayuan_community::schedule::format_time;

use jiayuan_community::office::today::{self as service, Today};

#[derive(Template)]
#[template(path = "console/today.html")]
struct TodayPage {
    chrome: Chrome,
    today: Today,
    to_call: Vec<ToCall>,
    last_backup: String,
    utc_offset: time::UtcOffset,
    /// Children at after-school care still in the room, alerts first.
    in_room: Vec<crate::console::schedule::handover::InRoomView>,
    back: &'static str,
}

impl TodayPage {
    fn room_name(&self, room_id: &str) -> String {
        self.today
            .rooms
            .iter()
            .find(|room| room.room.id == room_id)
            .map(|room| self.chrome.words.pick(&room.room.name).to_owned())
            .unwrap_or_else(|| room_id.to_owned())
    }

    fn time(&self, time: &time::Time) -> String {
        format_time(*time)
    }

    /// What changed for the resident, in the console's words.
    fn change(&self, call: &ToCall) -> String {
        let key = format!("notice.{}", call.change.name());
        let when = format!("{} {}", call.day, format_time(call.starts));
        self.chrome.t_ab(&key, self.chrome.words.pick(&call.title), when)
    }

    fn clock(&self, at: &i64) -> String {
        date_and_clock(*at, self.utc_offset)
    }

    fn seen(&self, at: &Option<i64>) -> String {
        match at {
            Some(ms) => date_and_clock(*ms, self.utc_offset),
            None => self.chrome.t("today.never").into_owned(),
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(done): Query<Done>,
) -> Result<Response, ConsoleError> {
    let today = service::today(&state.db, signed_in.site_id(), state.utc_offset).await?;
    let to_call = notices::to_call(&state.db, signed_in.site_id(), today.date).await?;
    let words = crate::console::i18n::Words::new(signed_in.lang);
    let title = words.t("today.title").into_owned();
    let chrome =
        Chrome::signed_in(&state, &signed_in, "today", title, "/console").await?.with_notice(done.done.as_deref());
    let last_backup = match jiayuan_community::backups::last_backup_at(&state.data_dir) {
        Some(at) => date_and_clock(at, state.utc_offset),
        None if state.db.backend == Backend::Postgres => words.t("today.backup_by_postgres").into_owned(),
        None => words.t("today.no_backup_yet").into_owned(),
    };
    let in_room = jiayuan_community::office::handover::of_day(
        &state.db,
        signed_in.site_id(),
        today.date,
        jiayuan_community::clock::now_ms(),
        state.utc_offset,
    )
    .await?;
    let in_room = crate::console::schedule::handover::views(in_room, state.utc_offset);
    render(&TodayPage { chrome, today, to_call, last_backup, utc_offset: state.utc_offset, in_room, back: "today" })
}

/// `POST /console/notices/{id}/told` and `…/no-answer`: what came of a call.
pub async fn told_by_phone(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<Response, ConsoleError> {
    mark(&state, &signed_in, &id, Call::Told).await
}

pub async fn no_answer(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<Response, ConsoleError> {
    mark(&state, &signed_in, &id, Call::NoAnswer).await
}

#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

async fn mark(state: &AppState, signed_in: &SignedIn, id: &str, call: Call) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    notices::mark(&state.db, &actor, signed_in.site_id(), id, call).await?;
    let done = if call == Call::Told { "notice_told" } else { "notice_no_answer" };
    Ok(Redirect::to(&format!("/console?done={done}#to-call")).into_response())
}
