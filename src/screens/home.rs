//! The home screen: what a resident sees when they walk up. A card scan works from here (and
//! from anywhere); without a card, a phone's last four digits or the household number; or
//! "I'm a visitor".

use jiayuan_domain::identity::IdentityKind;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{long_date, use_now};
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::service_worker;
use crate::state::{LocalData, Screen, Session};
use crate::words::fill;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let now = use_now();
    let date = move || long_date(now.get(), i18n.get_locale());

    // Nobody is in the middle of anything here, so a new build may take over now.
    service_worker::set_at_home(true);
    on_cleanup(|| service_worker::set_at_home(false));

    let go = move |screen: Screen| move || session.go(screen.clone());
    // Staff must know when a restart with the network down would show nothing.
    let changes = service_worker::controller_changes();
    let offline_note = move || {
        changes.track();
        (service_worker::offline_start() != service_worker::OfflineStart::Ready)
            .then(|| view! { <p class="staff-note">{crate::text!(i18n, offline_not_ready)}</p> })
    };
    // Records that cannot leave: staff must pair the kiosk (a power cut while pairing, a
    // kiosk set up without it).
    let sync = crate::sync::SyncEngine::use_context();
    let unpaired_alert = move || {
        let queued = data.queued.get();
        (queued > 0 && sync.credentials.with(Option::is_none)).then(|| {
            view! { <p class="alert" role="alert">{fill(t_string!(i18n, unpaired_with_records), &[("count", queued.to_string())])}</p> }
        })
    };
    let storage_alert = move || {
        (data.failed_saves.get() > 0 || data.storage_broken() || data.given_up.with(|t| t.count > 0))
            .then(|| view! { <p class="alert" role="alert">{crate::text!(i18n, storage_alert)}</p> })
    };
    view! {
        <ScreenFrame
            class="home"
            title=Signal::derive(move || t_string!(i18n, welcome).to_string())
            prompt=Signal::derive(move || t_string!(i18n, home_prompt).to_string())
        >
            <p class="today">{Signal::derive(move || fill(t_string!(i18n, today), &[("date", date())]))}</p>
            {storage_alert}
            {unpaired_alert}
            {offline_note}
            <div class="choices">
                <TapButton class="choice" control="phone" on_tap=go(Screen::Keypad(IdentityKind::PhoneLast4)) label=crate::text!(i18n, use_phone) />
                <TapButton class="choice" control="household" on_tap=go(Screen::Keypad(IdentityKind::Household)) label=crate::text!(i18n, use_household) />
                <TapButton class="choice" control="visitor" on_tap=move || actions.visitor_sign_in() label=crate::text!(i18n, i_am_visitor) />
                <TapButton class="choice" control="help" on_tap=go(Screen::Help) label=crate::text!(i18n, need_help) />
            </div>
        </ScreenFrame>
    }
}
