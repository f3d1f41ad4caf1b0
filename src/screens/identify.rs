//! Residents without a card: the last four digits of their phone, or their household number,
//! matched against the cached roster. One match goes straight to their menu; several are shown
//! by masked name; none gets a kind message and a way on.

use jiayuan_domain::catalog::Identification;
use jiayuan_domain::identity::IdentityKind;
use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::keypad::Keypad;
use crate::state::session::Resident;
use crate::state::{LocalData, Screen, Session};

/// What identification found, owned: the catalog it was read from is no longer borrowed
/// when the screen changes.
pub enum Found {
    One(Resident),
    Several(Vec<String>),
    Nobody,
    NotANumber,
}

impl From<Identification<'_>> for Found {
    fn from(found: Identification<'_>) -> Found {
        match found {
            Identification::Found(matches) if matches.len() == 1 => {
                Found::One(Resident { id: matches[0].id.clone(), display_name: matches[0].display_name.clone() })
            }
            Identification::Found(matches) => Found::Several(matches.iter().map(|r| r.id.clone()).collect()),
            Identification::NoMatch => Found::Nobody,
            Identification::NotANumber => Found::NotANumber,
        }
    }
}

/// Takes what identification found to the next screen.
pub fn follow(session: Session, data: LocalData, found: Found) {
    match found {
        Found::One(resident) => welcome(session, data, resident),
        Found::Several(ids) => session.go(Screen::Pick(ids)),
        Found::Nobody | Found::NotANumber => session.go(Screen::NotFound),
    }
}

/// A resident is recognised: told first of a change to their place, asked how their last
/// session was, if it is time to ask, then their menu.
pub fn welcome(session: Session, data: LocalData, resident: Resident) {
    let first = data.first_screen(&resident.id);
    session.identified(resident, first);
}

#[component]
pub fn IdentifyByKeypad(kind: IdentityKind) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let value = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let household = kind == IdentityKind::Household;
    let title = Signal::derive(move || {
        if household { t_string!(i18n, household_title) } else { t_string!(i18n, phone_title) }.to_string()
    });
    let prompt = Signal::derive(move || {
        if wrong.get() {
            t_string!(i18n, not_a_number).to_string()
        } else if household {
            t_string!(i18n, household_prompt).to_string()
        } else {
            t_string!(i18n, phone_prompt).to_string()
        }
    });
    let on_ok = move |typed: String| match data.catalog.with_untracked(|c| Found::from(c.identify(kind, &typed))) {
        Found::NotANumber => {
            wrong.set(true);
            value.set(String::new());
        }
        found => follow(session, data, found),
    };
    view! {
        <ScreenFrame class="identify" title=title prompt=prompt back=Screen::Home>
            <Keypad value=value max_len=if household { 12 } else { 4 } with_dash=household on_ok=on_ok />
        </ScreenFrame>
    }
}
