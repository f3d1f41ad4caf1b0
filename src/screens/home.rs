//! The home screen: what a resident sees when they walk up. A card scan works from here (and
//! from anywhere); without a card, a phone's last four digits or the household number; or
//! "I'm a visitor".

use jiayuan_domain::identity::IdentityKind;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{long_date, use_now};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::from_locale;
use crate::screens::frame::ScreenFrame;
use crate::service_worker;
use crate::state::{LocalData, Screen, Session};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let now = use_now();
    let date = move || long_date(now.get(), from_locale(i18n.get_locale()));

    // Nobody is in the middle of anything here, so a new build may take over now.
    service_worker::set_at_home(true);
    on_cleanup(|| service_worker::set_at_home(false));

    let go = move |control: &'static str, screen: Screen| {
        move |_| {
            if session.accept_tap(control) {
                session.go(screen.clone());
            }
        }
    };
    let visitor = move |_| {
        if session.accept_tap("visitor") {
            actions.visitor_sign_in();
        }
    };
    let storage_alert = move || {
        (data.failed_saves.get() > 0 || data.storage_broken() || !data.moved_aside.get().is_empty())
            .then(|| view! { <p class="alert" role="alert">{t!(i18n, storage_alert)}</p> })
    };
    view! {
        <ScreenFrame
            class="home"
            title=Signal::derive(move || t_string!(i18n, welcome).to_string())
            prompt=Signal::derive(move || t_string!(i18n, home_prompt).to_string())
        >
            <p class="today">{move || t!(i18n, today, date = date)}</p>
            {storage_alert}
            <div class="choices">
                <button class="choice" on:click=go("phone", Screen::Keypad(IdentityKind::PhoneLast4))>{t!(i18n, use_phone)}</button>
                <button class="choice" on:click=go("household", Screen::Keypad(IdentityKind::Household))>{t!(i18n, use_household)}</button>
                <button class="choice" on:click=visitor>{t!(i18n, i_am_visitor)}</button>
                <button class="choice" on:click=go("help", Screen::Help)>{t!(i18n, need_help)}</button>
            </div>
        </ScreenFrame>
    }
}
