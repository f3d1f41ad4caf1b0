//! What every resident screen shares: the name at the top (five taps open the staff panel),
//! the heading and prompt (spoken when the screen appears and whenever the language changes),
//! and at the bottom Back, the languages and the sound and text controls.

use jiayuan_domain::Language;
use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::language_chooser::LanguageChooser;
use crate::screens::tap_button::TapButton;
use crate::sound_controls::SoundControls;
use crate::speech::Speech;
use crate::staff::secret_taps::SecretTaps;
use crate::state::{Screen, Session};
use crate::words::fill;

/// The heading and prompt, joined as speech wants them: a full stop between, in the
/// language's own punctuation.
fn spoken(title: &str, prompt: &str, language: Language) -> String {
    if prompt.is_empty() {
        return title.to_owned();
    }
    let ended = title.ends_with(['。', '！', '？', '.', '!', '?']);
    match (language, ended) {
        (Language::En, true) => format!("{title} {prompt}"),
        (Language::En, false) => format!("{title}. {prompt}"),
        (_, true) => format!("{title}{prompt}"),
        (_, false) => format!("{title}。{prompt}"),
    }
}

#[component]
pub fn ScreenFrame(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] prompt: Signal<String>,
    /// Where "Back" goes; no Back button when None.
    #[prop(optional)]
    back: Option<Screen>,
    /// A class naming the screen, for styling and tests.
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let speech = Speech::use_context();
    let say = move || {
        let language = i18n.get_locale_untracked();
        speech.say(&spoken(&title.get_untracked(), &prompt.get_untracked(), language), language);
    };
    Effect::new(move |_| {
        let language = i18n.get_locale();
        speech.say(&spoken(&title.get(), &prompt.get(), language), language);
    });
    let greeting = move || {
        session.resident.get().map(|resident| view! { <p class="greeting">{Signal::derive(move || fill(t_string!(i18n, hello), &[("name", resident.display_name.clone())]))}</p> })
    };
    let back_button = back.map(|back| {
        view! { <TapButton class="back-button" control="back" on_tap=move || session.go(back.clone()) label=crate::text!(i18n, back) /> }
    });
    let done_button = move || {
        session.resident.get().map(|_| {
            view! { <TapButton class="done-button" control="done" on_tap=move || session.forget() label=crate::text!(i18n, done) /> }
        })
    };
    view! {
        <section class=format!("screen {class}") aria-labelledby="screen-title">
            <header class="screen-header">
                <SecretTaps />
                {greeting}
                {done_button}
            </header>
            <h1 id="screen-title">{title}</h1>
            <p class="prompt">{prompt}</p>
            <div class="screen-body">{children()}</div>
            <footer class="screen-footer">
                {back_button}
                <LanguageChooser />
                <SoundControls say_again=say />
            </footer>
        </section>
    }
}
