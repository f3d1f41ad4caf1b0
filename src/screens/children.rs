//! After-school care (托管): a guardian taps the children they are dropping off (送来) or
//! picking up (接走) — their masked names, all chosen to begin with, so a grandmother with both
//! grandchildren taps once — then 好了. A drop-off is the child's check-in and a pick-up a
//! record of its own; every one is on the disk before the screen says so (`Actions::hand_over`).
//! Picking up, a child this kiosk knows was picked up already is not offered, and the screen
//! says so. A child it does not know was dropped off (at a kiosk still offline) is offered too:
//! the server pairs them.

use leptos::prelude::*;

use crate::actions::Actions;
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};
use crate::words::fill;

#[component]
pub fn Children(activity_id: String, picking_up: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let mut children = data.children_of(&session.resident_id().unwrap_or_default());
    // Picking up, those this kiosk knows went home already are said, not offered.
    let picked_up = if picking_up { data.children_here(&activity_id).picked_up } else { Vec::new() };
    let gone: Vec<String> =
        children.iter().filter(|(id, _)| picked_up.contains(id)).map(|(_, name)| name.clone()).collect();
    children.retain(|(id, _)| !picked_up.contains(id));
    let none_left = children.is_empty();
    let chosen = RwSignal::new(children.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let buttons = children
        .into_iter()
        .map(|(id, name)| {
            let control = format!("child-{id}");
            let is_chosen = {
                let id = id.clone();
                Signal::derive(move || chosen.with(|c| c.contains(&id)))
            };
            let toggle = move || {
                chosen.update(|c| match c.iter().position(|chosen| *chosen == id) {
                    Some(at) => drop(c.remove(at)),
                    None => c.push(id.clone()),
                })
            };
            view! { <TapButton class="choice resident-name" control=control on_tap=toggle pressed=is_chosen label=Signal::stored(name) /> }
        })
        .collect_view();
    let done = move || actions.hand_over(activity_id.clone(), chosen.get_untracked(), picking_up);
    view! {
        <ScreenFrame
            class="children"
            title=Signal::derive(move || if picking_up { t_string!(i18n, pick_up_title) } else { t_string!(i18n, drop_off_title) }.to_string())
            prompt=Signal::derive(move || {
                let mut said = String::new();
                if !gone.is_empty() {
                    said = fill(t_string!(i18n, already_picked_up), &[("names", gone.join("、"))]);
                }
                if !none_left {
                    said.push_str(t_string!(i18n, children_prompt));
                }
                said
            })
            back=Screen::Menu
        >
            <div class="choices">
                {buttons}
                {(!none_left).then(|| view! { <TapButton class="choice primary" control="children-done" on_tap=done disabled=Signal::derive(move || chosen.with(Vec::is_empty)) label=crate::text!(i18n, children_done) /> })}
            </div>
        </ScreenFrame>
    }
}
