//! The buttons every screen shows for eyes and ears: say the prompt again, sound off/on, and
//! large text.

use leptos::prelude::*;

use crate::i18n::{t, t_string, use_i18n};
use crate::large_text::LargeTextButton;
use crate::speech::Speech;

/// `say_again` speaks the screen's prompt once more.
#[component]
pub fn SoundControls(say_again: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let speech = Speech::use_context();
    let enabled = speech.enabled;
    view! {
        <div class="sound-controls" role="group" aria-label=move || t_string!(i18n, sound_controls_label)>
            <button class="sound-button" on:click=move |_| say_again() disabled=move || !enabled.get()>
                {t!(i18n, say_again)}
            </button>
            <button class="sound-button" on:click=move |_| speech.toggle()>
                {move || if enabled.get() { t!(i18n, sound_off).into_any() } else { t!(i18n, sound_on).into_any() }}
            </button>
            <LargeTextButton />
        </div>
    }
}
