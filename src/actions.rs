//! What residents do, end to end: save the record, then (only then) show and say the result,
//! and ask the sync engine to carry it to the server.

use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::sync::{Action, KioskRecord, Person};
use leptos::prelude::*;
use leptos::task::spawn_local;

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

    /// Saves `action`; only once the record is on the disk, `then` notes what it needs and
    /// names the screen to show (the kind failure screen otherwise).
    fn record(&self, action: Action, then: impl FnOnce(&KioskRecord) -> Screen + 'static) {
        // One copy of the saving code for every action: the kiosk's download is on a budget.
        self.record_all(vec![action], Box::new(then));
    }

    /// Saves `actions` one after another; `then` gets the last record once all are on the
    /// disk. One that fails stops the rest and says so: those saved before it stand, each a
    /// whole record (a child dropped off), and doing it again counts each once at the server.
    fn record_all(&self, to_save: Vec<Action>, then: Box<dyn FnOnce(&KioskRecord) -> Screen>) {
        if self.saving.get_value() {
            return;
        }
        self.saving.set_value(true);
        let actions = *self;
        spawn_local(async move {
            let mut last = None;
            for action in to_save {
                match actions.data.save(action).await {
                    Ok(record) => last = Some(record),
                    Err(error) => {
                        web_sys::console::error_1(&format!("a record was not saved: {error}").into());
                        last = None;
                        break;
                    }
                }
            }
            match last {
                Some(record) => actions.session.go(then(&record)),
                None => actions.session.go(Screen::SaveFailed),
            }
            actions.sync.kick();
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
        let action = Action::SignIn { person: Person::Resident { resident_id: resident_id.clone() } };
        let data = self.data;
        self.record(action, move |record| {
            data.note_visit(&resident_id, record.happened_at);
            Screen::Confirmation(Confirmation::SignedIn { at: record.happened_at })
        });
    }

    /// A visitor: counted, nothing kept about who they are.
    pub fn visitor_sign_in(&self) {
        self.session.resident.set(None);
        self.record(Action::SignIn { person: Person::Visitor }, |_| Screen::Confirmation(Confirmation::Visitor));
    }

    pub fn check_in(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let person = Person::Resident { resident_id: resident_id.clone() };
        let action = Action::CheckIn { person, activity_id: activity_id.clone() };
        let data = self.data;
        self.record(action, move |_| {
            data.note_check_in(&resident_id, &activity_id);
            Screen::Confirmation(Confirmation::CheckedIn { activity_id })
        });
    }

    pub fn sign_up(&self, activity_id: String, companions: u8) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::SignUp { resident_id, activity_id: activity_id.clone(), companions };
        self.record(action, move |_| Screen::Confirmation(Confirmation::SignedUp { activity_id }));
    }

    pub fn cancel(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::Cancel { resident_id, activity_id: activity_id.clone() };
        self.record(action, move |_| Screen::Confirmation(Confirmation::Cancelled { activity_id }));
    }

    /// How the session was (skipping is an answer too): never asked again, then the menu.
    pub fn rate(&self, activity_id: String, rating: Rating) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::Rate { resident_id: resident_id.clone(), activity_id: activity_id.clone(), rating };
        let (data, session) = (self.data, self.session);
        self.record(action, move |_| {
            data.note_asked(&resident_id, &activity_id);
            if rating != Rating::Skipped {
                session.thank();
            }
            Screen::Menu
        });
    }

    /// The resident has seen a change to their place: told, once; then what comes next.
    pub fn told(&self, notice_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::Told { resident_id: resident_id.clone(), notice_id: notice_id.clone() };
        let data = self.data;
        self.record(action, move |_| {
            data.note_told(&notice_id);
            data.first_screen(&resident_id)
        });
    }

    /// A volunteer starts serving at the volunteer-service session on now.
    pub fn start_service(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::ServiceStart { resident_id: resident_id.clone(), activity_id: activity_id.clone() };
        let data = self.data;
        self.record(action, move |record| {
            data.note_service_start(&resident_id, &activity_id, record.happened_at);
            Screen::Confirmation(Confirmation::ServiceStarted { activity_id })
        });
    }

    pub fn end_service(&self, activity_id: String) {
        let Some(resident_id) = self.session.resident_id() else { return };
        let action = Action::ServiceEnd { resident_id: resident_id.clone(), activity_id: activity_id.clone() };
        let data = self.data;
        self.record(action, move |record| {
            let half_hours = data.note_service_end(&resident_id, &activity_id, record.seq, record.happened_at);
            Screen::Confirmation(Confirmation::ServiceEnded { half_hours })
        });
    }

    /// A guardian drops off (or picks up) `children` at the after-school session on now: a
    /// check-in or a pick-up for each, then one confirmation naming them.
    pub fn hand_over(&self, activity_id: String, children: Vec<String>, picking_up: bool) {
        let Some(guardian_id) = self.session.resident_id() else { return };
        if children.is_empty() {
            return;
        }
        let to_save = children
            .iter()
            .map(|child| match picking_up {
                true => Action::PickUp {
                    resident_id: child.clone(),
                    activity_id: activity_id.clone(),
                    guardian_id: guardian_id.clone(),
                },
                false => Action::CheckIn {
                    person: Person::Resident { resident_id: child.clone() },
                    activity_id: activity_id.clone(),
                },
            })
            .collect();
        self.record_all(
            to_save,
            Box::new(move |_| Screen::Confirmation(Confirmation::HandedOver { picking_up, children })),
        );
    }
}
