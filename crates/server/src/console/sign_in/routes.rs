//! Signing in and out, choosing one's own password, the console's language and the site being
//! worked on.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header::SET_COOKIE};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::client_address::ClientAddress;
use crate::console::auth::forms::{CheckedForm, same_origin};
use crate::console::auth::{PASSWORD_PATH, SignedIn, device};
use crate::console::error::ConsoleError;
use crate::console::form::{FieldProblem, ServiceError};
use crate::console::i18n::{LANGUAGE_COOKIE, Lang, Words};
use crate::console::page::Chrome;
use crate::console::{is_console_path, render};
use crate::state::AppState;
use jiayuan_community::office::accounts::{password, sessions};
use jiayuan_community::office::staff;

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    back: String,
    staff_id: String,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    back: String,
}

pub async fn sign_in_page(headers: HeaderMap, Query(query): Query<SignInQuery>) -> Result<Response, ConsoleError> {
    let chrome = Chrome::public(Lang::of_request(&headers), "sign_in.title", "/console/sign-in");
    render(&SignInPage { chrome, back: query.back, staff_id: String::new(), problem: None })
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    staff_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    back: String,
}

/// The cookie that carries a session, or ends it when `token` is empty.
fn session_cookie(state: &AppState, headers: &HeaderMap, token: &str) -> HeaderValue {
    let mut cookie = Cookie::build((sessions::COOKIE, token.to_owned()))
        .path("/console")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.is_https(headers));
    if token.is_empty() {
        cookie = cookie.max_age(cookie::time::Duration::ZERO);
    }
    HeaderValue::from_str(&cookie.build().to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, ConsoleError> {
    if !same_origin(&headers) {
        return Err(ConsoleError::FormRefused);
    }
    let lang = Lang::of_request(&headers);
    let words = Words::new(lang);
    let refuse = |problem: String, status: axum::http::StatusCode| -> Result<Response, ConsoleError> {
        let chrome = Chrome::public(lang, "sign_in.title", "/console/sign-in");
        let page =
            SignInPage { chrome, back: form.back.clone(), staff_id: form.staff_id.clone(), problem: Some(problem) };
        render(&page).map(|response| (status, response).into_response())
    };
    let account = staff::account_key(&form.staff_id);
    let known = device::known_browser(&state.secret_key, &headers, &account);
    let admitted = match state.sign_in_throttle.admit(&account, address, known.as_deref()) {
        Ok(admitted) => admitted,
        Err(wait) => {
            let minutes = wait.div_ceil(60);
            return refuse(words.t_n("sign_in.wait", minutes), axum::http::StatusCode::TOO_MANY_REQUESTS);
        }
    };
    // A wrong password keeps its try counted (the throttle counted it when it was let in).
    let staff_id = match staff::check_sign_in(&state.db, &account, &form.password).await {
        Ok(Some(staff_id)) => staff_id,
        Ok(None) => return refuse(words.t("sign_in.refused").into_owned(), axum::http::StatusCode::UNAUTHORIZED),
        Err(error) => {
            state.sign_in_throttle.give_back(admitted);
            return Err(error.into());
        }
    };
    state.sign_in_throttle.give_back(admitted);
    let Some(site) = staff::first_site(&state.db, &staff_id).await? else {
        return refuse(words.t("sign_in.no_site").into_owned(), axum::http::StatusCode::FORBIDDEN);
    };
    let token = sessions::start(&state.db, &staff_id, &site).await?;
    let back = if is_console_path(&form.back) { form.back } else { "/console".to_owned() };
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().append(SET_COOKIE, session_cookie(&state, &headers, &token));
    if known.is_none() {
        response.headers_mut().append(SET_COOKIE, known_browser_cookie(&state, &headers, &account));
    }
    Ok(response)
}

/// The cookie that makes this browser known to `account` (`device`): a year, HttpOnly.
fn known_browser_cookie(state: &AppState, headers: &HeaderMap, account: &str) -> HeaderValue {
    let cookie = Cookie::build((device::cookie_name(account), device::new_value(&state.secret_key, account)))
        .path("/console")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.is_https(headers))
        .max_age(cookie::time::Duration::days(365))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[derive(Debug, Deserialize)]
pub struct Nothing {}

pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    sessions::end(&state.db, &signed_in.session.token_digest).await?;
    let mut response = Redirect::to("/console/sign-in").into_response();
    response.headers_mut().insert(SET_COOKIE, session_cookie(&state, &headers, ""));
    Ok(response)
}

