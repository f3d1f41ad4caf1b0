//! What a kiosk pulls: its site's rooms, the coming weeks' activities with seats left, the
//! roster as identity digests and masked names, and every sign-up decision for those
//! activities, as changes since its cursor or, when it must start afresh, everything.

use jiayuan_domain::identity::{self, IdentityKind};
use jiayuan_domain::satisfaction::ASK_WITHIN_MS;
use jiayuan_domain::seats::{place_behind, status};
use jiayuan_domain::sync::pull::{
    Deleted, DrawWindow, HandedOver, PullResponse, RosterEntry, ScheduledActivity, SignUpDecision, SignUpStatus,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::{Date, UtcOffset};

use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::horizon;
use crate::kiosks::Kiosk;
use crate::schedule::{ACTIVITY_COLUMNS, activity_from_row, format_day, room_from_row};

use crate::error::Tx;

fn failed(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

pub async fn pull(
    db: &Database,
    kiosk: &Kiosk,
    cursor: u64,
    today: Date,
    offset: UtcOffset,
) -> Result<PullResponse, AppError> {
    // One transaction: on PostgreSQL everything read below comes from the same moment.
    let mut tx = db.pool.begin().await.map_err(failed("starting a pull"))?;
    let (version, pruned_through, identity_key, staff_pin): (i64, i64, String, Option<String>) =
        sqlx::query_as("SELECT version, pruned_through, identity_key, staff_pin_digest FROM sites WHERE id = $1")
            .bind(&kiosk.site_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(failed("reading the site"))?;
    let cursor = i64::try_from(cursor).unwrap_or(i64::MAX);
    // A cursor from before forgotten deletions, or from the future (the server's data was
    // restored from a backup), cannot be continued from.
    let reset = cursor == 0 || cursor < pruned_through || cursor > version;
    let since = if reset { 0 } else { cursor };
    let first_day = format_day(horizon::first_day(today));
    let last_day = format_day(horizon::last_day(today));

    let rooms = sqlx::query(
        "SELECT id, name_zh_hans, name_zh_hant, name_en FROM rooms WHERE site_id = $1 AND version > $2 ORDER BY id",
    )
    .bind(&kiosk.site_id)
    .bind(since)
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("reading rooms"))?
    .iter()
    .map(room_from_row)
    .collect::<Result<Vec<_>, _>>()
    .map_err(failed("reading rooms"))?;

    let activity_rows = sqlx::query(&format!(
        "SELECT {ACTIVITY_COLUMNS}, activities.seats_taken, activities.draw_closes_at, activities.draws_at, \
         activities.drawn_at FROM activities \
         JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $1 AND activities.version > $2 AND activities.day >= $3 AND activities.day <= $4 \
         ORDER BY activities.day, activities.starts, activities.id"
    ))
    .bind(&kiosk.site_id)
    .bind(since)
    .bind(&first_day)
    .bind(&last_day)
    .fetch_all(&mut *tx)
    .await
    .map_err(failed("reading activities"))?;
    let mut activities = activity_rows
        .iter()
        .map(|row| {
            let activity = activity_from_row(row)?;
            let taken: i64 = row.try_get("seats_taken")?;
            let seats_left = activity.seats_left(u32::try_from(taken.max(0)).unwrap_or(u32::MAX));
            let draw = match (row.try_get("draw_closes_at")?, row.try_get("draws_at")?, row.try_get("drawn_at")?) {
                (Some(closes_at), Some(draws_at), None::<i64>) => Some(DrawWindow { closes_at, draws_at }),
                _ => None,
            };
            Ok(ScheduledActivity { activity, seats_left, draw, children: HandedOver::default() })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(failed("reading activities"))?;
    add_children(&mut tx, &kiosk.site_id, &mut activities, offset).await?;

    let mut residents = roster(&mut tx, &kiosk.site_id, since, &identity_key).await?;
    if !residents.is_empty() {
        add_service_and_ratings(&mut tx, &mut residents, &kiosk.site_id, since, today, offset).await?;
    }
    let sign_ups = sign_up_decisions(&mut tx, &kiosk.site_id, since, &first_day, &last_day).await?;
    let deleted = if reset { Deleted::default() } else { deletions(&mut tx, &kiosk.site_id, since).await? };
    tx.commit().await.map_err(failed("finishing a pull"))?;

    Ok(PullResponse {
        cursor: u64::try_from(version).unwrap_or(0),
        reset,
        server_time: now_ms(),
        identity_key,
        // The site's own; the server puts its `--staff-pin` in when the site has none.
        staff_pin,
        utc_offset_minutes: Some(i32::from(offset.whole_minutes())),
        rooms,
        activities,
        residents,
        sign_ups,
        deleted,
    })
}

/// Who the server has in the room and as picked up at the after-school sessions sent.
async fn add_children(
    tx: &mut Tx,
    site_id: &str,
    activities: &mut [ScheduledActivity],
    offset: UtcOffset,
) -> Result<(), AppError> {
    let starts: Vec<(&str, i64)> = activities
        .iter()
        .filter(|a| a.activity.after_school)
        .map(|a| (a.activity.id.as_str(), crate::community_time::ms_at(a.activity.date, a.activity.starts, offset)))
        .collect();
    if starts.is_empty() {
        return Ok(());
    }
    let mut by_session: std::collections::HashMap<String, HandedOver> = std::collections::HashMap::new();
    for ((activity_id, child), at) in crate::handover::at_sessions(tx, site_id, &starts).await? {
        let children = by_session.entry(activity_id).or_default();
        if at.in_the_room() {
            children.in_the_room.push(child);
        } else if at.picked_up.is_some() {
            children.picked_up.push(child);
        }
    }
    for scheduled in activities.iter_mut() {
        scheduled.children = by_session.remove(&scheduled.activity.id).unwrap_or_default();
    }
    Ok(())
}

async fn roster(tx: &mut Tx, site_id: &str, since: i64, key: &str) -> Result<Vec<RosterEntry>, AppError> {
    type Row = (String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, display_name, card_number, phone_last4, household FROM residents \
         WHERE site_id = $1 AND version > $2 AND deactivated_at IS NULL ORDER BY id",
    )
    .bind(site_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed("reading the roster"))?;
    let hashed = |kind, value: Option<String>| value.and_then(|v| identity::digest(key, kind, &v));
    let mut children = crate::handover::children_of_changed(tx, site_id, since).await?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name, card, phone, household)| RosterEntry {
            display_name,
            card: hashed(IdentityKind::Card, card),
            phone_last4: hashed(IdentityKind::PhoneLast4, phone),
            household: hashed(IdentityKind::Household, household),
            served: None,
            to_rate: Vec::new(),
            to_tell: Vec::new(),
            children: children.remove(&id).unwrap_or_default(),
            id,
        })
        .collect())
}

/// Volunteers' hours, the sessions residents may be asked about and what they are to be told,
/// for the residents sent.
async fn add_service_and_ratings(
    tx: &mut Tx,
    residents: &mut [RosterEntry],
    site_id: &str,
    since: i64,
    today: Date,
    offset: UtcOffset,
) -> Result<(), AppError> {
    let served = crate::time_bank::served_by_volunteer(tx, site_id).await?;
    // A day more than the week asked about: kiosks' clocks and the community's day differ.
    let week_and_a_day = time::Duration::milliseconds(ASK_WITHIN_MS).saturating_add(time::Duration::days(1));
    let first_day = today.checked_sub(week_and_a_day).unwrap_or(today);
    let mut to_rate = crate::satisfaction::to_rate(tx, site_id, since, first_day, offset).await?;
    let mut to_tell = crate::notices::to_tell(tx, site_id, since, today, offset).await?;
    for resident in residents {
        resident.served = served.get(&resident.id).copied();
        resident.to_rate = to_rate.remove(&resident.id).unwrap_or_default();
        resident.to_tell = to_tell.remove(&resident.id).unwrap_or_default();
    }
    Ok(())
}

/// The whole list of every activity that changed, so waiting-list positions are current.
async fn sign_up_decisions(
    tx: &mut Tx,
    site_id: &str,
    since: i64,
    first_day: &str,
    last_day: &str,
) -> Result<Vec<SignUpDecision>, AppError> {
    let rows = sqlx::query(
        "SELECT sign_ups.activity_id, sign_ups.resident_id, sign_ups.companions, sign_ups.status \
         FROM sign_ups JOIN activities ON activities.id = sign_ups.activity_id \
         JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $1 AND activities.version > $2 AND activities.day >= $3 AND activities.day <= $4 \
           AND sign_ups.status IN ($5, $6, $7, $8) \
         ORDER BY sign_ups.activity_id, sign_ups.queue_order, sign_ups.record_id",
    )
    .bind(site_id)
    .bind(since)
    .bind(first_day)
    .bind(last_day)
    .bind(status::CONFIRMED)
    .bind(status::WAITING)
    .bind(status::CANCELLED)
    .bind(status::ENTERED)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed("reading sign-ups"))?;
    let mut decisions = Vec::with_capacity(rows.len());
    let mut position = 0i64;
    let mut current_activity = String::new();
    for row in &rows {
        let decision =
            decision_from_row(row, &mut current_activity, &mut position).map_err(failed("reading sign-ups"))?;
        decisions.push(decision);
    }
    Ok(decisions)
}

