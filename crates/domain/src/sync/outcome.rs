//! The server's answer for one record.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case", try_from = "OutcomeFields")]
pub enum Outcome {
    /// Kept: a sign-in or a check-in.
    Accepted,
    /// The seat is the resident's.
    Confirmed,
    /// No seat was free: on the waiting list, `position` 1 being next in line.
    Waitlisted { position: u32 },
    /// An entry to a draw (摇号): the draw, at its time, decides a seat or a place in line.
    Entered,
    /// The seat or waiting-list place is given up (or will be, the moment the sign-up it
    /// cancels reaches the server).
    Cancelled,
    /// A business rule said no; the records after it go on.
    Rejected { reason: RejectReason, message: String },
    /// A number the kiosk gave up (`Action::Void`): taken, nothing counted.
    Void,
}

/// An outcome as it reads on the wire, field by field. Read through this rather than serde's
/// tagged-enum reader, which would cost the kiosk's download several kilobytes per type.
#[derive(Deserialize)]
struct OutcomeFields {
    status: OutcomeStatus,
    #[serde(default)]
    position: Option<u32>,
    #[serde(default)]
    reason: Option<RejectReason>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutcomeStatus {
    Accepted,
    Confirmed,
    Waitlisted,
    Entered,
    Cancelled,
    Rejected,
    Void,
}

impl TryFrom<OutcomeFields> for Outcome {
    type Error = &'static str;

    fn try_from(fields: OutcomeFields) -> Result<Outcome, Self::Error> {
        Ok(match fields.status {
            OutcomeStatus::Accepted => Outcome::Accepted,
            OutcomeStatus::Confirmed => Outcome::Confirmed,
            OutcomeStatus::Waitlisted => {
                Outcome::Waitlisted { position: fields.position.ok_or("a waiting-list place needs its position")? }
            }
            OutcomeStatus::Entered => Outcome::Entered,
            OutcomeStatus::Cancelled => Outcome::Cancelled,
            OutcomeStatus::Rejected => {
                let reason = fields.reason.ok_or("a rejection needs its reason")?;
                Outcome::Rejected { message: fields.message.unwrap_or_else(|| reason.describe().to_owned()), reason }
            }
            OutcomeStatus::Void => Outcome::Void,
        })
    }
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
    /// The resident or the activity belongs to another site than the kiosk's (a kiosk moved
    /// to another site with records still queued): never counted here.
    OtherSite,
    /// Open to all: nobody needs to sign up.
    NoSignUpNeeded,
    TooManyCompanions,
    /// A check-in to an activity with seats, without a confirmed seat.
    NotSignedUp,
    /// Staff cancelled this session.
    Cancelled,
    /// A rating from a resident who did not check in to the session.
    NotCheckedIn,
    /// A rating for a session that had not ended yet (by the kiosk's clock).
    NotOverYet,
    /// A rating more than a week after the session.
    TooLateToRate,
    /// The resident had already rated the session (at another kiosk): counted once.
    AlreadyRated,
    /// Service taps from a resident who is not a volunteer on the roster.
    NotAVolunteer,
    /// Service taps at an activity that is not volunteer service.
    NotVolunteerService,
    /// A `Told` record naming a notice that is not this resident's.
    UnknownNotice,
    /// A pick-up by someone staff did not list as the child's guardian: staff check the child
    /// out instead.
    NotAGuardian,
    /// A pick-up at an activity that is not after-school care.
    NotAfterSchool,
    /// The child was already picked up from this session (at another kiosk, or by staff):
    /// counted once.
    AlreadyPickedUp,
}

impl Outcome {
    /// The outcome's `status` as it travels (and as the records' report names it).
    pub fn status_name(&self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Confirmed => "confirmed",
            Outcome::Waitlisted { .. } => "waitlisted",
            Outcome::Entered => "entered",
            Outcome::Cancelled => "cancelled",
            Outcome::Rejected { .. } => "rejected",
            Outcome::Void => "void",
        }
    }
}

/// Every reason, for what must name each one.
pub const REJECT_REASONS: [RejectReason; 17] = [
    RejectReason::UnknownResident,
    RejectReason::UnknownActivity,
    RejectReason::OtherSite,
    RejectReason::NoSignUpNeeded,
    RejectReason::TooManyCompanions,
    RejectReason::NotSignedUp,
    RejectReason::Cancelled,
    RejectReason::NotCheckedIn,
    RejectReason::NotOverYet,
    RejectReason::TooLateToRate,
    RejectReason::AlreadyRated,
    RejectReason::NotAVolunteer,
    RejectReason::NotVolunteerService,
    RejectReason::UnknownNotice,
    RejectReason::NotAGuardian,
    RejectReason::NotAfterSchool,
    RejectReason::AlreadyPickedUp,
];

