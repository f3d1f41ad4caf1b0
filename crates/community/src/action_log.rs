//! The action log: who did what, when, to what, and why — written in the same transaction as
//! the change it tells of, so neither is ever there without the other. Rows are only ever
//! added: triggers refuse changes and removals (`protect`, made when the database opens,
//! because SQLite and PostgreSQL write triggers differently).

use crate::clock::now_ms;
use crate::db::Database;
use crate::error::{AppError, Tx};

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(String),
    /// The server's own commands (`jiayuan-server add-staff`, `revoke-kiosk`, `import`).
    CommandLine,
    /// The server by itself, at a time set before (a draw).
    Server,
}

impl Actor {
    pub fn as_text(&self) -> &str {
        match self {
            Actor::Staff(id) => id,
            Actor::CommandLine => "command line",
            Actor::Server => "server",
        }
    }
}

/// What was done. Stored by name; the console shows it in words (`act.…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    StaffAdded,
    StaffChanged,
    StaffRemoved,
    PasswordReset,
    PasswordChanged,
    ActivityAdded,
    ActivityChanged,
    ActivityRemoved,
    RecurringSaved,
    RecurringEnded,
    SessionCancelled,
    SessionRestored,
    SignedUpForResident,
    CancelledForResident,
    WaitingListMoved,
    PaperCheckInsEntered,
    ResidentAdded,
    ResidentChanged,
    ResidentDeactivated,
    ResidentReactivated,
    FileImported,
    PairingCodeMade,
    KioskRevoked,
    HoursConfirmed,
    HoursHonoured,
    ServiceMarginChanged,
    ToldByPhone,
    NoAnswer,
    FollowedUp,
    CareSettingsChanged,
    DrawSet,
    Drawn,
    GuardianAdded,
    GuardianRemoved,
    PickUpContactAdded,
    PickUpContactRemoved,
    CheckedOutByStaff,
    PickUpAlertChanged,
    SiteAdded,
    RoomAdded,
    StaffPinChanged,
}

impl Act {
    pub const ALL: [Act; 41] = [
        Act::StaffAdded,
        Act::StaffChanged,
        Act::StaffRemoved,
        Act::PasswordReset,
        Act::PasswordChanged,
        Act::ActivityAdded,
        Act::ActivityChanged,
        Act::ActivityRemoved,
        Act::RecurringSaved,
        Act::RecurringEnded,
        Act::SessionCancelled,
        Act::SessionRestored,
        Act::SignedUpForResident,
        Act::CancelledForResident,
        Act::WaitingListMoved,
        Act::PaperCheckInsEntered,
        Act::ResidentAdded,
        Act::ResidentChanged,
        Act::ResidentDeactivated,
        Act::ResidentReactivated,
        Act::FileImported,
        Act::PairingCodeMade,
        Act::KioskRevoked,
        Act::HoursConfirmed,
        Act::HoursHonoured,
        Act::ServiceMarginChanged,
        Act::ToldByPhone,
        Act::NoAnswer,
        Act::FollowedUp,
        Act::CareSettingsChanged,
        Act::DrawSet,
        Act::Drawn,
        Act::GuardianAdded,
        Act::GuardianRemoved,
        Act::PickUpContactAdded,
        Act::PickUpContactRemoved,
        Act::CheckedOutByStaff,
        Act::PickUpAlertChanged,
        Act::SiteAdded,
        Act::RoomAdded,
        Act::StaffPinChanged,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Act::StaffAdded => "staff.add",
            Act::StaffChanged => "staff.change",
            Act::StaffRemoved => "staff.remove",
            Act::PasswordReset => "staff.reset_password",
            Act::PasswordChanged => "staff.change_password",
            Act::ActivityAdded => "activity.add",
            Act::ActivityChanged => "activity.change",
            Act::ActivityRemoved => "activity.remove",
            Act::RecurringSaved => "recurring.save",
            Act::RecurringEnded => "recurring.end",
            Act::SessionCancelled => "session.cancel",
            Act::SessionRestored => "session.restore",
            Act::SignedUpForResident => "sign_up.add",
            Act::CancelledForResident => "sign_up.cancel",
            Act::WaitingListMoved => "sign_up.move",
            Act::PaperCheckInsEntered => "sign_up.paper",
            Act::ResidentAdded => "resident.add",
            Act::ResidentChanged => "resident.change",
            Act::ResidentDeactivated => "resident.deactivate",
            Act::ResidentReactivated => "resident.reactivate",
            Act::FileImported => "file.import",
            Act::PairingCodeMade => "kiosk.pairing_code",
            Act::KioskRevoked => "kiosk.revoke",
            Act::HoursConfirmed => "hours.confirm",
            Act::HoursHonoured => "hours.honour",
            Act::ServiceMarginChanged => "hours.margin",
            Act::ToldByPhone => "notice.told",
            Act::NoAnswer => "notice.no_answer",
            Act::FollowedUp => "care.follow_up",
            Act::CareSettingsChanged => "care.settings",
            Act::DrawSet => "draw.set",
            Act::Drawn => "draw.drawn",
            Act::GuardianAdded => "guardian.add",
            Act::GuardianRemoved => "guardian.remove",
            Act::PickUpContactAdded => "pick_up_contact.add",
            Act::PickUpContactRemoved => "pick_up_contact.remove",
            Act::CheckedOutByStaff => "pick_up.by_staff",
            Act::PickUpAlertChanged => "pick_up.alert",
            Act::SiteAdded => "site.add",
            Act::RoomAdded => "room.add",
            Act::StaffPinChanged => "site.staff_pin",
        }
    }

    pub fn from_name(name: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|act| act.name() == name)
    }
}

