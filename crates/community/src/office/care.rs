//! Regulars not seen (关爱提醒), for the console: the site's residents who came regularly and
//! have not been seen for a while (the rules are `jiayuan_domain::care`), living alone first;
//! staff record what they heard when they followed up, in the action log, and the report
//! counts follow-ups by month. Moved away and passed away take the resident off the roster.

use std::collections::{BTreeSet, HashMap};

use jiayuan_domain::care::{self as rules, Absence, Outcome, Settings};
use time::{Date, Duration};

use crate::action_log::{self, Act, Actor, Entry};
use crate::attendance::came;
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::office::form::ServiceError;
use crate::reports::follow_ups;
use crate::reports::presence::{WHOLE_SITE, days_of_bits, month_of};
use crate::schedule::{format_day, parse_day};
use jiayuan_domain::reports::Period;

const DB: &str = "recording a follow-up";

/// How far back absences are looked for: a regular away longer than this has been followed
/// up long before (and the list stays quick to make).
pub const LOOK_BACK_DAYS: i64 = 180;

/// A regular not seen, with what staff need to call them.
#[derive(Debug, Clone)]
pub struct NotSeen {
    pub resident_id: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub lives_alone: bool,
    pub emergency_contact: Option<String>,
    pub emergency_phone: Option<String>,
    pub absence: Absence,
    /// The last follow-up, if any: when and what was heard.
    pub last_follow_up: Option<(Date, Outcome)>,
}

