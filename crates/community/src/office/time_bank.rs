//! What staff do with volunteers' hours: read them by month and in total, confirm what is held
//! (a start without an end, an end without a start) and enter hours from paper, each with a
//! reason and in the action log. The console and tests call this; nothing else writes hours.

use time::Date;

use crate::action_log::{self, Act, Actor, Entry};
use crate::db::Database;
use crate::error::AppError;
use crate::office::form::ServiceError;
use crate::schedule::format_day;

use crate::time_bank::COUNTED_SQL;

const DB: &str = "keeping volunteers' hours";

/// A volunteer's counted hours: in a month and in all.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VolunteerHours {
    pub resident_id: String,
    pub full_name: String,
    pub month_half_hours: i64,
    pub total_half_hours: i64,
}

/// The most a session's service may count beyond its length at the site, in minutes: up to
/// four hours (a longer margin would count a forgotten 结束服务 as a day's work).
pub const MOST_MARGIN_MINUTES: i64 = 240;

/// How many minutes past its session a volunteer's service may count at the site.
pub async fn margin_minutes(db: &Database, site_id: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT service_margin_minutes FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::db(DB))
}

/// Staff set the margin (hours counted from taps later use it; hours already made stay), in
/// the action log with the old and new values.
pub async fn set_margin_minutes(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    minutes: Option<i64>,
) -> Result<(), ServiceError> {
    let Some(minutes) = minutes.filter(|m| (0..=MOST_MARGIN_MINUTES).contains(m)) else {
        return Err(ServiceError::field("margin", "time_bank.problem.margin"));
    };
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let before: i64 = sqlx::query_scalar("SELECT service_margin_minutes FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if before == minutes {
        return Ok(());
    }
    sqlx::query("UPDATE sites SET service_margin_minutes = $2 WHERE id = $1")
        .bind(site_id)
        .bind(minutes)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::ServiceMarginChanged,
        subject: site_id.to_owned(),
        reason: None,
        detail: Some(format!("{before} → {minutes}")),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Every volunteer of the site (and anyone with hours), with their hours in `first..=last` and
/// in all, most hours this month first.
pub async fn by_volunteer(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
) -> Result<Vec<VolunteerHours>, AppError> {
    sqlx::query_as(&format!(
        "SELECT residents.id AS resident_id, residents.full_name, \
                CAST(COALESCE(SUM(CASE WHEN service_hours.day >= $2 AND service_hours.day <= $3 \
                                       THEN service_hours.half_hours ELSE 0 END), 0) AS BIGINT) AS month_half_hours, \
                CAST(COALESCE(SUM(service_hours.half_hours), 0) AS BIGINT) AS total_half_hours \
         FROM residents LEFT JOIN service_hours ON service_hours.resident_id = residents.id \
              AND service_hours.state IN {COUNTED_SQL} \
         WHERE residents.site_id = $1 AND (residents.volunteer <> 0 OR service_hours.id IS NOT NULL) \
         GROUP BY residents.id, residents.full_name \
         ORDER BY month_half_hours DESC, residents.full_name"
    ))
    .bind(site_id)
    .bind(format_day(first))
    .bind(format_day(last))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("adding up volunteers' hours"))
}

/// Service staff must look at: an end without a start, or a start whose day is over without
/// an end.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    pub id: String,
    pub full_name: String,
    pub title_zh_hans: Option<String>,
    pub day: String,
    pub state: String,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

pub async fn held(db: &Database, site_id: &str, today: Date) -> Result<Vec<Held>, AppError> {
    sqlx::query_as(
        "SELECT service_hours.id, residents.full_name, activities.title_zh_hans, service_hours.day, service_hours.state, \
                service_hours.started_at, service_hours.ended_at \
         FROM service_hours JOIN residents ON residents.id = service_hours.resident_id \
         LEFT JOIN activities ON activities.id = service_hours.activity_id \
         WHERE service_hours.site_id = $1 \
           AND (service_hours.state = 'end_only' OR (service_hours.state = 'open' AND service_hours.day < $2)) \
         ORDER BY service_hours.day, residents.full_name",
    )
    .bind(site_id)
    .bind(format_day(today))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading held service"))
}

