//! A card reader types the card number and Enter, faster than any hand: from any resident
//! screen, that identifies the resident. People typing are not mistaken for it.

use jiayuan_domain::identity::IdentityKind;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::input::card_scan::CardScanDetector;
use crate::screens::identify::{Found, follow};
use crate::state::{LocalData, Screen, Session};

pub fn listen(session: Session, data: LocalData) {
    let detector = StoredValue::new(CardScanDetector::default());
    let listener = window_event_listener_untyped("keydown", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        let at = event.time_stamp();
        let Some(card) = detector.try_update_value(|d| d.key(&event.key(), at)).flatten() else { return };
        if session.screen.with_untracked(|s| *s == Screen::Staff) {
            return;
        }
        event.prevent_default();
        session.forget_resident();
        let found = data.catalog.with_untracked(|catalog| Found::from(catalog.identify(IdentityKind::Card, &card)));
        follow(session, data, found);
    });
    on_cleanup(move || listener.remove());
}
