//! Which residents came, in which room, in which month (`resident_months`): a bit per day,
//! set in the transaction that keeps the sign-in. "Who came in this period" and "who had come
//! before it" then read a row per resident and month instead of every sign-in of a year.
//!
//! The bits are cut by the community's clock; the offset they were cut by is kept, and a
//! server started with another one makes them again from the records (`make_again`), as
//! `jiayuan-server rebuild-summaries` does on demand.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::db::{Backend, Database};
use crate::error::AppError;

use crate::attendance::ACCEPTED_SQL;
use jiayuan_domain::sync::record::action_name::SIGN_IN;

use crate::error::Tx;

/// The `room_id` of a resident's month at the whole site: the days they came to any of its
/// rooms. Kept beside the rooms' rows so "who came to the site" reads one row per resident and
/// month, not one per room to be made distinct.
pub const WHOLE_SITE: &str = "";

/// A kept sign-in of a resident, as the months need it.
#[derive(Debug, Clone, Copy)]
pub struct SignIn<'a> {
    pub site_id: &'a str,
    pub room_id: &'a str,
    pub resident_id: &'a str,
    pub happened_at: i64,
}

/// Where a sign-in lands: its month's row and the bit of its day.
type Key = (String, String, String, String);

/// What sign-ins add to the summaries: bits of days in residents' months, and residents' first
/// days at a site.
#[derive(Debug, Default)]
struct Noted {
    months: BTreeMap<Key, i64>,
    firsts: BTreeMap<(String, String), Date>,
}

/// The community's date of `ms` (kiosk clock, ms since 1970).
pub fn date_of(ms: i64, offset: UtcOffset) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok().map(|at| at.to_offset(offset).date())
}

pub fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// The bits of days `first..=last` of a month (1-based days of the month).
pub fn day_bits(first: u8, last: u8) -> i64 {
    (first..=last).filter(|d| (1..=31).contains(d)).fold(0, |bits, d| bits | (1_i64 << (d - 1)))
}

/// The days a month's bits (`day_bits`) name, for `month` (2026-12).
pub fn days_of_bits(month: &str, bits: i64) -> impl Iterator<Item = Date> {
    let first = crate::schedule::parse_day(&format!("{month}-01"));
    (1..=31u8).filter(move |d| bits & day_bits(*d, *d) != 0).filter_map(move |d| first?.replace_day(d).ok())
}

fn add(noted: &mut Noted, sign_in: SignIn<'_>, offset: UtcOffset) {
    let Some(day) = date_of(sign_in.happened_at, offset) else { return };
    let month = month_of(day);
    for room_id in [sign_in.room_id, WHOLE_SITE] {
        let key = (sign_in.site_id.to_owned(), month.clone(), room_id.to_owned(), sign_in.resident_id.to_owned());
        *noted.months.entry(key).or_default() |= day_bits(day.day(), day.day());
    }
    let first = noted.firsts.entry((sign_in.site_id.to_owned(), sign_in.resident_id.to_owned())).or_insert(day);
    *first = (*first).min(day);
}

fn collect<'a>(sign_ins: impl Iterator<Item = SignIn<'a>>, offset: UtcOffset) -> Noted {
    let mut noted = Noted::default();
    for sign_in in sign_ins {
        add(&mut noted, sign_in, offset);
    }
    noted
}

/// Rows per statement: 200 rows × 5 values stays far below both databases' limits.
const ROWS_PER_STATEMENT: usize = 200;

/// Sets the days of `sign_ins` in their months, in the caller's transaction. Rows are written in
/// key order, so two transactions touching the same rows wait for each other, never deadlock.
pub async fn note<'a>(
    tx: &mut Tx,
    sign_ins: impl Iterator<Item = SignIn<'a>>,
    offset: UtcOffset,
) -> Result<(), AppError> {
    write(tx, collect(sign_ins, offset)).await
}

async fn write(tx: &mut Tx, noted: Noted) -> Result<(), AppError> {
    write_firsts(tx, &noted.firsts).await?;
    let rows: Vec<(Key, i64)> = noted.months.into_iter().collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|row| {
                let first = row.saturating_mul(5);
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    first.saturating_add(1),
                    first.saturating_add(2),
                    first.saturating_add(3),
                    first.saturating_add(4),
                    first.saturating_add(5)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let statement = format!(
            "INSERT INTO resident_months (site_id, month, room_id, resident_id, days) VALUES {values} \
             ON CONFLICT (site_id, month, room_id, resident_id) \
             DO UPDATE SET days = resident_months.days | excluded.days"
        );
        let mut query = sqlx::query(&statement);
        for ((site, month, room, resident), days) in chunk {
            query = query.bind(site.clone()).bind(month.clone()).bind(room.clone()).bind(resident.clone()).bind(*days);
        }
        query.execute(&mut **tx).await.map_err(AppError::db("noting residents' months"))?;
    }
    Ok(())
}

