//! Today's date as residents say it, in the screen's language.

use js_sys::{Date, Object, Reflect};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsValue;

use jiayuan_domain::Language;

/// A signal holding now's time, refreshed every 20 seconds: enough for a date and a clock
/// shown in minutes.
pub fn use_now() -> ReadSignal<f64> {
    let (now, set_now) = signal(Date::now());
    if let Ok(handle) =
        set_interval_with_handle(move || set_now.set(Date::now()), Duration::from_secs(20))
    {
        on_cleanup(move || handle.clear());
    }
    now
}

/// "11月21日 星期六", "11月21日 星期六", "Saturday, 21 November" in the browser's own calendar
/// code, which costs the kiosk no bytes of locale data.
pub fn long_date(millis: f64, language: Language) -> String {
    let options = Object::new();
    for (key, value) in [("weekday", "long"), ("month", "long"), ("day", "numeric")] {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let locale = match language {
        Language::En => "en-GB",
        other => other.tag(),
    };
    Date::new(&JsValue::from_f64(millis))
        .to_locale_date_string(locale, &options)
        .into()
}
