//! Children in after-school care (托管) handed over at the server, as kiosks' records arrive: a
//! pick-up is kept once per child and session, only from a guardian staff listed; kiosks are
//! sent whom each guardian collects. Staff's side (guardians, checking a child out, who is still
//! in the room) is `office::guardians` and `office::handover`; the rules are
//! `jiayuan_domain::handover`.

use jiayuan_domain::sync::{Outcome, RejectReason};

use std::collections::HashMap;

use crate::error::{AppError, Tx};

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
