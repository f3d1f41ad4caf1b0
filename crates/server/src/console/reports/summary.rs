//! `/console/reports/summary`: the period's summary, laid out for one A4 page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::schedule::{format_day, format_time};

use super::charts;
use super::{Controls, ReportQuery, controls, daily_bars, percent};
use jiayuan_community::reports::activities::SessionFigures;
use jiayuan_community::reports::summary::{self as report, Summary};
use jiayuan_community::reports::visits::AgeFigures;

#[derive(Template)]
#[template(path = "console/report_summary.html")]
struct SummaryPage {
    chrome: Chrome,
    controls: Controls,
    summary: Summary,
    daily_chart: Option<String>,
}

impl SummaryPage {
    fn percent(&self, per_mille: &Option<i64>) -> String {
        percent(*per_mille)
    }

    fn by_age(&self) -> &[AgeFigures] {
        &self.summary.visits.by_age
    }

    fn age_words(&self, group: &jiayuan_domain::reports::AgeGroup) -> String {
        self.chrome.t(&format!("age.{}", group.name())).into_owned()
    }

    fn session_words(&self, figures: &SessionFigures) -> String {
        let activity = &figures.session.activity;
        format!(
            "{} {} · {} · {}",
            format_day(activity.date),
            format_time(activity.starts),
            self.chrome.words.pick(&activity.title),
            self.controls.room_name(&self.chrome.words, &activity.room_id)
        )
    }

    fn room_words(&self) -> String {
        if self.controls.room.is_empty() {
            self.chrome.t("schedule.all_rooms").into_owned()
        } else {
            self.controls.room_name(&self.chrome.words, &self.controls.room)
        }
    }
}

pub async fn summary(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let controls = controls(&state, &signed_in, "/console/reports/summary", &query, String::new()).await?;
    let summary = report::summary(&state.db, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    let daily = daily_bars(&controls.period, &summary.visits.days);
    let daily_chart = charts::columns(&daily, &words.t("reports.residents_once_a_day"), false);
    let title = words.t("reports.summary_title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&SummaryPage { chrome, controls, summary, daily_chart })
}
