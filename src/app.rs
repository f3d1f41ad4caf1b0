//! The kiosk's root: language context and the screen being shown.

use leptos::prelude::*;

use crate::home::Home;
use crate::i18n::{I18nContextProvider, use_i18n};
use crate::language::to_locale;
use jiayuan_domain::Language;

#[component]
pub fn App() -> impl IntoView {
    view! {
        // No cookie: the language belongs to the resident at the screen, not to the machine.
        <I18nContextProvider enable_cookie=false>
            <Kiosk />
        </I18nContextProvider>
    }
}

#[component]
fn Kiosk() -> impl IntoView {
    // The i18n library starts from the browser's languages; a kiosk starts in the
    // community's language whatever the browser was installed with.
    use_i18n().set_locale(to_locale(Language::default()));
    view! {
        <main class="kiosk">
            <Home />
        </main>
    }
}
