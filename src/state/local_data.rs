//! The kiosk's own data: the record queue (saved before any success is shown), the catalog
//! pulled from the server, and today's sign-ins. Shared by every screen and the sync engine.

use jiayuan_domain::catalog::{Catalog, Standing, standing};
use jiayuan_domain::queue::{OpenReport, RecordQueue, SaveError, StoreError};
use jiayuan_domain::sync::pull::PullResponse;
use jiayuan_domain::sync::{Action, KioskRecord, RecordResult};
use jiayuan_domain::visits::TodaysVisits;
use leptos::prelude::*;

use crate::clock::{local_now, now_ms};
use crate::storage::{LocalStore, json_entry};

const CATALOG_KEY: &str = "jy/catalog";
const VISITS_KEY: &str = "jy/visits";

#[derive(Clone, Copy)]
pub struct LocalData {
    queue: StoredValue<Result<RecordQueue<LocalStore>, StoreError>, LocalStorage>,
    pub catalog: RwSignal<Catalog>,
    /// Sign-ups and cancellations made here and not yet answered: they overtake the catalog's
    /// decisions until the server's answer comes (a small list, kept apart from the queue).
    pending_seats: RwSignal<Vec<KioskRecord>>,
    /// Records saved and not yet answered by the server.
    pub queued: RwSignal<u64>,
    /// Records a resident made that could not be saved (they were told so), for staff.
    pub failed_saves: RwSignal<u32>,
    pub moved_aside: RwSignal<Vec<String>>,
    visits: RwSignal<TodaysVisits>,
}

fn is_seat_record(record: &KioskRecord) -> bool {
    matches!(record.action, Action::SignUp { .. } | Action::Cancel { .. })
}

fn new_install_id() -> String {
    // 64 random bits from the browser's generator: with the record number, unique per kiosk.
    let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}", random(), random())
}

impl LocalData {
    pub fn open() -> LocalData {
        let opened = LocalStore::open().and_then(|store| RecordQueue::open(store, new_install_id));
        let (queue, report) = match opened {
            Ok((queue, report)) => (Ok(queue), report),
            Err(error) => (Err(error), OpenReport::default()),
        };
        let (pending_seats, queued) = match &queue {
            Ok(queue) => {
                let all = queue.pending(usize::MAX).unwrap_or_default();
                (all.into_iter().filter(is_seat_record).collect(), queue.pending_count())
            }
            Err(_) => (Vec::new(), 0),
        };
        let mut catalog: Catalog = json_entry::load(CATALOG_KEY).unwrap_or_default();
        catalog.drop_days_before(local_now().0);
        LocalData {
            queue: StoredValue::new_local(queue),
            catalog: RwSignal::new(catalog),
            pending_seats: RwSignal::new(pending_seats),
            queued: RwSignal::new(queued),
            failed_saves: RwSignal::new(0),
            moved_aside: RwSignal::new(report.moved_aside),
            visits: RwSignal::new(json_entry::load(VISITS_KEY).unwrap_or_default()),
        }
    }

    pub fn provide() -> LocalData {
        let data = LocalData::open();
        provide_context(data);
        data
    }

    pub fn use_context() -> LocalData {
        expect_context::<LocalData>()
    }

    /// Saves what a resident did. Only when this returns Ok may they be told it is done.
    pub fn save(&self, action: Action) -> Result<KioskRecord, SaveError> {
        let saved = self.queue.try_update_value(|queue| match queue {
            Ok(queue) => queue.append(now_ms(), action),
            Err(error) => Err(SaveError::from(error.clone())),
        });
        let result = saved.unwrap_or_else(|| Err(SaveError::Unavailable("the kiosk is shutting down".into())));
        match &result {
            Ok(record) => {
                if is_seat_record(record) {
                    self.pending_seats.update(|list| list.push(record.clone()));
                }
                self.queued.update(|n| *n += 1);
            }
            Err(_) => self.failed_saves.update(|n| *n += 1),
        }
        result
    }

