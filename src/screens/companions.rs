//! "Is anyone coming with you?" for activities that allow a grandchild or a spouse along:
//! one tap on Just me, or on how many more.

use leptos::prelude::*;

use crate::actions::Actions;
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen};
use crate::words::fill;

#[component]
pub fn Companions(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let allowed = data.catalog.with_untracked(|c| c.activity(&id).map(|a| a.activity.companions_allowed)).unwrap_or(0);
    let back = Screen::Activity(id.clone());
    let choice = move |count: u8| {
        let id = id.clone();
        let label = move || {
            if count == 0 {
                t_string!(i18n, just_me).to_string()
            } else {
                fill(t_string!(i18n, with_companions), &[("count", (count).to_string())])
            }
        };
        view! { <TapButton class="choice" control="companions" on_tap=move || actions.sign_up(id.clone(), count) label=Signal::derive(label) /> }
    };
    let choices = jiayuan_domain::seats::companion_choices(allowed).map(choice).collect_view();
    view! {
        <ScreenFrame
            class="companions"
            title=Signal::derive(move || t_string!(i18n, companions_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, companions_prompt).to_string())
            back=back
        >
            <div class="choices">{choices}</div>
        </ScreenFrame>
    }
}
