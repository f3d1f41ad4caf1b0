//! The hidden way in for staff: five taps on the kiosk's name within three seconds. Residents
//! do not tap a name, and if one does, the next screen asks for the staff PIN and offers the
//! way back.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::state::{Screen, Session};

const TAPS: usize = 5;
const WITHIN_MS: f64 = 3_000.0;

#[component]
pub fn SecretTaps() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let taps = StoredValue::new(Vec::<f64>::new());
    let on_tap = move |_| {
        let now = js_sys::Date::now();
        let open = taps
            .try_update_value(|taps| {
                taps.retain(|at| now - at < WITHIN_MS);
                taps.push(now);
                taps.len() >= TAPS
            })
            .unwrap_or(false);
        if open {
            taps.update_value(Vec::clear);
            session.forget_resident();
            session.go(Screen::Staff);
        }
    };
    // Not a button: it offers residents nothing, so it is not announced as one.
    view! { <p class="brand" on:click=on_tap>{crate::text!(i18n, app_name)}</p> }
}
