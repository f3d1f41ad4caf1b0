//! What staff see: the kiosk's id and pairing, records waiting, children still in the room at
//! today's after-school care as the kiosk knows it, the last sync and its problem,
//! progress of a long sync, storage used against the quota, the clock's difference from the
//! server's, the app version; "sync now", pairing, and the way back to the resident screens.

use jiayuan_domain::journal::Tally;
use jiayuan_domain::pin_lock::PinLock;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::{now_ms, time_of, use_now};
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::keypad::Keypad;
use crate::screens::tap_button::TapButton;
use crate::staff::problem_words::problem_words;
use crate::state::LocalData;
use crate::storage::{self, key_value};
use crate::sync::{Problem, SyncEngine};
use crate::words::fill;

#[component]
pub fn StaffPanel() -> impl IntoView {
    let data = LocalData::use_context();
    let unlocked = RwSignal::new(!data.catalog.with_untracked(|c| c.needs_staff_pin()));
    move || {
        if unlocked.get() {
            view! { <Status /> }.into_any()
        } else {
            view! { <PinEntry unlocked=unlocked /> }.into_any()
        }
    }
}

/// Where the staff PIN's lock is kept, so a reload does not undo it.
const PIN_LOCK_KEY: &str = "jy/pin-lock";

#[component]
fn PinEntry(unlocked: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalData::use_context();
    let value = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let lock = RwSignal::new(key_value::load::<PinLock>(PIN_LOCK_KEY).unwrap_or_default());
    let now = use_now();
    let locked_minutes = Memo::new(move |_| lock.get().locked_for(now.get() as i64).map(|ms| (ms + 59_999) / 60_000));
    let on_ok = move |pin: String| {
        let at = now_ms();
        if lock.get_untracked().locked_for(at).is_some() {
            return;
        }
        if data.catalog.with_untracked(|c| c.is_staff_pin(&pin)) {
            lock.update(PinLock::right);
            unlocked.set(true);
        } else {
            lock.update(|lock| lock.wrong(at));
            wrong.set(true);
            value.set(String::new());
        }
        // Kept at once: a reload must not give the guesser five more tries.
        let _ = key_value::save(PIN_LOCK_KEY, &lock.get_untracked());
    };
    let prompt = Signal::derive(move || match locked_minutes.get() {
        Some(minutes) => fill(t_string!(i18n, pin_locked), &[("minutes", minutes.to_string())]),
        None if wrong.get() => t_string!(i18n, wrong_pin).to_string(),
        None => t_string!(i18n, pin_prompt).to_string(),
    });
    view! {
        <ScreenFrame
            class="staff-pin"
            title=Signal::derive(move || t_string!(i18n, staff_title).to_string())
            prompt=prompt
            back=crate::state::Screen::Home
        >
            {move || locked_minutes.get().is_none().then(|| view! { <Keypad value=value max_len=8 secret=true on_ok=on_ok /> })}
        </ScreenFrame>
    }
}

