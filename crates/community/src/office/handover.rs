//! After-school care (托管) for staff: who is still in the room (还在活动室) — the children
//! dropped off at a site's after-school sessions of a day and not picked up, with who to call —
//! an alert for those still there a while after their session ended (the site's setting), and
//! staff checking a child out with a reason.

use jiayuan_domain::LocalizedText;
use jiayuan_domain::handover::{ALERT_MESSAGE_WITHIN_MS, AtSession, alert_from};
use time::{Date, UtcOffset};

use super::form::ServiceError;
use super::guardians::{self, OfChild};
use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::outgoing;
use crate::schedule::{self, SessionRow};

/// A child in the room.
#[derive(Debug, Clone)]
pub struct ChildInRoom {
    pub activity_id: String,
    pub title: LocalizedText,
    pub room_id: String,
    pub child_id: String,
    pub full_name: String,
    /// When the first drop-off was tapped (a paper tick: the session's start).
    pub dropped_off_at: Option<i64>,
    /// When their session ends.
    pub ends_at: i64,
    /// When the alert starts for them: their session's end plus the site's minutes.
    pub alert_from: i64,
    /// Still here past `alert_from`.
    pub alert: bool,
    pub who_to_call: OfChild,
}

/// What a site's after-school sessions of `day` hold at `now`: the children still in the room,
/// those with an alert first, then by session and name.
pub async fn of_day(
    db: &Database,
    site_id: &str,
    day: Date,
    now: i64,
    offset: UtcOffset,
) -> Result<Vec<ChildInRoom>, AppError> {
    let sessions: Vec<SessionRow> = schedule::sessions_of_site(db, site_id, day, day)
        .await?
        .into_iter()
        .filter(|s| s.activity.after_school && !s.cancelled)
        .collect();
    in_sessions(db, site_id, &sessions, now, offset).await
}

/// The same for one session of `site_id` (its page).
pub async fn of_session(
    db: &Database,
    site_id: &str,
    activity_id: &str,
    now: i64,
    offset: UtcOffset,
) -> Result<Vec<ChildInRoom>, ServiceError> {
    let session = schedule::session_of_site(db, site_id, activity_id).await?.ok_or(ServiceError::NotFound)?;
    if !session.activity.after_school {
        return Ok(Vec::new());
    }
    Ok(in_sessions(db, site_id, &[session], now, offset).await?)
}

async fn in_sessions(
    db: &Database,
    site_id: &str,
    sessions: &[SessionRow],
    now: i64,
    offset: UtcOffset,
) -> Result<Vec<ChildInRoom>, AppError> {
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let alert_minutes = alert_minutes(db, site_id).await?;
    let starts: Vec<(&str, i64)> =
        sessions.iter().map(|s| (s.activity.id.as_str(), crate::handover::starts_ms(s, offset))).collect();
    let mut connection = db.pool.acquire().await.map_err(AppError::db("reading hand-overs"))?;
    let handovers = crate::handover::at_sessions(&mut connection, site_id, &starts).await?;
    let still_in: Vec<(String, String, AtSession)> = handovers
        .into_iter()
        .filter(|(_, at)| at.in_the_room())
        .map(|((activity, child), at)| (activity, child, at))
        .collect();
    let children: Vec<&str> = still_in.iter().map(|(_, child, _)| child.as_str()).collect();
    let mut who_to_call = guardians::of_children(db, site_id, &children).await?;
    let names = crate::roster::full_names(db, site_id, &children).await?;
    let mut in_room: Vec<ChildInRoom> = still_in
        .iter()
        .filter_map(|(activity_id, child_id, at)| {
            let session = sessions.iter().find(|s| &s.activity.id == activity_id)?;
            let ends = crate::handover::ends_ms(session, offset);
            Some(ChildInRoom {
                activity_id: activity_id.clone(),
                title: session.activity.title.clone(),
                room_id: session.activity.room_id.clone(),
                child_id: child_id.clone(),
                full_name: names.get(child_id).cloned().unwrap_or_default(),
                dropped_off_at: at.dropped_off_at,
                ends_at: ends,
                alert_from: alert_from(ends, alert_minutes),
                alert: at.alert_due(ends, alert_minutes, now),
                who_to_call: who_to_call.remove(child_id).unwrap_or_default(),
            })
        })
        .collect();
    in_room.sort_by(|a, b| {
        (!a.alert, &a.activity_id, &a.full_name, &a.child_id).cmp(&(
            !b.alert,
            &b.activity_id,
            &b.full_name,
            &b.child_id,
        ))
    });
    Ok(in_room)
}