/// `ahead` counts those waiting before this row in its activity's line.
fn decision_from_row(row: &AnyRow, current: &mut String, ahead: &mut i64) -> Result<SignUpDecision, sqlx::Error> {
    let activity_id: String = row.try_get("activity_id")?;
    if *current != activity_id {
        current.clone_from(&activity_id);
        *ahead = 0;
    }
    let stored: String = row.try_get("status")?;
    let status = match stored.as_str() {
        status::CONFIRMED => SignUpStatus::Confirmed,
        status::WAITING => {
            let position = place_behind(*ahead);
            *ahead = ahead.saturating_add(1);
            SignUpStatus::Waitlisted { position }
        }
        status::ENTERED => SignUpStatus::Entered,
        _ => SignUpStatus::Cancelled,
    };
    let companions: i64 = row.try_get("companions")?;
    Ok(SignUpDecision {
        activity_id,
        resident_id: row.try_get("resident_id")?,
        companions: u8::try_from(companions).unwrap_or(0),
        status,
    })
}

async fn deletions(tx: &mut Tx, site_id: &str, since: i64) -> Result<Deleted, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT entity, entity_id FROM deletions WHERE site_id = $1 AND version > $2 ORDER BY entity_id",
    )
    .bind(site_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed("reading deletions"))?;
    let mut deleted = Deleted::default();
    for (entity, id) in rows {
        match entity.as_str() {
            "room" => deleted.rooms.push(id),
            "activity" => deleted.activities.push(id),
            "resident" => deleted.residents.push(id),
            other => tracing::warn!("unknown deleted entity {other:?}"),
        }
    }
    Ok(deleted)
}
