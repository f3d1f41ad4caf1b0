//! A big on-screen number pad: 1-9, 0, Delete, an optional "-" for household numbers, and OK.
//! Keys are at least 96 px with 16 px between them; what is typed shows large above.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::screens::tap_button::TapButton;

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
    let press = move |key: &'static str| {
        move || {
            value.update(|v| {
                if v.chars().count() < max_len {
                    v.push_str(key);
                }
            })
        }
    };
    let delete = move || {
        value.update(|v| {
            v.pop();
        })
    };
    let ok = move || on_ok(value.get_untracked());
    let shown = move || {
        let typed = value.get();
        if secret { "●".repeat(typed.chars().count()) } else { typed }
    };
    // Every key is its own control: "1", "1" typed deliberately 400 ms apart both count.
    let digit = move |key: &'static str| view! { <TapButton class="key" control=format!("key-{key}") on_tap=press(key) label=Signal::stored(key.to_owned()) /> };
    view! {
        <div class="keypad">
            <p class="typed" aria-live="polite">
                <span class="visually-hidden">{crate::text!(i18n, typed_label)}</span>
                <output class="typed-value">{shown}</output>
            </p>
            <div class="keys">
                {digit("1")}{digit("2")}{digit("3")}
                {digit("4")}{digit("5")}{digit("6")}
                {digit("7")}{digit("8")}{digit("9")}
                {if with_dash { digit("-").into_any() } else { view! { <span class="key-space"></span> }.into_any() }}
                {digit("0")}
                <TapButton class="key key-delete" control="key-delete" on_tap=delete label=crate::text!(i18n, key_delete) />
            </div>
            <TapButton class="key-ok" control="key-ok" on_tap=ok label=crate::text!(i18n, key_ok) />
        </div>
    }
}
