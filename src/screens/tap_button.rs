//! The one button every control on the kiosk is: a tap acts once, however a trembling hand
//! lands it. A second tap on the same control within 400 ms, or a tap within 400 ms of a new
//! screen (the tail of a double tap that changed it), does nothing (`Session::accept_tap`).

use leptos::prelude::*;

use crate::state::Session;

#[component]
pub fn TapButton(
    /// Names the control for the tap guard.
    #[prop(into)]
    control: String,
    /// What the tap does, once accepted.
    #[prop(into)]
    on_tap: Callback<()>,
    #[prop(optional)] class: &'static str,
    /// For toggles and choices (language, large text): announced as pressed or not.
    #[prop(optional, into)]
    pressed: Option<Signal<bool>>,
    #[prop(optional, into)] disabled: Option<Signal<bool>>,
    /// The language of the button's own words, when it differs from the screen's.
    #[prop(optional)]
    lang: Option<&'static str>,
    /// The button's words (`text!`), for most buttons.
    #[prop(optional, into)]
    label: Option<Signal<String>>,
    /// What the button shows, for buttons with more than words (an activity's card).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let session = Session::use_context();
    view! {
        <button
            class=class
            lang=lang
            aria-pressed=move || pressed.map(|pressed| pressed.get().to_string())
            disabled=move || disabled.is_some_and(|disabled| disabled.get())
            on:click=move |_| {
                if session.accept_tap(&control) {
                    on_tap.run(());
                }
            }
        >
            {label}
            {children.map(|children| children())}
        </button>
    }
}