/// Where a gateway is configured: a text message to each guardian with a phone of every child
/// still in the room once their alert began (today's after-school sessions of every site), once
/// per session, child and guardian. Sent only while the child is still there (`outgoing`); a
/// pick-up contact who is not a resident is for staff to call. How many were queued.
pub async fn queue_alert_messages(db: &Database, now: i64, offset: UtcOffset) -> Result<u64, AppError> {
    let today = crate::community_time::day_of(now, offset);
    // Yesterday's too: a session that ended late in the evening alerts after midnight.
    let yesterday = today.previous_day().unwrap_or(today);
    let sites: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT sites.id, sites.name FROM sites JOIN rooms ON rooms.site_id = sites.id \
         JOIN activities ON activities.room_id = rooms.id \
         WHERE activities.day IN ($1, $2) AND activities.after_school <> 0 AND activities.cancelled_at IS NULL",
    )
    .bind(schedule::format_day(yesterday))
    .bind(schedule::format_day(today))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db(QUEUEING_ALERTS))?;
    let mut queued = 0;
    for (site_id, community) in sites {
        let already: std::collections::HashSet<String> = sqlx::query_scalar(
            "SELECT message_key FROM outgoing_messages WHERE site_id = $1 AND child_id IS NOT NULL AND queued_at >= $2",
        )
        .bind(&site_id)
        .bind(crate::community_time::ms_at(yesterday, time::Time::MIDNIGHT, offset))
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db(QUEUEING_ALERTS))?
        .into_iter()
        .collect();
        let mut messages = Vec::new();
        let mut due = of_day(db, &site_id, yesterday, now, offset).await?;
        due.extend(of_day(db, &site_id, today, now, offset).await?);
        let recent = |child: &ChildInRoom| now.saturating_sub(child.alert_from) <= ALERT_MESSAGE_WITHIN_MS;
        for child in due.into_iter().filter(|c| c.alert && recent(c)) {
            let session_ends = crate::community_time::wall_clock(child.ends_at, offset);
            let words = jiayuan_domain::handover::alert_message_words(
                &community,
                &jiayuan_domain::privacy::mask_name(&child.full_name),
                &child.title.zh_hans,
                &session_ends,
            );
            for guardian in &child.who_to_call.guardians {
                let key = format!("pick-up/{}/{}/{}", child.activity_id, child.child_id, guardian.id);
                if let (Some(phone), false) = (&guardian.phone, already.contains(&key)) {
                    messages.push((
                        key,
                        child.activity_id.clone(),
                        child.child_id.clone(),
                        phone.clone(),
                        words.clone(),
                    ));
                }
            }
        }
        if messages.is_empty() {
            continue;
        }
        let mut tx = db.begin_write().await.map_err(AppError::db(QUEUEING_ALERTS))?;
        for (key, activity_id, child_id, phone, words) in &messages {
            let about = outgoing::About::StillInTheRoom { activity_id, child_id };
            let message = outgoing::NewMessage { key, about, site_id: &site_id, phone, words, now };
            queued += outgoing::queue(&mut tx, &message).await?;
        }
        tx.commit().await.map_err(AppError::db(QUEUEING_ALERTS))?;
    }
    Ok(queued)
}

const QUEUEING_ALERTS: &str = "queueing pick-up alerts";

/// Minutes after an after-school session's end before a child still there is an alert.
pub async fn alert_minutes(db: &Database, site_id: &str) -> Result<u32, AppError> {
    let minutes: i64 = sqlx::query_scalar("SELECT pick_up_alert_minutes FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::db("reading the site's pick-up alert"))?;
    Ok(u32::try_from(minutes).unwrap_or(jiayuan_domain::handover::DEFAULT_ALERT_MINUTES))
}

/// Staff set the minutes (within `ALERT_MINUTES`).
pub async fn set_alert_minutes(db: &Database, actor: &Actor, site_id: &str, minutes: u32) -> Result<(), ServiceError> {
    if !jiayuan_domain::handover::ALERT_MINUTES.contains(&minutes) {
        return Err(ServiceError::field("pick_up_alert_minutes", "handover.problem.alert_minutes"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db("setting the pick-up alert"))?;
    sqlx::query("UPDATE sites SET pick_up_alert_minutes = $2 WHERE id = $1")
        .bind(site_id)
        .bind(i64::from(minutes))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("setting the pick-up alert"))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::PickUpAlertChanged,
            subject: site_id.to_owned(),
            reason: None,
            detail: Some(format!("{minutes} minutes")),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db("setting the pick-up alert"))?;
    Ok(())
}

const CHECKING_OUT: &str = "checking a child out";

/// Staff check a child out of an after-school session of `site_id` (the guardian could not
/// be found at the kiosk, a neighbour came, the child went home with a teacher): the reason is
/// required and kept in the action log. Refused if the child was already picked up.
pub async fn check_out_by_staff(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    activity_id: &str,
    child_id: &str,
    reason: &str,
) -> Result<(), ServiceError> {
    let session = crate::schedule::session_of_site(db, site_id, activity_id).await?.ok_or(ServiceError::NotFound)?;
    if !session.activity.after_school {
        return Err(ServiceError::NotFound);
    }
    super::roster::find(db, site_id, child_id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "handover.problem.reason"));
    }
    let staff_id = match actor {
        Actor::Staff(id) => Some(id.as_str()),
        _ => None,
    };
    let now = now_ms();
    let mut tx = db.begin_write().await.map_err(AppError::db(CHECKING_OUT))?;
    let kept = sqlx::query(
        "INSERT INTO pick_ups (activity_id, child_id, site_id, picked_up_at, applied_at, staff_id, reason) \
         VALUES ($1, $2, $3, $4, $4, $5, $6) ON CONFLICT (activity_id, child_id) DO NOTHING",
    )
    .bind(activity_id)
    .bind(child_id)
    .bind(site_id)
    .bind(now)
    .bind(staff_id.unwrap_or("server"))
    .bind(reason)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(CHECKING_OUT))?;
    if kept.rows_affected() == 0 {
        return Err(ServiceError::field("reason", "handover.problem.already"));
    }
    // Kiosks in the room count the child out with their next pull.
    crate::schedule::send_again(&mut tx, site_id, &[activity_id]).await.map_err(AppError::db(CHECKING_OUT))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::CheckedOutByStaff,
            subject: child_id.to_owned(),
            reason: Some(reason.to_owned()),
            detail: Some(format!("from {activity_id}")),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(CHECKING_OUT))?;
    Ok(())
}
