//! The home screen: what a resident sees when they walk up to the kiosk.

use leptos::prelude::*;

use crate::clock::{long_date, use_now};
use crate::i18n::{t, t_string, use_i18n};
use crate::language::from_locale;
use crate::language_chooser::LanguageChooser;
use crate::service_worker;
use crate::sound_controls::SoundControls;
use crate::speech::Speech;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let now = use_now();
    let date = move || long_date(now.get(), from_locale(i18n.get_locale()));

    let speech = Speech::use_context();
    // The prompt, spoken when the screen appears and whenever its language changes.
    let prompt = move || {
        let stop = if i18n.get_locale_untracked() == crate::i18n::Locale::en { ". " } else { "。" };
        format!("{}{stop}{}", t_string!(i18n, welcome), t_string!(i18n, coming_soon))
    };
    let say_prompt = move || speech.say(&prompt(), from_locale(i18n.get_locale_untracked()));
    Effect::new(move |_| {
        let language = from_locale(i18n.get_locale());
        speech.say(&prompt(), language);
    });

    // Nobody is in the middle of anything here, so a new build may take over now.
    service_worker::set_at_home(true);
    on_cleanup(|| service_worker::set_at_home(false));

    view! {
        <section class="screen home" aria-labelledby="home-title">
            <p class="brand">{t!(i18n, app_name)}</p>
            <h1 id="home-title">{t!(i18n, welcome)}</h1>
            <p class="today">{move || t!(i18n, today, date = date)}</p>
            <p class="prompt">{t!(i18n, coming_soon)}</p>
            <div class="home-controls">
                <LanguageChooser />
                <SoundControls say_again=say_prompt />
            </div>
        </section>
    }
}
