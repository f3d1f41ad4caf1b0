//! The API over real HTTP: health and the schedule of the demo community.

use crate::support::kiosk::{TestKiosk, pair, schedule};
use crate::support::sites::{OTHER_ROOM, OTHER_TITLE, other_community};
use crate::support::{OFFSET, TestServer, expected_backend, spawn_with_demo};
use jiayuan_community::office::accounts::Role;
use serde_json::Value;
use time::Duration;

#[tokio::test]
async fn health_reports_the_database_in_use() {
    let server = spawn_with_demo().await;
    let response = server.get("/api/health").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], expected_backend());
    let sqlite_file = server.data_dir.path().join(jiayuan_community::db::SQLITE_FILE);
    assert_eq!(sqlite_file.is_file(), expected_backend() == "sqlite");
}

/// The schedule as a kiosk of the demo community's seniors' room sees it.
async fn schedule_json(server: &TestServer, kiosk: &TestKiosk, query: &str) -> Value {
    let response = schedule(server, kiosk, query).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_schedule_has_three_rooms_and_activities_every_day_this_week() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, "room-seniors").await;
    let body = schedule_json(&server, &kiosk, "").await;
    assert_eq!(body["rooms"].as_array().unwrap().len(), 3);
    let activities = body["activities"].as_array().unwrap();
    let today = jiayuan_community::community_time::today(OFFSET);
    for offset in 0..7 {
        let day = jiayuan_community::schedule::format_day(today + Duration::days(offset));
        assert!(activities.iter().any(|a| a["date"] == day.as_str()), "nothing on {day}");
    }
    let tai_chi = activities.iter().find(|a| a["title"]["zh_hans"] == "太极拳").unwrap();
    assert_eq!(tai_chi["title"]["zh_hant"], "太極拳");
    assert_eq!(tai_chi["starts"], "08:00");
}

#[tokio::test]
async fn a_schedule_for_one_day_has_only_that_day() {
    let server = spawn_with_demo().await;
    let tomorrow = jiayuan_community::community_time::today(OFFSET) + Duration::days(1);
    let day = jiayuan_community::schedule::format_day(tomorrow);
    let kiosk = pair(&server, "room-seniors").await;
    let body = schedule_json(&server, &kiosk, &format!("from={day}&days=1")).await;
    let activities = body["activities"].as_array().unwrap();
    assert!(!activities.is_empty());
    assert!(activities.iter().all(|a| a["date"] == day.as_str()));
}

#[tokio::test]
async fn bad_schedule_requests_get_a_clear_400() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, "room-seniors").await;
    for query in ["from=21/11/2026", "days=0", "days=400", "days=many"] {
        let response = schedule(&server, &kiosk, query).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains('`'), "{query}: {body}");
    }
}

#[tokio::test]
async fn demo_data_is_loaded_once_however_often_the_server_starts() {
    let server = spawn_with_demo().await;
    let today = jiayuan_community::community_time::today(OFFSET);
    let loaded_again = jiayuan_community::demo::load_if_empty(&server.db, today).await.unwrap();
    assert!(!loaded_again);
    let rooms: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rooms").fetch_one(&server.db.pool).await.unwrap();
    assert_eq!(rooms, 3);
}

#[tokio::test]
async fn only_a_paired_kiosk_sees_the_schedule_and_only_its_own_communitys() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    assert_eq!(server.get("/api/schedule").await.status(), 401, "not for anyone on the LAN");
    let forged = TestKiosk { id: "kiosk-forged".into(), secret: "guess".into() };
    assert_eq!(schedule(&server, &forged, "").await.status(), 401);

    let elsewhere = pair(&server, OTHER_ROOM).await;
    let theirs = schedule_json(&server, &elsewhere, "").await;
    assert_eq!(theirs["rooms"].as_array().unwrap().len(), 1, "{theirs}");
    let titles: Vec<&str> =
        theirs["activities"].as_array().unwrap().iter().map(|a| a["title"]["zh_hans"].as_str().unwrap()).collect();
    assert_eq!(titles, [OTHER_TITLE]);
    let ours = schedule_json(&server, &pair(&server, "room-seniors").await, "").await;
    assert!(!ours.to_string().contains(OTHER_TITLE) && !ours.to_string().contains(OTHER_ROOM));
}

#[tokio::test]
async fn the_console_shows_the_community_at_a_glance() {
    let server = spawn_with_demo().await;
    let old = crate::support::console::client().get(server.url("/staff")).send().await.unwrap();
    assert_eq!(old.status(), 308, "the first staff page moved to the console");
    let viewer = crate::support::console::Browser::staff(&server, "glance", Role::Viewer).await;
    let page = viewer.page("/console").await;
    assert!(page.contains("居民 300 人"), "{page}");
    assert!(page.contains("多功能厅"));
    assert!(page.contains("太极拳"), "tai chi is on every day: {page}");
}

#[tokio::test]
async fn the_api_is_described_by_an_openapi_document() {
    let server = spawn_with_demo().await;
    let response = server.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/health", "/api/schedule", "/api/kiosks/pair", "/api/sync/push", "/api/sync/pull"] {
        assert!(doc["paths"][path].is_object(), "{path} is not described");
    }
    let schemas = &doc["components"]["schemas"];
    for schema in ["PushRequest", "PushResponse", "PullResponse", "KioskRecord", "Action", "Outcome", "ApiError"] {
        assert!(schemas[schema].is_object(), "{schema} is not described");
    }
    assert_eq!(doc["components"]["securitySchemes"]["kiosk"]["scheme"], "bearer");
    assert_eq!(doc["paths"]["/api/sync/push"]["post"]["security"][0]["kiosk"], serde_json::json!([]));
}
