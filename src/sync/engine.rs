//! When and how the kiosk syncs: after each new record, when the browser says it is online,
//! and every 30 s; after a failure, again after a delay that doubles (with jitter) up to five
//! minutes. A sync pushes every waiting record in batches, each answer saved before its record
//! is let go, then pulls what changed.

use jiayuan_domain::sync::backoff::Backoff;
use jiayuan_domain::sync::pull::PullResponse;
use jiayuan_domain::sync::push::MAX_BATCH;
use jiayuan_domain::sync::report::PullQuery;
use jiayuan_domain::sync::{ApiError, ErrorCode, PairRequest, Pairing, PushRequest, PushResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use std::time::Duration;

use super::http::{Answer, send};
use super::{Credentials, Problem};
use crate::clock::now_ms;
use crate::state::LocalData;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub running: bool,
    pub last_success_ms: Option<i64>,
    pub last_problem: Option<Problem>,
    /// (sent, total) during a push of many records.
    pub progress: Option<(u64, u64)>,
    /// Server clock minus kiosk clock, from the last answer.
    pub skew_ms: Option<i64>,
}

#[derive(Default)]
struct Runner {
    running: bool,
    /// Something asked for a sync while one was running: run once more after it.
    again: bool,
    backoff: Backoff,
    timer: Option<TimeoutHandle>,
    /// When answered records were last looked at for forgetting (kiosk clock, ms).
    forgot_at: i64,
}

/// How often a running kiosk forgets records answered more than a week ago.
const FORGET_EVERY_MS: i64 = 60 * 60 * 1000;

#[derive(Clone, Copy)]
pub struct SyncEngine {
    pub status: RwSignal<SyncStatus>,
    pub credentials: RwSignal<Option<Credentials>>,
    data: LocalData,
    runner: StoredValue<Runner, LocalStorage>,
}

fn parse<T: for<'de> Deserialize<'de>>(answer: &Answer) -> Result<T, Problem> {
    serde_json::from_str(&answer.body).map_err(|_| Problem::BadAnswer)
}

/// What an error answer means for the kiosk, read from its code (never from the status
/// alone: a proxy's error page or a newer server's code must not stop a kiosk for good).
fn problem_of(answer: &Answer) -> Problem {
    let Ok(error) = serde_json::from_str::<ApiError>(&answer.body) else {
        return Problem::Server(answer.status);
    };
    match error.code {
        ErrorCode::KioskRevoked | ErrorCode::Unauthorized => Problem::Refused,
        ErrorCode::SeqGap => match error.expected_seq {
            Some(expected) => Problem::Gap { expected },
            None => Problem::BadAnswer,
        },
        ErrorCode::SeqReused => Problem::NumberingClash,
        ErrorCode::PairingCodeRefused => Problem::PairingCode,
        ErrorCode::TooManyAttempts => Problem::TooManyAttempts { retry_after_s: error.retry_after_s.unwrap_or(60) },
        _ => Problem::Server(answer.status),
    }
}

impl SyncEngine {
    /// Starts syncing: now, on every `online` event, and on a timer.
    pub fn start(data: LocalData) -> SyncEngine {
        let engine = SyncEngine {
            status: RwSignal::new(SyncStatus::default()),
            credentials: RwSignal::new(Credentials::load()),
            data,
            runner: StoredValue::new_local(Runner::default()),
        };
        provide_context(engine);
        spawn_local(async move { engine.settle_credentials().await });
        let online = window_event_listener_untyped("online", move |_| engine.kick());
        on_cleanup(move || online.remove());
        engine.kick();
        engine
    }

    pub fn use_context() -> SyncEngine {
        expect_context::<SyncEngine>()
    }

    /// Sync as soon as possible (now, or right after the sync under way).
    pub fn kick(&self) {
        let start = self.runner.try_update_value(|runner| {
            if runner.running {
                runner.again = true;
                false
            } else {
                runner.running = true;
                if let Some(timer) = runner.timer.take() {
                    timer.clear();
                }
                true
            }
        });
        if start == Some(true) {
            let engine = *self;
            spawn_local(async move { engine.run().await });
        }
    }

    async fn run(self) {
        loop {
            self.status.update(|s| s.running = true);
            let result = self.sync_once().await;
            let again = self.runner.try_update_value(|runner| {
                match &result {
                    Ok(()) => runner.backoff.succeeded(),
                    Err(_) => runner.backoff.failed(),
                }
                std::mem::take(&mut runner.again)
            });
            self.status.update(|status| {
                status.running = false;
                status.progress = None;
                match result {
                    Ok(()) => {
                        status.last_success_ms = Some(now_ms());
                        status.last_problem = None;
                    }
                    Err(problem) => status.last_problem = Some(problem),
                }
            });
            // A refused kiosk waits for staff; retrying changes nothing until it is paired again.
            let refused = self.credentials.with_untracked(|c| c.as_ref().is_some_and(|c| c.refused));
            if again != Some(true) || refused {
                break;
            }
        }
        self.schedule_next();
    }

    fn schedule_next(&self) {
        let engine = *self;
        let delay = self.runner.with_value(|runner| runner.backoff.next_delay_ms(js_sys::Math::random()));
        let timer = set_timeout_with_handle(move || engine.kick(), Duration::from_millis(delay)).ok();
        self.runner.update_value(|runner| {
            runner.running = false;
            runner.timer = timer;
        });
    }

