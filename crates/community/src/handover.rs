//! Children in after-school care (托管) handed over at the server, as kiosks' records arrive: a
//! pick-up is kept once per child and session, only from a guardian staff listed; kiosks are
//! sent whom each guardian collects. Staff's side (guardians, checking a child out, who is still
//! in the room) is `office::guardians` and `office::handover`; the rules are
//! `jiayuan_domain::handover`.

use std::collections::{BTreeMap, HashMap};

use jiayuan_domain::handover::{AtSession, Handover};
use jiayuan_domain::sync::{Outcome, RejectReason};

use crate::attendance::came_at;
use crate::community_time::ms_at;
use crate::db::placeholders;
use crate::error::{AppError, Tx};
use crate::schedule::SessionRow;
use time::UtcOffset;

/// A pick-up arriving from a kiosk, with what the server knows of it.
#[derive(Debug, Clone, Copy)]
pub struct PickUpRecord<'a> {
    pub site_id: &'a str,
    pub record_id: &'a str,
    pub child_id: &'a str,
    pub guardian_id: &'a str,
    pub activity_id: &'a str,
    /// Whether the session is after-school care.
    pub after_school: bool,
    /// The tap in the server's time (the kiosk's clock corrected).
    pub at: i64,
    pub now: i64,
}

/// Keeps a guardian's pick-up, once: a second one for the same child and session (another
/// kiosk, or staff first) is answered "already picked up" and not counted again.
pub async fn keep_pick_up(tx: &mut Tx, record: PickUpRecord<'_>) -> Result<Outcome, AppError> {
    if !record.after_school {
        return Ok(Outcome::rejected(RejectReason::NotAfterSchool));
    }
    let guardians = guardians_of(tx, record.site_id, record.child_id).await?;
    if !jiayuan_domain::handover::may_pick_up(guardians.iter().map(String::as_str), record.guardian_id) {
        return Ok(Outcome::rejected(RejectReason::NotAGuardian));
    }
    let kept = sqlx::query(
        "INSERT INTO pick_ups (activity_id, child_id, site_id, picked_up_at, applied_at, guardian_id, record_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (activity_id, child_id) DO NOTHING",
    )
    .bind(record.activity_id)
    .bind(record.child_id)
    .bind(record.site_id)
    .bind(record.at)
    .bind(record.now)
    .bind(record.guardian_id)
    .bind(record.record_id)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("keeping a pick-up"))?;
    Ok(if kept.rows_affected() == 0 { Outcome::rejected(RejectReason::AlreadyPickedUp) } else { Outcome::Accepted })
}

/// The guardians' ids of a child of `site_id`, read in the transaction deciding a pick-up.
pub async fn guardians_of(tx: &mut Tx, site_id: &str, child_id: &str) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar("SELECT guardian_id FROM guardians WHERE site_id = $1 AND child_id = $2 ORDER BY guardian_id")
        .bind(site_id)
        .bind(child_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(AppError::db("reading a child's guardians"))
}

/// For the kiosks' roster: the children of each guardian of `site_id` whose row changed since
/// `since` (a change of guardians sends the guardian's row again). Ids only.
pub async fn children_of_changed(
    tx: &mut Tx,
    site_id: &str,
    since: i64,
) -> Result<HashMap<String, Vec<String>>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT guardians.guardian_id, guardians.child_id FROM guardians \
         JOIN residents ON residents.id = guardians.guardian_id \
         WHERE guardians.site_id = $1 AND residents.version > $2 ORDER BY guardians.guardian_id, guardians.child_id",
    )
    .bind(site_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await
    .map_err(AppError::db("reading guardians for kiosks"))?;
    let mut by_guardian: HashMap<String, Vec<String>> = HashMap::new();
    for (guardian, child) in rows {
        by_guardian.entry(guardian).or_default().push(child);
    }
    Ok(by_guardian)
}

/// Where each child stands at the sessions of `site_id` named with their start (ms), by
/// (session, child): from every drop-off (a kept check-in, or a paper tick, which counts from the
/// session's start) and the pick-up kept, whatever order they arrived in. On a connection, so a
/// pull reads it in its own transaction.
pub async fn at_sessions(
    db: &mut sqlx::AnyConnection,
    site_id: &str,
    sessions: &[(&str, i64)],
) -> Result<BTreeMap<(String, String), AtSession>, AppError> {
    let mut handovers: BTreeMap<(String, String), Vec<Handover>> = BTreeMap::new();
    let starts: HashMap<&str, i64> = sessions.iter().copied().collect();
    for chunk in sessions.chunks(200) {
        let list = placeholders(2, chunk.len());
        let condition = format!("rooms.site_id = $1 AND activities.id IN ({list})");
        let statement = came_at("FROM activities JOIN rooms ON rooms.id = activities.room_id", &condition);
        let mut query = sqlx::query_as::<_, (String, Option<String>, Option<i64>)>(&statement).bind(site_id);
        for (id, _) in chunk {
            query = query.bind(id.to_string());
        }
        for (activity, child, at) in query.fetch_all(&mut *db).await.map_err(AppError::db("reading drop-offs"))? {
            let (Some(child), Some(at_ms)) = (child, at.or_else(|| starts.get(activity.as_str()).copied())) else {
                continue;
            };
            handovers.entry((activity, child)).or_default().push(Handover::DropOff { at_ms });
        }
        let statement = format!(
            "SELECT activity_id, child_id, picked_up_at, staff_id FROM pick_ups \
             WHERE site_id = $1 AND activity_id IN ({list})"
        );
        let mut query = sqlx::query_as::<_, (String, String, i64, Option<String>)>(&statement).bind(site_id);
        for (id, _) in chunk {
            query = query.bind(id.to_string());
        }
        let rows = query.fetch_all(&mut *db).await.map_err(AppError::db("reading pick-ups"))?;
        for (activity, child, at_ms, staff) in rows {
            handovers.entry((activity, child)).or_default().push(Handover::PickUp { at_ms, by_staff: staff.is_some() });
        }
    }
    Ok(handovers.into_iter().map(|(key, handovers)| (key, AtSession::from_handovers(handovers))).collect())
}

/// When a session starts and ends, ms, in the community's time.
pub fn starts_ms(session: &SessionRow, offset: UtcOffset) -> i64 {
    ms_at(session.activity.date, session.activity.starts, offset)
}

pub fn ends_ms(session: &SessionRow, offset: UtcOffset) -> i64 {
    ms_at(session.activity.date, session.activity.ends, offset)
}

/// Lists `guardian_id` as a guardian of `child_id` (both of `site_id`, checked by the caller),
/// once: whether they were not listed before.
pub async fn list_guardian(tx: &mut Tx, site_id: &str, child_id: &str, guardian_id: &str) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO guardians (child_id, guardian_id, site_id) VALUES ($1, $2, $3) \
         ON CONFLICT (child_id, guardian_id) DO NOTHING",
    )
    .bind(child_id)
    .bind(guardian_id)
    .bind(site_id)
    .execute(&mut **tx)
    .await?;
    Ok(added.rows_affected() > 0)
}

/// Adds a pick-up contact who is not a resident for `child_id` of `site_id`.
pub async fn add_contact(
    tx: &mut Tx,
    site_id: &str,
    child_id: &str,
    contact: &jiayuan_domain::input::Contact,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pick_up_contacts (id, child_id, site_id, name, phone, relation) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(child_id)
    .bind(site_id)
    .bind(&contact.name)
    .bind(&contact.phone)
    .bind(contact.relation.clone())
    .execute(&mut **tx)
    .await
    .map(drop)
}
