//! A benchmark, not a test: `cargo xtask bench` runs it (it is ignored otherwise) and it prints
//! figures from the browser's real localStorage in headless Chromium:
//! - the cost of saving one record with 0, 5,000 and 20,000 records already queued;
//! - how many records fit under the real quota beside a cached roster and schedule.
#![cfg(target_arch = "wasm32")]

use jiayuan_domain::queue::{KeyValue, RecordQueue};
use jiayuan_domain::sync::{Action, Person};
use jiayuan_kiosk::storage::LocalStore;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// What the roster of 5,000 residents and 500 activities take (budgeted in the domain's test).
const CACHE_BUDGET: usize = 1_200_000;
const SAMPLES: usize = 500;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn clear() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

fn action(n: u64) -> Action {
    let resident_id = format!("resident-{:04}", n % 5000);
    if n % 5 == 0 {
        Action::SignUp { resident_id, activity_id: format!("2026-11-{:02}-after-school", 1 + n % 28), companions: 1 }
    } else {
        Action::SignIn { person: Person::Resident { resident_id } }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by `cargo xtask bench`"]
fn append_cost_and_capacity() {
    clear();
    let (mut queue, _) = RecordQueue::open(LocalStore::open().unwrap(), || "bench".into()).unwrap();
    let mut queued = 0u64;
    console_log!("kiosk record queue on localStorage (headless Chromium), per append:");
    for target in [0u64, 5_000, 20_000] {
        while queued < target {
            queue.append(queued as i64, action(queued)).unwrap();
            queued += 1;
        }
        let mut times = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let started = now_ms();
            queue.append(queued as i64, action(queued)).unwrap();
            times.push(now_ms() - started);
            queued += 1;
        }
        times.sort_by(f64::total_cmp);
        console_log!(
            "  with {target:>6} queued: median {:.3} ms, p95 {:.3} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.95)
        );
    }

    // Capacity: fill what the cache leaves, then count.
    clear();
    let mut filler = LocalStore::open().unwrap();
    filler.set("cache/reserved", &"x".repeat(CACHE_BUDGET)).unwrap();
    let (mut queue, _) = RecordQueue::open(LocalStore::open().unwrap(), || "bench".into()).unwrap();
    let mut count = 0u64;
    while queue.append(count as i64, action(count)).is_ok() {
        count += 1;
    }
    console_log!("records that fit beside a {CACHE_BUDGET}-character roster and schedule cache: {count} (goal: 50,000)");
    clear();
}
