//! Follow-ups of regulars not seen (关爱提醒) in a period: how many residents were checked on,
//! and how many follow-ups heard each outcome. The care page counts months with it, the
//! summary its period.

use std::collections::{BTreeSet, HashMap};

use jiayuan_domain::care::Outcome;
use jiayuan_domain::reports::Period;

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::format_day;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FollowUps {
    /// Different residents followed up.
    pub residents: i64,
    /// Follow-ups with each outcome, in `Outcome::ALL`'s order.
    pub by_outcome: Vec<(Outcome, i64)>,
}

/// The follow-ups of `site_id` on the days of `period`.
pub async fn in_period(db: &Database, site_id: &str, period: Period) -> Result<FollowUps, AppError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT resident_id, outcome FROM follow_ups WHERE site_id = $1 AND day >= $2 AND day <= $3")
            .bind(site_id)
            .bind(format_day(period.from))
            .bind(format_day(period.to))
            .fetch_all(&db.pool)
            .await
            .map_err(AppError::db("counting follow-ups"))?;
    let residents: BTreeSet<&str> = rows.iter().map(|(resident, _)| resident.as_str()).collect();
    let mut counts: HashMap<Outcome, i64> = HashMap::new();
    for (_, outcome) in &rows {
        if let Some(outcome) = Outcome::from_name(outcome) {
            *counts.entry(outcome).or_default() += 1;
        }
    }
    Ok(FollowUps {
        residents: i64::try_from(residents.len()).unwrap_or(i64::MAX),
        by_outcome: Outcome::ALL.into_iter().map(|o| (o, counts.get(&o).copied().unwrap_or(0))).collect(),
    })
}
