//! The queue of text messages, for a deployment with a message gateway: about notices, and
//! the pick-up alert for a child still in the room after care (`office::handover`). Storage
//! only: the server's sender (`jiayuan_server::messages`) queues, claims, sends over HTTP and
//! marks. Each message is queued once under its key (a notice's id, or the session, child and
//! guardian of an alert), claimed by one server at a time (a lease that lapses if that server
//! dies), and sent with its key as the idempotency key. A message whose news is old by the
//! time it is due (the notice was told, the child was picked up) is not sent.

use jiayuan_domain::notices as rules;

use crate::db::Database;
use crate::error::{AppError, Tx};

/// Notices older than this when the gateway first sees them are left to staff and kiosks: a
/// gateway configured today does not send last month's news.
pub const QUEUE_WITHIN_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a server holds a claimed message before another may try it.
pub const LEASE_MS: i64 = 60_000;
/// The language messages are written in: the community's, as residents' own choice is made
/// at the kiosk each time and not kept.
pub const LANGUAGE: &str = "zh-Hans";

fn failed_at(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

/// A notice with a phone and no message yet, with what its words need.
type ToQueue = (String, String, String, String, String, String, String, String);

/// Queues a message for every untold notice of the last day, about a session from `today` on,
/// whose resident has a phone and that has none queued yet (another server may have queued it:
/// kept once). One read when there is nothing new, as there mostly is; how many were queued.
pub async fn queue_new(db: &Database, now: i64, today: time::Date) -> Result<u64, AppError> {
    let found: Vec<ToQueue> = sqlx::query_as(
        "SELECT n.id, n.site_id, s.name, r.phone, n.change_kind, a.title_zh_hans, a.day, a.starts \
         FROM notices n JOIN residents r ON r.id = n.resident_id JOIN activities a ON a.id = n.activity_id \
         JOIN sites s ON s.id = n.site_id \
         WHERE n.told_at IS NULL AND n.created_at >= $1 AND a.day >= $2 AND r.phone IS NOT NULL \
           AND r.deactivated_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM outgoing_messages m WHERE m.notice_id = n.id)",
    )
    .bind(now.saturating_sub(QUEUE_WITHIN_MS))
    .bind(crate::schedule::format_day(today))
    .fetch_all(&db.pool)
    .await
    .map_err(failed_at("finding notices to send"))?;
    if found.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await.map_err(db_err)?;
    let mut queued = 0;
    for (notice_id, site_id, community, phone, kind, title, day, starts) in found {
        let (Some(change), Some(day), Some(starts)) = (
            rules::Change::from_name(&kind),
            crate::schedule::parse_day(&day),
            jiayuan_domain::civil::parse_hour_minute(&starts),
        ) else {
            return Err(AppError::Unfinished("reading a notice to send"));
        };
        let words = rules::message_words(change, &community, &title, &rules::when_words(day, starts));
        let about = About::Notice { notice_id: &notice_id };
        queued += queue(
            &mut tx,
            &NewMessage { key: &notice_id, about, site_id: &site_id, phone: &phone, words: &words, now },
        )
        .await?;
    }
    tx.commit().await.map_err(failed_at("queueing messages"))?;
    Ok(queued)
}

/// What a message is about: what decides whether it is still worth sending when it is due.
#[derive(Debug, Clone, Copy)]
pub enum About<'a> {
    Notice {
        notice_id: &'a str,
    },
    /// A child still in the room after their after-school session.
    StillInTheRoom {
        activity_id: &'a str,
        child_id: &'a str,
    },
}

/// A message to queue.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    /// Unique to the message; sent as the idempotency key.
    pub key: &'a str,
    pub about: About<'a>,
    pub site_id: &'a str,
    pub phone: &'a str,
    pub words: &'a str,
    pub now: i64,
}

/// Queues `message` once (another server may have queued it): whether it is new.
pub async fn queue(tx: &mut Tx, message: &NewMessage<'_>) -> Result<u64, AppError> {
    let (notice_id, activity_id, child_id) = match message.about {
        About::Notice { notice_id } => (Some(notice_id), None, None),
        About::StillInTheRoom { activity_id, child_id } => (None, Some(activity_id), Some(child_id)),
    };
    let inserted = sqlx::query(
        "INSERT INTO outgoing_messages (message_key, notice_id, activity_id, child_id, site_id, phone, language, \
                                        words, queued_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (message_key) DO NOTHING",
    )
    .bind(message.key)
    .bind(notice_id)
    .bind(activity_id)
    .bind(child_id)
    .bind(message.site_id)
    .bind(message.phone)
    .bind(LANGUAGE)
    .bind(message.words)
    .bind(message.now)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("queueing a message"))?;
    Ok(inserted.rows_affected())
}

/// The messages `m` still worth sending: a notice not yet told, a child not yet picked up (a
/// message about neither has NULLs on both sides).
const STILL_NEWS: &str = "outgoing_messages m LEFT JOIN notices n ON n.id = m.notice_id \
     LEFT JOIN pick_ups p ON p.activity_id = m.activity_id AND p.child_id = m.child_id";
const STILL_NEWS_WHERE: &str = "n.told_at IS NULL AND p.child_id IS NULL";

