//! `/console/care` (关爱提醒): regulars not seen, with their phone and emergency contact, a
//! follow-up form each; the site's rules; follow-ups by month (and as a file).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::care::{Outcome, Settings};
use serde::Deserialize;

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Editor, Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::form::{ServiceError, first_problem};
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::console::reports::download::file;
use crate::state::AppState;
use jiayuan_community::action_log::Actor;
use jiayuan_community::community_time;
use jiayuan_community::office::care::{self as service, MonthOfFollowUps, NotSeen};
use jiayuan_community::reports::export::{Cell, FileKind, Table};
use jiayuan_community::schedule::format_day;

/// Months of follow-ups the page shows: this one and the eleven before.
const MONTHS_SHOWN: u32 = 12;

#[derive(Template)]
#[template(path = "console/care.html")]
struct CarePage {
    chrome: Chrome,
    not_seen: Vec<NotSeen>,
    settings: Settings,
    months: Vec<MonthOfFollowUps>,
    problem: Option<String>,
    /// Minutes after after-school care ends before a child not collected is an alert.
    pick_up_alert_minutes: u32,
}

impl CarePage {
    fn day(&self, day: &time::Date) -> String {
        format_day(*day)
    }

    fn outcome_words(&self, outcome: &Outcome) -> String {
        self.chrome.t(&format!("care.outcome.{}", outcome.name())).into_owned()
    }

    fn outcomes(&self) -> [Outcome; 6] {
        Outcome::ALL
    }
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    done: Option<&str>,
    problem: Option<String>,
) -> Result<CarePage, ConsoleError> {
    let words = Words::new(signed_in.lang);
    let title = words.t("care.title").into_owned();
    let chrome = Chrome::signed_in(state, signed_in, "care", title, "/console/care").await?.with_notice(done);
    let today = community_time::today(state.utc_offset);
    let site = signed_in.site_id();
    let not_seen = service::not_seen(&state.db, site, today).await?;
    let settings = service::settings(&state.db, site).await?;
    let months = service::by_month(&state.db, site, today, MONTHS_SHOWN).await?;
    let pick_up_alert_minutes = jiayuan_community::office::handover::alert_minutes(&state.db, site).await?;
    Ok(CarePage { chrome, not_seen, settings, months, problem, pick_up_alert_minutes })
}

#[derive(Debug, Default, Deserialize)]
pub struct CareQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    format: String,
}

pub async fn show(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<CareQuery>,
) -> Result<Response, ConsoleError> {
    if let Some(kind) = FileKind::parse(&query.format) {
        let words = Words::new(signed_in.lang);
        let today = community_time::today(state.utc_offset);
        let months = service::by_month(&state.db, signed_in.site_id(), today, MONTHS_SHOWN).await?;
        let mut header = vec![words.t("care.month").into_owned(), words.t("care.checked_on").into_owned()];
        header.extend(Outcome::ALL.map(|o| words.t(&format!("care.outcome.{}", o.name())).into_owned()));
        let rows = months
            .iter()
            .map(|m| {
                let mut row = vec![Cell::text(m.month.clone()), Cell::Number(m.counted.residents)];
                row.extend(m.counted.by_outcome.iter().map(|(_, n)| Cell::Number(*n)));
                row
            })
            .collect();
        let table = Table { name: "follow-ups", header, rows };
        return Ok(file(kind, &table, &format_day(today))?);
    }
    render(&page(&state, &signed_in, query.done.as_deref(), None).await?)
}

async fn refused(state: &AppState, signed_in: &SignedIn, error: ServiceError) -> Result<Response, ConsoleError> {
    let problem = first_problem(error, &Words::new(signed_in.lang))?;
    let page = page(state, signed_in, None, problem).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

#[derive(Debug, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

/// `POST /console/care/{resident}/follow-up`.
pub async fn follow_up(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(resident_id): Path<String>,
    CheckedForm(form): CheckedForm<FollowUpForm>,
) -> Result<Response, ConsoleError> {
    let Some(outcome) = Outcome::from_name(form.outcome.trim()) else {
        return refused(&state, &signed_in, ServiceError::field("outcome", "care.problem.outcome")).await;
    };
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let today = community_time::today(state.utc_offset);
    match service::follow_up(&state.db, &actor, signed_in.site_id(), &resident_id, outcome, &form.note, today).await {
        Ok(()) => Ok(Redirect::to("/console/care?done=followed_up").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    regular_days: String,
    #[serde(default)]
    absent_days: String,
}

/// `POST /console/care/settings`.
pub async fn set_settings(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<SettingsForm>,
) -> Result<Response, ConsoleError> {
    let number = |typed: &str| typed.trim().parse::<u32>().unwrap_or(0);
    let settings = Settings { regular_days: number(&form.regular_days), absent_days: number(&form.absent_days) };
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::set_settings(&state.db, &actor, signed_in.site_id(), settings).await {
        Ok(()) => Ok(Redirect::to("/console/care?done=care_settings_saved").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct PickUpAlertForm {
    #[serde(default)]
    pick_up_alert_minutes: String,
}

/// `POST /console/care/pick-up-alert`: how long after after-school care ends a child still in
/// the room is an alert on the Today page.
pub async fn set_pick_up_alert(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<PickUpAlertForm>,
) -> Result<Response, ConsoleError> {
    let minutes = form.pick_up_alert_minutes.trim().parse::<u32>().unwrap_or(u32::MAX);
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let set =
        jiayuan_community::office::handover::set_alert_minutes(&state.db, &actor, signed_in.site_id(), minutes).await;
    match set {
        Ok(()) => Ok(Redirect::to("/console/care?done=care_settings_saved#pick-up-alert").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}
