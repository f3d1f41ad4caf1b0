//! Group commit: one writer applies kiosks' pushes, taking every push waiting when it is free
//! into one transaction.
//!
//! A morning's rush (many kiosks coming back online at once) then costs one commit and a few
//! statements for many kiosks instead of each. A push waits for nothing: an idle writer starts
//! on it at once. Its answer is sent only after its transaction commits, so a kiosk never lets
//! go of a record the server could still lose. The writer owns its work, so a kiosk hanging up
//! mid-push cannot cut a transaction off (see `to_completion`).

use jiayuan_domain::sync::{PushRequest, PushResponse};
use tokio::sync::{mpsc, oneshot};

use super::push::{Batch, apply_together};
use crate::db::Database;
use crate::error::AppError;
use crate::kiosks::Kiosk;
use crate::metrics::Metrics;
use std::sync::Arc;
use time::UtcOffset;

/// A transaction takes pushes until it holds this many records: a bound on how long one
/// commit keeps the others waiting.
const MAX_RECORDS_TOGETHER: usize = 2_000;
/// Pushes waiting beyond this make the next kiosk wait to hand its push over.
const QUEUE: usize = 4_096;

const WHAT: &str = "applying records";

type Answer = oneshot::Sender<Result<PushResponse, AppError>>;

/// Where request handlers hand pushes to the writer.
#[derive(Debug, Clone)]
pub struct PushWriter {
    pushes: mpsc::Sender<(Batch, Answer)>,
}

impl PushWriter {
    /// Starts the writer on the current tokio runtime; `offset` is the community's, which cuts
    /// records into the days and months reports count.
    /// What it applies is counted in `metrics`.
    pub fn start(db: Database, offset: UtcOffset, metrics: Arc<Metrics>) -> PushWriter {
        let (pushes, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(write(db, offset, metrics, waiting));
        PushWriter { pushes }
    }

    /// Applies `push` for `kiosk`, answering once its records are committed.
    pub async fn apply(&self, kiosk: Kiosk, push: PushRequest) -> Result<PushResponse, AppError> {
        // A malformed batch is refused here, so it never undoes other kiosks' work.
        push.check()?;
        let (answer, answered) = oneshot::channel();
        self.pushes
            .send((Batch { kiosk, records: push.records }, answer))
            .await
            .map_err(|_| AppError::Unfinished(WHAT))?;
        answered.await.map_err(|_| AppError::Unfinished(WHAT))?
    }
}

async fn write(db: Database, offset: UtcOffset, metrics: Arc<Metrics>, mut waiting: mpsc::Receiver<(Batch, Answer)>) {
    let mut held_over = None;
    loop {
        let first = match held_over.take() {
            Some(push) => push,
            None => match waiting.recv().await {
                Some(push) => push,
                None => return,
            },
        };
        let mut records = first.0.records.len();
        let mut group = vec![first];
        while let Ok(push) = waiting.try_recv() {
            if records.saturating_add(push.0.records.len()) > MAX_RECORDS_TOGETHER {
                held_over = Some(push);
                break;
            }
            records = records.saturating_add(push.0.records.len());
            group.push(push);
        }
        apply_group(&db, offset, &metrics, group).await;
    }
}

/// Applies a group together; if that fails, each push alone, so only the one at fault is
/// refused (a gap in its numbering, another site's resident) and the rest are applied.
async fn apply_group(db: &Database, offset: UtcOffset, metrics: &Arc<Metrics>, group: Vec<(Batch, Answer)>) {
    let (batches, answers): (Vec<Batch>, Vec<Answer>) = group.into_iter().unzip();
    let together = batches.len() > 1;
    match run(db, offset, metrics, batches).await {
        (Err(error), Some(batches)) if together => {
            tracing::debug!(%error, pushes = batches.len(), "pushes failed together; applying each alone");
            for (batch, answer) in batches.into_iter().zip(answers) {
                let (result, _) = run(db, offset, metrics, vec![batch]).await;
                send(vec![answer], result);
            }
        }
        (result, _) => send(answers, result),
    }
}

/// Applies `batches` on a task of its own, so a panic refuses these pushes and the writer goes
/// on. Gives the batches back unless the task panicked.
async fn run(
    db: &Database,
    offset: UtcOffset,
    metrics: &Arc<Metrics>,
    batches: Vec<Batch>,
) -> (Result<Vec<PushResponse>, AppError>, Option<Vec<Batch>>) {
    let db = db.clone();
    let metrics = Arc::clone(metrics);
    let task = tokio::spawn(async move {
        let result = apply_clashing_again(&db, offset, &metrics, &batches).await;
        (result, batches)
    });
    match task.await {
        Ok((result, batches)) => (result, Some(batches)),
        Err(error) => {
            tracing::error!(%error, "{WHAT} did not finish");
            (Err(AppError::Unfinished(WHAT)), None)
        }
    }
}

/// How often a group that clashed with another server process is applied again.
const CLASH_RETRIES: u32 = 6;

/// Applies the batches; a clash with another server process on the same database (a deadlock,
/// a serialization failure, a row the other committed first) undid everything, so the same
/// work is done again, after a short random wait, as the database advises.
async fn apply_clashing_again(
    db: &Database,
    offset: UtcOffset,
    metrics: &Metrics,
    batches: &[Batch],
) -> Result<Vec<PushResponse>, AppError> {
    let mut attempt = 0;
    loop {
        match apply_together(db, batches, offset, metrics).await {
            Err(error) if error.is_clash() && attempt < CLASH_RETRIES => {
                attempt = attempt.saturating_add(1);
                tracing::info!(%error, attempt, "a clash with another server process; applying the records again");
                let jitter = (uuid::Uuid::new_v4().as_u128() % 20) as u64;
                tokio::time::sleep(std::time::Duration::from_millis((5u64 << attempt.min(6)).saturating_add(jitter)))
                    .await;
            }
            Err(error) if error.is_clash() => {
                tracing::warn!(%error, "still clashing with another server process; the kiosk will send again");
                return Err(AppError::Busy(WHAT));
            }
            other => return other,
        }
    }
}

fn send(answers: Vec<Answer>, result: Result<Vec<PushResponse>, AppError>) {
    match result {
        Ok(responses) => {
            for (answer, response) in answers.into_iter().zip(responses) {
                let _ = answer.send(Ok(response));
            }
        }
        // One push applied alone, or a group whose task panicked (then every push is unfinished).
        Err(error) => {
            let mut error = Some(error);
            for answer in answers {
                let _ = answer.send(Err(error.take().unwrap_or(AppError::Unfinished(WHAT))));
            }
        }
    }
}
