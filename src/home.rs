//! The home screen: what a resident sees when they walk up to the kiosk.

use leptos::prelude::*;

use crate::clock::{long_date, use_now};
use crate::i18n::{t, use_i18n};
use crate::language::from_locale;
use crate::language_chooser::LanguageChooser;
use crate::service_worker;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let now = use_now();
    let date = move || long_date(now.get(), from_locale(i18n.get_locale()));

    // Nobody is in the middle of anything here, so a new build may take over now.
    service_worker::set_at_home(true);
    on_cleanup(|| service_worker::set_at_home(false));

    view! {
        <section class="screen home" aria-labelledby="home-title">
            <p class="brand">{t!(i18n, app_name)}</p>
            <h1 id="home-title">{t!(i18n, welcome)}</h1>
            <p class="today">{move || t!(i18n, today, date = date)}</p>
            <p class="prompt">{t!(i18n, coming_soon)}</p>
            <LanguageChooser />
        </section>
    }
}