#[component]
fn Status() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalData::use_context();
    let sync = SyncEngine::use_context();
    let pairing = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let pair_problem = RwSignal::new(None::<Problem>);

    let kiosk = move || {
        sync.credentials.with(|c| match c {
            None => t_string!(i18n, not_paired).to_string(),
            Some(c) if c.refused => format!("{} ({})", c.kiosk_id, t_string!(i18n, revoked)),
            Some(c) => c.kiosk_id.clone(),
        })
    };
    // The room's name in the panel's language, as the pull brought it; its id until then.
    let room = move || {
        let id = sync.credentials.with(|c| c.as_ref().map(|c| c.room_id.clone()));
        let language = i18n.get_locale();
        id.map(|id| data.catalog.with(|c| c.room(&id).map(|room| room.name.get(language).to_owned())).unwrap_or(id))
            .unwrap_or_else(|| "—".into())
    };
    // The community's zone, and a plain word to the technician when the device's differs.
    let zone = move || {
        let device = crate::clock::device_offset_minutes(now_ms() as f64);
        match crate::clock::community_offset_minutes() {
            Some(community) if community != device => fill(
                t_string!(i18n, zone_differs),
                &[("device", crate::clock::offset_name(device)), ("community", crate::clock::offset_name(community))],
            ),
            Some(community) => crate::clock::offset_name(community),
            None => crate::clock::offset_name(device),
        }
    };
    let last_sync = move || {
        sync.status.with(|s| s.last_success_ms.map(time_of)).unwrap_or_else(|| t_string!(i18n, never).to_string())
    };
    let last_problem = move || {
        sync.status
            .with(|s| s.last_problem.as_ref().map(problem_words))
            .unwrap_or_else(|| t_string!(i18n, none).to_string())
    };
    let progress = move || {
        sync.status.with(|s| s.progress).map(|(sent, total)| {
            fill(t_string!(i18n, progress), &[("sent", (sent).to_string()), ("total", (total).to_string())])
        })
    };
    // What the browser lets the kiosk keep, and whether it promised not to clear it.
    let usage = RwSignal::new(None::<(f64, f64)>);
    let kept = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        data.queued.track();
        spawn_local(async move {
            usage.set(storage::usage_and_quota().await);
            kept.set(Some(storage::keep_when_disk_is_short().await));
        });
    });
    let storage_used = move || match usage.get() {
        // Whole kilobytes and tenths of a percent: float formatting would cost the kiosk ~10 KB.
        Some((used, quota)) if quota > 0.0 => {
            let tenths = (used * 1000.0 / quota) as u64;
            format!("{}.{}% ({} KB / {} KB)", tenths / 10, tenths % 10, used as u64 / 1024, quota as u64 / 1024)
        }
        _ => "—".into(),
    };
    let storage_kept = move || match kept.get() {
        Some(true) => t_string!(i18n, yes).to_string(),
        Some(false) => t_string!(i18n, no).to_string(),
        None => "—".into(),
    };
    let offline = move || {
        match crate::service_worker::offline_start() {
            crate::service_worker::OfflineStart::Ready => t_string!(i18n, offline_ready),
            crate::service_worker::OfflineStart::NotSecure => t_string!(i18n, offline_not_secure),
            crate::service_worker::OfflineStart::NotYet => t_string!(i18n, offline_not_yet),
        }
        .to_string()
    };
    let tally = |tally: Tally| {
        let numbers: Vec<String> = tally.latest.iter().map(u64::to_string).collect();
        if tally.count == 0 { "0".to_owned() } else { format!("{} ({})", tally.count, numbers.join(", ")) }
    };
    let skew = move || {
        sync.status
            .with(|s| s.skew_ms)
            .map(|ms| fill(t_string!(i18n, seconds), &[("count", (ms / 1000).to_string())]))
            .unwrap_or_else(|| "—".into())
    };
    let sync_label = move || {
        if sync.status.with(|s| s.running) { t_string!(i18n, syncing) } else { t_string!(i18n, sync_now) }.to_string()
    };
    let on_pair = move |typed: String| {
        spawn_local(async move {
            match sync.pair(typed.trim()).await {
                Ok(()) => {
                    pairing.set(false);
                    pair_problem.set(None);
                }
                Err(problem) => pair_problem.set(Some(problem)),
            }
            code.set(String::new());
        });
    };
    let row = |label: String, value: Box<dyn Fn() -> String + Send + Sync>, class: &'static str| {
        view! { <tr class=class><th scope="row">{label}</th><td>{value}</td></tr> }
    };
    let body = move || {
        if pairing.get() {
            view! {
                <p class="prompt">{crate::text!(i18n, pair_prompt)}</p>
                {move || pair_problem.get().map(|p| view! { <p class="alert" role="alert">{problem_words(&p)}</p> })}
                <Keypad value=code max_len=8 on_ok=on_pair />
            }
            .into_any()
        } else {
            view! {
                <table class="staff-status">
                    <tbody>
                        {row(t_string!(i18n, kiosk_id).to_string(), Box::new(kiosk), "kiosk-id")}
                        {row(t_string!(i18n, room).to_string(), Box::new(room), "kiosk-room")}
                        {row(t_string!(i18n, queued).to_string(), Box::new(move || data.queued.get().to_string()), "queued")}
                        {row(t_string!(i18n, children_in_room).to_string(), Box::new(move || data.children_in_the_room_today().to_string()), "children-in-room")}
                        {row(t_string!(i18n, last_sync).to_string(), Box::new(last_sync), "last-sync")}
                        {row(t_string!(i18n, last_error).to_string(), Box::new(last_problem), "last-error")}
                        {row(t_string!(i18n, storage_used).to_string(), Box::new(storage_used), "storage")}
                        {row(t_string!(i18n, storage_kept).to_string(), Box::new(storage_kept), "storage-kept")}
                        {row(t_string!(i18n, storage_problem).to_string(), Box::new(move || data.storage_problem.get().unwrap_or_else(|| t_string!(i18n, none).to_string())), "storage-problem")}
                        {row(t_string!(i18n, clock_skew).to_string(), Box::new(skew), "skew")}
                        {row(t_string!(i18n, time_zone).to_string(), Box::new(zone), "time-zone")}
                        {row(t_string!(i18n, records_not_saved).to_string(), Box::new(move || data.failed_saves.get().to_string()), "failed-saves")}
                        {row(t_string!(i18n, given_up).to_string(), Box::new(move || tally(data.given_up.get())), "given-up")}
                        {row(t_string!(i18n, refused).to_string(), Box::new(move || tally(data.refused.get())), "refused")}
                        {row(t_string!(i18n, offline_start).to_string(), Box::new(offline), "offline-start")}
                        {row(t_string!(i18n, version).to_string(), Box::new(|| env!("CARGO_PKG_VERSION").to_owned()), "version")}
                    </tbody>
                </table>
                <p class="progress" aria-live="polite">{Signal::derive(move || progress().unwrap_or_default())}</p>
                <div class="choices">
                    <TapButton class="choice primary" control="sync-now" on_tap=move || sync.kick() label=Signal::derive(sync_label) />
                    <TapButton class="choice" control="pair" on_tap=move || pairing.set(true)
                        label=Signal::derive(move || if sync.credentials.with(Option::is_some) { t_string!(i18n, pair_again) } else { t_string!(i18n, pair) }.to_string()) />
                </div>
            }
            .into_any()
        }
    };
    view! {
        <ScreenFrame
            class="staff"
            title=Signal::derive(move || t_string!(i18n, staff_title).to_string())
            prompt=Signal::derive(String::new)
            back=crate::state::Screen::Home
        >
            {body}
        </ScreenFrame>
    }
}