    /// Up to `limit` records waiting for the server, oldest first.
    pub fn pending(&self, limit: usize) -> Result<Vec<KioskRecord>, StoreError> {
        self.queue
            .with_value(|queue| queue.as_ref().map_err(Clone::clone).and_then(|queue| queue.pending(limit)))
    }

    /// The number the server should see first from a newly paired kiosk.
    pub fn first_unanswered_seq(&self) -> u64 {
        self.pending(1).ok().and_then(|records| records.first().map(|r| r.seq)).unwrap_or_else(|| {
            self.queue.with_value(|queue| queue.as_ref().map(|q| q.next_seq()).unwrap_or(1))
        })
    }

    /// Keeps the server's answers, then lets go of the records they answer.
    pub fn save_answers(&self, results: &[RecordResult]) -> Result<(), StoreError> {
        let saved = self.queue.try_update_value(|queue| match queue {
            Ok(queue) => queue.save_answers(results).map(|()| queue.pending_count()),
            Err(error) => Err(error.clone()),
        });
        let left = saved.unwrap_or_else(|| Err(StoreError::Unavailable("the kiosk is shutting down".into())))?;
        self.queued.set(left);
        let answered: Vec<u64> = results.iter().map(|r| r.seq).collect();
        self.pending_seats.update(|list| list.retain(|r| !answered.contains(&r.seq)));
        Ok(())
    }

    /// Takes in a pull and keeps it for the next start. Keeping it may fail when storage is
    /// full; the kiosk then works from memory and the record queue keeps its room.
    pub fn apply_pull(&self, pull: PullResponse) {
        if !pull.reset && pull.rooms.is_empty() && pull.activities.is_empty() && pull.residents.is_empty()
            && pull.sign_ups.is_empty() && pull.deleted == Default::default()
            && self.catalog.with_untracked(|c| c.cursor == pull.cursor && c.staff_pin == pull.staff_pin)
        {
            return;
        }
        self.catalog.update(|catalog| {
            catalog.apply(pull);
            catalog.drop_days_before(local_now().0);
        });
        self.catalog.with_untracked(|catalog| {
            if let Err(error) = json_entry::save(CATALOG_KEY, catalog) {
                web_sys::console::warn_1(&format!("the catalog is kept in memory only: {error}").into());
            }
        });
    }

    /// Where `resident_id` stands for `activity_id`, counting what they did here since.
    pub fn standing(&self, resident_id: &str, activity_id: &str) -> Standing {
        let pending = self.pending_seats.get();
        self.catalog.with(|catalog| standing(catalog.decision(resident_id, activity_id), &pending, resident_id, activity_id))
    }

    /// Activity ids the resident has a seat, a place in line or a sign-up waiting for.
    pub fn signed_up_activities(&self, resident_id: &str) -> Vec<String> {
        let pending = self.pending_seats.get();
        let mut ids: Vec<String> = self.catalog.with(|catalog| {
            catalog.sign_ups.iter().filter(|s| s.resident_id == resident_id).map(|s| s.activity_id.clone()).collect()
        });
        for record in &pending {
            if let Action::SignUp { resident_id: r, activity_id, .. } = &record.action {
                if r == resident_id && !ids.contains(activity_id) {
                    ids.push(activity_id.clone());
                }
            }
        }
        ids.retain(|id| self.standing(resident_id, id).holds_or_wants_a_seat());
        ids
    }

    /// When the resident signed in here today, if they did.
    pub fn signed_in_at(&self, resident_id: &str) -> Option<i64> {
        let today = local_now().0;
        self.visits.with(|visits| visits.signed_in_at(today, resident_id))
    }

    /// Notes a sign-in already saved as a record; losing this note only costs the "you signed
    /// in at" message, as the server counts each resident once a day anyway.
    pub fn note_visit(&self, resident_id: &str, at_ms: i64) {
        let today = local_now().0;
        self.visits.update(|visits| visits.add(today, resident_id, at_ms));
        self.visits.with_untracked(|visits| {
            let _ = json_entry::save(VISITS_KEY, visits);
        });
    }

    pub fn storage_broken(&self) -> bool {
        self.queue.with_value(|queue| queue.is_err())
    }
}
