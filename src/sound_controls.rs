//! The buttons every screen shows for eyes and ears: say the prompt again, sound off/on, and
//! large text.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::large_text::LargeTextButton;
use crate::screens::tap_button::TapButton;
use crate::speech::Speech;

/// `say_again` speaks the screen's prompt once more.
#[component]
pub fn SoundControls(say_again: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let speech = Speech::use_context();
    let enabled = speech.enabled;
    view! {
        <div class="sound-controls" role="group" aria-label=move || t_string!(i18n, sound_controls_label)>
            <TapButton class="sound-button" control="say-again" on_tap=say_again disabled=Signal::derive(move || !enabled.get()) label=crate::text!(i18n, say_again) />
            <TapButton class="sound-button" control="sound" on_tap=move || speech.toggle()
                label=Signal::derive(move || if enabled.get() { t_string!(i18n, sound_off) } else { t_string!(i18n, sound_on) }.to_string()) />
            <LargeTextButton />
        </div>
    }
}
