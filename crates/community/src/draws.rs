//! Draws (摇号) as the server runs them: due draws found and made (each once, whichever
//! process gets there first: `sync::seats::draw`), kept in the action log with the seed and the
//! order, and checked again by anyone from the seed and the entries (`draw --check`).

use std::time::Duration;

use crate::action_log::{self, Act, Actor, Entry};
use crate::attendance::IS_ENTRY;
use crate::db::Database;
use crate::error::AppError;
use crate::sync::seats::draw::{Drawn, draw};

/// How often the server looks for draws due: a draw comes at most this late.
const EVERY: Duration = Duration::from_secs(5);

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

/// Makes every draw due at `now`; returns how many this process made.
pub async fn run_due(database: &Database, now: i64) -> Result<usize, AppError> {
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM activities WHERE draws_at IS NOT NULL AND drawn_at IS NULL AND draws_at <= $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(&database.pool)
    .await
    .map_err(db("finding draws due"))?;
    let mut made = 0;
    for activity_id in due {
        let mut tx = database.begin_write().await.map_err(db("starting a draw"))?;
        let Some(drawn) = draw(&mut tx, &activity_id, now).await? else {
            // Drawn a moment ago by another process.
            continue;
        };
        action_log::record(&mut tx, log_entry(&activity_id, &drawn)).await?;
        tx.commit().await.map_err(db("finishing a draw"))?;
        tracing::info!(activity = %activity_id, entries = drawn.order.len(), seated = drawn.seated, "drawn");
        made += 1;
    }
    Ok(made)
}

fn log_entry<'a>(activity_id: &str, drawn: &'a Drawn) -> Entry<'a> {
    Entry {
        site_id: Some(&drawn.site_id),
        actor: &Actor::Server,
        act: Act::Drawn,
        subject: activity_id.to_owned(),
        reason: None,
        detail: Some(format!(
            "seed {}; {} entries, {} seated; order: {}",
            drawn.seed,
            drawn.order.len(),
            drawn.seated,
            drawn.order.join(" ")
        )),
    }
}

/// Runs the draws for as long as the server runs.
pub fn keep_drawing(database: Database) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_due(&database, crate::clock::now_ms()).await {
                tracing::error!(%error, "draws due could not be made");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}

/// A draw worked out again from its seed and entries, beside what was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub seed: String,
    /// Residents' ids in the order the seed draws them.
    pub order: Vec<String>,
    /// The order the draw kept (each entry's `drawn_place`); empty before the draw.
    pub kept: Vec<String>,
    pub drawn: bool,
}

impl Check {
    /// After the draw: whether working it out again gives what was kept.
    pub fn agrees(&self) -> bool {
        !self.drawn || self.order == self.kept
    }
}

/// `None`: no such activity, or its seats are not drawn.
pub async fn check(database: &Database, activity_id: &str) -> Result<Option<Check>, AppError> {
    let facts: Option<(Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT draw_seed, drawn_at FROM activities WHERE id = $1")
            .bind(activity_id)
            .fetch_optional(&database.pool)
            .await
            .map_err(db("reading a draw"))?;
    let Some((Some(seed), drawn_at)) = facts else { return Ok(None) };
    let drawn = drawn_at.is_some();
    let entries: Vec<(String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT resident_id, drawn_place FROM sign_ups WHERE activity_id = $1 AND {IS_ENTRY} \
         ORDER BY drawn_place, resident_id"
    ))
    .bind(activity_id)
    .fetch_all(&database.pool)
    .await
    .map_err(db("reading a draw's entries"))?;
    // Drawn: the entries are those the draw placed; before: those entered now.
    let entered: Vec<&(String, Option<i64>)> = entries.iter().filter(|(_, place)| place.is_some() == drawn).collect();
    let order = jiayuan_domain::draws::order(&seed, entered.iter().map(|(id, _)| id.as_str()))
        .into_iter()
        .map(str::to_owned)
        .collect();
    let kept = if drawn { entered.iter().map(|(id, _)| id.clone()).collect() } else { Vec::new() };
    Ok(Some(Check { seed, order, kept, drawn }))
}
