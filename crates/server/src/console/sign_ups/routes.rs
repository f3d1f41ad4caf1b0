//! Forms on a session's page that sign a resident up, cancel for them, or move them in line.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::sync::Outcome;
use serde::Deserialize;

use crate::console::auth::Editor;
use crate::console::auth::forms::CheckedForm;
use crate::console::error::ConsoleError;
use crate::console::form::ServiceError;
use crate::state::AppState;
use jiayuan_community::action_log::Actor;

use jiayuan_community::office::sign_ups::{self as service, Move};

#[derive(Debug, Deserialize)]
pub struct SignUpForm {
    resident_id: String,
    #[serde(default)]
    companions: String,
}

fn back_to(activity_id: &str, done: &str) -> Response {
    Redirect::to(&format!("/console/schedule/sessions/{activity_id}?done={done}")).into_response()
}

/// What the seat rules decided, as the notice after the form.
fn done_for(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Confirmed => "signed_up_confirmed",
        Outcome::Waitlisted { .. } => "signed_up_waiting",
        Outcome::Entered => "signed_up_entered",
        _ => "signed_up_refused",
    }
}

pub async fn sign_up(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(activity_id): Path<String>,
    CheckedForm(form): CheckedForm<SignUpForm>,
) -> Result<Response, ConsoleError> {
    let companions = form.companions.trim().parse::<u8>().unwrap_or(0);
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let outcome =
        service::sign_up(&state.db, &actor, signed_in.site_id(), &activity_id, &form.resident_id, companions).await;
    match outcome {
        Ok(outcome) => Ok(back_to(&activity_id, done_for(&outcome))),
        Err(ServiceError::Form(_)) => Err(ConsoleError::NotFound),
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    direction: String,
}

pub async fn cancel(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path((activity_id, resident_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<ChangeForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::cancel(&state.db, &actor, signed_in.site_id(), &activity_id, &resident_id, &form.reason).await {
        Ok(()) => Ok(back_to(&activity_id, "sign_up_cancelled")),
        Err(ServiceError::Form(_)) => Err(ConsoleError::NotFound),
        Err(other) => Err(other.into()),
    }
}

pub async fn move_in_line(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path((activity_id, resident_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<ChangeForm>,
) -> Result<Response, ConsoleError> {
    let direction = if form.direction == "down" { Move::Down } else { Move::Up };
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let moved = service::move_in_line(
        &state.db,
        &actor,
        signed_in.site_id(),
        &activity_id,
        &resident_id,
        direction,
        &form.reason,
    )
    .await;
    match moved {
        Ok(()) => Ok(back_to(&activity_id, "moved_in_line")),
        Err(ServiceError::Form(problems)) if problems.iter().any(|p| p.field == "reason") => {
            Ok(back_to(&activity_id, "reason_needed"))
        }
        Err(ServiceError::Form(_)) => Err(ConsoleError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// The ticks of a printed sign-in sheet: `resident_id` once per ticked resident.
pub async fn enter_paper(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(activity_id): Path<String>,
    CheckedForm(body): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, ConsoleError> {
    let ticked: Vec<String> = body.into_iter().filter(|(k, _)| k == "resident_id").map(|(_, v)| v).collect();
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::enter_paper_check_ins(&state.db, &actor, signed_in.site_id(), &activity_id, &ticked).await {
        Ok(_) => Ok(back_to(&activity_id, "paper_entered")),
        Err(ServiceError::Form(_)) => Ok(back_to(&activity_id, "paper_refused")),
        Err(other) => Err(other.into()),
    }
}
