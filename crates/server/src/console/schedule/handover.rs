//! Children still in the room at after-school care (还在活动室), on the Today page and the
//! session's page, and staff checking a child out with a reason (a neighbour came, the
//! guardian could not use the kiosk). The rules and storage are `jiayuan_community::office::handover`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_community::action_log::Actor;
use jiayuan_community::community_time::wall_clock;
use jiayuan_community::office::handover::ChildInRoom;
use serde::Deserialize;
use time::UtcOffset;

use super::routes::session_refused;
use crate::console::auth::Editor;
use crate::console::auth::forms::CheckedForm;
use crate::console::error::ConsoleError;
use crate::state::AppState;

/// A child in the room as the pages show them, times in the community's.
#[derive(Debug, Clone)]
pub struct InRoomView {
    pub child: ChildInRoom,
    /// "16:32", or empty for a tick on paper.
    pub dropped_off: String,
    /// When the alert starts (or started): the session's end and the site's minutes.
    pub alert_from: String,
}

pub fn views(children: Vec<ChildInRoom>, offset: UtcOffset) -> Vec<InRoomView> {
    children
        .into_iter()
        .map(|child| InRoomView {
            dropped_off: child.dropped_off_at.map(|at| wall_clock(at, offset)).unwrap_or_default(),
            alert_from: wall_clock(child.alert_from, offset),
            child,
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct CheckOutForm {
    #[serde(default)]
    reason: String,
    /// Where the form was: `today` sends staff back to the Today page.
    #[serde(default)]
    back: String,
}

/// `POST /console/schedule/sessions/{id}/pick-ups/{child_id}`: staff check a child out.
pub async fn check_out(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path((id, child_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<CheckOutForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let checked_out = jiayuan_community::office::handover::check_out_by_staff(
        &state.db,
        &actor,
        signed_in.site_id(),
        &id,
        &child_id,
        &form.reason,
    )
    .await;
    match checked_out {
        Ok(()) if form.back == "today" => Ok(Redirect::to("/console?done=checked_out#in-the-room").into_response()),
        Ok(()) => {
            Ok(Redirect::to(&format!("/console/schedule/sessions/{id}?done=checked_out#in-the-room")).into_response())
        }
        Err(error) => session_refused(&state, &signed_in, &id, error).await,
    }
}