impl RejectReason {
    /// The reason as it travels (and as the records' report names it).
    pub fn name(self) -> &'static str {
        match self {
            RejectReason::UnknownResident => "unknown_resident",
            RejectReason::UnknownActivity => "unknown_activity",
            RejectReason::OtherSite => "other_site",
            RejectReason::NoSignUpNeeded => "no_sign_up_needed",
            RejectReason::TooManyCompanions => "too_many_companions",
            RejectReason::NotSignedUp => "not_signed_up",
            RejectReason::Cancelled => "cancelled",
            RejectReason::NotCheckedIn => "not_checked_in",
            RejectReason::NotOverYet => "not_over_yet",
            RejectReason::TooLateToRate => "too_late_to_rate",
            RejectReason::AlreadyRated => "already_rated",
            RejectReason::NotAVolunteer => "not_a_volunteer",
            RejectReason::NotVolunteerService => "not_volunteer_service",
            RejectReason::UnknownNotice => "unknown_notice",
            RejectReason::NotAGuardian => "not_a_guardian",
            RejectReason::NotAfterSchool => "not_after_school",
            RejectReason::AlreadyPickedUp => "already_picked_up",
        }
    }

    /// Plain words for staff and logs; kiosks show their own translation of the code.
    pub fn describe(self) -> &'static str {
        match self {
            RejectReason::UnknownResident => "this resident is not on the roster",
            RejectReason::UnknownActivity => "this activity is not on the schedule",
            RejectReason::OtherSite => "this resident or activity belongs to another site than the kiosk",
            RejectReason::NoSignUpNeeded => "this activity is open to all; no sign-up is needed",
            RejectReason::TooManyCompanions => "this activity allows fewer companions",
            RejectReason::NotSignedUp => "this resident has no confirmed seat for the activity",
            RejectReason::Cancelled => "staff cancelled this session",
            RejectReason::NotCheckedIn => "this resident did not check in to the session",
            RejectReason::NotOverYet => "the session had not ended when it was rated",
            RejectReason::TooLateToRate => "the session ended more than a week before it was rated",
            RejectReason::AlreadyRated => "this resident had already rated the session",
            RejectReason::NotAVolunteer => "this resident is not a volunteer on the roster",
            RejectReason::NotVolunteerService => "this activity is not volunteer service",
            RejectReason::UnknownNotice => "this resident has no such notice",
            RejectReason::NotAGuardian => "staff have not listed this resident as the child's guardian",
            RejectReason::NotAfterSchool => "this activity is not after-school care",
            RejectReason::AlreadyPickedUp => "this child was already picked up from the session",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_are_what_travels() {
        for reason in REJECT_REASONS {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.name());
            let outcome = Outcome::rejected(reason);
            assert_eq!(serde_json::to_value(&outcome).unwrap()["status"], outcome.status_name());
        }
        for outcome in [
            Outcome::Accepted,
            Outcome::Confirmed,
            Outcome::Waitlisted { position: 1 },
            Outcome::Entered,
            Outcome::Cancelled,
            Outcome::Void,
        ] {
            assert_eq!(serde_json::to_value(&outcome).unwrap()["status"], outcome.status_name());
        }
    }

    #[test]
    fn outcomes_travel_as_tagged_json() {
        let waitlisted = serde_json::to_value(Outcome::Waitlisted { position: 3 }).unwrap();
        assert_eq!(waitlisted, serde_json::json!({"status": "waitlisted", "position": 3}));
        let rejected = serde_json::to_value(Outcome::rejected(RejectReason::UnknownActivity)).unwrap();
        assert_eq!(rejected["reason"], "unknown_activity");
        assert_eq!(rejected["message"], "this activity is not on the schedule");
        for outcome in [
            Outcome::Accepted,
            Outcome::Confirmed,
            Outcome::Waitlisted { position: 3 },
            Outcome::Entered,
            Outcome::Cancelled,
            Outcome::Void,
            Outcome::rejected(RejectReason::OtherSite),
        ] {
            let text = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&text).unwrap(), outcome, "{text}");
        }
        assert!(serde_json::from_str::<Outcome>(r#"{"status": "waitlisted"}"#).is_err());
        assert!(serde_json::from_str::<Outcome>(r#"{"status": "maybe"}"#).is_err());
    }
}
