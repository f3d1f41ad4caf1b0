//! Figures per day — sign-ins, residents once a day, visitors, hours, each kiosk's records —
//! counted from the records for the days still going on, and kept (`day_visits`, `day_hours`,
//! `day_kiosks`) for the days that are over, so a year is read from 365 rows, not 3 million.
//!
//! A kept day stays right: a record that arrives for it later (a kiosk offline for a week)
//! adds one to the day's `changes` in the transaction that keeps the record (`note_late`), and
//! the day's figures count only while they were made from that many changes. The figures are
//! made from the same queries the open days use, so kept and counted cannot differ.

use std::collections::{BTreeSet, HashMap};

use sqlx::AnyPool;
use time::{Date, Duration, UtcOffset};

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::{format_day, parse_day};

use super::{bounds_ms, session_counts};
use crate::attendance::ACCEPTED_SQL;
use jiayuan_domain::sync::record::action_name::SIGN_IN;

use crate::error::Tx;

/// How long after midnight a day is kept, and how long before it records already count as late:
/// a transaction keeping a record would have to stay open twice this long for a day to be kept
/// without it.
const MIDNIGHT_MARGIN_MS: i64 = 30 * 60 * 1000;

/// Days up to this one are over and may be kept: yesterday, from half past midnight.
pub fn last_kept_day(now_ms: i64, offset: UtcOffset) -> Option<Date> {
    let today = super::presence::date_of(now_ms.saturating_sub(MIDNIGHT_MARGIN_MS), offset)?;
    today.previous_day()
}

/// Days up to this one may be kept by a report starting while a record made now is kept: to the
/// records, yesterday counts as kept from half an hour before midnight.
fn may_be_kept_until(now_ms: i64, offset: UtcOffset) -> Option<Date> {
    let today = super::presence::date_of(now_ms.saturating_add(MIDNIGHT_MARGIN_MS), offset)?;
    today.previous_day()
}

/// One day of one room ('' for the whole site: a resident in two rooms counts once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    pub day: Date,
    pub room_id: String,
    pub residents: i64,
    pub visitors: i64,
    pub sign_ins: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourRow {
    /// None for kept days, read added up over the days: a year is 24 rows a room, not 8,000.
    pub day: Option<Date>,
    pub room_id: String,
    pub hour: i64,
    pub sign_ins: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRow {
    pub day: Date,
    pub kiosk_id: String,
    pub records: i64,
}

/// A site's figures for a run of days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Days {
    pub visits: Vec<VisitRow>,
    pub hours: Vec<HourRow>,
    pub kiosks: Vec<KioskRow>,
}

impl Days {
    /// Sign-ins by room and hour, added up over the days.
    pub fn hours_by_room(&self) -> std::collections::BTreeMap<(String, i64), i64> {
        let mut added = std::collections::BTreeMap::new();
        for row in &self.hours {
            *added.entry((row.room_id.clone(), row.hour)).or_default() += row.sign_ins;
        }
        added
    }

    fn append(&mut self, more: Days) {
        self.visits.extend(more.visits);
        self.hours.extend(more.hours);
        self.kiosks.extend(more.kiosks);
    }

    fn sort(&mut self) {
        self.visits.sort_by(|a, b| (a.day, &a.room_id).cmp(&(b.day, &b.room_id)));
        self.hours.sort_by(|a, b| (a.day, &a.room_id, a.hour).cmp(&(b.day, &b.room_id, b.hour)));
        self.kiosks.sort_by(|a, b| (a.day, &a.kiosk_id).cmp(&(b.day, &b.kiosk_id)));
    }
}

/// The site's figures for `first..=last`: kept days from their rows (made first if need be),
/// the others counted from the records.
/// Which figures a report reads: counting from the records what it does not read is wasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// Sign-ins, residents once a day, visitors, hours.
    pub visits: bool,
    /// Each kiosk's records.
    pub kiosks: bool,
}

impl Want {
    pub const ALL: Want = Want { visits: true, kiosks: true };
    pub const VISITS: Want = Want { visits: true, kiosks: false };
    pub const KIOSKS: Want = Want { visits: false, kiosks: true };
}

pub async fn figures(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
    offset: UtcOffset,
    now_ms: i64,
    want: Want,
) -> Result<Days, AppError> {
    let kept_until = last_kept_day(now_ms, offset).map_or(first.saturating_sub(Duration::days(1)), |day| day.min(last));
    let mut days = Days::default();
    if first <= kept_until {
        keep(db, site_id, first, kept_until, offset).await?;
        days.append(read_kept(&db.pool, site_id, first, kept_until).await?);
    }
    let counted_from = first.max(kept_until.next_day().unwrap_or(kept_until));
    if counted_from <= last && kept_until < last {
        days.append(count(&db.pool, site_id, counted_from, last, offset, want).await?);
    }
    days.sort();
    Ok(days)
}