/// Keeps the earlier of each resident's first day and the one noted, in key order.
async fn write_firsts(tx: &mut Tx, firsts: &BTreeMap<(String, String), Date>) -> Result<(), AppError> {
    let rows: Vec<(&(String, String), &Date)> = firsts.iter().collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|row| {
                let first = row.saturating_mul(3);
                format!("(${}, ${}, ${})", first.saturating_add(1), first.saturating_add(2), first.saturating_add(3))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let statement = format!(
            "INSERT INTO resident_firsts (site_id, resident_id, first_day) VALUES {values} \
             ON CONFLICT (site_id, resident_id) DO UPDATE SET first_day = CASE \
               WHEN excluded.first_day < resident_firsts.first_day THEN excluded.first_day \
               ELSE resident_firsts.first_day END"
        );
        let mut query = sqlx::query(&statement);
        for ((site, resident), day) in chunk {
            query = query.bind(site.clone()).bind(resident.clone()).bind(crate::schedule::format_day(**day));
        }
        query.execute(&mut **tx).await.map_err(AppError::db("noting residents' first days"))?;
    }
    Ok(())
}

/// Makes the months again from the kept sign-ins, and forgets the closed days' figures, if they
/// were cut by another offset than `offset` (or never made). Returns whether it did.
pub async fn make_again_unless_current(db: &Database, offset: UtcOffset) -> Result<bool, AppError> {
    make(db, offset, false).await
}

/// Makes every summary again from the records, whatever they were cut by.
pub async fn make_again(db: &Database, offset: UtcOffset) -> Result<(), AppError> {
    make(db, offset, true).await.map(drop)
}

async fn make(db: &Database, offset: UtcOffset, always: bool) -> Result<bool, AppError> {
    let failed = AppError::db;
    let mut tx = db.begin_write().await.map_err(failed("starting to make the report summaries"))?;
    if db.backend == Backend::Postgres {
        // Two processes starting together make them once: the second waits, then finds them made.
        sqlx::query("LOCK TABLE report_summary_state IN EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await
            .map_err(failed("waiting to make the report summaries"))?;
    }
    let offset_s = i64::from(offset.whole_seconds());
    let cut_by: Option<i64> = sqlx::query_scalar("SELECT utc_offset_s FROM report_summary_state WHERE id = 1")
        .fetch_optional(&mut **tx)
        .await
        .map_err(failed("reading how the report summaries were made"))?;
    if !always && cut_by == Some(offset_s) {
        return Ok(false);
    }
    for table in [
        "resident_months",
        "resident_firsts",
        "report_days",
        "day_visits",
        "day_hours",
        "day_kiosks",
        "session_figures",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut **tx)
            .await
            .map_err(failed("clearing the report summaries"))?;
    }
    let mut noted = Noted::default();
    {
        let statement = format!(
            "SELECT rooms.site_id, kiosks.room_id, kiosk_records.resident_id, kiosk_records.happened_at \
             FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
             JOIN rooms ON rooms.id = kiosks.room_id \
             WHERE kiosk_records.action = '{SIGN_IN}' AND kiosk_records.outcome = {ACCEPTED_SQL} \
               AND kiosk_records.resident_id IS NOT NULL"
        );
        let mut rows = sqlx::query_as::<_, (String, String, String, i64)>(&statement).fetch(&mut **tx);
        while let Some((site_id, room_id, resident_id, happened_at)) =
            rows.try_next().await.map_err(failed("reading the kept sign-ins"))?
        {
            let sign_in = SignIn { site_id: &site_id, room_id: &room_id, resident_id: &resident_id, happened_at };
            add(&mut noted, sign_in, offset);
        }
    }
    write(&mut tx, noted).await?;
    sqlx::query(
        "INSERT INTO report_summary_state (id, utc_offset_s) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET utc_offset_s = excluded.utc_offset_s",
    )
    .bind(offset_s)
    .execute(&mut **tx)
    .await
    .map_err(failed("noting how the report summaries were made"))?;
    tx.commit().await.map_err(failed("keeping the report summaries"))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_one_bit_of_its_month() {
        assert_eq!(day_bits(1, 1), 1);
        assert_eq!(day_bits(31, 31), 1 << 30);
        assert_eq!(day_bits(1, 31), (1 << 31) - 1);
        assert_eq!(day_bits(3, 2), 0);
    }

    #[test]
    fn sign_ins_land_on_the_communitys_date() {
        let china = time::macros::offset!(+8);
        // 2026-11-30 17:00 UTC is 01:00 on 1 December in China.
        let late_evening_utc = 1_796_058_000_000;
        let day = date_of(late_evening_utc, china).unwrap();
        assert_eq!((month_of(day), day.day()), ("2026-12".to_owned(), 1));
        let twice = [
            SignIn { site_id: "s", room_id: "r", resident_id: "a", happened_at: late_evening_utc },
            SignIn { site_id: "s", room_id: "r", resident_id: "a", happened_at: late_evening_utc + 3_600_000 },
        ];
        let noted = collect(twice.into_iter(), china);
        let rooms: Vec<(&str, i64)> = noted.months.iter().map(|(key, days)| (key.2.as_str(), *days)).collect();
        assert_eq!(rooms, vec![(WHOLE_SITE, 1), ("r", 1)], "the room's month and the site's");
        assert_eq!(noted.firsts.into_values().collect::<Vec<_>>(), vec![day]);
    }
}
