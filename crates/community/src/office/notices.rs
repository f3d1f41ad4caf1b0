//! The call list (待通知): residents not yet told of a change to their place, with their phone,
//! for staff to call; each call is marked told or no answer, with who and when, in the action
//! log. A resident who reads it at a kiosk leaves the list by themselves.

use std::collections::HashMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::notices::Change;
use time::{Date, Time};

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::notices::{self, Teller, how};
use crate::office::form::ServiceError;
use crate::outgoing::{self, MessageState};
use crate::versions;

const DB: &str = "marking a call";

/// One line of the call list.
#[derive(Debug, Clone)]
pub struct ToCall {
    pub notice_id: String,
    pub resident_id: String,
    pub full_name: String,
    /// Whole: the list is for calling (staff of the resident's site only).
    pub phone: Option<String>,
    pub change: Change,
    pub activity_id: String,
    pub title: LocalizedText,
    pub day: Date,
    pub starts: Time,
    pub no_answer_at: Option<i64>,
    /// Where the deployment sends text messages: how this one stands.
    pub message: Option<MessageState>,
}

/// The site's residents to tell about sessions from `today` on, oldest change first.
pub async fn to_call(db: &Database, site_id: &str, today: Date) -> Result<Vec<ToCall>, AppError> {
    let mut tx = db.pool.begin().await.map_err(AppError::db("reading the call list"))?;
    let untold = notices::untold(&mut tx, site_id, today, None).await?;
    let people: HashMap<String, (String, Option<String>)> = sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT id, full_name, phone FROM residents WHERE site_id = $1 \
           AND id IN (SELECT resident_id FROM notices WHERE site_id = $1 AND told_at IS NULL)",
    )
    .bind(site_id)
    .fetch_all(&mut *tx)
    .await
    .map_err(AppError::db("reading the call list"))?
    .into_iter()
    .map(|(id, name, phone)| (id, (name, phone)))
    .collect();
    tx.commit().await.map_err(AppError::db("reading the call list"))?;
    let mut messages = outgoing::states_of_untold(db, site_id).await?;
    Ok(untold
        .into_iter()
        .filter_map(|notice| {
            let (full_name, phone) = people.get(&notice.resident_id)?.clone();
            Some(ToCall {
                message: messages.remove(&notice.id),
                notice_id: notice.id,
                resident_id: notice.resident_id,
                full_name,
                phone,
                change: notice.change,
                activity_id: notice.activity_id,
                title: notice.title,
                day: notice.day,
                starts: notice.starts,
                no_answer_at: notice.no_answer_at,
            })
        })
        .collect())
}

/// A notice of one resident, told or not, for their page: who was told what, how, by whom
/// and when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeOfResident {
    pub change_kind: String,
    pub activity_id: String,
    pub title: String,
    pub day: String,
    pub starts: String,
    pub created_at: i64,
    pub told_at: Option<i64>,
    pub told_how: Option<String>,
    pub told_by: Option<String>,
    pub no_answer_at: Option<i64>,
}

/// The notices of `resident_id` (of `site_id`), newest first, the last `limit`.
pub async fn of_resident(
    db: &Database,
    site_id: &str,
    resident_id: &str,
    limit: i64,
) -> Result<Vec<NoticeOfResident>, AppError> {
    sqlx::query_as(
        "SELECT n.change_kind, a.id AS activity_id, a.title_zh_hans AS title, a.day, a.starts, n.created_at, \
                n.told_at, n.told_how, n.told_by, n.no_answer_at \
         FROM notices n JOIN activities a ON a.id = n.activity_id \
         WHERE n.site_id = $1 AND n.resident_id = $2 ORDER BY n.created_at DESC, n.id LIMIT $3",
    )
    .bind(site_id)
    .bind(resident_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading a resident's notices"))
}

/// What came of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// They heard it: the notice is told and leaves every kiosk and the list.
    Told,
    /// Nobody answered: noted, and the resident stays on the list (and is still told at a kiosk).
    NoAnswer,
}

/// Marks a call about notice `notice_id` of `site_id`: an unknown or foreign notice, or one
/// told meanwhile, is NotFound.
pub async fn mark(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    notice_id: &str,
    call: Call,
) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT resident_id, activity_id FROM notices WHERE id = $1 AND site_id = $2 AND told_at IS NULL",
    )
    .bind(notice_id)
    .bind(site_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    let Some((resident_id, activity_id)) = found else { return Err(ServiceError::NotFound) };
    let now = now_ms();
    let act = match call {
        Call::Told => {
            let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
            let teller = Teller { how: how::PHONE, by: actor.as_text(), version };
            notices::told(&mut tx, notice_id, &resident_id, teller, now).await?;
            Act::ToldByPhone
        }
        Call::NoAnswer => {
            sqlx::query("UPDATE notices SET no_answer_at = $2, no_answer_by = $3 WHERE id = $1")
                .bind(notice_id)
                .bind(now)
                .bind(actor.as_text())
                .execute(&mut **tx)
                .await
                .map_err(AppError::db(DB))?;
            Act::NoAnswer
        }
    };
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act,
            subject: format!("{activity_id} · {resident_id}"),
            reason: None,
            detail: Some(notice_id.to_owned()),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}
