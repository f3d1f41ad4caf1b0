//! Room visits: sign-ins per day, residents counted once a day however often they signed in,
//! visitors apart; unique residents in the period, new and returning, and the participation
//! rate against the roster; the busiest hours.

use std::collections::BTreeMap;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};

use jiayuan_domain::reports::{AgeGroup, Period, participation_per_mille};
use time::Date;

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::format_day;

use super::days;
use super::presence::{day_bits, month_of};
use super::{Scope, bounds_ms};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayVisits {
    pub day: Option<Date>,
    /// Residents who signed in that day, each once.
    pub residents: i64,
    /// Visitors' sign-ins (a visitor is not known, so each sign-in counts).
    pub visitors: i64,
    /// Every kept sign-in, residents' repeats included.
    pub sign_ins: i64,
}

#[derive(Debug, Clone, Default)]
pub struct VisitsReport {
    pub days: Vec<DayVisits>,
    /// The days' resident counts added up: a resident coming on 3 days counts 3.
    pub resident_days: i64,
    pub visitors: i64,
    pub sign_ins: i64,
    /// Residents who came at least once in the period, each once.
    pub unique_residents: i64,
    /// Of those, residents who had never signed in before the period.
    pub new_residents: i64,
    /// Residents on the roster during the period (not deactivated before it began).
    pub roster: i64,
    /// Per thousand of the roster.
    pub participation: Option<i64>,
    /// Sign-ins by hour of the day (0–23), busiest first.
    pub hours: Vec<(i64, i64)>,
    /// Participation by age group (by the age reached in the period's last year).
    pub by_age: Vec<AgeFigures>,
    /// Month by month: residents who came, each once a month, against the period's roster.
    pub months: Vec<MonthFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// 2026-12
    pub month: String,
    pub came: i64,
    pub participation: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeFigures {
    pub group: AgeGroup,
    pub came: i64,
    pub roster: i64,
    /// Per thousand of the group's roster.
    pub participation: Option<i64>,
}

/// Counts by birth year, added up by age group.
fn by_age(came: &[(Option<i64>, i64)], roster: &[(Option<i64>, i64)], year: i32) -> Vec<AgeFigures> {
    let group_of = |born: &Option<i64>| AgeGroup::of(born.and_then(|b| i32::try_from(b).ok()), year);
    let total = |rows: &[(Option<i64>, i64)], group: AgeGroup| -> i64 {
        rows.iter().filter(|(born, _)| group_of(born) == group).map(|(_, n)| n).sum()
    };
    AgeGroup::ALL
        .iter()
        .map(|&group| {
            let (came, roster) = (total(came, group), total(roster, group));
            AgeFigures { group, came, roster, participation: participation_per_mille(came, roster) }
        })
        .filter(|figures| figures.roster > 0 || figures.came > 0)
        .collect()
}

impl VisitsReport {
    pub fn returning_residents(&self) -> i64 {
        self.unique_residents.saturating_sub(self.new_residents)
    }
}

/// Everything a visits report reads: the days' figures (kept or counted, `days.rs`), who came
/// (`presence.rs`), the roster.
pub async fn visits(db: &Database, scope: Scope<'_>) -> Result<VisitsReport, AppError> {
    let Scope { site_id, room_id, period, offset, now_ms } = scope;
    let (from, _) = bounds_ms(period.from, period.to, offset);
    // Five independent reads at once, each on its own connection.
    let (figures, came_by_year, new_residents, roster_by_year, came_by_month) = tokio::try_join!(
        days::figures(db, site_id, period.from, period.to, offset, now_ms, days::Want::VISITS),
        came(db, site_id, room_id, period),
        new_residents(db, site_id, room_id, period),
        roster(db, site_id, from),
        came_by_month(db, site_id, room_id, period),
    )?;
    let days: Vec<DayVisits> = figures
        .visits
        .iter()
        .filter(|row| row.room_id == room_id)
        .map(|row| DayVisits {
            day: Some(row.day),
            residents: row.residents,
            visitors: row.visitors,
            sign_ins: row.sign_ins,
        })
        .collect();
    let mut by_hour: BTreeMap<i64, i64> = BTreeMap::new();
    for row in figures.hours.iter().filter(|row| room_id.is_empty() || row.room_id == room_id) {
        *by_hour.entry(row.hour).or_default() += row.sign_ins;
    }
    let mut hours: Vec<(i64, i64)> = by_hour.into_iter().collect();
    hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let unique_residents = came_by_year.iter().map(|(_, n)| n).sum();
    let roster = roster_by_year.iter().map(|(_, n)| n).sum();
    let months = came_by_month
        .into_iter()
        .map(|(month, came)| MonthFigures { month, came, participation: participation_per_mille(came, roster) })
        .collect();

    Ok(VisitsReport {
        resident_days: days.iter().map(|d| d.residents).sum(),
        visitors: days.iter().map(|d| d.visitors).sum(),
        sign_ins: days.iter().map(|d| d.sign_ins).sum(),
        days,
        unique_residents,
        new_residents,
        roster,
        participation: participation_per_mille(unique_residents, roster),
        hours,
        by_age: by_age(&came_by_year, &roster_by_year, period.to.year()),
        months,
    })
}

/// Residents on the roster from `from_ms` on (not deactivated before), by birth year.
async fn roster(db: &Database, site_id: &str, from_ms: i64) -> Result<Vec<(Option<i64>, i64)>, AppError> {
    sqlx::query_as(
        "SELECT birth_year, COUNT(*) FROM residents \
         WHERE site_id = $1 AND (deactivated_at IS NULL OR deactivated_at >= $2) GROUP BY birth_year",
    )
    .bind(site_id)
    .bind(from_ms)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting the roster"))
}

/// The residents who came in the period (in the room, or anywhere on the site), once each, by
/// birth year, read from their months.
async fn came(
    db: &Database,
    site_id: &str,
    room_id: &str,
    period: Period,
) -> Result<Vec<(Option<i64>, i64)>, AppError> {
    let statement = format!(
        "SELECT residents.birth_year, COUNT(*) FROM residents \
         WHERE residents.id IN (SELECT resident_id {IN_PERIOD}) GROUP BY residents.birth_year"
    );
    MonthsOf::new(period)
        .bound(&statement, site_id, room_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("counting the residents who came"))
}

/// Of the residents who came, those whose first sign-in at the site was in the period.
async fn new_residents(db: &Database, site_id: &str, room_id: &str, period: Period) -> Result<i64, AppError> {
    let in_room = if room_id.is_empty() { "" } else { " AND resident_id IN (SELECT resident_id {IN_PERIOD})" };
    let statement = format!(
        "SELECT COUNT(*) FROM resident_firsts WHERE site_id = $1 AND first_day >= $7 AND first_day <= $8{}",
        in_room.replace("{IN_PERIOD}", IN_PERIOD)
    );
    let (count,): (i64,) = MonthsOf::new(period)
        .bound(&statement, site_id, room_id)
        .bind(format_day(period.from))
        .bind(format_day(period.to))
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::db("counting the residents new in the period"))?;
    Ok(count)
}

