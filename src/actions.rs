//! What residents do, end to end: save the record, then (only then) show and say the result,
//! and ask the sync engine to carry it to the server.

use jiayuan_domain::sync::{Action, Person};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now_ms;
use crate::state::{Confirmation, LocalData, Screen, Session};
use crate::sync::SyncEngine;

#[derive(Clone, Copy)]
pub struct Actions {
    session: Session,
    data: LocalData,
    sync: SyncEngine,
    /// A record is being written: another tap (a tremor on a neighbouring button) waits its
    /// turn by being ignored, so one tap makes one record.
    saving: StoredValue<bool>,
}

impl Actions {
    pub fn provide(session: Session, data: LocalData, sync: SyncEngine) -> Actions {
        let actions = Actions { session, data, sync, saving: StoredValue::new(false) };
        provide_context(actions);
        actions
    }

    pub fn use_context() -> Actions {
        expect_context::<Actions>()
    }

    /// Saves `action`; shows `confirmation` only once the record is on the disk, the kind
    /// failure screen otherwise; then `after_saved` with when it happened.
    fn record(&self, action: Action, confirmation: Confirmation, after_saved: impl FnOnce(i64) + 'static) {
        if self.saving.get_value() {
            return;
        }
        self.saving.set_value(true);
        let actions = *self;
        spawn_local(async move {
            match actions.data.save(action).await {
                Ok(record) => {
                    actions.session.go(Screen::Confirmation(confirmation));
                    after_saved(record.happened_at);
                    actions.sync.kick();
                }
                Err(error) => {
                    web_sys::console::error_1(&format!("a record was not saved: {error}").into());
                    actions.session.go(Screen::SaveFailed);
                }
            }
            actions.saving.set_value(false);
        });
    }

    /// Signs the resident in to the room for today, once: a second time shows the first.
    pub fn sign_in(&self) {
        let Some(resident_id) = self.session.resident_id() else { return };
        if let Some(at) = self.data.signed_in_at(&resident_id) {
            self.session.go(Screen::Confirmation(Confirmation::AlreadySignedIn { at }));
            return;
        }
        let at = now_ms();
        let action = Action::SignIn { person: Person::Resident { resident_id: resident_id.clone() } };
        let data = self.data;
        self.record(action, Confirmation::SignedIn { at }, move |saved_at| data.note_visit(&resident_id, saved_at));
    }

    /// A visitor: counted, nothing kept about who they are.
    pub fn visitor_sign_in(&self) {
        self.session.resident.set(None);
        self.record(Action::SignIn { person: Person::Visitor }, Confirmation::Visitor, |_| {});
    }

    pub fn check_in(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::CheckIn { person: Person::Resident { resident_id }, activity_id: activity_id.clone() };
        self.record(action, Confirmation::CheckedIn { activity_id }, |_| {});
    }

    pub fn sign_up(&self, activity_id: String, companions: u8) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::SignUp { resident_id, activity_id: activity_id.clone(), companions };
        self.record(action, Confirmation::SignedUp { activity_id }, |_| {});
    }

    pub fn cancel(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::Cancel { resident_id, activity_id: activity_id.clone() };
        self.record(action, Confirmation::Cancelled { activity_id }, |_| {});
    }
}