/// Counts the figures of `first..=last` from the records, in order.
pub async fn count(
    pool: &AnyPool,
    site_id: &str,
    first: Date,
    last: Date,
    offset: UtcOffset,
    want: Want,
) -> Result<Days, AppError> {
    let (from, until) = bounds_ms(first, last, offset);
    let offset_s = i64::from(offset.whole_seconds());
    let day = "(kiosk_records.happened_at / 1000 + $4) / 86400";
    let sign_ins = format!(
        "FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
         JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $1 AND kiosk_records.action = '{SIGN_IN}' AND kiosk_records.outcome = {ACCEPTED_SQL} \
           AND kiosk_records.happened_at >= $2 AND kiosk_records.happened_at < $3"
    );
    let per_day = "COUNT(DISTINCT kiosk_records.resident_id), \
                   SUM(CASE WHEN kiosk_records.resident_id IS NULL THEN 1 ELSE 0 END), COUNT(*)";
    let run = |statement: String, what: &'static str| async move {
        sqlx::query_as::<_, (i64, String, i64, i64, i64)>(&statement)
            .bind(site_id)
            .bind(from)
            .bind(until)
            .bind(offset_s)
            .fetch_all(pool)
            .await
            .map_err(AppError::db(what))
    };
    let (mut visits, mut hours, mut kiosks) = (Vec::new(), Vec::new(), Vec::new());
    if want.visits {
        visits = run(
            format!(
                "SELECT {day} AS day_number, kiosks.room_id, {per_day} {sign_ins} GROUP BY day_number, kiosks.room_id"
            ),
            "counting visits by day and room",
        )
        .await?;
        visits.extend(
            run(
                format!("SELECT {day} AS day_number, '' AS room_id, {per_day} {sign_ins} GROUP BY day_number"),
                "counting visits by day",
            )
            .await?,
        );
        hours = run(
            format!(
                "SELECT {day} AS day_number, kiosks.room_id, \
                 ((kiosk_records.happened_at / 1000 + $4) % 86400) / 3600 AS hour, \
                 COUNT(*), 0 {sign_ins} GROUP BY day_number, kiosks.room_id, hour"
            ),
            "counting visits by hour",
        )
        .await?;
    }
    if want.kiosks {
        kiosks = run(
            format!(
                "SELECT {day} AS day_number, kiosk_records.kiosk_id, COUNT(*), 0, 0 FROM kiosk_records \
             WHERE kiosk_records.kiosk_id IN (SELECT kiosks.id FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
                                              WHERE rooms.site_id = $1) \
               AND kiosk_records.happened_at >= $2 AND kiosk_records.happened_at < $3 \
             GROUP BY day_number, kiosk_records.kiosk_id"
            ),
            "counting kiosks' records by day",
        )
        .await?;
    }
    let mut days = Days {
        visits: visits
            .into_iter()
            .filter_map(|(number, room_id, residents, visitors, sign_ins)| {
                Some(VisitRow { day: date_of_number(number)?, room_id, residents, visitors, sign_ins })
            })
            .collect(),
        hours: hours
            .into_iter()
            .filter_map(|(number, room_id, hour, sign_ins, _)| {
                Some(HourRow { day: Some(date_of_number(number)?), room_id, hour, sign_ins })
            })
            .collect(),
        kiosks: kiosks
            .into_iter()
            .filter_map(|(number, kiosk_id, records, _, _)| {
                Some(KioskRow { day: date_of_number(number)?, kiosk_id, records })
            })
            .collect(),
    };
    days.sort();
    Ok(days)
}

/// Julian day number of 1970-01-01: day numbers counted from the epoch become dates.
const EPOCH_JULIAN_DAY: i64 = 2_440_588;

fn date_of_number(number: i64) -> Option<Date> {
    i32::try_from(number.saturating_add(EPOCH_JULIAN_DAY)).ok().and_then(|j| Date::from_julian_day(j).ok())
}

