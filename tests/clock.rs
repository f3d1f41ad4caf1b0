//! The kiosk's calendar is the community's, whatever zone the browser runs in (headless
//! Chromium here runs in the machine's zone; the community is put twelve hours from it).
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message
#![cfg(target_arch = "wasm32")]

use jiayuan_domain::Language;
use jiayuan_kiosk::clock::{day_name, device_offset_minutes, follow_community, local_at, ms_at, offset_name};
use time::macros::{date, time};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// 2026-12-07 20:00 UTC.
const EVENING_UTC: f64 = 1_796_673_600_000.0;

#[wasm_bindgen_test]
fn dates_and_times_follow_the_communitys_offset_not_the_devices() {
    follow_community(Some(8 * 60));
    assert_eq!(local_at(EVENING_UTC), (date!(2026 - 12 - 08), time!(04:00)), "04:00 the next morning at +08:00");
    assert_eq!(ms_at(date!(2026 - 12 - 08), time!(04:00)), EVENING_UTC as i64);
    follow_community(Some(-5 * 60));
    assert_eq!(local_at(EVENING_UTC), (date!(2026 - 12 - 07), time!(15:00)));
    // A day's name is the same in any zone.
    assert_eq!(day_name(date!(2026 - 12 - 08), Language::ZhHans), "12月8日星期二");
    follow_community(None);
    let device = device_offset_minutes(EVENING_UTC);
    let (day, _) = local_at(EVENING_UTC);
    let midnight = ms_at(day, time!(00:00));
    assert!(
        midnight <= EVENING_UTC as i64 && EVENING_UTC as i64 - midnight < 86_400_000,
        "the device's zone ({device})"
    );
    assert_eq!(offset_name(480), "UTC+8");
    assert_eq!(offset_name(-330), "UTC-5:30");
    assert_eq!(offset_name(0), "UTC+0");
}
