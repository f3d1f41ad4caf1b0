//! A child's guardians and pick-up contacts (托管接送), on the resident's page: staff add a
//! guardian by resident id or card number, add a contact who is not a resident, and take
//! either off. The rules and storage are `jiayuan_community::office::guardians`.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::routes::{actor, refused, to_resident};
use crate::console::auth::Editor;
use crate::console::auth::forms::CheckedForm;
use crate::console::error::ConsoleError;
use crate::state::AppState;
use jiayuan_community::office::guardians as service;
use jiayuan_domain::input::ContactInput;

#[derive(Debug, Deserialize)]
pub struct GuardianForm {
    #[serde(default)]
    guardian: String,
}

pub async fn add(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<GuardianForm>,
) -> Result<Response, ConsoleError> {
    match service::add(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &form.guardian).await {
        Ok(()) => Ok(to_resident(&id, "guardian_added")),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct Nothing {}

pub async fn remove(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path((id, guardian_id)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    match service::remove(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &guardian_id).await {
        Ok(()) => Ok(to_resident(&id, "guardian_removed")),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}

pub async fn add_contact(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(contact): CheckedForm<ContactInput>,
) -> Result<Response, ConsoleError> {
    match service::add_contact(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &contact).await {
        Ok(()) => Ok(to_resident(&id, "contact_added")),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}

pub async fn remove_contact(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path((id, contact_id)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    match service::remove_contact(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &contact_id).await {
        Ok(()) => Ok(to_resident(&id, "contact_removed")),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}
