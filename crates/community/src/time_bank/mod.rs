//! Volunteers' hours (爱心银行): each 开始服务 / 结束服务 tap kept at the server's time, and
//! the hours made from a volunteer's taps for a session again whenever one of them arrives —
//! in whatever order, from whichever kiosk. The rules are the domain's
//! (`jiayuan_domain::time_bank`).

use jiayuan_domain::sync::{Outcome, RejectReason};

use jiayuan_domain::time_bank::{Served, Tap, TapKind, corrected, pair};
use time::Date;

use crate::error::AppError;
use crate::schedule::format_day;

use crate::error::Tx;

/// A tap arriving from a kiosk, with what the server knows of it.
#[derive(Debug, Clone, Copy)]
pub struct TapRecord<'a> {
    pub kiosk_id: &'a str,
    pub seq: i64,
    pub record_id: &'a str,
    pub site_id: &'a str,
    pub resident_id: &'a str,
    pub activity_id: &'a str,
    pub kind: TapKind,
    /// The kiosk's clock.
    pub happened_at: i64,
    /// How far the kiosk's clock runs ahead of the server's, as it last reported.
    pub kiosk_minus_server_ms: i64,
    pub volunteer: bool,
    pub volunteer_service: bool,
    /// The session's date and the most its service may count: its length and the site's margin.
    pub day: Date,
    pub cap_ms: i64,
}

/// Keeps a tap from a volunteer at a volunteer-service session and makes their hours for the
/// session again.
pub async fn keep(tx: &mut Tx, tap: TapRecord<'_>) -> Result<Outcome, AppError> {
    if !tap.volunteer {
        return Ok(Outcome::rejected(RejectReason::NotAVolunteer));
    }
    if !tap.volunteer_service {
        return Ok(Outcome::rejected(RejectReason::NotVolunteerService));
    }
    sqlx::query(
        "INSERT INTO service_taps (kiosk_id, seq, record_id, resident_id, activity_id, kind, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tap.kiosk_id)
    .bind(tap.seq)
    .bind(tap.record_id)
    .bind(tap.resident_id)
    .bind(tap.activity_id)
    .bind(kind_name(tap.kind))
    .bind(corrected(tap.happened_at, tap.kiosk_minus_server_ms))
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("keeping a service tap"))?;
    make_hours(tx, &tap).await?;
    Ok(Outcome::Accepted)
}

fn kind_name(kind: TapKind) -> &'static str {
    match kind {
        TapKind::Start => "start",
        TapKind::End => "end",
    }
}

/// States of hours made from taps, in SQL: made again from the taps whenever one arrives.
const FROM_TAPS_SQL: &str = "('counted', 'open', 'end_only')";
/// States of hours that count, in SQL: counted from taps, confirmed by staff, or honoured.
pub const COUNTED_SQL: &str = "('counted', 'confirmed', 'honoured')";

