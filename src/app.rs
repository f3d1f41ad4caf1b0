//! The kiosk's root: language context and the screen being shown.

use leptos::prelude::*;

use crate::home::Home;
use crate::i18n::{I18nSubContextProvider, use_i18n};
use crate::language::{from_locale, to_locale};
use crate::large_text::LargeText;
use crate::speech::Speech;
use jiayuan_domain::Language;

#[component]
pub fn App() -> impl IntoView {
    view! {
        // A kiosk starts in the community's language whatever the browser was installed with,
        // and keeps no cookie: the language belongs to the resident at the screen.
        <I18nSubContextProvider initial_locale=to_locale(Language::default())>
            <Kiosk />
        </I18nSubContextProvider>
    }
}

#[component]
fn Kiosk() -> impl IntoView {
    let i18n = use_i18n();
    Speech::provide();
    let large_text = LargeText::provide();
    // Screen readers, fonts and (later) speech follow the page's language.
    Effect::new(move |_| {
        let tag = from_locale(i18n.get_locale()).tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    view! {
        <main class="kiosk" class:large-text=move || large_text.on.get()>
            <Home />
        </main>
    }
}
