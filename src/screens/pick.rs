//! Several residents share a phone's last digits or a household: each taps their own masked
//! name (张*华), never a full name.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::identify::welcome;
use crate::screens::tap_button::TapButton;
use crate::state::session::Resident;
use crate::state::{LocalData, Screen, Session};

#[component]
pub fn Pick(ids: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let residents: Vec<Resident> = data.catalog.with_untracked(|catalog| {
        ids.iter()
            .filter_map(|id| catalog.resident(id))
            .map(|r| Resident { id: r.id.clone(), display_name: r.display_name.clone() })
            .collect()
    });
    let buttons = residents
        .into_iter()
        .map(|resident| {
            let name = resident.display_name.clone();
            let control = format!("pick-{}", resident.id);
            view! { <TapButton class="choice resident-name" control=control on_tap=move || welcome(session, data, resident.clone()) label=Signal::stored(name) /> }
        })
        .collect_view();
    view! {
        <ScreenFrame
            class="pick"
            title=Signal::derive(move || t_string!(i18n, pick_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, pick_prompt).to_string())
            back=Screen::Home
        >
            <div class="choices">{buttons}</div>
        </ScreenFrame>
    }
}
