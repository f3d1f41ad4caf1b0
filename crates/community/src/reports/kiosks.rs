//! Kiosks: the records each kiosk made per day (by its clock), and the days one in service made
//! none — a kiosk that is broken, switched off, or that residents pass by.

use std::collections::{BTreeMap, BTreeSet};

use jiayuan_domain::reports::silent_days;
use time::Date;

use crate::db::Database;
use crate::error::AppError;

use super::presence::date_of;
use super::{Scope, days};

#[derive(Debug, Clone)]
pub struct KioskFigures {
    pub kiosk_id: String,
    pub room_id: String,
    /// Records made in the period, of every kind.
    pub records: i64,
    pub days_with_records: i64,
    /// Days in service in the period without a single record.
    pub silent: Vec<Date>,
    pub revoked: bool,
}

#[derive(Debug, Clone, Default)]
pub struct KiosksReport {
    pub kiosks: Vec<KioskFigures>,
    /// Per day of the period up to today, each kiosk's records, in the order of `kiosks`.
    pub days: Vec<(Date, Vec<i64>)>,
}

/// The site's kiosks (or one room's) that were in service at some time in the period.
pub async fn kiosks(db: &Database, scope: Scope<'_>) -> Result<KiosksReport, AppError> {
    let Scope { site_id, room_id, period, offset, now_ms } = scope;
    let today = scope.today();
    let listed: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT kiosks.id, kiosks.room_id, kiosks.paired_at, kiosks.revoked_at \
         FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
         WHERE rooms.site_id = $1 AND ($2 = '' OR kiosks.room_id = $2) ORDER BY kiosks.room_id, kiosks.paired_at, kiosks.id",
    )
    .bind(site_id)
    .bind(room_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing the kiosks"))?;
    let figures = days::figures(db, site_id, period.from, period.to, offset, now_ms, days::Want::KIOSKS).await?;
    let mut by_kiosk: BTreeMap<&str, BTreeMap<Date, i64>> = BTreeMap::new();
    for row in &figures.kiosks {
        *by_kiosk.entry(row.kiosk_id.as_str()).or_default().entry(row.day).or_default() += row.records;
    }
    let mut kiosks = Vec::new();
    for (kiosk_id, room_id, paired_at, revoked_at) in listed {
        let (Some(paired), revoked) = (date_of(paired_at, offset), revoked_at.and_then(|at| date_of(at, offset)))
        else {
            continue;
        };
        let in_period = paired <= period.to && revoked.is_none_or(|day| day >= period.from);
        let counts = by_kiosk.get(kiosk_id.as_str());
        if !in_period && counts.is_none() {
            continue;
        }
        let used: BTreeSet<Date> = counts.map(|days| days.keys().copied().collect()).unwrap_or_default();
        kiosks.push(KioskFigures {
            records: counts.map(|days| days.values().sum()).unwrap_or_default(),
            days_with_records: i64::try_from(used.len()).unwrap_or(i64::MAX),
            silent: silent_days(&period, (paired, revoked), today, &used),
            revoked: revoked_at.is_some(),
            kiosk_id,
            room_id,
        });
    }
    let days = period
        .each_day()
        .filter(|day| *day <= today)
        .map(|day| {
            let counts = kiosks
                .iter()
                .map(|k| by_kiosk.get(k.kiosk_id.as_str()).and_then(|days| days.get(&day)).copied().unwrap_or(0))
                .collect();
            (day, counts)
        })
        .collect();
    Ok(KiosksReport { kiosks, days })
}
