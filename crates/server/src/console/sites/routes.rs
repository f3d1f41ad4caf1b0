//! The sites page and its two forms.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Administrator, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::form::{ServiceError, first_problem};
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::action_log::Actor;
use jiayuan_community::office::sites::{self as service, SiteRow};

#[derive(Template)]
#[template(path = "console/sites.html")]
struct SitesPage {
    chrome: Chrome,
    /// The sites the administrator holds (every site, for the deployment's).
    sites: Vec<SiteRow>,
    /// Whether they hold every site, and so may add one.
    runs_every_site: bool,
    site_id: String,
    /// Whether the signed-in site has a staff PIN of its own (else the server's).
    own_staff_pin: bool,
    problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    done: Option<&str>,
    problem: Option<String>,
) -> Result<SitesPage, ConsoleError> {
    let words = Words::new(signed_in.lang);
    let title = words.t("sites.title").into_owned();
    let chrome = Chrome::signed_in(state, signed_in, "sites", title, "/console/sites").await?.with_notice(done);
    let actor = actor(signed_in);
    let runs_every_site = service::runs_every_site(&state.db, &actor).await?;
    let mine: Vec<String> = jiayuan_community::sites::of_staff(&state.db, signed_in.staff_id())
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let sites = service::list(&state.db).await?.into_iter().filter(|site| mine.contains(&site.id)).collect();
    let own_staff_pin = service::has_own_staff_pin(&state.db, signed_in.site_id()).await?;
    Ok(SitesPage { chrome, sites, runs_every_site, site_id: signed_in.site_id().to_owned(), own_staff_pin, problem })
}

fn actor(signed_in: &SignedIn) -> Actor {
    Actor::Staff(signed_in.staff_id().to_owned())
}

/// `GET /console/sites`.
pub async fn list(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Query(done): Query<Done>,
) -> Result<Response, ConsoleError> {
    render(&page(&state, &signed_in, done.done.as_deref(), None).await?)
}

async fn refused(state: &AppState, signed_in: &SignedIn, error: ServiceError) -> Result<Response, ConsoleError> {
    let problem = first_problem(error, &Words::new(signed_in.lang))?;
    let page = page(state, signed_in, None, problem).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    site_name: String,
}

/// `POST /console/sites`: a new community (an administrator of every site only; anyone else
/// is answered as if there were no such page).
pub async fn add(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    CheckedForm(form): CheckedForm<SiteForm>,
) -> Result<Response, ConsoleError> {
    match service::add(&state.db, &actor(&signed_in), &form.site_id, &form.site_name).await {
        Ok(()) => Ok(Redirect::to("/console/sites?done=site_added").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct RoomForm {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    room_name: String,
}

/// `POST /console/sites/rooms`: a room of the signed-in site.
pub async fn add_room(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    CheckedForm(form): CheckedForm<RoomForm>,
) -> Result<Response, ConsoleError> {
    let added =
        service::add_room(&state.db, &actor(&signed_in), signed_in.site_id(), &form.room_id, &form.room_name).await;
    match added {
        Ok(()) => Ok(Redirect::to("/console/sites?done=room_added").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct StaffPinForm {
    #[serde(default)]
    staff_pin: String,
}

/// `POST /console/sites/staff-pin`: the signed-in site's own PIN for its kiosks' staff panels
/// (empty: the server's).
pub async fn set_staff_pin(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    CheckedForm(form): CheckedForm<StaffPinForm>,
) -> Result<Response, ConsoleError> {
    match service::set_staff_pin(&state.db, &actor(&signed_in), signed_in.site_id(), &form.staff_pin).await {
        Ok(()) => Ok(Redirect::to("/console/sites?done=staff_pin_set#staff-pin").into_response()),
        Err(error) => refused(&state, &signed_in, error).await,
    }
}
