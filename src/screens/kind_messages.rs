//! Screens that say something went wrong, kindly, and always offer a way on: nobody found,
//! a call for staff, a record that could not be saved.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{Screen, Session};

/// Where a way-on button goes: home starts over, with the same person's settings.
fn go(session: Session, screen: Screen) -> impl Fn() + Send + Sync + 'static {
    move || {
        if screen == Screen::Home {
            session.start_over();
        } else {
            session.go(screen.clone());
        }
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    view! {
        <ScreenFrame
            class="not-found"
            title=Signal::derive(move || t_string!(i18n, not_found_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, not_found_prompt).to_string())
        >
            <div class="choices">
                <TapButton class="choice" control="try-again" on_tap=go(session, Screen::Home) label=crate::text!(i18n, try_again) />
                <TapButton class="choice" control="help" on_tap=go(session, Screen::Help) label=crate::text!(i18n, need_help) />
            </div>
        </ScreenFrame>
    }
}

/// A sign big enough for staff across the room to see, and the way back.
#[component]
pub fn Help() -> impl IntoView {
    let i18n = use_i18n();
    staff_sign(
        crate::text!(i18n, help_title),
        crate::text!(i18n, help_prompt),
        Screen::Home,
        crate::text!(i18n, go_home),
    )
}

/// Someone who is not a listed guardian came for a child: never recorded as a pick-up; staff
/// check the child out in the console, with the reason.
#[component]
pub fn NotAGuardian() -> impl IntoView {
    let i18n = use_i18n();
    let (title, prompt) = (crate::text!(i18n, ask_staff_title), crate::text!(i18n, not_a_guardian_prompt));
    staff_sign(title, prompt, Screen::Menu, crate::text!(i18n, something_else))
}

/// The sign that calls staff, with one way on.
fn staff_sign(title: Signal<String>, prompt: Signal<String>, on: Screen, label: Signal<String>) -> impl IntoView {
    let session = Session::use_context();
    view! {
        <ScreenFrame class="help" title=title prompt=prompt>
            <div class="choices">
                <TapButton class="choice" control="help-way-on" on_tap=go(session, on) label=label />
            </div>
        </ScreenFrame>
    }
}

/// The record was not saved, and the resident is told so: never a false success.
#[component]
pub fn SaveFailed() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    view! {
        <ScreenFrame
            class="save-failed"
            title=Signal::derive(move || t_string!(i18n, save_failed_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, save_failed_prompt).to_string())
        >
            <div class="choices">
                <TapButton class="choice" control="help" on_tap=go(session, Screen::Help) label=crate::text!(i18n, need_help) />
                <TapButton class="choice" control="go-home" on_tap=go(session, Screen::Home) label=crate::text!(i18n, go_home) />
            </div>
        </ScreenFrame>
    }
}
