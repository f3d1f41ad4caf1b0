//! Room visits: sign-ins per day, residents counted once a day however often they signed in,
//! visitors apart; unique residents in the period, new and returning, and the participation
//! rate against the roster; the busiest hours.

use jiayuan_domain::reports::{AgeGroup, Period, participation_per_mille};
use time::{Date, UtcOffset};

use crate::db::Database;
use crate::error::AppError;

use super::{ACCEPTED_SQL, bounds_ms};

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

/// Julian day number of 1970-01-01: day numbers counted from the epoch become dates.
const EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// The records a visits report reads: kept sign-ins in the site's rooms (or one room), in the
/// words of their partial indexes (migrations/…_reports_index.sql).
fn sign_ins() -> String {
    format!(
        "FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
         JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $1 AND ($2 = '' OR kiosks.room_id = $2) AND kiosk_records.action = 'sign_in' \
           AND kiosk_records.outcome = {ACCEPTED_SQL}"
    )
}

pub async fn visits(
    db: &Database,
    site_id: &str,
    room_id: &str,
    period: Period,
    offset: UtcOffset,
) -> Result<VisitsReport, AppError> {
    let (from, until) = bounds_ms(period.from, period.to, offset);
    let sign_ins = sign_ins();
    let offset_s = i64::from(offset.whole_seconds());
    let in_period = "AND kiosk_records.happened_at >= $3 AND kiosk_records.happened_at < $4";
    let per_day: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT (kiosk_records.happened_at / 1000 + $5) / 86400 AS day_number, \
                COUNT(DISTINCT kiosk_records.resident_id), \
                SUM(CASE WHEN kiosk_records.resident_id IS NULL THEN 1 ELSE 0 END), COUNT(*) \
         {sign_ins} {in_period} GROUP BY day_number ORDER BY day_number"
    ))
    .bind(site_id)
    .bind(room_id)
    .bind(from)
    .bind(until)
    .bind(offset_s)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting visits by day"))?;
    let days: Vec<DayVisits> = per_day
        .into_iter()
        .map(|(number, residents, visitors, sign_ins)| DayVisits {
            day: i32::try_from(number.saturating_add(EPOCH_JULIAN_DAY))
                .ok()
                .and_then(|j| Date::from_julian_day(j).ok()),
            residents,
            visitors,
            sign_ins,
        })
        .collect();

    // New: no kept sign-in at this site before the period (by the resident's own index).
    // The residents who came, once each, by birth year; of them, those new (no kept sign-in at
    // this site before the period, one look each in their own records).
    let came: Vec<(Option<i64>, i64, i64)> = sqlx::query_as(&format!(
        "SELECT residents.birth_year, COUNT(*), COALESCE(SUM(CASE WHEN NOT EXISTS ( \
             SELECT 1 FROM kiosk_records AS before JOIN kiosks AS k ON k.id = before.kiosk_id \
             JOIN rooms AS r ON r.id = k.room_id \
             WHERE before.resident_id = residents.id AND before.action = 'sign_in' \
               AND before.happened_at < $3 AND before.outcome = {ACCEPTED_SQL} AND r.site_id = $1) \
           THEN 1 ELSE 0 END), 0) \
         FROM residents WHERE residents.id IN ( \
           SELECT DISTINCT kiosk_records.resident_id {sign_ins} {in_period} \
           AND kiosk_records.resident_id IS NOT NULL) GROUP BY residents.birth_year"
    ))
    .bind(site_id)
    .bind(room_id)
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting the residents who came"))?;
    let unique_residents = came.iter().map(|(_, n, _)| n).sum();
    let new_residents = came.iter().map(|(_, _, new)| new).sum();
    let came_by_year: Vec<(Option<i64>, i64)> = came.iter().map(|(year, n, _)| (*year, *n)).collect();

    let roster_by_year: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT birth_year, COUNT(*) FROM residents \
         WHERE site_id = $1 AND (deactivated_at IS NULL OR deactivated_at >= $2) GROUP BY birth_year",
    )
    .bind(site_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting the roster"))?;
    let roster = roster_by_year.iter().map(|(_, n)| n).sum();
    let mut hours: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT ((kiosk_records.happened_at / 1000 + $5) % 86400) / 3600 AS hour, COUNT(*) \
         {sign_ins} {in_period} GROUP BY hour"
    ))
    .bind(site_id)
    .bind(room_id)
    .bind(from)
    .bind(until)
    .bind(offset_s)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting visits by hour"))?;
    hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

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
    })
}
