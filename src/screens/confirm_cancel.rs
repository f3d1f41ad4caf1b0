//! "Cancel this sign-up?": a cancellation gives a seat away, so it takes a second, deliberate
//! tap on a differently worded button.

use leptos::prelude::*;

use crate::actions::Actions;
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};

#[component]
pub fn ConfirmCancel(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let title_text =
        data.catalog.with_untracked(|c| c.activity(&id).map(|a| a.activity.title.clone())).unwrap_or_default();
    let cancel_id = id.clone();
    view! {
        <ScreenFrame
            class="confirm-cancel"
            title=Signal::derive(move || t_string!(i18n, confirm_cancel_title).to_string())
            prompt=Signal::derive(move || title_text.get(i18n.get_locale()).to_owned())
            back=Screen::MySignUps { page: 0 }
        >
            <div class="choices">
                <TapButton class="choice" control="yes-cancel" on_tap=move || actions.cancel(cancel_id.clone()) label=crate::text!(i18n, yes_cancel) />
                <TapButton class="choice primary" control="no-keep" on_tap=move || session.go(Screen::MySignUps { page: 0 }) label=crate::text!(i18n, no_keep) />
            </div>
        </ScreenFrame>
    }
}
