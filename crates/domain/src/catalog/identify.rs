//! Who is at the screen: a card, the last four digits of a phone, or a household number,
//! matched by digest against the cached roster.

use crate::identity::{IdentityKind, digest};
use crate::sync::pull::RosterEntry;

use super::Catalog;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identification<'a> {
    /// What was typed is not a number of that kind (three digits for a phone, say).
    NotANumber,
    NoMatch,
    /// Everyone it matches (a phone's last four digits, a household, can match several).
    Found(Vec<&'a RosterEntry>),
}

impl Catalog {
    pub fn identify(&self, kind: IdentityKind, input: &str) -> Identification<'_> {
        let Some(wanted) = digest(&self.identity_key, kind, input) else {
            return Identification::NotANumber;
        };
        let field = |entry: &RosterEntry| match kind {
            IdentityKind::Card => entry.card.clone(),
            IdentityKind::PhoneLast4 => entry.phone_last4.clone(),
            IdentityKind::Household => entry.household.clone(),
            IdentityKind::StaffPin => None,
        };
        let found: Vec<&RosterEntry> =
            self.residents.iter().filter(|entry| field(entry).as_deref() == Some(wanted.as_str())).collect();
        if found.is_empty() { Identification::NoMatch } else { Identification::Found(found) }
    }

    /// Whether `pin` is the staff PIN. Refused when the kiosk knows of none: the kiosk then
    /// asks for no PIN at all (see `needs_staff_pin`).
    /// An unpaired kiosk, or one whose server has no PIN, opens its staff panel without one:
    /// pairing itself needs a one-time code from staff.
    pub fn needs_staff_pin(&self) -> bool {
        self.staff_pin.is_some()
    }

    pub fn is_staff_pin(&self, pin: &str) -> bool {
        self.staff_pin.as_deref().is_some_and(|stored| crate::staff_pin::matches(stored, &self.identity_key, pin))
    }
}
