//! The kiosk's own data: the journal of records (on the disk before any success is shown),
//! the catalog pulled from the server, and today's sign-ins. Shared by every screen and the
//! sync engine.

use std::rc::Rc;

use jiayuan_domain::catalog::{Catalog, Standing, standing};
use jiayuan_domain::journal::{KEEP_ANSWERED_MS, Tally};
use jiayuan_domain::sync::pull::PullResponse;
use jiayuan_domain::sync::{Action, KioskRecord, RecordResult};
use jiayuan_domain::visits::TodaysVisits;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::{local_now, now_ms, sleep};
use crate::state::visit_notes::VisitNotes;
use crate::storage::{Journal, StorageError, key_value};

const CATALOG_KEY: &str = "jy/catalog";
const VISITS_KEY: &str = "jy/visits";
/// A resident who taps in the first moments after a start waits this long at most for the
/// journal to open.
const OPENING_WAIT_MS: i32 = 10_000;

#[derive(Clone)]
enum JournalState {
    Opening,
    Open(Rc<Journal>),
    Broken(StorageError),
}

#[derive(Clone, Copy)]
pub struct LocalData {
    journal: StoredValue<JournalState, LocalStorage>,
    pub catalog: RwSignal<Catalog>,
    /// Sign-ups and cancellations made here and not yet answered: they overtake the catalog's
    /// decisions until the server's answer comes (a small list, kept apart from the journal).
    pending_seats: RwSignal<Vec<KioskRecord>>,
    /// Records saved and not yet answered by the server.
    pub queued: RwSignal<u64>,
    /// Records a resident made that could not be saved (they were told so), for staff.
    pub failed_saves: RwSignal<u32>,
    /// Record numbers given up (damaged or no longer held), and records refused for good.
    pub given_up: RwSignal<Tally>,
    pub refused: RwSignal<Tally>,
    /// Why the journal cannot be used, when it cannot.
    pub storage_problem: RwSignal<Option<String>>,
    visits: RwSignal<TodaysVisits>,
    pub(super) notes: RwSignal<VisitNotes>,
}

impl LocalData {
    /// The kiosk's data, with the journal opening in the background.
    pub fn provide() -> LocalData {
        let mut catalog: Catalog = key_value::load(CATALOG_KEY).unwrap_or_default();
        crate::clock::follow_community(catalog.utc_offset_minutes);
        catalog.drop_days_before(local_now().0);
        let data = LocalData {
            journal: StoredValue::new_local(JournalState::Opening),
            catalog: RwSignal::new(catalog),
            pending_seats: RwSignal::new(Vec::new()),
            queued: RwSignal::new(0),
            failed_saves: RwSignal::new(0),
            given_up: RwSignal::new(Tally::default()),
            refused: RwSignal::new(Tally::default()),
            storage_problem: RwSignal::new(
                (!key_value::available()).then(|| "localStorage is switched off".to_owned()),
            ),
            visits: RwSignal::new(key_value::load(VISITS_KEY).unwrap_or_default()),
            notes: RwSignal::default(),
        };
        provide_context(data);
        spawn_local(async move { data.open_journal().await });
        data
    }

    pub fn use_context() -> LocalData {
        expect_context::<LocalData>()
    }

    async fn open_journal(self) {
        match Journal::open().await {
            Ok((journal, opened)) => {
                if opened.moved_in > 0 {
                    web_sys::console::info_1(
                        &format!("moved {} records from localStorage into the journal", opened.moved_in).into(),
                    );
                }
                let journal = Rc::new(journal);
                // One read of the week's records: the seats still waiting for an answer, and
                // what the kiosk remembers of visits.
                let kept = journal.kept().await.unwrap_or_default();
                let unanswered_from = journal.first_unanswered();
                self.pending_seats.set(
                    kept.iter().filter(|r| r.seq >= unanswered_from && r.action.is_about_a_seat()).cloned().collect(),
                );
                self.show_meta(&journal);
                self.remember(&kept, unanswered_from);
                self.journal.set_value(JournalState::Open(Rc::clone(&journal)));
                journal.forget_answered(KEEP_ANSWERED_MS).await;
            }
            Err(error) => {
                web_sys::console::error_1(&format!("the journal cannot be opened: {error}").into());
                self.storage_problem.set(Some(error.to_string()));
                self.journal.set_value(JournalState::Broken(error));
            }
        }
    }

    fn show_meta(&self, journal: &Journal) {
        let meta = journal.meta();
        self.queued.set(meta.unanswered());
        self.given_up.set(meta.given_up);
        self.refused.set(meta.refused);
    }

    /// The number of the first record the server has not answered, once the journal is open.
    pub(super) fn unanswered_from(&self) -> Option<u64> {
        match self.journal.try_get_value() {
            Some(JournalState::Open(journal)) => Some(journal.first_unanswered()),
            _ => None,
        }
    }

    /// The journal, once open (waiting a little while it opens).
    async fn journal(&self) -> Result<Rc<Journal>, StorageError> {
        let mut waited = 0;
        loop {
            match self.journal.try_get_value() {
                Some(JournalState::Open(journal)) => return Ok(journal),
                Some(JournalState::Broken(error)) => return Err(error),
                None => return Err(StorageError::Unavailable("the kiosk is shutting down".into())),
                Some(JournalState::Opening) if waited >= OPENING_WAIT_MS => {
                    return Err(StorageError::Unavailable("the journal did not open in time".into()));
                }
                Some(JournalState::Opening) => {
                    sleep(20).await;
                    waited += 20;
                }
            }
        }
    }

