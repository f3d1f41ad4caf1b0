//! `GET /console`: today at a glance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
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
    last_backup: String,
    utc_offset: time::UtcOffset,
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
    let words = crate::console::i18n::Words::new(signed_in.lang);
    let title = words.t("today.title").into_owned();
    let chrome =
        Chrome::signed_in(&state, &signed_in, "today", title, "/console").await?.with_notice(done.done.as_deref());
    let last_backup = match jiayuan_community::backups::last_backup_at(&state.data_dir) {
        Some(at) => date_and_clock(at, state.utc_offset),
        None if state.db.backend == Backend::Postgres => words.t("today.backup_by_postgres").into_owned(),
        None => words.t("today.no_backup_yet").into_owned(),
    };
    render(&TodayPage { chrome, today, last_backup, utc_offset: state.utc_offset })
}
