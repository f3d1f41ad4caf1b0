//! Lets a resident switch the screen to their language.

use leptos::prelude::*;

use crate::i18n::{t, t_string, use_i18n};
use crate::language::{from_locale, to_locale};
use jiayuan_domain::Language;

/// One big button per language, each written in its own script so that a resident finds
/// theirs whatever the screen shows now.
#[component]
pub fn LanguageChooser() -> impl IntoView {
    let i18n = use_i18n();
    let buttons = Language::ALL.map(|language| {
        let is_current = move || from_locale(i18n.get_locale()) == language;
        view! {
            <button
                class="language-button"
                lang=language.tag()
                aria-pressed=move || is_current().to_string()
                on:click=move |_| i18n.set_locale(to_locale(language))
            >
                {language.native_name()}
            </button>
        }
    });
    view! {
        <nav class="language-chooser" aria-label=move || t_string!(i18n, language_chooser_label)>
            <h2 class="visually-hidden">{t!(i18n, choose_language)}</h2>
            {buttons}
        </nav>
    }
}
