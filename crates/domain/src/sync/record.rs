//! A record a kiosk keeps and sends: something a resident did at the kiosk.

use serde::{Deserialize, Serialize};

pub use crate::satisfaction::Rating;

/// Most companions one resident may bring to an activity (a grandchild, a spouse).
pub const MAX_COMPANIONS: u8 = 2;
/// Ids are made by kiosks (UUIDs) and staff files; anything longer is not ours.
pub const MAX_ID_LEN: usize = 64;
/// The highest record number a kiosk may use: both databases keep numbers as signed 64-bit.
pub const MAX_SEQ: u64 = i64::MAX as u64;

/// One thing a resident did, as the kiosk saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskRecord {
    /// The kiosk's own running number, from 1, without gaps.
    pub seq: u64,
    /// Unique id made by the kiosk, so the same record is recognised wherever it turns up.
    pub id: String,
    /// The kiosk's clock (ms since 1970) when it happened: kept for reports only, never used to
    /// order or decide anything, because kiosk clocks drift.
    pub happened_at: i64,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Signed in to the activity room today (a visit).
    SignIn { person: Person },
    /// Checked in to an activity that is on.
    CheckIn { person: Person, activity_id: String },
    /// Asked for a seat, for themselves and `companions` more.
    SignUp { resident_id: String, activity_id: String, companions: u8 },
    /// Gave up their seat or their place on the waiting list.
    Cancel { resident_id: String, activity_id: String },
    /// Said how a session they checked in to was (满意度), or skipped the question.
    Rate { resident_id: String, activity_id: String, rating: Rating },
    /// A volunteer started serving at a volunteer-service activity (开始服务).
    ServiceStart { resident_id: String, activity_id: String },
    /// A volunteer finished serving (结束服务).
    ServiceEnd { resident_id: String, activity_id: String },
    /// The resident was shown a change to their place (`notices::ToTell`) and tapped to go on.
    Told { resident_id: String, notice_id: String },
    /// A guardian took a child home from after-school care (接走): `resident_id` is the child,
    /// `guardian_id` the guardian who identified at the kiosk. (Their drop-off is a check-in.)
    PickUp { resident_id: String, activity_id: String, guardian_id: String },
    /// Not something a resident did: the kiosk gives up this record number, so the records
    /// after it can still reach the server. Nothing is counted; staff see it.
    Void { reason: VoidReason },
}

/// Why a kiosk gave up a record number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoidReason {
    /// The kiosk's storage gave the record back damaged: what it was is lost.
    Unreadable,
    /// The kiosk no longer holds the record: it was answered and forgotten before the server
    /// asked for it again (a server restored from a backup), or never written whole.
    NotKept,
}

/// Each action's name as reports, logs and the database write it (`Action::name`), for SQL
/// that asks about one kind of record.
pub mod action_name {
    pub const SIGN_IN: &str = "sign_in";
    pub const CHECK_IN: &str = "check_in";
    pub const SIGN_UP: &str = "sign_up";
    pub const CANCEL: &str = "cancel";
    pub const RATE: &str = "rate";
    pub const SERVICE_START: &str = "service_start";
    pub const SERVICE_END: &str = "service_end";
    pub const TOLD: &str = "told";
    pub const PICK_UP: &str = "pick_up";
    pub const VOID: &str = "void";
}

impl Action {
    /// The action's name as reports, logs and the database write it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::SignIn { .. } => action_name::SIGN_IN,
            Action::CheckIn { .. } => action_name::CHECK_IN,
            Action::SignUp { .. } => action_name::SIGN_UP,
            Action::Cancel { .. } => action_name::CANCEL,
            Action::Rate { .. } => action_name::RATE,
            Action::ServiceStart { .. } => action_name::SERVICE_START,
            Action::ServiceEnd { .. } => action_name::SERVICE_END,
            Action::Told { .. } => action_name::TOLD,
            Action::PickUp { .. } => action_name::PICK_UP,
            Action::Void { .. } => action_name::VOID,
        }
    }

    /// The resident and the activity the action is about, where it names them.
    pub fn subjects(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Action::SignIn { person } => (person.resident_id(), None),
            Action::CheckIn { person, activity_id } => (person.resident_id(), Some(activity_id.as_str())),
            Action::SignUp { resident_id, activity_id, .. }
            | Action::Cancel { resident_id, activity_id }
            | Action::Rate { resident_id, activity_id, .. }
            | Action::ServiceStart { resident_id, activity_id }
            | Action::ServiceEnd { resident_id, activity_id }
            | Action::PickUp { resident_id, activity_id, .. } => {
                (Some(resident_id.as_str()), Some(activity_id.as_str()))
            }
            Action::Told { resident_id, .. } => (Some(resident_id.as_str()), None),
            Action::Void { .. } => (None, None),
        }
    }

    /// A sign-up or a cancellation: a record about a seat, decided by the server.
    pub fn is_about_a_seat(&self) -> bool {
        matches!(self, Action::SignUp { .. } | Action::Cancel { .. })
    }
}

/// Who did it: a known resident, or a visitor of whom nothing is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Person {
    Resident { resident_id: String },
    Visitor,
}

impl Person {
    pub fn resident_id(&self) -> Option<&str> {
        match self {
            Person::Resident { resident_id } => Some(resident_id.as_str()),
            Person::Visitor => None,
        }
    }
}