fn db_err(error: sqlx::Error) -> AppError {
    AppError::db("queueing messages")(error)
}

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Outgoing {
    /// The message's key, also its idempotency key.
    pub key: String,
    pub site_id: String,
    pub phone: String,
    pub language: String,
    pub words: String,
    pub failures: i64,
}

/// Claims up to `limit` messages due at `now` for `claimer` (unique per attempt): not sent,
/// their notice still untold, nobody else's lease running. The claim's own conditions are
/// checked again on the row it updates, so two servers racing for one message cannot both
/// win it (PostgreSQL re-reads a row changed while it waited for the lock).
pub async fn claim(db: &Database, claimer: &str, now: i64, limit: i64) -> Result<Vec<Outgoing>, AppError> {
    // Mostly there is nothing due: a read, and no write transaction to hold up the kiosks'.
    let due: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM {STILL_NEWS} WHERE m.sent_at IS NULL AND {STILL_NEWS_WHERE} AND m.next_attempt_at <= $1 \
           AND (m.claimed_until IS NULL OR m.claimed_until < $1) LIMIT 1"
    ))
    .bind(now)
    .fetch_optional(&db.pool)
    .await
    .map_err(failed_at("looking for messages due"))?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let mut tx = db.begin_write().await.map_err(db_err)?;
    sqlx::query(&format!(
        "UPDATE outgoing_messages SET claimed_by = $1, claimed_until = $2 \
         WHERE sent_at IS NULL AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
           AND message_key IN (SELECT m.message_key FROM {STILL_NEWS} \
                               WHERE m.sent_at IS NULL AND {STILL_NEWS_WHERE} AND m.next_attempt_at <= $3 \
                                 AND (m.claimed_until IS NULL OR m.claimed_until < $3) \
                               ORDER BY m.next_attempt_at, m.message_key LIMIT $4)"
    ))
    .bind(claimer)
    .bind(now.saturating_add(LEASE_MS))
    .bind(now)
    .bind(limit)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("claiming messages"))?;
    let claimed = sqlx::query_as(
        "SELECT message_key AS key, site_id, phone, language, words, failures FROM outgoing_messages \
         WHERE claimed_by = $1 AND sent_at IS NULL ORDER BY next_attempt_at, message_key",
    )
    .bind(claimer)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed_at("reading claimed messages"))?;
    tx.commit().await.map_err(failed_at("claiming messages"))?;
    Ok(claimed)
}

/// The gateway took the message: sent, never again.
pub async fn sent(db: &Database, key: &str, claimer: &str, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(db_err)?;
    sqlx::query(
        "UPDATE outgoing_messages SET sent_at = $3, claimed_by = NULL, claimed_until = NULL, last_error = NULL \
         WHERE message_key = $1 AND claimed_by = $2",
    )
    .bind(key)
    .bind(claimer)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("marking a message sent"))?;
    tx.commit().await.map_err(failed_at("marking a message sent"))
}

/// The gateway refused or could not be reached: tried again later (`retry_after_ms`), the
/// error kept for staff to see.
pub async fn failed(db: &Database, key: &str, claimer: &str, now: i64, error: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(db_err)?;
    let failures: Option<i64> =
        sqlx::query_scalar("SELECT failures FROM outgoing_messages WHERE message_key = $1 AND claimed_by = $2")
            .bind(key)
            .bind(claimer)
            .fetch_optional(&mut **tx)
            .await
            .map_err(failed_at("reading a message"))?;
    let Some(failures) = failures else { return Ok(()) };
    let failures = failures.saturating_add(1);
    let wait = rules::retry_after_ms(u32::try_from(failures).unwrap_or(u32::MAX));
    let error: String = error.chars().take(300).collect();
    sqlx::query(
        "UPDATE outgoing_messages SET failures = $3, next_attempt_at = $4, last_error = $5, \
                claimed_by = NULL, claimed_until = NULL \
         WHERE message_key = $1 AND claimed_by = $2",
    )
    .bind(key)
    .bind(claimer)
    .bind(failures)
    .bind(now.saturating_add(wait))
    .bind(error)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("marking a message failed"))?;
    tx.commit().await.map_err(failed_at("marking a message failed"))
}

/// How a notice's message stands, for the call list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageState {
    Sent {
        at: i64,
    },
    /// Tried and failed; tried again later.
    Failing {
        failures: i64,
        error: String,
    },
    Waiting,
}

/// How the messages of `site_id`'s untold notices stand, by notice.
pub async fn states_of_untold(
    db: &Database,
    site_id: &str,
) -> Result<std::collections::HashMap<String, MessageState>, AppError> {
    let rows: Vec<(String, Option<i64>, i64, Option<String>)> = sqlx::query_as(
        "SELECT m.notice_id, m.sent_at, m.failures, m.last_error FROM outgoing_messages m \
         JOIN notices n ON n.id = m.notice_id WHERE n.site_id = $1 AND n.told_at IS NULL",
    )
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(failed_at("reading messages"))?;
    Ok(rows
        .into_iter()
        .map(|(notice_id, sent_at, failures, error)| {
            let state = match (sent_at, error) {
                (Some(at), _) => MessageState::Sent { at },
                (None, Some(error)) => MessageState::Failing { failures, error },
                (None, None) => MessageState::Waiting,
            };
            (notice_id, state)
        })
        .collect())
}
