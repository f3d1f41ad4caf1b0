//! Staff plan the schedule in the console; kiosks see it at their next pull, and the seat rules
//! hold: a cancelled session takes no new sign-ups and its line stays as it was.

use jiayuan_community::office::accounts::Role;
use serde_json::Value;

use crate::support::console::{Browser, location};
use crate::support::kiosk::*;
use crate::support::{OFFSET, spawn_with_demo};

fn activities_titled<'a>(pull: &'a Value, title: &str) -> Vec<&'a Value> {
    pull["activities"].as_array().unwrap().iter().filter(|a| a["title"]["zh_hans"] == title).collect()
}

fn today() -> String {
    jiayuan_community::schedule::format_day(jiayuan_community::community_time::today(OFFSET))
}

/// Follows a redirect answer to the page it names.
async fn followed(browser: &Browser, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    browser.page(&location(&response)).await
}

/// The session form as staff fill it in, saved from the page at `revision`.
fn edit_form(title: &str, capacity: &str, revision: &str) -> Vec<(String, String)> {
    [
        ("revision", revision),
        ("room_id", "room-seniors"),
        ("date", today().as_str()),
        ("starts", "14:00"),
        ("ends", "15:00"),
        ("title_zh_hans", title),
        ("host_zh_hans", "刘老师"),
        ("capacity", capacity),
        ("companions_allowed", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn revision_in(page: &str) -> String {
    page.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

fn outcome(body: &Value) -> &Value {
    &body["results"][0]["outcome"]
}

#[tokio::test]
async fn a_weekly_activity_added_in_the_console_reaches_kiosks_as_sessions() {
    let server = spawn_with_demo().await;
    let staff = Browser::staff(&server, "planner", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let first_date = today();
    let every_day = [("day_0", "on"), ("day_1", "on"), ("day_2", "on"), ("day_3", "on"), ("day_4", "on")];
    let mut fields = vec![
        ("room_id", "room-seniors"),
        ("starts", "07:00"),
        ("ends", "08:00"),
        ("first_date", first_date.as_str()),
        ("title_zh_hans", "晨练八段锦"),
        ("host_zh_hans", "王老师"),
        ("capacity", "12"),
        ("companions_allowed", "0"),
    ];
    // Without a day ticked nothing is saved and the form says which field.
    let refused = staff.post("/console/schedule/recurring", &fields).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("id=\"weekdays-problem\""), "the days are marked: {page}");
    assert!(page.contains("晨练八段锦"), "what staff typed is kept");
    assert!(activities_titled(&pull(&server, &kiosk, None).await, "晨练八段锦").is_empty());

    fields.extend(every_day);
    let page = followed(&staff, staff.post("/console/schedule/recurring", &fields).await).await;
    assert!(page.contains("每周活动已添加"), "{page}");
    let sessions = pull(&server, &kiosk, None).await;
    let sessions = activities_titled(&sessions, "晨练八段锦");
    let today = jiayuan_community::community_time::today(OFFSET);
    let weekdays = (0..=jiayuan_community::horizon::DAYS_AHEAD)
        .map(|n| today + time::Duration::days(n))
        .filter(|day| day.weekday().number_days_from_monday() < 5)
        .count();
    assert_eq!(sessions.len(), weekdays, "every weekday from today to four weeks ahead");
    assert!(sessions.iter().all(|s| s["capacity"] == 12 && s["starts"] == "07:00"));
    assert!(staff.page("/console/schedule").await.contains("晨练八段锦"), "on this week's page");
    let admin = Browser::staff(&server, "office-head", Role::Administrator).await;
    assert!(admin.page("/console/log").await.contains("保存每周活动"), "in the action log");
}

#[tokio::test]
async fn a_cancelled_session_is_shown_on_kiosks_takes_no_new_sign_ups_and_its_line_waits() {
    let server = spawn_with_demo().await;
    let staff = Browser::staff(&server, "canceller", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let activity = activity_with_capacity(&server, 1).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    let waiting = push_ok(&server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    assert_eq!(outcome(&waiting)["status"], "waitlisted");
    let session = format!("/console/schedule/sessions/{activity}");

    let no_reason = staff.post(&format!("{session}/cancel"), &[("reason", " ")]).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("请写下取消的原因"));
    let page = followed(&staff, staff.post(&format!("{session}/cancel"), &[("reason", "老师生病")]).await).await;
    assert!(page.contains("这次活动已取消"), "{page}");

    let pulled = pull(&server, &kiosk, None).await;
    let shown = pulled["activities"].as_array().unwrap().iter().find(|a| a["id"] == activity.as_str()).unwrap();
    assert_eq!(shown["cancelled"], true, "kiosks are told: {shown}");
    let refused = push_ok(&server, &kiosk, &[record(3, sign_up("resident-0003", &activity, 0))]).await;
    assert_eq!(outcome(&refused)["reason"], "cancelled");
    push_ok(&server, &kiosk, &[record(4, cancel("resident-0001", &activity))]).await;
    assert_eq!(seats_taken(&server, &activity).await, 0, "the seat is free");
    assert_eq!(in_line(&server, &activity).await, 1, "nobody is moved up into a session that will not happen");

    let page = followed(&staff, staff.post(&format!("{session}/restore"), &[]).await).await;
    assert!(page.contains("这次活动已恢复"));
    assert_eq!(seats_taken(&server, &activity).await, 1, "restoring gives the free seat to the line");
    assert_eq!(in_line(&server, &activity).await, 0, "and the line is empty");
    let pulled = pull(&server, &kiosk, None).await;
    let shown = pulled["activities"].as_array().unwrap().iter().find(|a| a["id"] == activity.as_str()).unwrap();
    assert!(shown.get("cancelled").is_none_or(|c| c == false), "{shown}");
    let admin = Browser::staff(&server, "office-head", Role::Administrator).await;
    let log = admin.page("/console/log").await;
    assert!(log.contains("取消一次活动") && log.contains("老师生病") && log.contains("恢复一次活动"), "{log}");
}

#[tokio::test]
async fn a_session_with_sign_ups_is_not_removed_and_an_edit_from_an_old_page_is_not_saved_over_another() {
    let server = spawn_with_demo().await;
    let first = Browser::staff(&server, "first", Role::Staff).await;
    let second = Browser::staff(&server, "second", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let activity = activity_with_capacity(&server, 3).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(&server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    let session = format!("/console/schedule/sessions/{activity}");

    let removed = first.post(&format!("{session}/remove"), &[]).await;
    assert_eq!(removed.status(), 422);
    assert!(removed.text().await.unwrap().contains("已经有人报名或来过了，不能删除"));

    // Both open the edit page; the first saves; the second's save, from the old page, is shown
    // back with a warning and what they typed, and nothing of theirs is saved.
    let edit_page = first.page(&format!("{session}/edit")).await;
    let revision = revision_in(&edit_page);
    let saved = first.post_owned(&session, &edit_form("改过的活动", "5", &revision)).await;
    assert_eq!(saved.status(), 303);
    let stale = second.post_owned(&session, &edit_form("另一个名字", "5", &revision)).await;
    assert_eq!(stale.status(), 422);
    let page = stale.text().await.unwrap();
    assert!(page.contains("别的工作人员改过这一项"), "{page}");
    assert!(page.contains("另一个名字"), "what the second typed is still there");
    let title: String = sqlx::query_scalar("SELECT title_zh_hans FROM activities WHERE id = $1")
        .bind(&activity)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(title, "改过的活动");

    // Fewer seats than residents hold is refused, naming the field.
    let now = first.page(&format!("{session}/edit")).await;
    let revision = revision_in(&now);
    let fewer = first.post_owned(&session, &edit_form("改过的活动", "1", &revision)).await;
    assert_eq!(fewer.status(), 422);
    assert!(fewer.text().await.unwrap().contains("名额不能少于已经报名的人数"));
    assert_eq!(scalar(&server, "SELECT capacity FROM activities WHERE id = $1", &activity).await, 5);
}