/// Why a record cannot even be considered (as opposed to a business rule saying no).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    ZeroSeq,
    SeqTooLarge(u64),
    BadId(&'static str),
    TooManyCompanions(u8),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::ZeroSeq => write!(f, "record numbers start at 1"),
            RecordError::SeqTooLarge(seq) => write!(f, "record number {seq} is larger than {MAX_SEQ}"),
            RecordError::BadId(what) => write!(f, "{what} must be 1 to {MAX_ID_LEN} letters, digits, '-' or '_'"),
            RecordError::TooManyCompanions(n) => write!(f, "{n} companions asked for; at most {MAX_COMPANIONS}"),
        }
    }
}

impl std::error::Error for RecordError {}

/// The one rule for ids, whoever makes them (kiosks, staff's files): 1 to 64 ASCII letters,
/// digits, '-' or '_', so they are safe in keys, URLs and HTML.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_id(id: &str, what: &'static str) -> Result<(), RecordError> {
    if is_valid_id(id) { Ok(()) } else { Err(RecordError::BadId(what)) }
}

impl KioskRecord {
    /// Checks the shape of a record; the server's rules decide the rest.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.seq == 0 {
            return Err(RecordError::ZeroSeq);
        }
        if self.seq > MAX_SEQ {
            return Err(RecordError::SeqTooLarge(self.seq));
        }
        check_id(&self.id, "a record id")?;
        let person_ok = |person: &Person| match person {
            Person::Resident { resident_id } => check_id(resident_id, "a resident id"),
            Person::Visitor => Ok(()),
        };
        match &self.action {
            Action::SignIn { person } => person_ok(person),
            Action::CheckIn { person, activity_id } => {
                person_ok(person)?;
                check_id(activity_id, "an activity id")
            }
            Action::SignUp { resident_id, activity_id, companions } => {
                check_id(resident_id, "a resident id")?;
                check_id(activity_id, "an activity id")?;
                if *companions > MAX_COMPANIONS {
                    return Err(RecordError::TooManyCompanions(*companions));
                }
                Ok(())
            }
            Action::Cancel { resident_id, activity_id }
            | Action::Rate { resident_id, activity_id, .. }
            | Action::ServiceStart { resident_id, activity_id }
            | Action::ServiceEnd { resident_id, activity_id } => {
                check_id(resident_id, "a resident id")?;
                check_id(activity_id, "an activity id")
            }
            Action::Told { resident_id, notice_id } => {
                check_id(resident_id, "a resident id")?;
                check_id(notice_id, "a notice id")
            }
            Action::PickUp { resident_id, activity_id, guardian_id } => {
                check_id(resident_id, "a resident id")?;
                check_id(activity_id, "an activity id")?;
                check_id(guardian_id, "a guardian's resident id")
            }
            Action::Void { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_up(companions: u8) -> KioskRecord {
        KioskRecord {
            seq: 1,
            id: "0b0e7c52-6b8e-4a57-9d7c-6a4a2f0e9d11".into(),
            happened_at: 1_763_700_000_000,
            action: Action::SignUp { resident_id: "resident-0001".into(), activity_id: "act-1".into(), companions },
        }
    }

    #[test]
    fn travels_as_tagged_json() {
        let json = serde_json::to_value(sign_up(1)).unwrap();
        assert_eq!(json["action"]["type"], "sign_up");
        assert_eq!(json["action"]["companions"], 1);
        let visitor = serde_json::to_value(Action::SignIn { person: Person::Visitor }).unwrap();
        assert_eq!(visitor, serde_json::json!({"type": "sign_in", "person": {"kind": "visitor"}}));
    }

    #[test]
    fn a_rating_and_service_taps_travel_with_their_type() {
        let rate = Action::Rate { resident_id: "r1".into(), activity_id: "a1".into(), rating: Rating::NotSatisfied };
        let json = serde_json::to_value(&rate).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "rate", "resident_id": "r1", "activity_id": "a1", "rating": "not_satisfied"})
        );
        let start = Action::ServiceStart { resident_id: "r1".into(), activity_id: "a1".into() };
        assert_eq!(serde_json::to_value(&start).unwrap()["type"], "service_start");
        assert_eq!(rate.subjects(), (Some("r1"), Some("a1")));
        assert!(!rate.is_about_a_seat());
    }

    #[test]
    fn accepts_a_well_formed_record() {
        assert_eq!(sign_up(2).validate(), Ok(()));
    }

    #[test]
    fn refuses_malformed_records() {
        assert_eq!(sign_up(3).validate(), Err(RecordError::TooManyCompanions(3)));
        let mut zero = sign_up(0);
        zero.seq = 0;
        assert_eq!(zero.validate(), Err(RecordError::ZeroSeq));
        let mut bad_id = sign_up(0);
        bad_id.id = "x".repeat(65);
        assert!(matches!(bad_id.validate(), Err(RecordError::BadId(_))));
        bad_id.id = "<script>".into();
        assert!(matches!(bad_id.validate(), Err(RecordError::BadId(_))));
        let mut huge = sign_up(0);
        huge.seq = u64::MAX;
        assert_eq!(huge.validate(), Err(RecordError::SeqTooLarge(u64::MAX)));
        huge.seq = MAX_SEQ;
        assert_eq!(huge.validate(), Ok(()));
    }

    #[test]
    fn a_given_up_number_travels_with_its_reason() {
        let void = Action::Void { reason: VoidReason::Unreadable };
        assert_eq!(serde_json::to_value(&void).unwrap(), serde_json::json!({"type": "void", "reason": "unreadable"}));
        assert_eq!(void.subjects(), (None, None));
        assert_eq!(void.name(), "void");
    }
}