/// Makes the figures of the days in `first..=last` that are not kept, or kept from fewer
/// changes than the day has seen, or cut by another offset.
pub async fn keep(db: &Database, site_id: &str, first: Date, last: Date, offset: UtcOffset) -> Result<(), AppError> {
    let offset_s = i64::from(offset.whole_seconds());
    // The changes are read before the records: figures made from newer records than the
    // changes say are made again later, never the other way round.
    let states: Vec<(String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT day, changes, summarized, utc_offset_s FROM report_days WHERE site_id = $1 AND day >= $2 AND day <= $3",
    )
    .bind(site_id)
    .bind(format_day(first))
    .bind(format_day(last))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading which days are kept"))?;
    let states: HashMap<String, (i64, bool)> = states
        .into_iter()
        .map(|(day, changes, summarized, cut_by)| {
            (day, (changes, summarized == Some(changes) && cut_by == Some(offset_s)))
        })
        .collect();
    let mut to_make: Vec<(Date, i64)> = Vec::new();
    let mut day = first;
    while day <= last {
        match states.get(&format_day(day)) {
            Some((_, true)) => {}
            Some((changes, false)) => to_make.push((day, *changes)),
            None => to_make.push((day, 0)),
        }
        let Some(next) = day.next_day() else { break };
        day = next;
    }
    for run in runs(&to_make) {
        let (Some((run_first, _)), Some((run_last, _))) = (run.first(), run.last()) else { continue };
        // Each session's version before its counts, as the day's changes before its records.
        let versions = session_counts::versions(&db.pool, site_id, *run_first, *run_last).await?;
        let days = count(&db.pool, site_id, *run_first, *run_last, offset, Want::ALL).await?;
        let which = session_counts::Sessions::OnDays { site_id, first: *run_first, last: *run_last };
        let mut counts = session_counts::count(&db.pool, which).await?;
        let sessions: Vec<session_counts::ToKeep> = versions
            .into_iter()
            .map(|(activity_id, day, version)| session_counts::ToKeep {
                counts: counts.remove(&activity_id).unwrap_or_default(),
                activity_id,
                day,
                version,
            })
            .collect();
        let mut tx = db.begin_write().await.map_err(AppError::db("starting to keep days' figures"))?;
        write_kept(&mut tx, site_id, &days).await?;
        session_counts::write_kept(&mut tx, site_id, &sessions).await?;
        for (day, changes) in run {
            sqlx::query(
                "INSERT INTO report_days (site_id, day, changes, summarized, utc_offset_s) VALUES ($1, $2, $3, $3, $4) \
                 ON CONFLICT (site_id, day) DO UPDATE SET summarized = $3, utc_offset_s = $4",
            )
            .bind(site_id)
            .bind(format_day(*day))
            .bind(*changes)
            .bind(offset_s)
            .execute(&mut **tx)
            .await
            .map_err(AppError::db("noting a day's figures as kept"))?;
        }
        tx.commit().await.map_err(AppError::db("keeping days' figures"))?;
    }
    Ok(())
}

/// How far back the server keeps days' figures ahead of any report: a year and a month.
const KEPT_AHEAD_DAYS: i64 = 400;
/// How often it looks for days to keep: a day ends, or late records change one.
const KEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Keeps every site's days' figures for the last year while the server runs, so the first look
/// at a year is as quick as the next (making a year of a large site takes seconds, once).
pub fn keep_in_background(db: Database, offset: UtcOffset) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = keep_recent(&db, offset).await {
                tracing::warn!(%error, "could not keep the reports' figures of past days");
            }
            tokio::time::sleep(KEEP_EVERY).await;
        }
    });
}

async fn keep_recent(db: &Database, offset: UtcOffset) -> Result<(), AppError> {
    let Some(last) = last_kept_day(crate::clock::now_ms(), offset) else { return Ok(()) };
    let first = last.saturating_sub(Duration::days(KEPT_AHEAD_DAYS));
    let sites: Vec<String> = sqlx::query_scalar("SELECT id FROM sites ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("listing the sites"))?;
    for site_id in sites {
        keep(db, &site_id, first, last, offset).await?;
    }
    Ok(())
}

/// Consecutive days, so each run is counted in one pass.
fn runs(days: &[(Date, i64)]) -> Vec<&[(Date, i64)]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=days.len() {
        let ends = i == days.len() || days[i - 1].0.next_day() != Some(days[i].0);
        if ends {
            runs.push(&days[start..i]);
            start = i;
        }
    }
    runs.into_iter().filter(|run| !run.is_empty()).collect()
}

const KEEPING: &str = "keeping days' figures";

async fn write_kept(tx: &mut Tx, site_id: &str, days: &Days) -> Result<(), AppError> {
    // Figures only grow (records are never taken back), so writing over is enough.
    for row in &days.visits {
        sqlx::query(
            "INSERT INTO day_visits (site_id, day, room_id, residents, visitors, sign_ins) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (site_id, day, room_id) DO UPDATE SET residents = $4, visitors = $5, sign_ins = $6",
        )
        .bind(site_id)
        .bind(format_day(row.day))
        .bind(row.room_id.clone())
        .bind(row.residents)
        .bind(row.visitors)
        .bind(row.sign_ins)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(KEEPING))?;
    }
    for row in &days.hours {
        let Some(day) = row.day else { continue };
        sqlx::query(
            "INSERT INTO day_hours (site_id, day, room_id, hour, sign_ins) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (site_id, day, room_id, hour) DO UPDATE SET sign_ins = $5",
        )
        .bind(site_id)
        .bind(format_day(day))
        .bind(row.room_id.clone())
        .bind(row.hour)
        .bind(row.sign_ins)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(KEEPING))?;
    }
    for row in &days.kiosks {
        sqlx::query(
            "INSERT INTO day_kiosks (site_id, day, kiosk_id, records) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (site_id, day, kiosk_id) DO UPDATE SET records = $4",
        )
        .bind(site_id)
        .bind(format_day(row.day))
        .bind(row.kiosk_id.clone())
        .bind(row.records)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(KEEPING))?;
    }
    Ok(())
}

