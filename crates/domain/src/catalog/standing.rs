//! Where a resident stands for an activity, as the kiosk can best tell: the server's last
//! decision, overtaken by what the resident did here since and the server has not yet answered.

use crate::sync::pull::{SignUpDecision, SignUpStatus};
use crate::sync::{Action, KioskRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NotSignedUp,
    /// Signed up here; the server has not decided yet (等待确认).
    WaitingToBeConfirmed {
        companions: u8,
    },
    Confirmed {
        companions: u8,
    },
    Waitlisted {
        position: u32,
        companions: u8,
    },
    /// In a draw not drawn yet (已参加抽签).
    Entered {
        companions: u8,
    },
}

impl Standing {
    pub fn holds_or_wants_a_seat(self) -> bool {
        !matches!(self, Standing::NotSignedUp)
    }
}

/// `pending` are this kiosk's records not yet answered, oldest first.
pub fn standing(
    decision: Option<&SignUpDecision>,
    pending: &[KioskRecord],
    resident_id: &str,
    activity_id: &str,
) -> Standing {
    let mut standing = match decision {
        None => Standing::NotSignedUp,
        Some(d) => match d.status {
            SignUpStatus::Confirmed => Standing::Confirmed { companions: d.companions },
            SignUpStatus::Waitlisted { position } => Standing::Waitlisted { position, companions: d.companions },
            SignUpStatus::Entered => Standing::Entered { companions: d.companions },
            SignUpStatus::Cancelled => Standing::NotSignedUp,
        },
    };
    for record in pending {
        match &record.action {
            // A sign-up repeated for a seat already held changes nothing on the server.
            Action::SignUp { resident_id: r, activity_id: a, companions }
                if r == resident_id && a == activity_id && !standing.holds_or_wants_a_seat() =>
            {
                standing = Standing::WaitingToBeConfirmed { companions: *companions };
            }
            Action::Cancel { resident_id: r, activity_id: a } if r == resident_id && a == activity_id => {
                standing = Standing::NotSignedUp;
            }
            _ => {}
        }
    }
    standing
}
