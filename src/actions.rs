//! What residents do, end to end: save the record, then (only then) show and say the result,
//! and ask the sync engine to carry it to the server.

use jiayuan_domain::sync::{Action, Person};
use leptos::prelude::*;

use crate::clock::now_ms;
use crate::state::{Confirmation, LocalData, Screen, Session};
use crate::sync::SyncEngine;

#[derive(Clone, Copy)]
pub struct Actions {
    session: Session,
    data: LocalData,
    sync: SyncEngine,
}

impl Actions {
    pub fn provide(session: Session, data: LocalData, sync: SyncEngine) -> Actions {
        let actions = Actions { session, data, sync };
        provide_context(actions);
        actions
    }

    pub fn use_context() -> Actions {
        expect_context::<Actions>()
    }

    /// Saves `action`; shows `confirmation` only once it is saved, the kind failure screen
    /// otherwise.
    fn record(&self, action: Action, confirmation: Confirmation) -> Option<i64> {
        match self.data.save(action) {
            Ok(record) => {
                self.session.go(Screen::Confirmation(confirmation));
                self.sync.kick();
                Some(record.happened_at)
            }
            Err(error) => {
                web_sys::console::error_1(&format!("a record was not saved: {error}").into());
                self.session.go(Screen::SaveFailed);
                None
            }
        }
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
        if let Some(saved_at) = self.record(action, Confirmation::SignedIn { at }) {
            self.data.note_visit(&resident_id, saved_at);
        }
    }

    /// A visitor: counted, nothing kept about who they are.
    pub fn visitor_sign_in(&self) {
        self.session.resident.set(None);
        self.record(Action::SignIn { person: Person::Visitor }, Confirmation::Visitor);
    }

    pub fn check_in(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::CheckIn { person: Person::Resident { resident_id }, activity_id: activity_id.clone() };
        self.record(action, Confirmation::CheckedIn { activity_id });
    }

    pub fn sign_up(&self, activity_id: String, companions: u8) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::SignUp { resident_id, activity_id: activity_id.clone(), companions };
        self.record(action, Confirmation::SignedUp { activity_id });
    }

    pub fn cancel(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::Cancel { resident_id, activity_id: activity_id.clone() };
        self.record(action, Confirmation::Cancelled { activity_id });
    }
}