async fn read_kept(pool: &AnyPool, site_id: &str, first: Date, last: Date) -> Result<Days, AppError> {
    let (first, last) = (format_day(first), format_day(last));
    let visits: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT day, room_id, residents, visitors, sign_ins FROM day_visits \
         WHERE site_id = $1 AND day >= $2 AND day <= $3",
    )
    .bind(site_id)
    .bind(&first)
    .bind(&last)
    .fetch_all(pool)
    .await
    .map_err(AppError::db("reading kept visits"))?;
    let hours: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT room_id, hour, CAST(SUM(sign_ins) AS BIGINT) FROM day_hours WHERE site_id = $1 AND day >= $2 AND day <= $3 \
         GROUP BY room_id, hour",
    )
    .bind(site_id)
    .bind(&first)
    .bind(&last)
    .fetch_all(pool)
    .await
    .map_err(AppError::db("reading kept hours"))?;
    let kiosks: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT day, kiosk_id, records FROM day_kiosks WHERE site_id = $1 AND day >= $2 AND day <= $3")
            .bind(site_id)
            .bind(&first)
            .bind(&last)
            .fetch_all(pool)
            .await
            .map_err(AppError::db("reading kept kiosks' records"))?;
    Ok(Days {
        visits: visits
            .into_iter()
            .filter_map(|(day, room_id, residents, visitors, sign_ins)| {
                Some(VisitRow { day: parse_day(&day)?, room_id, residents, visitors, sign_ins })
            })
            .collect(),
        hours: hours
            .into_iter()
            .map(|(room_id, hour, sign_ins)| HourRow { day: None, room_id, hour, sign_ins })
            .collect(),
        kiosks: kiosks
            .into_iter()
            .filter_map(|(day, kiosk_id, records)| Some(KioskRow { day: parse_day(&day)?, kiosk_id, records }))
            .collect(),
    })
}

/// Records for days already kept, arriving late (or about sessions of such days): their days'
/// figures are made again when next read. In the caller's transaction, so a day can never be
/// kept without them.
pub async fn note_late<'a>(
    tx: &mut Tx,
    days: impl Iterator<Item = (&'a str, Date)>,
    now_ms: i64,
    offset: UtcOffset,
) -> Result<(), AppError> {
    let Some(kept_until) = may_be_kept_until(now_ms, offset) else { return Ok(()) };
    let late: BTreeSet<(String, Date)> =
        days.filter(|(_, day)| *day <= kept_until).map(|(site_id, day)| (site_id.to_owned(), day)).collect();
    for (site_id, day) in late {
        sqlx::query(
            "INSERT INTO report_days (site_id, day, changes) VALUES ($1, $2, 1) \
             ON CONFLICT (site_id, day) DO UPDATE SET changes = report_days.changes + 1",
        )
        .bind(site_id)
        .bind(format_day(day))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("noting a record for a day already counted"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn consecutive_days_are_counted_together() {
        let days = [(date!(2026 - 01 - 01), 0), (date!(2026 - 01 - 02), 3), (date!(2026 - 01 - 05), 0)];
        let runs = runs(&days);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].len(), 2);
        assert_eq!(runs[1], &[(date!(2026 - 01 - 05), 0)]);
        assert!(super::runs(&[]).is_empty());
    }

    #[test]
    fn yesterday_is_kept_from_half_past_midnight_and_late_from_half_past_eleven() {
        let china = time::macros::offset!(+8);
        let at = |day: Date, hour: u8, minute: u8| {
            time::PrimitiveDateTime::new(day, time::Time::from_hms(hour, minute, 0).unwrap())
                .assume_offset(china)
                .unix_timestamp()
                * 1000
        };
        let today = date!(2026 - 12 - 01);
        assert_eq!(last_kept_day(at(today, 0, 20), china), Some(date!(2026 - 11 - 29)));
        assert_eq!(last_kept_day(at(today, 0, 40), china), Some(date!(2026 - 11 - 30)));
        assert_eq!(may_be_kept_until(at(today, 23, 20), china), Some(date!(2026 - 11 - 30)));
        assert_eq!(may_be_kept_until(at(today, 23, 40), china), Some(today), "a record kept now is late");
    }
}