#[derive(Template)]
#[template(path = "console/password.html")]
struct PasswordPage {
    chrome: Chrome,
    first_time: bool,
    min_length: usize,
    current_problem: Option<String>,
    new_problem: Option<String>,
    again_problem: Option<String>,
}

async fn password_page(
    state: &AppState,
    signed_in: &SignedIn,
    problems: &[FieldProblem],
) -> Result<PasswordPage, ConsoleError> {
    let chrome =
        Chrome::signed_in(state, signed_in, "", Words::new(signed_in.lang).t("password.title"), PASSWORD_PATH).await?;
    let problem_of = |field: &str| problems.iter().find(|p| p.field == field).map(|p| chrome.t(&p.key).into_owned());
    Ok(PasswordPage {
        first_time: signed_in.session.must_change_password,
        min_length: password::MIN_LENGTH,
        current_problem: problem_of("current"),
        new_problem: problem_of("new"),
        again_problem: problem_of("again"),
        chrome,
    })
}

pub async fn password_form(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, ConsoleError> {
    render(&password_page(&state, &signed_in, &[]).await?)
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// The current password is checked like a sign-in, by the same throttle: a browser left
/// signed in does not let a passer-by guess the password by changing it.
pub async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    signed_in: SignedIn,
    headers: HeaderMap,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> Result<Response, ConsoleError> {
    let account = staff::account_key(signed_in.staff_id());
    let known = device::known_browser(&state.secret_key, &headers, &account);
    let admitted = match state.sign_in_throttle.admit(&account, address, known.as_deref()) {
        Ok(admitted) => admitted,
        Err(_) => {
            let problem = FieldProblem::new("current", "password.wait");
            let page = password_page(&state, &signed_in, &[problem]).await?;
            return render(&page).map(|r| (axum::http::StatusCode::TOO_MANY_REQUESTS, r).into_response());
        }
    };
    let changed =
        staff::change_own_password(&state.db, signed_in.staff_id(), &form.current, &form.new, &form.again).await;
    let wrong_current =
        matches!(&changed, Err(ServiceError::Form(problems)) if problems.iter().any(|p| p.field == "current"));
    if !wrong_current {
        state.sign_in_throttle.give_back(admitted);
    }
    match changed {
        Ok(()) => {}
        Err(ServiceError::Form(problems)) => {
            let page = password_page(&state, &signed_in, &problems).await?;
            return render(&page).map(|r| (axum::http::StatusCode::UNPROCESSABLE_ENTITY, r).into_response());
        }
        Err(other) => return Err(other.into()),
    }
    // Every session of this account ended, this one too; this browser goes on in a new one.
    let token = sessions::start(&state.db, signed_in.staff_id(), signed_in.site_id()).await?;
    let mut response = Redirect::to("/console?done=password_changed").into_response();
    response.headers_mut().insert(SET_COOKIE, session_cookie(&state, &headers, &token));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Chooses the console's language for this browser. Only a preference: no session needed,
/// but it must come from a console page.
pub async fn choose_language(headers: HeaderMap, Form(form): Form<LanguageForm>) -> Result<Response, ConsoleError> {
    if !same_origin(&headers) {
        return Err(ConsoleError::FormRefused);
    }
    let lang = Lang::from_tag(&form.lang).unwrap_or_default();
    let cookie = Cookie::build((LANGUAGE_COOKIE, lang.tag()))
        .path("/console")
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let back = if is_console_path(&form.back) { form.back } else { "/console".to_owned() };
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct SiteForm {
    site_id: String,
}

pub async fn switch_site(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CheckedForm(form): CheckedForm<SiteForm>,
) -> Result<Response, ConsoleError> {
    if !sessions::switch_site(&state.db, &signed_in.session, &form.site_id).await? {
        return Err(ConsoleError::NotAllowed);
    }
    Ok(Redirect::to("/console").into_response())
}