    async fn sync_once(&self) -> Result<(), Problem> {
        let Some(credentials) = self.credentials.get_untracked() else { return Err(Problem::NotPaired) };
        if credentials.refused {
            return Err(Problem::Refused);
        }
        let authorization = credentials.authorization();
        let result = async {
            self.push_all(&authorization).await?;
            self.pull(&authorization).await
        }
        .await;
        let forget = self.runner.try_update_value(|runner| {
            let due = now_ms() - runner.forgot_at >= FORGET_EVERY_MS;
            if due {
                runner.forgot_at = now_ms();
            }
            due
        });
        if forget == Some(true) {
            self.data.forget_old_records().await;
        }
        if result == Err(Problem::Refused) {
            self.credentials.update(|c| {
                if let Some(c) = c {
                    c.refused = true;
                }
            });
            if let Some(refused) = self.credentials.get_untracked() {
                let _ = refused.save(&self.data).await;
            }
        }
        result
    }

    /// Takes the journal's copy of the credentials once it is open: it wins over the quick
    /// copy (which a power cut may have lost or left behind). A kiosk paired before the journal
    /// kept them has only the quick copy: it goes into the journal now.
    async fn settle_credentials(&self) {
        match Credentials::load_durable(&self.data).await {
            Ok(Some(durable)) => {
                if self.credentials.get_untracked().as_ref() != Some(&durable) {
                    self.credentials.set(Some(durable));
                    self.kick();
                }
            }
            Ok(None) => {
                if let Some(quick) = self.credentials.get_untracked() {
                    let _ = quick.save(&self.data).await;
                }
            }
            Err(error) => web_sys::console::warn_1(&format!("the kiosk's pairing is not kept durably: {error}").into()),
        }
    }

    async fn push_all(&self, authorization: &str) -> Result<(), Problem> {
        let storage = |e: crate::storage::StorageError| Problem::Storage(e.to_string());
        let total = self.data.queued.get_untracked();
        let mut from = self.data.first_unanswered().await.map_err(storage)?;
        let mut rewound = false;
        let mut sent = 0;
        loop {
            let batch = self.data.outbox(from, MAX_BATCH).await.map_err(storage)?;
            let Some(last) = batch.last().map(|r| r.seq) else { return Ok(()) };
            if total > batch.len() as u64 {
                self.status.update(|s| s.progress = Some((sent, total)));
            }
            let request = PushRequest { records: batch };
            let body = serde_json::to_string(&request).map_err(|_| Problem::BadAnswer)?;
            let started = now_ms();
            let answer = send("POST", "/api/sync/push", Some(authorization), Some(&body)).await?;
            if answer.status != 200 {
                match problem_of(&answer) {
                    // The server holds fewer records than it answered before (restored from a
                    // backup): send again, once, from where it stands what this kiosk still holds.
                    Problem::Gap { expected } if expected < from && !rewound => {
                        rewound = true;
                        from = expected;
                        continue;
                    }
                    problem => return Err(problem),
                }
            }
            let response: PushResponse = parse(&answer)?;
            self.note_server_time(started, response.server_time);
            if response.results.is_empty() {
                // The server answered none of what was sent: stop rather than loop.
                return Err(Problem::BadAnswer);
            }
            self.data.save_answers(&request.records, &response.results).await.map_err(storage)?;
            sent += response.results.len() as u64;
            from = last.saturating_add(1);
        }
    }

    async fn pull(&self, authorization: &str) -> Result<(), Problem> {
        let storage = crate::storage::usage_and_quota().await;
        let report = PullQuery {
            cursor: self.data.catalog.with_untracked(|c| c.cursor),
            queued: Some(self.data.queued.get_untracked()),
            storage_used: storage.map(|(used, _)| used as u64),
            storage_quota: storage.map(|(_, quota)| quota as u64),
            clock: Some(now_ms()),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            problem: self
                .status
                .with_untracked(|s| s.last_problem.as_ref().and_then(Problem::report_name))
                .map(str::to_owned),
        };
        let started = now_ms();
        let answer = send("GET", &report.path(), Some(authorization), None).await?;
        if answer.status != 200 {
            return Err(problem_of(&answer));
        }
        let pull: PullResponse = parse(&answer)?;
        self.note_server_time(started, pull.server_time);
        self.data.apply_pull(pull);
        Ok(())
    }

    fn note_server_time(&self, sent_at: i64, server_time: i64) {
        // The server stamped its time somewhere between sending and answering: take the middle.
        let kiosk_time = (sent_at + now_ms()) / 2;
        self.status.update(|s| s.skew_ms = Some(server_time - kiosk_time));
    }

    /// Pairs this kiosk with the server using a one-time code from staff. Records already
    /// queued keep their numbers and go to the server under the new identity.
    pub async fn pair(&self, code: &str) -> Result<(), Problem> {
        let first_seq = self.data.first_unanswered().await.map_err(|e| Problem::Storage(e.to_string()))?;
        let body =
            serde_json::to_string(&PairRequest { code: code.to_owned(), first_seq }).map_err(|_| Problem::BadAnswer)?;
        let answer = send("POST", "/api/kiosks/pair", None, Some(&body)).await?;
        if answer.status != 201 {
            return Err(problem_of(&answer));
        }
        let pairing: Pairing = parse(&answer)?;
        let credentials = Credentials {
            kiosk_id: pairing.kiosk_id,
            secret: pairing.secret,
            room_id: pairing.room_id,
            site_id: pairing.site_id,
            refused: false,
        };
        credentials.save(&self.data).await.map_err(|e| Problem::Storage(e.to_string()))?;
        // Another site's roster and schedule are no use here: the next pull brings all anew.
        self.data.catalog.update(|c| c.cursor = 0);
        self.credentials.set(Some(credentials));
        self.kick();
        Ok(())
    }
}
