//! Screens that say something went wrong, kindly, and always offer a way on: nobody found,
//! a call for staff, a record that could not be saved.

use leptos::prelude::*;

use crate::i18n::{t, t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::state::{Screen, Session};

fn button(session: Session, control: &'static str, screen: Screen) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        if session.accept_tap(control) {
            if screen == Screen::Home {
                session.forget();
            } else {
                session.go(screen.clone());
            }
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
                <button class="choice" on:click=button(session, "try-again", Screen::Home)>{t!(i18n, try_again)}</button>
                <button class="choice" on:click=button(session, "help", Screen::Help)>{t!(i18n, need_help)}</button>
            </div>
        </ScreenFrame>
    }
}

/// A sign big enough for staff across the room to see, and the way back.
#[component]
pub fn Help() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    view! {
        <ScreenFrame
            class="help"
            title=Signal::derive(move || t_string!(i18n, help_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, help_prompt).to_string())
        >
            <div class="choices">
                <button class="choice" on:click=button(session, "go-home", Screen::Home)>{t!(i18n, go_home)}</button>
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
                <button class="choice" on:click=button(session, "help", Screen::Help)>{t!(i18n, need_help)}</button>
                <button class="choice" on:click=button(session, "go-home", Screen::Home)>{t!(i18n, go_home)}</button>
            </div>
        </ScreenFrame>
    }
}
