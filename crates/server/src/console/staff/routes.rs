//! `/console/staff`: the accounts of the administrator's sites; making one hands over a
//! one-time password, shown once.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Administrator, Role, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::form::{ServiceError, Shown};
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::{Done, render};
use crate::state::AppState;
use jiayuan_community::action_log::Actor;

use jiayuan_community::office::staff::{self as service, AccountForm, Listed};

#[derive(Template)]
#[template(path = "console/staff.html")]
struct StaffPage {
    chrome: Chrome,
    accounts: Vec<Listed>,
    /// The sites this administrator holds: (id, name).
    sites: Vec<(String, String)>,
    /// The account being made or changed, as typed.
    form: FormView,
    /// A one-time password just made: (account, password).
    one_time: Option<(String, String)>,
    shown: Shown,
}

/// An account form as the page shows it.
#[derive(Debug, Clone, Default)]
struct FormView {
    id: String,
    display_name: String,
    role: String,
    sites: Vec<String>,
    /// Changing an existing account (its id is not typed again).
    editing: bool,
}

impl StaffPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.shown.of(field)
    }

    fn roles(&self) -> Vec<(&'static str, String)> {
        Role::ALL.iter().map(|role| (role.as_str(), self.chrome.t(role.words_key()).into_owned())).collect()
    }

    fn role_words(&self, listed: &Listed) -> String {
        self.chrome.t(listed.account.role.words_key()).into_owned()
    }

    /// The account's sites this administrator holds, by name; the others only counted.
    fn site_names(&self, listed: &Listed) -> String {
        let mut names: Vec<String> = listed
            .shared_sites
            .iter()
            .map(|id| {
                self.sites.iter().find(|(site, _)| site == id).map(|(_, name)| name.clone()).unwrap_or(id.clone())
            })
            .collect();
        if listed.other_sites > 0 {
            names.push(self.chrome.t_n("staff.other_sites", listed.other_sites));
        }
        names.join("、")
    }
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    form: FormView,
    one_time: Option<(String, String)>,
    shown: Shown,
    done: Option<&str>,
) -> Result<StaffPage, ConsoleError> {
    let title = Words::new(signed_in.lang).t("staff.title").into_owned();
    let chrome = Chrome::signed_in(state, signed_in, "staff", title, "/console/staff").await?.with_notice(done);
    let site_ids = service::sites_of(&state.db, signed_in.staff_id()).await?;
    let sites: Vec<(String, String)> = jiayuan_community::sites::all(&state.db)
        .await?
        .into_iter()
        .filter(|(id, _): &(String, String)| site_ids.contains(id))
        .collect();
    let accounts = service::list(&state.db, signed_in.staff_id()).await?;
    Ok(StaffPage { chrome, accounts, sites, form, one_time, shown })
}

pub async fn list(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Query(done): Query<Done>,
) -> Result<Response, ConsoleError> {
    let form = FormView {
        role: Role::Staff.as_str().to_owned(),
        sites: vec![signed_in.site_id().to_owned()],
        ..FormView::default()
    };
    render(&page(&state, &signed_in, form, None, Shown::default(), done.done.as_deref()).await?)
}

/// The account form as posted: `sites` may come several times (one checkbox per site).
fn account_form(body: &[(String, String)]) -> (AccountForm, FormView) {
    let value = |name: &str| body.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let sites: Vec<String> = body.iter().filter(|(k, _)| k == "sites").map(|(_, v)| v.clone()).collect();
    let view =
        FormView { id: value("id"), display_name: value("display_name"), role: value("role"), sites, editing: false };
    let form = AccountForm {
        id: view.id.clone(),
        display_name: view.display_name.clone(),
        role: Role::parse(&view.role).unwrap_or(Role::Viewer),
        sites: view.sites.clone(),
    };
    (form, view)
}

async fn refused(
    state: &AppState,
    signed_in: &SignedIn,
    view: FormView,
    error: ServiceError,
) -> Result<Response, ConsoleError> {
    let ServiceError::Form(problems) = error else { return Err(error.into()) };
    let shown = Shown::new(&problems, Words::new(signed_in.lang));
    let page = page(state, signed_in, view, None, shown, None).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn add(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    CheckedForm(body): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, ConsoleError> {
    let (form, view) = account_form(&body);
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::add(&state.db, &actor, &form).await {
        Ok(one_time) => {
            let form = FormView { role: Role::Staff.as_str().to_owned(), ..FormView::default() };
            let page = page(&state, &signed_in, form, Some((view.id, one_time)), Shown::default(), None).await?;
            render(&page)
        }
        Err(error) => refused(&state, &signed_in, view, error).await,
    }
}

pub async fn change(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Path(id): Path<String>,
    CheckedForm(body): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, ConsoleError> {
    let (mut form, mut view) = account_form(&body);
    form.id = id.clone();
    view.id = id;
    view.editing = true;
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::change(&state.db, &actor, &form).await {
        Ok(()) => Ok(Redirect::to("/console/staff?done=staff_changed").into_response()),
        Err(error) => refused(&state, &signed_in, view, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct Nothing {}

pub async fn remove(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    match service::remove(&state.db, &actor, &id).await {
        Ok(()) => Ok(Redirect::to("/console/staff?done=staff_removed").into_response()),
        Err(error) => {
            let account = service::find(&state.db, &id).await?.ok_or(ConsoleError::NotFound)?;
            let view = FormView {
                id: account.id,
                display_name: account.display_name,
                role: account.role.as_str().to_owned(),
                sites: account.sites,
                editing: true,
            };
            refused(&state, &signed_in, view, error).await
        }
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    Administrator(signed_in): Administrator,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let one_time = service::reset_password(&state.db, &actor, &id).await?;
    let form = FormView { role: Role::Staff.as_str().to_owned(), ..FormView::default() };
    render(&page(&state, &signed_in, form, Some((id, one_time)), Shown::default(), None).await?)
}
