//! `GET /console/log`: the newest lines first, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::console::auth::Administrator;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::action_log::{self, Act, Logged};
use jiayuan_community::community_time::date_and_clock;
use jiayuan_community::office::staff::sites_of;

/// Lines per page.
const PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "console/log.html")]
struct LogPage {
    chrome: Chrome,
    lines: Vec<Logged>,
    /// The time to page back from, when there may be older lines.
    older: Option<i64>,
    utc_offset: time::UtcOffset,
}

impl LogPage {
    fn when(&self, at: &i64) -> String {
        date_and_clock(*at, self.utc_offset)
    }

    fn act_words(&self, action: &str) -> String {
        match Act::from_name(action) {
            Some(act) => self.chrome.t(&words_key(act)).into_owned(),
            None => action.to_owned(),
        }
    }
}

/// The words key for what was done: `act.` and its stored name with '.' as '_'.
pub fn words_key(act: Act) -> String {
    format!("act.{}", act.name().replace('.', "_"))
}

#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    before: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Query(query): Query<LogQuery>,
) -> Result<Response, ConsoleError> {
    let sites = sites_of(&state.db, signed_in.staff_id()).await?;
    let lines = action_log::recent(&state.db, &sites, query.before, PAGE).await?;
    let older = (lines.len() as i64 == PAGE).then(|| lines.last().map(|line| line.at)).flatten();
    let title = Words::new(signed_in.lang).t("log.title").into_owned();
    let chrome = Chrome::signed_in(&state, &signed_in, "log", title, "/console/log").await?;
    render(&LogPage { chrome, lines, older, utc_offset: state.utc_offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_act_has_words_in_both_languages() {
        for act in Act::ALL {
            for lang in crate::console::i18n::Lang::ALL {
                let key = words_key(act);
                assert!(crate::_rust_i18n_try_translate(lang.tag(), &key).is_some(), "{}: {key}", lang.tag());
            }
        }
    }

    #[test]
    fn every_kiosk_problem_has_words_in_both_languages() {
        for problem in jiayuan_domain::sync::report::problem::ALL {
            for lang in crate::console::i18n::Lang::ALL {
                let key = format!("kiosks.problem.{problem}");
                assert!(crate::_rust_i18n_try_translate(lang.tag(), &key).is_some(), "{}: {key}", lang.tag());
            }
        }
    }

    #[test]
    fn every_input_problem_and_sign_up_status_has_words_in_both_languages() {
        let keys = jiayuan_domain::input::ProblemKind::ALL
            .iter()
            .map(|kind| format!("problem.{}", kind.name()))
            .chain(
                ["confirmed", "waiting", "cancelled", "cancel_pending"].iter().map(|s| format!("resident.status.{s}")),
            )
            .chain(jiayuan_community::office::upload::Kind::ALL.iter().map(|k| format!("upload.kind.{}", k.name())));
        for key in keys {
            for lang in crate::console::i18n::Lang::ALL {
                assert!(crate::_rust_i18n_try_translate(lang.tag(), &key).is_some(), "{}: {key}", lang.tag());
            }
        }
    }
}
