//! The queue of text messages about notices, for a deployment with a message gateway. Storage
//! only: the server's sender (`jiayuan_server::messages`) queues, claims, sends over HTTP and
//! marks. Each notice is queued once (its id is the row's key), claimed by one server at a
//! time (a lease that lapses if that server dies), and sent with its id as the idempotency key.

use jiayuan_domain::notices as rules;

use crate::db::Database;
use crate::error::AppError;
use crate::notices::Untold;

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

/// Queues a message for every untold notice of the last day whose resident has a phone and
/// has none queued yet (another server may have queued it: kept once). How many were queued.
pub async fn queue_new(db: &Database, now: i64, today: time::Date) -> Result<u64, AppError> {
    let mut tx = db.begin_write().await.map_err(db_err)?;
    let sites: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT sites.id, sites.name FROM sites JOIN notices ON notices.site_id = sites.id \
                        WHERE notices.told_at IS NULL AND notices.created_at >= $1",
    )
    .bind(now.saturating_sub(QUEUE_WITHIN_MS))
    .fetch_all(&mut **tx)
    .await
    .map_err(failed_at("finding notices to send"))?;
    let mut queued = 0;
    for (site_id, community) in sites {
        for notice in crate::notices::untold(&mut tx, &site_id, today, None).await? {
            if notice.created_at < now.saturating_sub(QUEUE_WITHIN_MS) {
                continue;
            }
            queued += queue_one(&mut tx, &site_id, &community, &notice, now).await?;
        }
    }
    tx.commit().await.map_err(failed_at("queueing messages"))?;
    Ok(queued)
}

fn db_err(error: sqlx::Error) -> AppError {
    AppError::db("queueing messages")(error)
}

async fn queue_one(
    tx: &mut crate::error::Tx,
    site_id: &str,
    community: &str,
    notice: &Untold,
    now: i64,
) -> Result<u64, AppError> {
    let phone: Option<String> = sqlx::query_scalar("SELECT phone FROM residents WHERE id = $1")
        .bind(&notice.resident_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(failed_at("reading a phone"))?;
    let Some(phone) = phone else { return Ok(0) };
    let words = rules::message_words(
        notice.change,
        community,
        &notice.title.zh_hans,
        &rules::when_words(notice.day, notice.starts),
    );
    let queued = sqlx::query(
        "INSERT INTO outgoing_messages (notice_id, site_id, phone, language, words, queued_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (notice_id) DO NOTHING",
    )
    .bind(&notice.id)
    .bind(site_id)
    .bind(phone)
    .bind(LANGUAGE)
    .bind(words)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("queueing a message"))?;
    Ok(queued.rows_affected())
}

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Outgoing {
    /// Also the idempotency key.
    pub notice_id: String,
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
    let mut tx = db.begin_write().await.map_err(db_err)?;
    sqlx::query(
        "UPDATE outgoing_messages SET claimed_by = $1, claimed_until = $2 \
         WHERE sent_at IS NULL AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3) \
           AND notice_id IN (SELECT m.notice_id FROM outgoing_messages m JOIN notices n ON n.id = m.notice_id \
                             WHERE m.sent_at IS NULL AND n.told_at IS NULL AND m.next_attempt_at <= $3 \
                               AND (m.claimed_until IS NULL OR m.claimed_until < $3) \
                             ORDER BY m.next_attempt_at, m.notice_id LIMIT $4)",
    )
    .bind(claimer)
    .bind(now.saturating_add(LEASE_MS))
    .bind(now)
    .bind(limit)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("claiming messages"))?;
    let claimed = sqlx::query_as(
        "SELECT notice_id, site_id, phone, language, words, failures FROM outgoing_messages \
         WHERE claimed_by = $1 AND sent_at IS NULL ORDER BY next_attempt_at, notice_id",
    )
    .bind(claimer)
    .fetch_all(&mut **tx)
    .await
    .map_err(failed_at("reading claimed messages"))?;
    tx.commit().await.map_err(failed_at("claiming messages"))?;
    Ok(claimed)
}

/// The gateway took the message: sent, never again.
pub async fn sent(db: &Database, notice_id: &str, claimer: &str, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(db_err)?;
    sqlx::query(
        "UPDATE outgoing_messages SET sent_at = $3, claimed_by = NULL, claimed_until = NULL, last_error = NULL \
         WHERE notice_id = $1 AND claimed_by = $2",
    )
    .bind(notice_id)
    .bind(claimer)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(failed_at("marking a message sent"))?;
    tx.commit().await.map_err(failed_at("marking a message sent"))
}

/// The gateway refused or could not be reached: tried again later (`retry_after_ms`), the
/// error kept for staff to see.
pub async fn failed(db: &Database, notice_id: &str, claimer: &str, now: i64, error: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await.map_err(db_err)?;
    let failures: Option<i64> =
        sqlx::query_scalar("SELECT failures FROM outgoing_messages WHERE notice_id = $1 AND claimed_by = $2")
            .bind(notice_id)
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
         WHERE notice_id = $1 AND claimed_by = $2",
    )
    .bind(notice_id)
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

/// The state of `notice_id`'s message, if one was queued.
pub async fn state_of(db: &Database, notice_id: &str) -> Result<Option<MessageState>, AppError> {
    let row: Option<(Option<i64>, i64, Option<String>)> =
        sqlx::query_as("SELECT sent_at, failures, last_error FROM outgoing_messages WHERE notice_id = $1")
            .bind(notice_id)
            .fetch_optional(&db.pool)
            .await
            .map_err(failed_at("reading a message"))?;
    Ok(row.map(|(sent_at, failures, error)| match (sent_at, error) {
        (Some(at), _) => MessageState::Sent { at },
        (None, Some(error)) => MessageState::Failing { failures, error },
        (None, None) => MessageState::Waiting,
    }))
}
