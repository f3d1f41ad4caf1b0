//! A session's draw (摇号) in the console: staff set when entries close and the grace for
//! kiosks that were offline; the page shows the published seed, the entries, the demand and,
//! once drawn, that the lists above are in drawn order. There is no way to draw again.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_community::office::draws::{self as service, DrawFacts};
use jiayuan_community::reports::export::Cell;
use jiayuan_domain::reports::entries_per_seat_tenths;
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::routes::session_refused;
use crate::console::auth::Editor;
use crate::console::auth::forms::CheckedForm;
use crate::console::error::ConsoleError;
use crate::console::form::ServiceError;
use crate::state::AppState;
use jiayuan_community::action_log::Actor;

/// A session's draw as the page shows it, times in the community's.
#[derive(Debug, Clone)]
pub struct DrawView {
    pub closes: String,
    pub draws: String,
    pub seed: String,
    pub drawn: Option<String>,
    pub entries: i64,
    /// Entries per seat, "2.5".
    pub per_seat: Option<String>,
}

impl DrawView {
    pub fn new(facts: &DrawFacts, capacity: Option<u32>, offset: UtcOffset) -> DrawView {
        DrawView {
            closes: at(facts.closes_at, offset),
            draws: at(facts.draws_at, offset),
            seed: facts.seed.clone(),
            drawn: facts.drawn_at.map(|ms| at(ms, offset)),
            entries: facts.entries,
            per_seat: capacity
                .and_then(|seats| entries_per_seat_tenths(facts.entries, seats))
                .map(|tenths| Cell::Tenths(tenths).shown()),
        }
    }
}

/// "2026-12-08 18:00" in the community's time.
fn at(ms: i64, offset: UtcOffset) -> String {
    let when = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.to_offset(offset))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!("{} {:02}:{:02}", when.date(), when.hour(), when.minute())
}

#[derive(Debug, Deserialize)]
pub struct DrawForm {
    #[serde(default)]
    closes_day: String,
    #[serde(default)]
    closes_time: String,
    #[serde(default)]
    grace_minutes: String,
}

fn parse_closes(form: &DrawForm) -> Result<PrimitiveDateTime, ServiceError> {
    let day = jiayuan_domain::civil::parse_date(form.closes_day.trim())
        .ok_or_else(|| ServiceError::field("closes_day", "draw.problem.when"))?;
    let time = jiayuan_domain::civil::parse_hour_minute(form.closes_time.trim())
        .ok_or_else(|| ServiceError::field("closes_time", "draw.problem.when"))?;
    Ok(PrimitiveDateTime::new(day, time))
}

pub async fn set_draw(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<DrawForm>,
) -> Result<Response, ConsoleError> {
    let grace = match form.grace_minutes.trim() {
        "" => Ok(service::DEFAULT_GRACE_MINUTES),
        text => text.parse::<u32>().map_err(|_| ServiceError::field("grace_minutes", "draw.problem.grace")),
    };
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let result = match (parse_closes(&form), grace) {
        (Ok(closes), Ok(grace)) => {
            service::set(&state.db, &actor, signed_in.site_id(), &id, closes, grace, state.utc_offset).await
        }
        (Err(error), _) | (_, Err(error)) => Err(error),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/console/schedule/sessions/{id}?done=draw_set#draw")).into_response()),
        Err(error) => session_refused(&state, &signed_in, &id, error).await,
    }
}
