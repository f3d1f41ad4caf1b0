//! Nobody has touched the screen for a minute: "Are you still there?" over everything, with
//! the seconds counting down and a big "I need more time". When the count reaches zero, home,
//! and the resident is forgotten (WCAG 2.2.1).

use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::input::idle::{IdlePhase, IdleTimer};
use crate::screens::tap_button::TapButton;
use crate::speech::Speech;
use crate::state::{Screen, Session};
use crate::words::fill;

fn now() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn IdleWarning() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let speech = Speech::use_context();
    let timer = StoredValue::new(IdleTimer::new(now()));
    let phase = RwSignal::new(IdlePhase::Active);

    let touched = move |_: web_sys::Event| timer.update_value(|t| t.touch(now()));
    for event in ["pointerdown", "keydown"] {
        let listener = window_event_listener_untyped(event, touched);
        on_cleanup(move || listener.remove());
    }
    let check = move || {
        if session.screen.with_untracked(|s| *s == Screen::Home) {
            timer.update_value(|t| t.touch(now()));
        }
        let next = timer.with_value(|t| t.phase(now()));
        if next == IdlePhase::TimedOut {
            timer.update_value(|t| t.touch(now()));
            phase.set(IdlePhase::Active);
            session.forget();
        } else if next != phase.get_untracked() {
            phase.set(next);
        }
    };
    if let Ok(interval) = set_interval_with_handle(check, Duration::from_millis(250)) {
        on_cleanup(move || interval.clear());
    }
    let showing = Memo::new(move |_| matches!(phase.get(), IdlePhase::Warning { .. }));
    Effect::new(move |_| {
        if showing.get() {
            let language = i18n.get_locale_untracked();
            let text = format!("{} {}", t_string!(i18n, still_there), t_string!(i18n, more_time));
            speech.say(&text, language);
        }
    });
    let seconds = move || match phase.get() {
        IdlePhase::Warning { seconds_left } => seconds_left,
        _ => 0,
    };
    let more_time = move || {
        timer.update_value(|t| t.touch(now()));
        phase.set(IdlePhase::Active);
    };
    move || {
        showing.get().then(|| {
            view! {
                <div class="idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-count">
                    <h2 id="idle-title">{crate::text!(i18n, still_there)}</h2>
                    <p id="idle-count" class="prompt">{Signal::derive(move || fill(t_string!(i18n, still_there_prompt), &[("seconds", seconds().to_string())]))}</p>
                    <TapButton class="choice primary" control="more-time" on_tap=more_time label=crate::text!(i18n, more_time) />
                </div>
            }
        })
    }
}
