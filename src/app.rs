//! The kiosk's root: the language, the kiosk's data and sync engine, who is at the screen,
//! and the screen being shown.

use leptos::prelude::*;

use crate::actions::Actions;
use crate::card_reader;
use crate::i18n::{I18nSubContextProvider, use_i18n};
use crate::large_text::LargeText;
use crate::screens::{self, idle_warning::IdleWarning};
use crate::speech::Speech;
use crate::state::{LocalData, Session};
use crate::sync::SyncEngine;
use jiayuan_domain::Language;

#[component]
pub fn App() -> impl IntoView {
    view! {
        // A kiosk starts in the community's language whatever the browser was installed with,
        // and keeps no cookie: the language belongs to the resident at the screen.
        <I18nSubContextProvider initial_locale=Language::default()>
            <Kiosk />
        </I18nSubContextProvider>
    }
}

#[component]
fn Kiosk() -> impl IntoView {
    let i18n = use_i18n();
    Speech::provide();
    let large_text = LargeText::provide();
    let session = Session::provide();
    let data = LocalData::provide();
    let sync = SyncEngine::start(data);
    Actions::provide(session, data, sync);
    card_reader::listen(session, data);
    // Screen readers, fonts and speech follow the page's language.
    Effect::new(move |_| {
        let tag = i18n.get_locale().tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    // The next person starts in the community's language, with normal text and sound on.
    let speech = Speech::use_context();
    Effect::new(move |previous: Option<u64>| {
        let forgotten = session.forgotten.get();
        if previous.is_some_and(|previous| previous != forgotten) {
            i18n.set_locale(Language::default());
            large_text.on.set(false);
            speech.enabled.set(true);
        }
        forgotten
    });
    view! {
        <main class="kiosk" class:large-text=move || large_text.on.get()>
            {move || screens::show(session.screen.get())}
            <IdleWarning />
        </main>
    }
}
