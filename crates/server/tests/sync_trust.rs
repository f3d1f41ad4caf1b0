//! Only paired, unrevoked kiosks push, only for their own site; bad bodies get a 4xx and
//! store nothing.

mod support;

use serde_json::{Value, json};
use support::kiosk::*;
use support::spawn_with_demo;

const ROOM: &str = "room-seniors";

async fn raw_push(server: &support::TestServer, token: Option<String>, body: String) -> reqwest::Response {
    let mut request = server.client.post(server.url("/api/sync/push")).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    request.body(body).send().await.unwrap()
}

fn one_sign_in() -> String {
    json!({ "records": [record(1, sign_in("resident-0001"))] }).to_string()
}

async fn total_records(server: &support::TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records").fetch_one(&server.db.pool).await.unwrap()
}

#[tokio::test]
async fn missing_forged_and_unknown_credentials_are_refused() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    for token in [
        None,
        Some("Bearer nonsense".to_owned()),
        Some(format!("Bearer {}.{}", kiosk.id, "0".repeat(64))),
        Some(format!("Bearer kiosk-unknown.{}", kiosk.secret)),
    ] {
        let response = raw_push(&server, token.clone(), one_sign_in()).await;
        assert_eq!(response.status(), 401, "{token:?}");
    }
    assert_eq!(total_records(&server).await, 0);
}

#[tokio::test]
async fn a_revoked_kiosk_is_refused_at_once_and_told_so() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_in("resident-0001"))]).await;
    jiayuan_server::kiosks::revoke(&server.db, &kiosk.id).await.unwrap();
    let response = push(&server, &kiosk, &[record(2, sign_in("resident-0001"))]).await;
    assert_eq!(response.status(), 403);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "kiosk_revoked");
    assert_eq!(total_records(&server).await, 1);
}

#[tokio::test]
async fn a_kiosk_paired_again_sends_its_queue_on_from_where_it_was() {
    let server = spawn_with_demo().await;
    let old = pair(&server, ROOM).await;
    push_ok(&server, &old, &[record(1, sign_in("resident-0001"))]).await;
    jiayuan_server::kiosks::revoke(&server.db, &old.id).await.unwrap();
    // Records 2 and 3 were made while revoked; the kiosk is paired again and sends them.
    let new = pair_from(&server, ROOM, 2).await;
    let body = push_ok(&server, &new, &[record(2, sign_in("resident-0002")), record(3, sign_in("resident-0003"))]).await;
    assert_eq!(body["applied_through"], 3);
    assert_eq!(total_records(&server).await, 3);
    let gap = push(&server, &new, &[record(5, sign_in("resident-0004"))]).await;
    assert_eq!(gap.status(), 409, "numbering still has no gaps");
}

#[tokio::test]
async fn records_about_another_site_are_refused_whole() {
    let server = spawn_with_demo().await;
    for statement in [
        "INSERT INTO sites (id, name, identity_key) VALUES ('site-other', '另一个社区', 'other-key')",
        "INSERT INTO rooms (id, site_id, name_zh_hans) VALUES ('room-other', 'site-other', '别处的活动室')",
        "INSERT INTO residents (id, site_id, full_name, display_name) VALUES ('resident-other', 'site-other', '外人', '外*')",
        "INSERT INTO activities (id, room_id, title_zh_hans, host_zh_hans, day, starts, ends, capacity) \
         VALUES ('activity-other', 'room-other', '别处的活动', '别人', '2026-11-23', '09:00', '10:00', 10)",
    ] {
        sqlx::query(statement).execute(&server.db.pool).await.unwrap();
    }
    let kiosk = pair(&server, ROOM).await;
    for action in [sign_in("resident-other"), sign_up("resident-0001", "activity-other", 0)] {
        let response = push(&server, &kiosk, &[record(1, sign_in("resident-0001")), record(2, action)]).await;
        assert_eq!(response.status(), 403);
    }
    assert_eq!(total_records(&server).await, 0, "nothing of a refused batch is stored");
    let seats: i64 = sqlx::query_scalar("SELECT seats_taken FROM activities WHERE id = 'activity-other'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(seats, 0);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_a_4xx_and_store_nothing() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let token = Some(kiosk.token());
    let too_many_companions = json!({ "records": [record(1, sign_up("resident-0001", "x", 3))] }).to_string();
    let zero_seq = json!({ "records": [record(0, sign_in("resident-0001"))] }).to_string();
    let out_of_order =
        json!({ "records": [record(1, sign_in("resident-0001")), record(3, sign_in("resident-0001"))] }).to_string();
    let huge = json!({ "records": [], "padding": "x".repeat(2 * 1024 * 1024) }).to_string();
    let cases = [
        ("not json", "{ records: ".to_owned(), 400),
        ("wrong shape", json!({ "records": [{ "seq": "one" }] }).to_string(), 400),
        ("unknown action", json!({ "records": [{ "seq": 1, "id": "a", "happened_at": 0, "action": { "type": "steal" } }] }).to_string(), 400),
        ("too many companions", too_many_companions, 400),
        ("record zero", zero_seq, 400),
        ("numbers out of order", out_of_order, 400),
        ("oversized", huge, 413),
    ];
    for (name, body, status) in cases {
        let response = raw_push(&server, token.clone(), body).await;
        assert_eq!(response.status().as_u16(), status, "{name}");
        let body: Value = response.json().await.unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        assert!(body["error"].is_string(), "{name}: {body}");
    }
    assert_eq!(total_records(&server).await, 0);
}