/// One line of the log about to be written.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// None: the whole server (staff accounts).
    pub site_id: Option<&'a str>,
    pub actor: &'a Actor,
    pub act: Act,
    /// What it was done to: a session, a resident, a kiosk, an account, a file.
    pub subject: String,
    /// Why, where staff are asked (cancelling a session, moving someone, revoking a kiosk).
    pub reason: Option<String>,
    /// What changed, in a few words.
    pub detail: Option<String>,
}

/// A line of the log as read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Logged {
    pub at: i64,
    pub site_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub detail: Option<String>,
}

/// Writes `entry` in `tx`, the transaction that makes the change it tells of.
pub async fn record(tx: &mut Tx, entry: Entry<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO action_log (id, at, site_id, actor, action, subject, reason, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now_ms())
    .bind(entry.site_id)
    .bind(entry.actor.as_text())
    .bind(entry.act.name())
    .bind(entry.subject)
    .bind(entry.reason)
    .bind(entry.detail)
    .execute(&mut **tx)
    .await
    .map(drop)
    .map_err(AppError::db("writing the action log"))
}

/// The newest `limit` lines about `sites` and the whole server, newest first, older than
/// `before` (ms) when paging back.
pub async fn recent(db: &Database, sites: &[String], before: Option<i64>, limit: i64) -> Result<Vec<Logged>, AppError> {
    let statement = format!(
        "SELECT at, site_id, actor, action, subject, reason, detail FROM action_log \
         WHERE (site_id IS NULL OR site_id IN ({})) AND at < $1 ORDER BY at DESC, id DESC LIMIT $2",
        if sites.is_empty() { "NULL".to_owned() } else { crate::db::placeholders(3, sites.len()) }
    );
    let mut query = sqlx::query_as::<_, Logged>(&statement).bind(before.unwrap_or(i64::MAX)).bind(limit);
    for site in sites {
        query = query.bind(site);
    }
    query.fetch_all(&db.pool).await.map_err(AppError::db("reading the action log"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acts_read_back_by_name() {
        for act in Act::ALL {
            assert_eq!(Act::from_name(act.name()), Some(act));
        }
    }
}
