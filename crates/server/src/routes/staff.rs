//! `GET /staff`: the staff console's first page, server-rendered: today's sign-ins per room,
//! the kiosks and how they are doing, and this week's schedule with its sign-ups. (The full
//! console is its own piece of work.)

use std::fmt::Write;

use axum::extract::State;
use axum::response::Html;
use jiayuan_domain::Language;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::app::AppState;
use crate::community_time;
use crate::error::AppError;
use crate::kiosks;
use crate::schedule::{activities_between, format_day, format_time, rooms};

/// Sign-ins to each room today: residents counted once however often they signed in, and
/// visitors, by the kiosks' clocks (the time residents were really there).
async fn sign_ins_today(state: &AppState) -> Result<Vec<(String, i64, i64)>, AppError> {
    let today = community_time::today(state.utc_offset);
    let start = today.midnight().assume_offset(state.utc_offset).unix_timestamp() * 1000;
    sqlx::query_as(
        "SELECT kiosks.room_id, COUNT(DISTINCT kiosk_records.resident_id), \
                SUM(CASE WHEN kiosk_records.resident_id IS NULL THEN 1 ELSE 0 END) \
         FROM kiosk_records JOIN kiosks ON kiosks.id = kiosk_records.kiosk_id \
         WHERE kiosk_records.action = 'sign_in' \
           AND kiosk_records.happened_at >= $1 AND kiosk_records.happened_at < $2 \
           AND (kiosk_records.resident_id IS NULL \
                OR kiosk_records.resident_id IN (SELECT id FROM residents)) \
         GROUP BY kiosks.room_id ORDER BY kiosks.room_id",
    )
    .bind(start)
    .bind(start + 24 * 60 * 60 * 1000)
    .fetch_all(&state.db.pool)
    .await
    .map_err(AppError::db("counting today's sign-ins"))
}

fn clock_text(ms: Option<i64>, offset: UtcOffset) -> String {
    let format = time::macros::format_description!("[month]-[day] [hour]:[minute]");
    ms.and_then(|ms| OffsetDateTime::from_unix_timestamp(ms / 1000).ok())
        .and_then(|at| at.to_offset(offset).format(format).ok())
        .unwrap_or_else(|| "—".to_owned())
}

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let today = community_time::today(state.utc_offset);
    let rooms = rooms(&state.db).await?;
    let week = activities_between(&state.db, today, today + Duration::days(6)).await?;
    let residents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents")
        .fetch_one(&state.db.pool)
        .await
        .map_err(AppError::db("counting residents"))?;
    let taken: Vec<(String, i64)> = sqlx::query_as("SELECT id, seats_taken FROM activities WHERE day >= $1")
        .bind(format_day(today))
        .fetch_all(&state.db.pool)
        .await
        .map_err(AppError::db("reading seats"))?;
    let kiosks = kiosks::list(&state.db).await?;
    let sign_ins = sign_ins_today(&state).await?;

    let room_name = |id: &str| {
        rooms
            .iter()
            .find(|room| room.id == id)
            .map(|room| escape(room.name.get(Language::ZhHans)))
            .unwrap_or_else(|| escape(id))
    };

    let mut attendance = String::new();
    for (room, residents, visitors) in &sign_ins {
        let _ =
            writeln!(attendance, "<tr><td>{}</td><td>{residents} 人</td><td>{visitors} 人</td></tr>", room_name(room));
    }
    if sign_ins.is_empty() {
        attendance.push_str("<tr><td colspan=\"3\">今天还没有人签到。</td></tr>\n");
    }

    let mut kiosk_rows = String::new();
    for kiosk in &kiosks {
        let state_text = if kiosk.revoked_at.is_some() { "已停用" } else { "使用中" };
        let _ = writeln!(
            kiosk_rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{state_text}</td></tr>",
            escape(&kiosk.id),
            room_name(&kiosk.room_id),
            clock_text(kiosk.last_seen_at, state.utc_offset),
            kiosk.applied_through,
            kiosk.damaged,
            kiosk.lost,
        );
    }
    if kiosks.is_empty() {
        kiosk_rows.push_str("<tr><td colspan=\"7\">还没有配对的终端。</td></tr>\n");
    }
    let last_backup = match crate::backups::last_backup_at(&state.data_dir) {
        Some(at) => clock_text(Some(at), state.utc_offset),
        None if state.db.backend == crate::db::Backend::Postgres => "由 pg_dump 负责（PostgreSQL）".to_owned(),
        None => "还没有".to_owned(),
    };

    let mut schedule_rows = String::new();
    for activity in &week {
        let seats = match activity.capacity {
            Some(capacity) => {
                let signed_up = taken.iter().find(|(id, _)| *id == activity.id).map(|(_, n)| *n).unwrap_or(0);
                format!("{signed_up} / {capacity} 人")
            }
            None => "不限".to_owned(),
        };
        let _ = writeln!(
            schedule_rows,
            "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{seats}</td></tr>",
            format_day(activity.date),
            format_time(activity.starts),
            format_time(activity.ends),
            room_name(&activity.room_id),
            escape(activity.title.get(Language::ZhHans)),
            escape(activity.host.get(Language::ZhHans)),
        );
    }

    Ok(Html(format!(
        r#"<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>家园 · 工作人员</title>
<style>
body {{ font: 18px/1.5 "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #111; }}
table {{ border-collapse: collapse; margin-bottom: 2rem; }} th, td {{ border: 1px solid #555; padding: .3rem .6rem; text-align: left; }}
</style></head>
<body>
<h1>家园 · 工作人员</h1>
<p>活动室 {room_count} 间，居民 {residents} 人，本周活动 {activity_count} 场。</p>
<p class="last-backup">最近一次备份：{last_backup}</p>
<h2>今天签到</h2>
<table>
<thead><tr><th>活动室</th><th>居民</th><th>访客</th></tr></thead>
<tbody>
{attendance}</tbody>
</table>
<h2>活动室终端</h2>
<table>
<thead><tr><th>终端</th><th>活动室</th><th>最近联系</th><th>已收到记录</th><th>损坏的记录</th><th>丢失的记录</th><th>状态</th></tr></thead>
<tbody>
{kiosk_rows}</tbody>
</table>
<h2>本周活动</h2>
<table>
<thead><tr><th>日期</th><th>时间</th><th>活动室</th><th>活动</th><th>负责人</th><th>已报名 / 名额</th></tr></thead>
<tbody>
{schedule_rows}</tbody>
</table>
</body>
</html>"#,
        room_count = rooms.len(),
        activity_count = week.len(),
    )))
}

/// Text from staff's files goes into HTML only escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