    /// The children `guardian_id` collects from after-school care, as (id, masked name).
    pub fn children_of(&self, guardian_id: &str) -> Vec<(String, String)> {
        self.catalog.with_untracked(|catalog| {
            let ids = catalog.resident(guardian_id).map(|r| r.children.as_slice()).unwrap_or_default();
            ids.iter().filter_map(|id| catalog.resident(id)).map(|c| (c.id.clone(), c.display_name.clone())).collect()
        })
    }

    /// Saves what a resident did. Only when this returns Ok may they be told it is done: the
    /// record is then on the disk.
    pub async fn save(&self, action: Action) -> Result<KioskRecord, StorageError> {
        let result = match self.journal().await {
            Ok(journal) => journal.append(now_ms(), action).await,
            Err(error) => Err(error),
        };
        match &result {
            Ok(record) => {
                self.note_handover(&record.action);
                if record.action.is_about_a_seat() {
                    self.pending_seats.update(|list| list.push(record.clone()));
                }
                self.queued.update(|n| *n += 1);
            }
            Err(_) => self.failed_saves.update(|n| *n += 1),
        }
        result
    }

    /// Up to `limit` records to send from number `from`, one per number.
    pub async fn outbox(&self, from: u64, limit: usize) -> Result<Vec<KioskRecord>, StorageError> {
        self.journal().await?.outbox(from, limit, now_ms()).await
    }

    /// Where the server's answers stand: the number of the first record still unanswered.
    /// Keeps `text` under `key` with the journal's durability (see `Journal::keep`).
    pub async fn keep(&self, key: &str, text: &str) -> Result<(), StorageError> {
        self.journal().await?.keep(key, text).await
    }

    /// What `keep` kept under `key`.
    pub async fn kept_text(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.journal().await?.kept_text(key).await
    }

    pub async fn first_unanswered(&self) -> Result<u64, StorageError> {
        Ok(self.journal().await?.first_unanswered())
    }

    /// Keeps the server's answers to `sent`.
    pub async fn save_answers(&self, sent: &[KioskRecord], results: &[RecordResult]) -> Result<(), StorageError> {
        let journal = self.journal().await?;
        journal.save_answers(sent, results).await?;
        self.show_meta(&journal);
        let answered: Vec<u64> = results.iter().map(|r| r.seq).collect();
        self.pending_seats.update(|list| list.retain(|r| !answered.contains(&r.seq)));
        Ok(())
    }

    /// Forgets records answered more than a week ago.
    pub async fn forget_old_records(&self) {
        if let Ok(journal) = self.journal().await {
            journal.forget_answered(KEEP_ANSWERED_MS).await;
        }
    }

    /// Takes in a pull and keeps it for the next start. Keeping it may fail when storage is
    /// full; the kiosk then works from memory.
    pub fn apply_pull(&self, pull: PullResponse) {
        self.settle_service();
        if !pull.reset
            && pull.rooms.is_empty()
            && pull.activities.is_empty()
            && pull.residents.is_empty()
            && pull.sign_ups.is_empty()
            && pull.deleted == Default::default()
            && self.catalog.with_untracked(|c| {
                c.cursor == pull.cursor
                    && c.staff_pin == pull.staff_pin
                    && (pull.utc_offset_minutes.is_none() || c.utc_offset_minutes == pull.utc_offset_minutes)
            })
        {
            return;
        }
        self.catalog.update(|catalog| {
            catalog.apply(pull);
            crate::clock::follow_community(catalog.utc_offset_minutes);
            catalog.drop_days_before(local_now().0);
        });
        self.catalog.with_untracked(|catalog| {
            if let Err(error) = key_value::save(CATALOG_KEY, catalog) {
                web_sys::console::warn_1(&format!("the catalog is kept in memory only: {error}").into());
            }
        });
    }

    /// Where `resident_id` stands for `activity_id`, counting what they did here since.
    pub fn standing(&self, resident_id: &str, activity_id: &str) -> Standing {
        let pending = self.pending_seats.get();
        self.catalog
            .with(|catalog| standing(catalog.decision(resident_id, activity_id), &pending, resident_id, activity_id))
    }

    /// Activity ids the resident has a seat, a place in line or a sign-up waiting for.
    pub fn signed_up_activities(&self, resident_id: &str) -> Vec<String> {
        let pending = self.pending_seats.get();
        let mut ids: Vec<String> = self.catalog.with(|catalog| {
            catalog.sign_ups.iter().filter(|s| s.resident_id == resident_id).map(|s| s.activity_id.clone()).collect()
        });
        for record in &pending {
            if let Action::SignUp { resident_id: r, activity_id, .. } = &record.action
                && r == resident_id
                && !ids.contains(activity_id)
            {
                ids.push(activity_id.clone());
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
            let _ = key_value::save(VISITS_KEY, visits);
        });
    }

    /// Storage that cannot keep records: staff must look.
    pub fn storage_broken(&self) -> bool {
        self.storage_problem.with(Option::is_some)
    }
}
