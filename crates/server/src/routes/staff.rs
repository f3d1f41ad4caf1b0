//! `GET /staff`: the staff console's first page, server-rendered: what the community's
//! database holds and this week's schedule. (The full console is its own piece of work.)

use axum::extract::State;
use axum::response::Html;
use jiayuan_domain::Language;
use time::Duration;

use crate::app::AppState;
use crate::community_time;
use crate::error::AppError;
use crate::schedule::{activities_between, format_day, rooms};

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let today = community_time::today(state.utc_offset);
    let rooms = rooms(&state.db).await?;
    let week = activities_between(&state.db, today, today + Duration::days(6)).await?;
    let residents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents")
        .fetch_one(&state.db.pool)
        .await
        .map_err(AppError::db("counting residents"))?;

    let room_name = |id: &str| {
        rooms
            .iter()
            .find(|room| room.id == id)
            .map(|room| room.name.get(Language::ZhHans).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let mut rows = String::new();
    for activity in &week {
        let seats = match activity.capacity {
            Some(capacity) => format!("{capacity} 人"),
            None => "不限".to_owned(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            format_day(activity.date),
            activity.starts.to_string().get(..5).unwrap_or_default(),
            activity.ends.to_string().get(..5).unwrap_or_default(),
            escape(&room_name(&activity.room_id)),
            escape(activity.title.get(Language::ZhHans)),
            escape(activity.host.get(Language::ZhHans)),
            seats,
        ));
    }
    Ok(Html(format!(
        r#"<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>家园 · 工作人员</title>
<style>
body {{ font: 18px/1.5 "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #111; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #555; padding: .3rem .6rem; text-align: left; }}
</style></head>
<body>
<h1>家园 · 工作人员</h1>
<p>活动室 {room_count} 间，居民 {residents} 人，本周活动 {activity_count} 场。</p>
<h2>本周活动</h2>
<table>
<thead><tr><th>日期</th><th>时间</th><th>活动室</th><th>活动</th><th>负责人</th><th>名额</th></tr></thead>
<tbody>
{rows}</tbody>
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
