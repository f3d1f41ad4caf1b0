//! The sender of text messages (`--message-webhook URL`): every few seconds it queues messages
//! for new notices and for children still in the room after care, claims those due, and POSTs
//! each to the operator's relay as JSON with the message's key as its idempotency key; the relay talks to the SMS provider. A 2xx answer is
//! sent; anything else is tried again with backoff, the error shown on the call list. Several
//! servers on one database each run a sender: the queue's claims keep each message to one.

use std::time::Duration;

use jiayuan_community::db::Database;
use jiayuan_community::error::AppError;
use jiayuan_community::outgoing::{self, Outgoing};
use serde::Serialize;

/// How often the queue is looked at.
const EVERY: Duration = Duration::from_secs(5);
/// The most messages one look sends.
const PER_ROUND: i64 = 50;
/// A relay that has not answered by then is counted as failed (and tried again).
const TIMEOUT: Duration = Duration::from_secs(10);

/// The operator's relay.
#[derive(Debug, Clone)]
pub struct Gateway {
    url: String,
    client: reqwest::Client,
}

impl Gateway {
    /// The relay at `url` (http or https).
    pub fn new(url: &str) -> Result<Gateway, String> {
        let parsed = reqwest::Url::parse(url).map_err(|error| format!("{url:?} is not a URL: {error}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("{url:?} is not an http or https URL"));
        }
        let client = reqwest::Client::builder().timeout(TIMEOUT).build().map_err(|error| error.to_string())?;
        Ok(Gateway { url: url.to_owned(), client })
    }
}

/// The JSON body the relay receives.
#[derive(Debug, Serialize)]
struct Body<'a> {
    idempotency_key: &'a str,
    phone: &'a str,
    language: &'a str,
    text: &'a str,
    site_id: &'a str,
}

/// What one look at the queue did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
}

/// One look at the queue at `now`, on the community's clock (`offset`).
pub async fn send_due(db: &Database, gateway: &Gateway, now: i64, offset: time::UtcOffset) -> Result<Round, AppError> {
    let today = jiayuan_community::community_time::day_of(now, offset);
    let queued = outgoing::queue_new(db, now, today).await?
        + jiayuan_community::office::handover::queue_alert_messages(db, now, offset).await?;
    let claimer = format!("sender-{}", uuid::Uuid::new_v4().simple());
    let mut round = Round { queued, ..Round::default() };
    for message in outgoing::claim(db, &claimer, now, PER_ROUND).await? {
        match post(gateway, &message).await {
            Ok(()) => {
                outgoing::sent(db, &message.key, &claimer, now).await?;
                round.sent += 1;
            }
            Err(error) => {
                tracing::warn!(message = %message.key, failures = message.failures + 1, %error, "a text message was not sent");
                outgoing::failed(db, &message.key, &claimer, now, &error).await?;
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

async fn post(gateway: &Gateway, message: &Outgoing) -> Result<(), String> {
    let body = Body {
        idempotency_key: &message.key,
        phone: &message.phone,
        language: &message.language,
        text: &message.words,
        site_id: &message.site_id,
    };
    let response = gateway
        .client
        .post(&gateway.url)
        .header("idempotency-key", &message.key)
        .json(&body)
        .send()
        .await
        .map_err(|error| format!("the relay could not be reached: {error}"))?;
    let status = response.status();
    if status.is_success() { Ok(()) } else { Err(format!("the relay answered {status}")) }
}

/// Runs the sender for as long as the server runs.
pub fn keep_sending(db: Database, gateway: Gateway, utc_offset: time::UtcOffset) {
    tokio::spawn(async move {
        loop {
            let now = jiayuan_community::clock::now_ms();
            if let Err(error) = send_due(&db, &gateway, now, utc_offset).await {
                tracing::error!(%error, "the text message queue could not be read");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
