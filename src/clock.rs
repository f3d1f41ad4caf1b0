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
    if let Ok(handle) = set_interval_with_handle(move || set_now.set(Date::now()), Duration::from_secs(20)) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// "11月21日 星期六", "11月21日 星期六", "Saturday, 21 November" in the browser's own calendar
/// code, which costs the kiosk no bytes of locale data.
pub fn long_date(millis: f64, language: Language) -> String {
    formatted(millis, language, &[("weekday", "long"), ("month", "long"), ("day", "numeric")])
}

fn formatted(millis: f64, language: Language, parts: &[(&str, &str)]) -> String {
    let options = Object::new();
    for (key, value) in parts {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let locale = match language {
        Language::En => "en-GB",
        other => other.tag(),
    };
    Date::new(&JsValue::from_f64(millis)).to_locale_date_string(locale, &options).into()
}

/// Now, in ms since 1970, by the kiosk's clock (kept as a record's "happened at").
pub fn now_ms() -> i64 {
    Date::now() as i64
}

/// The community's civil date and time now, read from the kiosk's clock in its own time zone
/// (kiosks are set to the community's zone when installed).
pub fn local_now() -> (time::Date, time::Time) {
    local_at(Date::now())
}

pub fn local_at(millis: f64) -> (time::Date, time::Time) {
    let js = Date::new(&JsValue::from_f64(millis));
    let month = time::Month::try_from(js.get_month() as u8 + 1).unwrap_or(time::Month::January);
    let date = time::Date::from_calendar_date(js.get_full_year() as i32, month, js.get_date() as u8)
        .unwrap_or(time::Date::MIN);
    let time = time::Time::from_hms(js.get_hours() as u8, js.get_minutes() as u8, 0).unwrap_or(time::Time::MIDNIGHT);
    (date, time)
}

/// "09:12": how times are written on every screen, in every language.
pub fn hour_minute(time: time::Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// The kiosk-clock time of `millis` as "09:12".
pub fn time_of(millis: i64) -> String {
    hour_minute(local_at(millis as f64).1)
}

/// "11月22日 星期日" / "Sunday, 22 November" for a civil date.
pub fn day_name(date: time::Date, language: Language) -> String {
    let js = Date::new_with_year_month_day(date.year() as u32, date.month() as i32 - 1, date.day() as i32);
    long_date(js.get_time(), language)
}

/// A civil date and time in the kiosk's zone, as ms since 1970.
pub fn ms_at(date: time::Date, time: time::Time) -> i64 {
    let js = Date::new_with_year_month_day_hr_min(
        date.year() as u32,
        date.month() as i32 - 1,
        date.day() as i32,
        time.hour() as i32,
        time.minute() as i32,
    );
    js.get_time() as i64
}

/// "22日周日" / "Sun 22": short enough for eight days in one row of buttons.
pub fn short_day(date: time::Date, language: Language) -> String {
    let js = Date::new_with_year_month_day(date.year() as u32, date.month() as i32 - 1, date.day() as i32);
    formatted(js.get_time(), language, &[("weekday", "short"), ("day", "numeric")])
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