/// The volunteer's hours for the session, from all their taps for it. Once staff have
/// decided on the session's service (confirmed it), their decision stands: taps arriving later
/// are kept, not counted again.
async fn make_hours(tx: &mut Tx, tap: &TapRecord<'_>) -> Result<(), AppError> {
    let failed = AppError::db("making a volunteer's hours");
    let decided: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM service_hours \
         WHERE activity_id = $1 AND resident_id = $2 AND state NOT IN {FROM_TAPS_SQL}"
    ))
    .bind(tap.activity_id)
    .bind(tap.resident_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(failed)?;
    let staff_decided = decided > 0;
    let taps: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT record_id, kind, at FROM service_taps WHERE activity_id = $1 AND resident_id = $2")
            .bind(tap.activity_id)
            .bind(tap.resident_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(AppError::db("reading a volunteer's taps"))?;
    let taps: Vec<Tap> = taps
        .into_iter()
        .map(|(record_id, kind, at)| Tap {
            kind: if kind == "end" { TapKind::End } else { TapKind::Start },
            at_ms: at,
            record_id,
        })
        .collect();
    sqlx::query(&format!(
        "DELETE FROM service_hours WHERE activity_id = $1 AND resident_id = $2 AND state IN {FROM_TAPS_SQL}"
    ))
    .bind(tap.activity_id)
    .bind(tap.resident_id)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db("making a volunteer's hours again"))?;
    let now = crate::clock::now_ms();
    if staff_decided {
        return Ok(());
    }
    for served in pair(&taps, tap.cap_ms) {
        let (state, start, end) = match &served {
            Served::Counted { start, end, .. } => ("counted", Some(start), Some(end)),
            Served::StartOnly(start) => ("open", Some(start), None),
            Served::EndOnly(end) => ("end_only", None, Some(end)),
        };
        let first = start.or(end).map(|t| t.record_id.as_str()).unwrap_or_default();
        sqlx::query(
            "INSERT INTO service_hours (id, site_id, resident_id, activity_id, day, half_hours, state, \
                                        started_at, ended_at, start_record, end_record, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(format!("taps-{first}"))
        .bind(tap.site_id)
        .bind(tap.resident_id)
        .bind(tap.activity_id)
        .bind(format_day(tap.day))
        .bind(served.half_hours())
        .bind(state)
        .bind(start.map(|t| t.at_ms))
        .bind(end.map(|t| t.at_ms))
        .bind(start.map(|t| t.record_id.clone()))
        .bind(end.map(|t| t.record_id.clone()))
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("keeping a volunteer's hours"))?;
    }
    Ok(())
}

/// A volunteer's hours the server counts: counted from taps, confirmed by staff or honoured.
pub async fn total_half_hours(db: &crate::db::Database, resident_id: &str) -> Result<i64, AppError> {
    let total: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT CAST(SUM(half_hours) AS BIGINT) FROM service_hours \
         WHERE resident_id = $1 AND state IN {COUNTED_SQL}"
    ))
    .bind(resident_id)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("adding up a volunteer's hours"))?;
    Ok(total.unwrap_or(0))
}

/// Each volunteer's counted half hours at the site, for kiosks: every volunteer of the site,
/// with 0 for those without hours yet.
pub async fn served_by_volunteer(
    tx: &mut Tx,
    site_id: &str,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT residents.id, CAST(SUM(service_hours.half_hours) AS BIGINT) FROM residents \
         LEFT JOIN service_hours ON service_hours.resident_id = residents.id AND service_hours.state IN {COUNTED_SQL} \
         WHERE residents.site_id = $1 AND residents.volunteer <> 0 GROUP BY residents.id"
    ))
    .bind(site_id)
    .fetch_all(&mut **tx)
    .await
    .map_err(AppError::db("adding up volunteers' hours"))?;
    Ok(rows.into_iter().map(|(id, half_hours)| (id, half_hours.unwrap_or(0))).collect())
}

/// The service a site's residents gave in `first..=last` that counts: half hours, and how many
/// volunteers gave it (the figures offices report upward, 志愿服务时长 and 志愿者人数).
pub async fn counted_in_period(
    db: &crate::db::Database,
    site_id: &str,
    first: time::Date,
    last: time::Date,
) -> Result<(i64, i64), AppError> {
    let (half_hours, volunteers): (Option<i64>, i64) = sqlx::query_as(&format!(
        "SELECT CAST(SUM(service_hours.half_hours) AS BIGINT), COUNT(DISTINCT service_hours.resident_id) \
         FROM service_hours JOIN residents ON residents.id = service_hours.resident_id \
         WHERE residents.site_id = $1 AND service_hours.day >= $2 AND service_hours.day <= $3 \
           AND service_hours.state IN {COUNTED_SQL} AND service_hours.half_hours > 0"
    ))
    .bind(site_id)
    .bind(crate::schedule::format_day(first))
    .bind(crate::schedule::format_day(last))
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("adding up the period's service"))?;
    Ok((half_hours.unwrap_or(0), volunteers))
}
