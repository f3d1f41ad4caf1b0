//! A big on-screen number pad: 1-9, 0, Delete, an optional "-" for household numbers, and OK.
//! Keys are at least 96 px with 16 px between them; what is typed shows large above.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::state::Session;

#[component]
pub fn Keypad(
    value: RwSignal<String>,
    max_len: usize,
    /// Household numbers need "-" between building, unit and room.
    #[prop(optional)]
    with_dash: bool,
    /// PINs show dots, not digits.
    #[prop(optional)]
    secret: bool,
    on_ok: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let press = move |key: &'static str| {
        move |_| {
            // Every key is its own control: "1", "1" typed deliberately 400 ms apart both count.
            if session.accept_tap(&format!("key-{key}")) {
                value.update(|v| {
                    if v.chars().count() < max_len {
                        v.push_str(key);
                    }
                });
            }
        }
    };
    let delete = move |_| {
        if session.accept_tap("key-delete") {
            value.update(|v| {
                v.pop();
            });
        }
    };
    let ok = move |_| {
        if session.accept_tap("key-ok") {
            on_ok(value.get_untracked());
        }
    };
    let shown = move || {
        let typed = value.get();
        if secret { "●".repeat(typed.chars().count()) } else { typed }
    };
    let digit = move |key: &'static str| view! { <button class="key" on:click=press(key)>{key}</button> };
    view! {
        <div class="keypad">
            <p class="typed" aria-live="polite">
                <span class="visually-hidden">{t!(i18n, typed_label)}</span>
                <output class="typed-value">{shown}</output>
            </p>
            <div class="keys">
                {digit("1")}{digit("2")}{digit("3")}
                {digit("4")}{digit("5")}{digit("6")}
                {digit("7")}{digit("8")}{digit("9")}
                {if with_dash { digit("-").into_any() } else { view! { <span class="key-space"></span> }.into_any() }}
                {digit("0")}
                <button class="key key-delete" on:click=delete>{t!(i18n, key_delete)}</button>
            </div>
            <button class="key-ok" on:click=ok>{t!(i18n, key_ok)}</button>
        </div>
    }
}
