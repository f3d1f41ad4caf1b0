//! How the catalog is kept in localStorage: residents and sign-up decisions as plain arrays,
//! without a key name per field. For 5,000 residents and 5,000 decisions that is half a
//! million characters less, which the record queue gets instead (see the size test).

use serde::{Deserialize, Serialize};

use crate::schedule::Room;
use crate::sync::pull::{RosterEntry, ScheduledActivity, SignUpDecision, SignUpStatus};

use super::Catalog;

/// id, masked name, card digest, phone digest, household digest.
type StoredResident = (String, String, Option<String>, Option<String>, Option<String>);
/// activity, resident, companions, status (c: confirmed, w: waiting, x: cancelled), position.
type StoredSignUp = (String, String, u8, char, u32);

#[derive(Serialize, Deserialize)]
pub(super) struct StoredCatalog {
    cursor: u64,
    key: String,
    #[serde(default)]
    pin: Option<String>,
    rooms: Vec<Room>,
    activities: Vec<ScheduledActivity>,
    residents: Vec<StoredResident>,
    sign_ups: Vec<StoredSignUp>,
}

impl From<Catalog> for StoredCatalog {
    fn from(catalog: Catalog) -> StoredCatalog {
        StoredCatalog {
            cursor: catalog.cursor,
            key: catalog.identity_key,
            pin: catalog.staff_pin,
            rooms: catalog.rooms,
            activities: catalog.activities,
            residents: catalog
                .residents
                .into_iter()
                .map(|r| (r.id, r.display_name, r.card, r.phone_last4, r.household))
                .collect(),
            sign_ups: catalog
                .sign_ups
                .into_iter()
                .map(|s| {
                    let (status, position) = match s.status {
                        SignUpStatus::Confirmed => ('c', 0),
                        SignUpStatus::Waitlisted { position } => ('w', position),
                        SignUpStatus::Cancelled => ('x', 0),
                    };
                    (s.activity_id, s.resident_id, s.companions, status, position)
                })
                .collect(),
        }
    }
}

impl From<StoredCatalog> for Catalog {
    fn from(stored: StoredCatalog) -> Catalog {
        Catalog {
            cursor: stored.cursor,
            identity_key: stored.key,
            staff_pin: stored.pin,
            rooms: stored.rooms,
            activities: stored.activities,
            residents: stored
                .residents
                .into_iter()
                .map(|(id, display_name, card, phone_last4, household)| RosterEntry { id, display_name, card, phone_last4, household })
                .collect(),
            sign_ups: stored
                .sign_ups
                .into_iter()
                .map(|(activity_id, resident_id, companions, status, position)| SignUpDecision {
                    activity_id,
                    resident_id,
                    companions,
                    status: match status {
                        'c' => SignUpStatus::Confirmed,
                        'w' => SignUpStatus::Waitlisted { position },
                        _ => SignUpStatus::Cancelled,
                    },
                })
                .collect(),
        }
    }
}
