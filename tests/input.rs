//! Card readers, trembling taps and long pauses, as the kiosk's input rules see them.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message
#![cfg(target_arch = "wasm32")]

use jiayuan_kiosk::input::card_scan::CardScanDetector;
use jiayuan_kiosk::input::idle::{IdlePhase, IdleTimer};
use jiayuan_kiosk::input::tap_guard::TapGuard;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Types `text` then Enter, `gap_ms` apart, returning what the detector reported.
fn type_keys(detector: &mut CardScanDetector, text: &str, start_ms: f64, gap_ms: f64) -> Vec<String> {
    let mut at = start_ms;
    let mut found = Vec::new();
    for c in text.chars() {
        found.extend(detector.key(&c.to_string(), at));
        at += gap_ms;
    }
    found.extend(detector.key("Enter", at));
    found
}

#[wasm_bindgen_test]
fn a_card_reader_burst_is_a_scan() {
    let mut detector = CardScanDetector::default();
    assert_eq!(type_keys(&mut detector, "6201100037", 0.0, 8.0), ["6201100037"]);
    // And the next card after it.
    assert_eq!(type_keys(&mut detector, "6201100074", 5_000.0, 12.0), ["6201100074"]);
}

#[wasm_bindgen_test]
fn a_person_typing_the_same_digits_is_not_a_scan() {
    let mut detector = CardScanDetector::default();
    assert!(type_keys(&mut detector, "6201100037", 0.0, 150.0).is_empty());
    // Even a very fast typist.
    assert!(type_keys(&mut detector, "6201100037", 10_000.0, 80.0).is_empty());
}

#[wasm_bindgen_test]
fn short_bursts_and_interruptions_are_not_scans() {
    let mut detector = CardScanDetector::default();
    assert!(type_keys(&mut detector, "12345", 0.0, 5.0).is_empty(), "too short for a card");
    let mut at = 1_000.0;
    for c in "620110".chars() {
        assert_eq!(detector.key(&c.to_string(), at), None);
        at += 5.0;
    }
    assert_eq!(detector.key("Shift", at), None);
    assert_eq!(detector.key("Enter", at + 5.0), None, "a burst broken by another key is not a card");
    // Slow keys then a fast burst: only the burst counts.
    let mut detector = CardScanDetector::default();
    detector.key("9", 0.0);
    detector.key("9", 300.0);
    assert_eq!(type_keys(&mut detector, "6201100037", 600.0, 6.0), ["6201100037"]);
}

#[wasm_bindgen_test]
fn a_tremor_double_tap_acts_once() {
    let mut guard = TapGuard::default();
    assert!(guard.accept("sign-up:act-1", 1_000.0));
    assert!(!guard.accept("sign-up:act-1", 1_120.0), "the second tap of a tremor");
    assert!(!guard.accept("sign-up:act-1", 1_390.0));
    assert!(guard.accept("sign-up:act-1", 1_800.0), "a deliberate tap later counts");
    assert!(guard.accept("done", 1_850.0), "another control counts at once");
    assert!(guard.accept("done", 100.0), "a clock set back does not swallow taps until it catches up");
}

#[wasm_bindgen_test]
fn the_idle_warning_counts_down_and_can_be_extended() {
    let mut timer = IdleTimer::new(0.0);
    assert_eq!(timer.phase(59_999.0), IdlePhase::Active);
    assert_eq!(timer.phase(60_000.0), IdlePhase::Warning { seconds_left: 20 });
    assert_eq!(timer.phase(75_500.0), IdlePhase::Warning { seconds_left: 5 });
    // "I need more time", as often as needed.
    for extension in 1..=12 {
        let now = extension as f64 * 70_000.0;
        assert!(matches!(timer.phase(now + 1.0), IdlePhase::Warning { .. } | IdlePhase::Active));
        timer.touch(now);
        assert_eq!(timer.phase(now + 30_000.0), IdlePhase::Active);
    }
    let last = 12.0 * 70_000.0;
    assert_eq!(timer.phase(last + 80_000.0), IdlePhase::TimedOut);
}
