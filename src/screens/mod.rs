//! The resident screens, one per file, each one decision. `show` picks the screen for the
//! session's state.

pub mod activity;
pub mod activity_card;
pub mod browse;
pub mod children;
pub mod companions;
pub mod confirm_cancel;
pub mod confirmation;
pub mod frame;
pub mod home;
pub mod identify;
pub mod idle_warning;
pub mod keypad;
pub mod kind_messages;
pub mod menu;
pub mod my_sign_ups;
pub mod pager;
pub mod pick;
pub mod rate;
pub mod tap_button;
pub mod tell;

use leptos::prelude::*;

use crate::staff::StaffPanel;
use crate::state::Screen;

pub fn show(screen: Screen) -> AnyView {
    match screen {
        Screen::Home => view! { <home::Home /> }.into_any(),
        Screen::Keypad(kind) => view! { <identify::IdentifyByKeypad kind=kind /> }.into_any(),
        Screen::Pick(ids) => view! { <pick::Pick ids=ids /> }.into_any(),
        Screen::NotFound => view! { <kind_messages::NotFound /> }.into_any(),
        Screen::Help => view! { <kind_messages::Help /> }.into_any(),
        Screen::NotAGuardian => view! { <kind_messages::NotAGuardian /> }.into_any(),
        Screen::Children { activity_id, picking_up } => {
            view! { <children::Children activity_id=activity_id picking_up=picking_up /> }.into_any()
        }
        Screen::SaveFailed => view! { <kind_messages::SaveFailed /> }.into_any(),
        Screen::Tell(notice) => view! { <tell::Tell notice=notice /> }.into_any(),
        Screen::Rate(session) => view! { <rate::RateSession session=session /> }.into_any(),
        Screen::Menu => view! { <menu::Menu /> }.into_any(),
        Screen::Browse { day, page } => view! { <browse::Browse day=day page=page /> }.into_any(),
        Screen::Activity(id) => view! { <activity::ActivityDetails id=id /> }.into_any(),
        Screen::Companions(id) => view! { <companions::Companions id=id /> }.into_any(),
        Screen::MySignUps { page } => view! { <my_sign_ups::MySignUps page=page /> }.into_any(),
        Screen::ConfirmCancel(id) => view! { <confirm_cancel::ConfirmCancel id=id /> }.into_any(),
        Screen::Confirmation(confirmation) => {
            view! { <confirmation::ConfirmationScreen confirmation=confirmation /> }.into_any()
        }
        Screen::Staff => view! { <StaffPanel /> }.into_any(),
    }
}