/// Staff confirm held service as `half_hours`, saying why.
pub async fn confirm(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    half_hours: Option<i64>,
    reason: &str,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    let Some(half_hours) = half_hours else { return Err(ServiceError::field("hours", "time_bank.problem.hours")) };
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "time_bank.problem.reason"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let confirmed: Option<String> = sqlx::query_scalar(
        "UPDATE service_hours SET state = 'confirmed', half_hours = $3, note = $4, changed_by = $5, changed_at = $6 \
         WHERE id = $1 AND site_id = $2 AND state IN ('open', 'end_only') RETURNING resident_id",
    )
    .bind(id)
    .bind(site_id)
    .bind(half_hours)
    .bind(reason)
    .bind(actor.as_text())
    .bind(crate::clock::now_ms())
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    let Some(resident_id) = confirmed else { return Err(ServiceError::NotFound) };
    crate::roster::send_again(&mut tx, site_id, &[&resident_id]).await.map_err(AppError::db(DB))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::HoursConfirmed,
        subject: id.to_owned(),
        reason: Some(reason.to_owned()),
        detail: Some(jiayuan_domain::time_bank::hours_text(half_hours)),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Staff enter hours served on paper (honour hours) for a volunteer of the site, saying why.
pub async fn honour(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    resident_id: &str,
    day: Option<Date>,
    half_hours: Option<i64>,
    reason: &str,
) -> Result<(), ServiceError> {
    let reason = reason.trim();
    let Some(day) = day else { return Err(ServiceError::field("day", "problem.not_a_date")) };
    let Some(half_hours) = half_hours else { return Err(ServiceError::field("hours", "time_bank.problem.hours")) };
    if reason.is_empty() {
        return Err(ServiceError::field("reason", "time_bank.problem.reason"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let on_site: Option<String> = sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1 AND site_id = $2")
        .bind(resident_id)
        .bind(site_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    let Some(full_name) = on_site else { return Err(ServiceError::field("resident_id", "time_bank.problem.who")) };
    let id = format!("honour-{}", uuid::Uuid::new_v4().simple());
    sqlx::query(
        "INSERT INTO service_hours (id, site_id, resident_id, day, half_hours, state, note, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, 'honoured', $6, $7, $8)",
    )
    .bind(&id)
    .bind(site_id)
    .bind(resident_id)
    .bind(format_day(day))
    .bind(half_hours)
    .bind(reason)
    .bind(actor.as_text())
    .bind(crate::clock::now_ms())
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    crate::roster::send_again(&mut tx, site_id, &[resident_id]).await.map_err(AppError::db(DB))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::HoursHonoured,
        subject: resident_id.to_owned(),
        reason: Some(reason.to_owned()),
        detail: Some(format!("{full_name} {} {}", format_day(day), jiayuan_domain::time_bank::hours_text(half_hours))),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// A volunteer's counted hours month by month, for their certificate: their name and
/// (month, half hours) in month order. None if they are not of the site.
pub async fn by_month(
    db: &Database,
    site_id: &str,
    resident_id: &str,
) -> Result<Option<(String, Vec<(String, i64)>)>, AppError> {
    let name: Option<String> = sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1 AND site_id = $2")
        .bind(resident_id)
        .bind(site_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("reading a volunteer"))?;
    let Some(name) = name else { return Ok(None) };
    let months: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT SUBSTR(day, 1, 7) AS month, CAST(SUM(half_hours) AS BIGINT) FROM service_hours \
         WHERE resident_id = $1 AND site_id = $2 AND state IN {COUNTED_SQL} \
         GROUP BY SUBSTR(day, 1, 7) ORDER BY month"
    ))
    .bind(resident_id)
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("adding up a volunteer's hours by month"))?;
    Ok(Some((name, months)))
}
