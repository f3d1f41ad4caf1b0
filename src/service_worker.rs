//! Keeps the kiosk's app shell available offline and swaps in new builds safely.
//!
//! `public/sw.js` precaches the exact files of this build. A new build's worker installs in
//! the background and waits; this module lets it take over (and reloads the page) only while
//! the home screen is showing, so a resident is never interrupted mid-flow.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// A kiosk left running for weeks still asks for new builds this often.
const UPDATE_CHECK: Duration = Duration::from_secs(15 * 60);
/// The message `sw.js` waits for before a new worker takes over.
const TAKE_OVER: &str = "jiayuan-take-over";

/// Whether the kiosk can start with the network down, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineStart {
    Ready,
    /// Not a secure context (`http://` by a LAN name): browsers give it no service worker.
    NotSecure,
    /// Secure, but the service worker does not control the page yet (first visit, a moment).
    NotYet,
}

/// Where the kiosk stands now.
pub fn offline_start() -> OfflineStart {
    let Some(window) = web_sys::window() else { return OfflineStart::NotSecure };
    if !window.is_secure_context()
        || !js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false)
    {
        return OfflineStart::NotSecure;
    }
    if window.navigator().service_worker().controller().is_some() { OfflineStart::Ready } else { OfflineStart::NotYet }
}

/// Counts the service worker's changes of control, so screens can look again.
pub fn controller_changes() -> leptos::prelude::ReadSignal<u32> {
    CONTROLLER_CHANGES.with(|(read, _)| *read)
}

thread_local! {
    static CONTROLLER_CHANGES: (leptos::prelude::ReadSignal<u32>, leptos::prelude::WriteSignal<u32>) = leptos::prelude::signal(0);
    static AT_HOME: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<Option<ServiceWorker>> = const { RefCell::new(None) };
    static TAKE_OVER_ASKED: Cell<bool> = const { Cell::new(false) };
}

/// Registers `sw.js`. Where the browser has no service workers (an insecure origin other
/// than localhost), the kiosk still runs, only without the offline shell.
pub fn register() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let supported = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !supported {
        web_sys::console::warn_1(&"Jiayuan: no service worker support; offline start is off".into());
        return;
    }
    let container = navigator.service_worker();
    reload_when_new_build_takes_over(&container);
    let registering = container.register("/sw.js");
    spawn_local(async move {
        match JsFuture::from(registering).await {
            Ok(registration) => watch_for_new_builds(registration.unchecked_into()),
            Err(error) => web_sys::console::warn_2(&"Jiayuan: service worker not registered".into(), &error),
        }
    });
}

/// Tells this module whether the home screen (no resident mid-flow) is showing.
pub fn set_at_home(at_home: bool) {
    AT_HOME.with(|cell| cell.set(at_home));
    take_over_if_safe();
}

fn watch_for_new_builds(registration: ServiceWorkerRegistration) {
    if let Some(waiting) = registration.waiting() {
        remember_waiting(waiting);
    }
    let watched = registration.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            info("Jiayuan: update found, but no installing worker");
            return;
        };
        let worker = installing.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
            // A new worker that installs while an old one controls the page waits for us.
            let controlled =
                web_sys::window().map(|w| w.navigator().service_worker().controller().is_some()).unwrap_or(false);
            if worker.state() == ServiceWorkerState::Installed && controlled {
                remember_waiting(worker.clone());
            }
        });
        installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        on_state_change.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();

    let check = Closure::<dyn FnMut()>::new(move || {
        // A failed check (offline) is retried at the next interval.
        let _ = registration.update();
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            check.as_ref().unchecked_ref(),
            UPDATE_CHECK.as_millis() as i32,
        );
    }
    check.forget();
}

fn remember_waiting(worker: ServiceWorker) {
    info("Jiayuan: a new build is installed and waits for the home screen");
    WAITING.with(|waiting| *waiting.borrow_mut() = Some(worker));
    take_over_if_safe();
}

fn take_over_if_safe() {
    if !AT_HOME.with(Cell::get) {
        return;
    }
    let Some(worker) = WAITING.with(|waiting| waiting.borrow_mut().take()) else { return };
    TAKE_OVER_ASKED.with(|asked| asked.set(true));
    info("Jiayuan: asking the new build to take over");
    if let Err(error) = worker.post_message(&TAKE_OVER.into()) {
        web_sys::console::warn_2(&"Jiayuan: new build could not take over".into(), &error);
    }
}

fn reload_when_new_build_takes_over(container: &web_sys::ServiceWorkerContainer) {
    let on_controller_change = Closure::<dyn FnMut()>::new(move || {
        CONTROLLER_CHANGES.with(|(_, write)| leptos::prelude::Update::update(write, |n| *n += 1));
        // The first install also changes the controller; only a take-over we asked for
        // means the page runs old code under a new build.
        if TAKE_OVER_ASKED.with(Cell::get) {
            info("Jiayuan: the new build took over; reloading");
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();
}

/// Service worker lifecycle events are rare and worth seeing in a kiosk's console.
fn info(message: &str) {
    web_sys::console::info_1(&message.into());
}
