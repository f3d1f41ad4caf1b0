//! The staff console: server-rendered pages (askama templates, checked when the server is
//! compiled) at `/console`, forms that work without JavaScript, in 简体中文 and English.
//!
//! Each part has a folder of pages (`schedule/routes.rs`); what a page does is a service of the
//! community crate (`jiayuan_community::office::schedule`), which the CLI and the tests call too.

pub mod auth;
pub mod care;
pub mod cookies;
pub mod error;
pub mod form;
pub mod i18n;
pub mod kiosks;
pub mod log;
pub mod page;
pub mod reports;
pub mod roster;
pub mod schedule;
pub mod sign_in;
pub mod sign_ups;
pub mod sites;
pub mod staff;
pub mod time_bank;
pub mod today;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;
use error::ConsoleError;
use jiayuan_community::error::AppError;

/// The console's pages run no scripts and load nothing from elsewhere; forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console", get(today::routes::page))
        .route("/console/care", get(care::routes::show))
        .route("/console/care/settings", post(care::routes::set_settings))
        .route("/console/care/pick-up-alert", post(care::routes::set_pick_up_alert))
        .route("/console/care/{resident}/follow-up", post(care::routes::follow_up))
        .route("/console/notices/{id}/told", post(today::routes::told_by_phone))
        .route("/console/notices/{id}/no-answer", post(today::routes::no_answer))
        .route("/console/console.css", get(stylesheet))
        .route("/console/sign-in", get(sign_in::routes::sign_in_page).post(sign_in::routes::sign_in))
        .route("/console/sign-out", post(sign_in::routes::sign_out))
        .route(auth::PASSWORD_PATH, get(sign_in::routes::password_form).post(sign_in::routes::change_password))
        .route("/console/language", post(sign_in::routes::choose_language))
        .route("/console/site", post(sign_in::routes::switch_site))
        .route("/console/schedule", get(schedule::routes::week))
        .route("/console/schedule/sessions", post(schedule::routes::add_activity))
        .route("/console/schedule/sessions/new", get(schedule::routes::new_activity))
        .route(
            "/console/schedule/sessions/{id}",
            get(schedule::routes::session).post(schedule::routes::change_activity),
        )
        .route("/console/schedule/sessions/{id}/edit", get(schedule::routes::edit_activity))
        .route("/console/schedule/sessions/{id}/sheet", get(schedule::sheet::sign_in_sheet))
        .route("/console/schedule/sessions/{id}/cancel", post(schedule::routes::cancel_session))
        .route("/console/schedule/sessions/{id}/restore", post(schedule::routes::restore_session))
        .route("/console/schedule/sessions/{id}/remove", post(schedule::routes::remove_session))
        .route("/console/schedule/sessions/{id}/draw", post(schedule::draw::set_draw))
        .route("/console/schedule/sessions/{id}/pick-ups/{child_id}", post(schedule::handover::check_out))
        .route("/console/schedule/sessions/{id}/sign-ups", post(sign_ups::routes::sign_up))
        .route("/console/schedule/sessions/{id}/paper", post(sign_ups::routes::enter_paper))
        .route("/console/schedule/sessions/{id}/sign-ups/{resident_id}/cancel", post(sign_ups::routes::cancel))
        .route("/console/schedule/sessions/{id}/sign-ups/{resident_id}/move", post(sign_ups::routes::move_in_line))
        .route(
            "/console/schedule/recurring",
            get(schedule::routes::recurring_list).post(schedule::routes::add_recurring),
        )
        .route("/console/schedule/recurring/new", get(schedule::routes::new_recurring))
        .route("/console/schedule/recurring/{id}", post(schedule::routes::change_recurring))
        .route("/console/schedule/recurring/{id}/edit", get(schedule::routes::edit_recurring))
        .route("/console/schedule/recurring/{id}/end", post(schedule::routes::end_recurring))
        .route("/console/residents", get(roster::routes::search).post(roster::routes::add))
        .route("/console/residents/new", get(roster::routes::new_resident))
        .route("/console/residents/{id}", get(roster::routes::resident).post(roster::routes::change))
        .route("/console/residents/{id}/card", post(roster::routes::assign_card))
        .route("/console/residents/{id}/deactivate", post(roster::routes::deactivate))
        .route("/console/residents/{id}/reactivate", post(roster::routes::reactivate))
        .route("/console/residents/{id}/guardians", post(roster::guardians::add))
        .route("/console/residents/{id}/guardians/{guardian_id}/remove", post(roster::guardians::remove))
        .route("/console/residents/{id}/pick-up-contacts", post(roster::guardians::add_contact))
        .route("/console/residents/{id}/pick-up-contacts/{contact_id}/remove", post(roster::guardians::remove_contact))
        .route(
            "/console/uploads",
            get(roster::routes::upload_form)
                .post(roster::routes::receive)
                .layer(axum::extract::DefaultBodyLimit::max(jiayuan_community::office::upload::MAX_BYTES + 64 * 1024)),
        )
        .route("/console/uploads/{id}/apply", post(roster::routes::apply))
        .route("/console/sites", get(sites::routes::list).post(sites::routes::add))
        .route("/console/sites/rooms", post(sites::routes::add_room))
        .route("/console/sites/staff-pin", post(sites::routes::set_staff_pin))
        .route("/console/staff", get(staff::routes::list).post(staff::routes::add))
        .route("/console/staff/{id}", post(staff::routes::change))
        .route("/console/staff/{id}/remove", post(staff::routes::remove))
        .route("/console/staff/{id}/reset-password", post(staff::routes::reset_password))
        .route("/console/log", get(log::routes::page))
        .route("/console/reports", get(crate::console::reports::visits))
        .route("/console/reports/sessions", get(crate::console::reports::sessions))
        .route("/console/reports/demand", get(crate::console::reports::demand))
        .route("/console/reports/kiosks", get(crate::console::reports::kiosks))
        .route("/console/reports/communities", get(crate::console::reports::communities))
        .route("/console/reports/upward", get(crate::console::reports::upward))
        .route("/console/reports/records", get(crate::console::reports::records))
        .route("/console/reports/summary", get(crate::console::reports::summary))
        .route("/console/reports/satisfaction", get(crate::console::reports::satisfaction))
        .route("/console/reports/after-school", get(crate::console::reports::after_school))
        .route("/console/time-bank", get(time_bank::routes::show))
        .route("/console/time-bank/held/{id}/confirm", post(time_bank::routes::confirm))
        .route("/console/time-bank/honour", post(time_bank::routes::honour))
        .route("/console/time-bank/margin", post(time_bank::routes::set_margin))
        .route("/console/time-bank/{resident_id}/certificate", get(time_bank::routes::certificate))
        .route("/console/kiosks", get(kiosks::routes::list))
        .route("/console/kiosks/pairing-codes", post(kiosks::routes::make_pairing_code))
        .route("/console/kiosks/{kiosk_id}/revoke", post(kiosks::routes::revoke))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        // Pages show residents' names and phone digits: never kept by a browser or a proxy.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// A page, rendered; a template that fails is the server's failure.
