//! Every prompt is also spoken, in the screen's language, slowly and clearly: many residents
//! cannot read small text, some cannot read at all. On by default; residents can turn it off
//! and ask for the prompt again.

use leptos::prelude::*;

use jiayuan_domain::Language;

/// Slower than the browser's default, for older listeners.
const RATE: f32 = 0.85;

/// Whether the kiosk speaks, shared by every screen.
#[derive(Debug, Clone, Copy)]
pub struct Speech {
    pub enabled: RwSignal<bool>,
}

impl Speech {
    pub fn provide() -> Speech {
        let speech = Speech { enabled: RwSignal::new(true) };
        provide_context(speech);
        speech
    }

    pub fn use_context() -> Speech {
        use_context::<Speech>().unwrap_or_else(Speech::provide)
    }

    /// Says `text` now, cutting off whatever was being said; nothing when speech is off or the
    /// browser cannot speak.
    pub fn say(&self, text: &str, language: Language) {
        if self.enabled.get_untracked() {
            say(text, language);
        }
    }

    /// Turns speech off (stopping at once) or back on.
    pub fn toggle(&self) {
        let now_enabled = !self.enabled.get_untracked();
        self.enabled.set(now_enabled);
        if !now_enabled && let Some(synthesis) = synthesis() {
            synthesis.cancel();
        }
    }
}

fn synthesis() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// The voice's language: Mandarin for both scripts (traditional-script readers here speak
/// Mandarin), English otherwise.
fn voice_language(language: Language) -> &'static str {
    match language {
        Language::ZhHans => "zh-CN",
        Language::ZhHant => "zh-TW",
        Language::En => "en-GB",
    }
}

fn say(text: &str, language: Language) {
    let Some(synthesis) = synthesis() else { return };
    let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else { return };
    utterance.set_lang(voice_language(language));
    utterance.set_rate(RATE);
    synthesis.cancel();
    synthesis.speak(&utterance);
}