fn failed(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

pub async fn settings(db: &Database, site_id: &str) -> Result<Settings, AppError> {
    let (regular_days, absent_days): (i64, i64) =
        sqlx::query_as("SELECT care_regular_days, care_absent_days FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_one(&db.pool)
            .await
            .map_err(failed("reading the site's care settings"))?;
    let defaults = Settings::default();
    Ok(Settings {
        regular_days: u32::try_from(regular_days).unwrap_or(defaults.regular_days),
        absent_days: u32::try_from(absent_days).unwrap_or(defaults.absent_days),
    })
}

/// Staff change the site's rules (both within `rules::REGULAR_DAYS` and `rules::ABSENT_DAYS`).
pub async fn set_settings(db: &Database, actor: &Actor, site_id: &str, settings: Settings) -> Result<(), ServiceError> {
    if !rules::REGULAR_DAYS.contains(&settings.regular_days) {
        return Err(ServiceError::field("regular_days", "care.problem.regular_days"));
    }
    if !rules::ABSENT_DAYS.contains(&settings.absent_days) {
        return Err(ServiceError::field("absent_days", "care.problem.absent_days"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    sqlx::query("UPDATE sites SET care_regular_days = $2, care_absent_days = $3 WHERE id = $1")
        .bind(site_id)
        .bind(i64::from(settings.regular_days))
        .bind(i64::from(settings.absent_days))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    let detail = format!("{} days in four weeks, {} days away", settings.regular_days, settings.absent_days);
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::CareSettingsChanged,
            subject: site_id.to_owned(),
            reason: None,
            detail: Some(detail),
        },
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// The days each resident of `site_id` came to any of its rooms from `first` on: sign-ins
/// (the reports' months) and the sessions they came to (`attendance::came`: kept check-ins and
/// paper ticks), on the session's day.
async fn days_came(db: &Database, site_id: &str, first: Date) -> Result<HashMap<String, BTreeSet<Date>>, AppError> {
    let mut days: HashMap<String, BTreeSet<Date>> = HashMap::new();
    let months: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT resident_id, month, days FROM resident_months WHERE site_id = $1 AND room_id = $2 AND month >= $3",
    )
    .bind(site_id)
    .bind(WHOLE_SITE)
    .bind(month_of(first))
    .fetch_all(&db.pool)
    .await
    .map_err(failed("reading who came"))?;
    for (resident_id, month, bits) in months {
        days.entry(resident_id).or_default().extend(days_of_bits(&month, bits));
    }
    let came = came(
        "FROM activities JOIN rooms ON rooms.id = activities.room_id",
        "rooms.site_id = $1 AND activities.day >= $2",
    );
    let sessions: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT came.resident_id, activities.day FROM ({came}) came \
         JOIN activities ON activities.id = came.activity_id WHERE came.resident_id IS NOT NULL"
    ))
    .bind(site_id)
    .bind(format_day(first))
    .fetch_all(&db.pool)
    .await
    .map_err(failed("reading who came to sessions"))?;
    for (resident_id, day) in sessions {
        if let Some(day) = parse_day(&day) {
            days.entry(resident_id).or_default().insert(day);
        }
    }
    Ok(days)
}

/// The regulars of `site_id` not seen as of `today`, living alone first, the longest away first.
pub async fn not_seen(db: &Database, site_id: &str, today: Date) -> Result<Vec<NotSeen>, AppError> {
    let settings = settings(db, site_id).await?;
    let days = days_came(db, site_id, today - Duration::days(LOOK_BACK_DAYS)).await?;
    let last_follow_ups = last_follow_ups(db, site_id).await?;
    type Row = (String, String, Option<String>, i64, Option<String>, Option<String>);
    let residents: Vec<Row> = sqlx::query_as(
        "SELECT id, full_name, phone, lives_alone, emergency_contact, emergency_phone FROM residents \
         WHERE site_id = $1 AND deactivated_at IS NULL",
    )
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(failed("reading the roster"))?;
    let mut list: Vec<NotSeen> = residents
        .into_iter()
        .filter_map(|(resident_id, full_name, phone, lives_alone, emergency_contact, emergency_phone)| {
            let came = days.get(&resident_id)?;
            let last_follow_up = last_follow_ups.get(&resident_id).copied();
            let record = rules::Record { days: came, last_follow_up: last_follow_up.map(|(day, _)| day), active: true };
            let absence = rules::not_seen(record, today, settings)?;
            Some(NotSeen {
                resident_id,
                full_name,
                phone,
                lives_alone: lives_alone != 0,
                emergency_contact,
                emergency_phone,
                absence,
                last_follow_up,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        rules::list_order((a.lives_alone, &a.absence), (b.lives_alone, &b.absence)).then(a.full_name.cmp(&b.full_name))
    });
    Ok(list)
}

/// Each resident's latest follow-up: its day and outcome.
async fn last_follow_ups(db: &Database, site_id: &str) -> Result<HashMap<String, (Date, Outcome)>, AppError> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT resident_id, day, outcome FROM follow_ups WHERE site_id = $1 ORDER BY at, id")
            .bind(site_id)
            .fetch_all(&db.pool)
            .await
            .map_err(failed("reading follow-ups"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(resident, day, outcome)| Some((resident, (parse_day(&day)?, Outcome::from_name(&outcome)?))))
        .collect())
}

/// Records a follow-up of `resident_id` (of `site_id`, or NotFound) on `today`: in the action
/// log; moved away or passed away also takes them off the roster with that reason.
pub async fn follow_up(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    resident_id: &str,
    outcome: Outcome,
    note: &str,
    today: Date,
) -> Result<(), ServiceError> {
    let note: String = note.trim().chars().take(500).collect();
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let name: Option<String> =
        sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1 AND site_id = $2 AND deactivated_at IS NULL")
            .bind(resident_id)
            .bind(site_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
    let Some(name) = name else { return Err(ServiceError::NotFound) };
    sqlx::query(
        "INSERT INTO follow_ups (id, site_id, resident_id, at, day, outcome, note, by_staff) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(format!("f-{}", uuid::Uuid::new_v4().simple()))
    .bind(site_id)
    .bind(resident_id)
    .bind(now_ms())
    .bind(format_day(today))
    .bind(outcome.name())
    .bind(Some(note.clone()).filter(|n| !n.is_empty()))
    .bind(actor.as_text())
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    action_log::record(
        &mut tx,
        Entry {
            site_id: Some(site_id),
            actor,
            act: Act::FollowedUp,
            subject: resident_id.to_owned(),
            reason: Some(note).filter(|n| !n.is_empty()),
            detail: Some(format!("{name}: {}", outcome.name())),
        },
    )
    .await?;
    if outcome.deactivates() {
        crate::office::roster::deactivate_in(&mut tx, actor, site_id, resident_id, &name, outcome.name()).await?;
    }
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// One month's follow-ups (2026-12), for the care page and its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthOfFollowUps {
    pub month: String,
    pub counted: follow_ups::FollowUps,
}

/// The follow-ups of the `months` months up to `today`'s, oldest first, leaving out months
/// with none.
pub async fn by_month(
    db: &Database,
    site_id: &str,
    today: Date,
    months: u32,
) -> Result<Vec<MonthOfFollowUps>, AppError> {
    let mut period = Period::month_of(today);
    for _ in 1..months {
        period = period.previous();
    }
    let mut list = Vec::new();
    for _ in 0..months {
        let counted = follow_ups::in_period(db, site_id, period).await?;
        if counted.residents > 0 {
            list.push(MonthOfFollowUps { month: month_of(period.from), counted });
        }
        period = period.next();
    }
    Ok(list)
}