pub fn render(page: &impl Template) -> Result<Response, ConsoleError> {
    page.render()
        .map(|html| Html(html).into_response())
        .map_err(|_| ConsoleError::App(AppError::Unfinished("showing a console page")))
}

/// `?done=…`: what the form before this page did, for its notice.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")],
        include_str!("../../assets/console.css"),
    )
}

/// Where a form may send the browser back to: a console page of this server, nowhere else.
pub fn is_console_path(path: &str) -> bool {
    (path == "/console" || path.starts_with("/console/") || path.starts_with("/console?"))
        && !path.contains("//")
        && !path.contains('\\')
        && path.bytes().all(|b| b.is_ascii_graphic())
}

/// Text from staff's files and forms in HTML built outside templates.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `text` as one value of a URL's query.
pub fn query_escape(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|pair| pair.trim_start_matches('=').to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_send_back_only_to_console_pages() {
        assert!(is_console_path("/console"));
        assert!(is_console_path("/console/schedule?week=2026-12-07"));
        assert!(!is_console_path("https://evil.example/console"));
        assert!(!is_console_path("//evil.example/console"));
        assert!(!is_console_path("/console//evil.example"));
        assert!(!is_console_path("/consoleevil"));
        assert!(!is_console_path("/console/\\evil"));
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(query_escape("/console/x?a=1&b=2"), "%2Fconsole%2Fx%3Fa%3D1%26b%3D2");
    }
}