/// The residents' months of a period in one room, or the whole site (room `WHOLE_SITE`): whole
/// months inside it, and the days of the first and last months that are in it. Binds $1 site,
/// $2 room, $3 and $4 the first and last months, $5 and $6 their days. A resident has one
/// row a month in each.
const IN_PERIOD: &str = "FROM resident_months \
    WHERE site_id = $1 AND room_id = $2 AND month >= $3 AND month <= $4 \
      AND ((month > $3 AND month < $4) OR (month = $3 AND (days & $5) <> 0) OR (month = $4 AND (days & $6) <> 0))";

struct MonthsOf {
    first: String,
    last: String,
    first_bits: i64,
    last_bits: i64,
}

impl MonthsOf {
    fn new(period: Period) -> MonthsOf {
        let (first, last) = (month_of(period.from), month_of(period.to));
        let same_month = first == last;
        let first_bits = day_bits(period.from.day(), if same_month { period.to.day() } else { 31 });
        let last_bits = if same_month { first_bits } else { day_bits(1, period.to.day()) };
        MonthsOf { first, last, first_bits, last_bits }
    }

    /// `statement` with the binds `IN_PERIOD` names.
    fn bound<'q, O>(
        self,
        statement: &'q str,
        site_id: &'q str,
        room_id: &'q str,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>>
    where
        O: for<'r> FromRow<'r, AnyRow>,
    {
        sqlx::query_as(statement)
            .bind(site_id)
            .bind(room_id)
            .bind(self.first)
            .bind(self.last)
            .bind(self.first_bits)
            .bind(self.last_bits)
    }
}

/// Residents who came, once each, month by month (the period's days of each month).
async fn came_by_month(
    db: &Database,
    site_id: &str,
    room_id: &str,
    period: Period,
) -> Result<Vec<(String, i64)>, AppError> {
    let statement = format!("SELECT month, COUNT(*) {IN_PERIOD} GROUP BY month ORDER BY month");
    MonthsOf::new(period)
        .bound(&statement, site_id, room_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("counting the residents who came each month"))
}
