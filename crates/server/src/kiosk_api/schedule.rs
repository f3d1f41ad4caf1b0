//! `GET /api/schedule?from=2026-11-21&days=7`: the rooms of the asking kiosk's site and their
//! activities of those days. Only a paired kiosk may ask, and only of its own site: a
//! community's timetable (who hosts what, when a room is empty) is not for the whole LAN.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use jiayuan_domain::schedule::{Activity, Room};
use serde::{Deserialize, Serialize};
use time::Duration;

use crate::error::HttpError;
use crate::kiosk_api::sync::PairedKiosk;
use crate::state::AppState;
use jiayuan_community::community_time;
use jiayuan_community::error::AppError;
use jiayuan_community::schedule::{activities_between, parse_day, rooms_of_site};

/// A month is as far as a kiosk looks ahead.
const MAX_DAYS: u32 = 31;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ScheduleQuery {
    /// First day, like 2026-11-21; default today in the community.
    from: Option<String>,
    /// How many days, 1 to 31; default 7.
    days: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Schedule {
    pub rooms: Vec<Room>,
    pub activities: Vec<Activity>,
}

#[utoipa::path(get, path = "/api/schedule", tag = "schedule", params(ScheduleQuery), security(("kiosk" = [])),
    responses((status = 200, body = Schedule), (status = 400, body = jiayuan_domain::sync::ApiError), (status = 401, body = jiayuan_domain::sync::ApiError), (status = 500, body = jiayuan_domain::sync::ApiError)))]
pub async fn schedule(
    State(state): State<AppState>,
    PairedKiosk(kiosk): PairedKiosk,
    query: Result<Query<ScheduleQuery>, QueryRejection>,
) -> Result<Json<Schedule>, HttpError> {
    let Query(query) = query.map_err(|rejection| {
        AppError::BadRequest(format!("`from` must be a date and `days` a number: {}", rejection.body_text()))
    })?;
    let first = match query.from.as_deref() {
        Some(text) => parse_day(text)
            .ok_or_else(|| AppError::BadRequest(format!("`from` must be a date like 2026-11-21, not {text:?}")))?,
        None => community_time::today(state.utc_offset),
    };
    let days = query.days.unwrap_or(7);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::BadRequest(format!("`days` must be 1 to {MAX_DAYS}")).into());
    }
    let last = first + Duration::days(i64::from(days) - 1);
    let rooms = rooms_of_site(&state.db, &kiosk.site_id).await?;
    let activities = activities_between(&state.db, &kiosk.site_id, first, last).await?;
    Ok(Json(Schedule { rooms, activities }))
}
