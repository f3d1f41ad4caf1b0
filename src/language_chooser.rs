//! Lets a resident switch the screen to their language.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::tap_button::TapButton;
use jiayuan_domain::Language;

/// One big button per language, each written in its own script so that a resident finds
/// theirs whatever the screen shows now.
#[component]
pub fn LanguageChooser() -> impl IntoView {
    let i18n = use_i18n();
    let buttons = Language::ALL.map(|language| {
        let is_current = move || i18n.get_locale() == language;
        view! {
            <TapButton
                class="language-button"
                control=format!("language-{}", language.tag())
                lang=language.tag()
                pressed=Signal::derive(is_current)
                on_tap=move || i18n.set_locale(language)
                label=Signal::stored(language.native_name().to_owned())
            />
        }
    });
    view! {
        <nav class="language-chooser" aria-label=move || t_string!(i18n, language_chooser_label)>
            <h2 class="visually-hidden">{crate::text!(i18n, choose_language)}</h2>
            {buttons}
        </nav>
    }
}
