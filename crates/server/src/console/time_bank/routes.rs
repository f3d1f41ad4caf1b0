//! `/console/time-bank`: each volunteer's hours in a month and in all (and as a file), the
//! service held for staff to confirm, and hours entered from paper.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::reports::Period;
use jiayuan_domain::time_bank::{hours_text, parse_hours};
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
use jiayuan_community::community_time::{self, wall_clock};
use jiayuan_community::office::time_bank::{self as service, Held, VolunteerHours};
use jiayuan_community::reports::export::{Cell, FileKind, Table};
use jiayuan_community::schedule::{format_day, parse_day};

#[derive(Template)]
#[template(path = "console/time_bank.html")]
struct TimeBankPage {
    chrome: Chrome,
    month: Period,
    volunteers: Vec<VolunteerHours>,
    held: Vec<Held>,
    /// Why the last form was refused (a `time_bank.problem.*` or `problem.*` key's words).
    problem: Option<String>,
    today: time::Date,
    utc_offset: time::UtcOffset,
    /// How many minutes past its session service may count at the site.
    margin_minutes: i64,
}

impl TimeBankPage {
    fn hours(&self, half_hours: &i64) -> String {
        hours_text(*half_hours)
    }

    fn month_name(&self) -> String {
        format!("{:04}-{:02}", self.month.from.year(), u8::from(self.month.from.month()))
    }

    fn link(&self, period: Period, format: &str) -> String {
        let month = format!("{:04}-{:02}", period.from.year(), u8::from(period.from.month()));
        if format.is_empty() {
            format!("/console/time-bank?month={month}")
        } else {
            format!("/console/time-bank?month={month}&format={format}")
        }
    }

    fn previous(&self) -> String {
        self.link(self.month.previous(), "")
    }

    fn next(&self) -> String {
        self.link(self.month.next(), "")
    }

    fn file(&self, format: &str) -> String {
        self.link(self.month, format)
    }

    fn when(&self, held: &Held) -> String {
        let clock = |ms: &Option<i64>| ms.map(|ms| wall_clock(ms, self.utc_offset)).unwrap_or_else(|| "?".to_owned());
        format!("{} {}–{}", held.day, clock(&held.started_at), clock(&held.ended_at))
    }

    fn state_words(&self, held: &Held) -> String {
        self.chrome.t(&format!("time_bank.state.{}", held.state)).into_owned()
    }

    fn today_text(&self) -> String {
        format_day(self.today)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
    #[serde(default)]
    format: String,
}

/// The month staff asked for (2026-12), or this one.
fn month_of(typed: &str, today: time::Date) -> Period {
    parse_day(&format!("{}-01", typed.trim())).map(Period::month_of).unwrap_or_else(|| Period::month_of(today))
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    month: Period,
    done: Option<&str>,
    problem: Option<String>,
) -> Result<TimeBankPage, ConsoleError> {
    let words = Words::new(signed_in.lang);
    let title = words.t("time_bank.title").into_owned();
    let chrome = Chrome::signed_in(state, signed_in, "time_bank", title, "/console/time-bank").await?.with_notice(done);
    let today = community_time::today(state.utc_offset);
    let volunteers = service::by_volunteer(&state.db, signed_in.site_id(), month.from, month.to).await?;
    let held = service::held(&state.db, signed_in.site_id(), today).await?;
    let margin_minutes = service::margin_minutes(&state.db, signed_in.site_id()).await?;
    Ok(TimeBankPage { chrome, month, volunteers, held, problem, today, utc_offset: state.utc_offset, margin_minutes })
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(flatten)]
    month: MonthQuery,
}

pub async fn show(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<DoneQuery>,
) -> Result<Response, ConsoleError> {
    let month = month_of(&query.month.month, community_time::today(state.utc_offset));
    if let Some(kind) = FileKind::parse(&query.month.format) {
        let words = Words::new(signed_in.lang);
        let volunteers = service::by_volunteer(&state.db, signed_in.site_id(), month.from, month.to).await?;
        let header = ["time_bank.volunteer", "time_bank.month_hours", "time_bank.total_hours"]
            .map(|key| words.t(key).into_owned())
            .to_vec();
        let rows = volunteers
            .iter()
            .map(|v| {
                vec![
                    Cell::text(v.full_name.clone()),
                    Cell::text(hours_text(v.month_half_hours)),
                    Cell::text(hours_text(v.total_half_hours)),
                ]
            })
            .collect();
        let table = Table { name: "volunteer-hours", header, rows };
        return Ok(file(kind, &table, &month.slug())?);
    }
    render(&page(&state, &signed_in, month, query.done.as_deref(), None).await?)
}

/// A form refused: the page again with what to correct.
async fn refused(state: &AppState, signed_in: &SignedIn, error: ServiceError) -> Result<Response, ConsoleError> {
    let problem = first_problem(error, &Words::new(signed_in.lang))?;
    let month = Period::month_of(community_time::today(state.utc_offset));
    let page = page(state, signed_in, month, None, problem).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    hours: String,
    #[serde(default)]
    reason: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::confirm(&state.db, &actor, signed_in.site_id(), &id, parse_hours(&form.hours), &form.reason).await {
        Ok(()) => Ok(Redirect::to("/console/time-bank?done=hours_confirmed").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct HonourForm {
    #[serde(default)]
    resident_id: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    reason: String,
}

pub async fn honour(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<HonourForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let (day, hours) = (parse_day(&form.day), parse_hours(&form.hours));
    match service::honour(&state.db, &actor, signed_in.site_id(), &form.resident_id, day, hours, &form.reason).await {
        Ok(()) => Ok(Redirect::to("/console/time-bank?done=hours_honoured").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct MarginForm {
    #[serde(default)]
    margin: String,
}

/// Staff set how long past its session a volunteer's service may count.
pub async fn set_margin(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<MarginForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let minutes = form.margin.trim().parse::<i64>().ok();
    match service::set_margin_minutes(&state.db, &actor, signed_in.site_id(), minutes).await {
        Ok(()) => Ok(Redirect::to("/console/time-bank?done=margin_saved").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Template)]
#[template(path = "console/time_bank_certificate.html")]
struct CertificatePage {
    chrome: Chrome,
    full_name: String,
    months: Vec<(String, i64)>,
    today: String,
}

impl CertificatePage {
    fn hours(&self, half_hours: &i64) -> String {
        hours_text(*half_hours)
    }

    fn total(&self) -> String {
        hours_text(self.months.iter().map(|(_, n)| n).sum())
    }
}

/// A volunteer's certificate of hours, on one A4 page.
pub async fn certificate(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Path(resident_id): Path<String>,
) -> Result<Response, ConsoleError> {
    let Some((full_name, months)) = service::by_month(&state.db, signed_in.site_id(), &resident_id).await? else {
        return Err(ConsoleError::NotFound);
    };
    let title = Words::new(signed_in.lang).t("time_bank.certificate").into_owned();
    let path = format!("/console/time-bank/{resident_id}/certificate");
    let chrome = Chrome::signed_in(&state, &signed_in, "time_bank", title, &path).await?;
    let today = format_day(community_time::today(state.utc_offset));
    render(&CertificatePage { chrome, full_name, months, today })
}
