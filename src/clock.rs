//! Today's date as residents say it, in the screen's language, by the community's calendar.
//!
//! The community's offset from UTC comes with each pull (the server's `--utc-offset`), so a
//! kiosk whose device was left on another zone (many vendors ship them on UTC) still shows the
//! community's today, its dates and its check-in times; until the first pull, the device's zone.

use js_sys::{Date, Object, Reflect};
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::JsValue;

use jiayuan_domain::Language;

const MINUTE_MS: f64 = 60_000.0;
const DAY_MS: i64 = 86_400_000;
/// The Julian day of 1970-01-01, where milliseconds since 1970 begin.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

thread_local! {
    static COMMUNITY_OFFSET_MINUTES: Cell<Option<i32>> = const { Cell::new(None) };
}

/// Follow the community's calendar from now on (the offset a pull brought).
pub fn follow_community(offset_minutes: Option<i32>) {
    COMMUNITY_OFFSET_MINUTES.with(|offset| offset.set(offset_minutes));
}

/// The community's offset from UTC in minutes, as the last pull said it.
pub fn community_offset_minutes() -> Option<i32> {
    COMMUNITY_OFFSET_MINUTES.with(Cell::get)
}

/// The device's own offset from UTC at `millis`, in minutes (east positive).
pub fn device_offset_minutes(millis: f64) -> i32 {
    -(Date::new(&JsValue::from_f64(millis)).get_timezone_offset() as i32)
}

/// "UTC+8", "UTC-5:30": how staff read an offset.
pub fn offset_name(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    if rest == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{rest:02}") }
}

/// The offset the kiosk's dates follow at `millis`: the community's, or the device's before
/// the first pull.
fn offset_at(millis: f64) -> i32 {
    community_offset_minutes().unwrap_or_else(|| device_offset_minutes(millis))
}

/// A Date whose UTC fields read as the community's wall clock at `millis`.
fn wall_clock(millis: f64) -> Date {
    Date::new(&JsValue::from_f64(millis + f64::from(offset_at(millis)) * MINUTE_MS))
}

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
    let (date, _) = local_at(millis);
    day_name(date, language)
}

/// `parts` of the day `utc_millis` falls on in UTC, in `language`.
fn formatted(utc_millis: f64, language: Language, parts: &[(&str, &str)]) -> String {
    let options = Object::new();
    for (key, value) in parts.iter().chain(&[("timeZone", "UTC")]) {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let locale = match language {
        Language::En => "en-GB",
        other => other.tag(),
    };
    Date::new(&JsValue::from_f64(utc_millis)).to_locale_date_string(locale, &options).into()
}

/// Noon of `date` in UTC, in ms since 1970: the day written out in UTC is that date.
fn utc_noon(date: time::Date) -> f64 {
    let days = i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY;
    (days * DAY_MS + DAY_MS / 2) as f64
}

/// Now, in ms since 1970, by the kiosk's clock (kept as a record's "happened at").
pub fn now_ms() -> i64 {
    Date::now() as i64
}

/// The community's civil date and time now.
pub fn local_now() -> (time::Date, time::Time) {
    local_at(Date::now())
}

/// The community's civil date and time at `millis`.
pub fn local_at(millis: f64) -> (time::Date, time::Time) {
    let js = wall_clock(millis);
    let month = time::Month::try_from(js.get_utc_month() as u8 + 1).unwrap_or(time::Month::January);
    let date = time::Date::from_calendar_date(js.get_utc_full_year() as i32, month, js.get_utc_date() as u8)
        .unwrap_or(time::Date::MIN);
    let time =
        time::Time::from_hms(js.get_utc_hours() as u8, js.get_utc_minutes() as u8, 0).unwrap_or(time::Time::MIDNIGHT);
    (date, time)
}

/// "09:12": how times are written on every screen, in every language.
pub fn hour_minute(time: time::Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// The community's time of `millis` as "09:12".
pub fn time_of(millis: i64) -> String {
    hour_minute(local_at(millis as f64).1)
}

/// "11月22日 星期日" / "Sunday, 22 November" for a civil date.
pub fn day_name(date: time::Date, language: Language) -> String {
    formatted(utc_noon(date), language, &[("weekday", "long"), ("month", "long"), ("day", "numeric")])
}

/// A civil date and time of the community, as ms since 1970.
pub fn ms_at(date: time::Date, time: time::Time) -> i64 {
    let days = i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY;
    let wall = days * DAY_MS + i64::from(time.hour()) * 3_600_000 + i64::from(time.minute()) * 60_000;
    let offset = offset_at(wall as f64);
    wall - i64::from(offset) * 60_000
}

/// "22日周日" / "Sun 22": short enough for eight days in one row of buttons.
pub fn short_day(date: time::Date, language: Language) -> String {
    formatted(utc_noon(date), language, &[("weekday", "short"), ("day", "numeric")])
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
