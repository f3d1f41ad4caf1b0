//! The server's answer for one record.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Kept: a sign-in or a check-in.
    Accepted,
    /// The seat is the resident's.
    Confirmed,
    /// No seat was free: on the waiting list, `position` 1 being next in line.
    Waitlisted { position: u32 },
    /// The seat or waiting-list place is given up (or will be, the moment the sign-up it
    /// cancels reaches the server).
    Cancelled,
    /// A business rule said no; the records after it go on.
    Rejected { reason: RejectReason, message: String },
}

impl Outcome {
    pub fn rejected(reason: RejectReason) -> Outcome {
        Outcome::Rejected { message: reason.describe().to_owned(), reason }
    }
}

/// Why the server said no, as a code the kiosk words in the resident's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    UnknownResident,
    UnknownActivity,
    /// The activity is in a room of another site than the kiosk's.
    OtherSite,
    /// Open to all: nobody needs to sign up.
    NoSignUpNeeded,
    TooManyCompanions,
    /// A check-in to an activity with seats, without a confirmed seat.
    NotSignedUp,
}

impl RejectReason {
    /// Plain words for staff and logs; kiosks show their own translation of the code.
    pub fn describe(self) -> &'static str {
        match self {
            RejectReason::UnknownResident => "this resident is not on the roster",
            RejectReason::UnknownActivity => "this activity is not on the schedule",
            RejectReason::OtherSite => "this activity belongs to another site than the kiosk",
            RejectReason::NoSignUpNeeded => "this activity is open to all; no sign-up is needed",
            RejectReason::TooManyCompanions => "this activity allows fewer companions",
            RejectReason::NotSignedUp => "this resident has no confirmed seat for the activity",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_travel_as_tagged_json() {
        let waitlisted = serde_json::to_value(Outcome::Waitlisted { position: 3 }).unwrap();
        assert_eq!(waitlisted, serde_json::json!({"status": "waitlisted", "position": 3}));
        let rejected = serde_json::to_value(Outcome::rejected(RejectReason::UnknownActivity)).unwrap();
        assert_eq!(rejected["reason"], "unknown_activity");
        assert_eq!(rejected["message"], "this activity is not on the schedule");
    }
}
