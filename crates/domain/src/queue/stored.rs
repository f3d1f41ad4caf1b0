//! How one record is written in the kiosk's store: compact, because localStorage holds about
//! 5.2 million characters for everything (records, roster, schedule) and a kiosk offline for
//! days must keep 50,000 records. The record's number is its key and its id is made from the
//! kiosk's install id and that number, so neither is written again in the value.

use serde::{Deserialize, Serialize};

use crate::sync::{Action, Person};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stored {
    /// happened_at, the kiosk's clock.
    t: i64,
    a: StoredAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k")]
enum StoredAction {
    #[serde(rename = "i")]
    SignIn {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        r: Option<String>,
    },
    #[serde(rename = "c")]
    CheckIn {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        r: Option<String>,
        v: String,
    },
    #[serde(rename = "u")]
    SignUp { r: String, v: String, n: u8 },
    #[serde(rename = "x")]
    Cancel { r: String, v: String },
}

fn resident(person: &Person) -> Option<String> {
    match person {
        Person::Resident { resident_id } => Some(resident_id.clone()),
        Person::Visitor => None,
    }
}

fn person(resident: Option<String>) -> Person {
    match resident {
        Some(resident_id) => Person::Resident { resident_id },
        None => Person::Visitor,
    }
}

impl Stored {
    pub(super) fn new(happened_at: i64, action: &Action) -> Stored {
        let a = match action {
            Action::SignIn { person } => StoredAction::SignIn { r: resident(person) },
            Action::CheckIn { person, activity_id } => StoredAction::CheckIn { r: resident(person), v: activity_id.clone() },
            Action::SignUp { resident_id, activity_id, companions } => {
                StoredAction::SignUp { r: resident_id.clone(), v: activity_id.clone(), n: *companions }
            }
            Action::Cancel { resident_id, activity_id } => {
                StoredAction::Cancel { r: resident_id.clone(), v: activity_id.clone() }
            }
        };
        Stored { t: happened_at, a }
    }

    pub(super) fn happened_at(&self) -> i64 {
        self.t
    }

    pub(super) fn action(self) -> Action {
        match self.a {
            StoredAction::SignIn { r } => Action::SignIn { person: person(r) },
            StoredAction::CheckIn { r, v } => Action::CheckIn { person: person(r), activity_id: v },
            StoredAction::SignUp { r, v, n } => Action::SignUp { resident_id: r, activity_id: v, companions: n },
            StoredAction::Cancel { r, v } => Action::Cancel { resident_id: r, activity_id: v },
        }
    }
}
