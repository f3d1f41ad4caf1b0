//! How one record is written in the journal: compact JSON, because a kiosk offline for days
//! keeps tens of thousands. The record's number is its key and its id is made from the
//! kiosk's install id and that number, so neither is written again in the entry. The same
//! form the localStorage queue used, so its entries move into the journal unchanged.

use serde::{Deserialize, Serialize};

use crate::sync::{Action, Person, Rating, VoidReason};

/// One entry: `{"t": happened_at, "a": {"k": kind, …}}`. The action is a flat struct rather
/// than a tagged enum: serde's tagged-enum reader is a large piece of the kiosk's download,
/// and this form reads the same text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// happened_at, the kiosk's clock.
    t: i64,
    a: EntryAction,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct EntryAction {
    /// i: sign in, c: check in, u: sign up, x: cancel, r: rate, s: start serving, e: end
    /// serving, t: told of a change to their place, p: a child picked up, v: a number given up.
    k: char,
    /// The resident (none for a visitor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<String>,
    /// The activity (for `t`, the notice told).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<String>,
    /// Companions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u8>,
    /// Why a number was given up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    w: Option<VoidReason>,
    /// How the session was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    g: Option<Rating>,
    /// Who picked the child up (a guardian's resident id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
}

fn person(resident: Option<String>) -> Person {
    match resident {
        Some(resident_id) => Person::Resident { resident_id },
        None => Person::Visitor,
    }
}

/// The entry text for a record.
pub fn encode(happened_at: i64, action: &Action) -> String {
    let resident = |person: &Person| person.resident_id().map(str::to_owned);
    let a = match action {
        Action::SignIn { person } => EntryAction { k: 'i', r: resident(person), ..Default::default() },
        Action::CheckIn { person, activity_id } => {
            EntryAction { k: 'c', r: resident(person), v: Some(activity_id.clone()), ..Default::default() }
        }
        Action::SignUp { resident_id, activity_id, companions } => EntryAction {
            k: 'u',
            r: Some(resident_id.clone()),
            v: Some(activity_id.clone()),
            n: Some(*companions),
            ..Default::default()
        },
        Action::Cancel { resident_id, activity_id } => {
            EntryAction { k: 'x', r: Some(resident_id.clone()), v: Some(activity_id.clone()), ..Default::default() }
        }
        Action::Rate { resident_id, activity_id, rating } => EntryAction {
            k: 'r',
            r: Some(resident_id.clone()),
            v: Some(activity_id.clone()),
            g: Some(*rating),
            ..Default::default()
        },
        Action::ServiceStart { resident_id, activity_id } => {
            EntryAction { k: 's', r: Some(resident_id.clone()), v: Some(activity_id.clone()), ..Default::default() }
        }
        Action::ServiceEnd { resident_id, activity_id } => {
            EntryAction { k: 'e', r: Some(resident_id.clone()), v: Some(activity_id.clone()), ..Default::default() }
        }
        Action::Told { resident_id, notice_id } => {
            EntryAction { k: 't', r: Some(resident_id.clone()), v: Some(notice_id.clone()), ..Default::default() }
        }
        Action::PickUp { resident_id, activity_id, guardian_id } => EntryAction {
            k: 'p',
            r: Some(resident_id.clone()),
            v: Some(activity_id.clone()),
            b: Some(guardian_id.clone()),
            ..Default::default()
        },
        Action::Void { reason } => EntryAction { k: 'v', w: Some(*reason), ..Default::default() },
    };
    // A struct of strings and numbers always serialises.
    serde_json::to_string(&Entry { t: happened_at, a }).unwrap_or_default()
}

/// The record in an entry's text, or None when the text is damaged.
pub fn decode(text: &str) -> Option<(i64, Action)> {
    let Entry { t, a } = serde_json::from_str(text).ok()?;
    let action = match (a.k, a.r, a.v) {
        ('i', r, None) => Action::SignIn { person: person(r) },
        ('c', r, Some(v)) => Action::CheckIn { person: person(r), activity_id: v },
        ('u', Some(r), Some(v)) => Action::SignUp { resident_id: r, activity_id: v, companions: a.n? },
        ('x', Some(r), Some(v)) => Action::Cancel { resident_id: r, activity_id: v },
        ('r', Some(r), Some(v)) => Action::Rate { resident_id: r, activity_id: v, rating: a.g? },
        ('s', Some(r), Some(v)) => Action::ServiceStart { resident_id: r, activity_id: v },
        ('e', Some(r), Some(v)) => Action::ServiceEnd { resident_id: r, activity_id: v },
        ('t', Some(r), Some(v)) => Action::Told { resident_id: r, notice_id: v },
        ('p', Some(r), Some(v)) => Action::PickUp { resident_id: r, activity_id: v, guardian_id: a.b? },
        ('v', None, None) => Action::Void { reason: a.w? },
        _ => return None,
    };
    Some((t, action))
}
