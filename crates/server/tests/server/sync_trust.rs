//! Only paired, unrevoked kiosks push, only for their own site; bad bodies get a 4xx and
//! store nothing.

use crate::support::kiosk::*;
use crate::support::spawn_with_demo;
use jiayuan_domain::sync::{Action, VoidReason};
use serde_json::{Value, json};

const ROOM: &str = "room-seniors";

async fn raw_push(server: &crate::support::TestServer, token: Option<String>, body: String) -> reqwest::Response {
    let mut request = server.client.post(server.url("/api/sync/push")).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    request.body(body).send().await.unwrap()
}

fn one_sign_in() -> String {
    json!({ "records": [record(1, sign_in("resident-0001"))] }).to_string()
}

async fn total_records(server: &crate::support::TestServer) -> i64 {
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
    crate::support::kiosk::revoke(&server, &kiosk).await;
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
    crate::support::kiosk::revoke(&server, &old).await;
    // Records 2 and 3 were made while revoked; the kiosk is paired again and sends them.
    let new = pair_from(&server, ROOM, 2).await;
    let body =
        push_ok(&server, &new, &[record(2, sign_in("resident-0002")), record(3, sign_in("resident-0003"))]).await;
    assert_eq!(body["applied_through"], 3);
    assert_eq!(total_records(&server).await, 3);
    let gap = push(&server, &new, &[record(5, sign_in("resident-0004"))]).await;
    assert_eq!(gap.status(), 409, "numbering still has no gaps");
}

#[tokio::test]
async fn records_about_another_site_are_answered_one_by_one_and_the_queue_moves_on() {
    let server = spawn_with_demo().await;
    crate::support::sites::other_community(&server).await;
    let kiosk = pair(&server, ROOM).await;
    let records = [
        record(1, sign_in("resident-0001")),
        record(2, sign_in("resident-other")),
        record(3, sign_up("resident-0001", "activity-other", 0)),
        record(4, sign_in("resident-0002")),
    ];
    let body = push_ok(&server, &kiosk, &records).await;
    let statuses: Vec<&str> =
        body["results"].as_array().unwrap().iter().map(|r| r["outcome"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["accepted", "rejected", "rejected", "accepted"]);
    assert_eq!(body["results"][1]["outcome"]["reason"], "other_site");
    assert_eq!(body["results"][2]["outcome"]["reason"], "other_site");
    assert_eq!(body["applied_through"], 4, "the records after them go on");
    // Sent again, the same answers: the kiosk keeps them and shows staff.
    let again = push_ok(&server, &kiosk, &records[1..3]).await;
    assert_eq!(again["results"][0]["outcome"]["reason"], "other_site");
    let seats: i64 = sqlx::query_scalar("SELECT seats_taken FROM activities WHERE id = 'activity-other'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(seats, 0, "another site's seats are never taken");
    let other_sign_ups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_ups WHERE activity_id = 'activity-other'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(other_sign_ups, 0);
}

#[tokio::test]
async fn a_number_the_kiosk_gives_up_is_taken_and_counts_for_nothing() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let void = |seq| record(seq, Action::Void { reason: VoidReason::Unreadable });
    let body =
        push_ok(&server, &kiosk, &[record(1, sign_in("resident-0001")), void(2), record(3, sign_in("resident-0002"))])
            .await;
    assert_eq!(body["results"][1]["outcome"]["status"], "void");
    assert_eq!(body["applied_through"], 3);
    let visits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records WHERE action = 'sign_in'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(visits, 2);
    let voids: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records WHERE action = 'void'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(voids, 1, "kept, so staff can see which numbers a kiosk gave up");
    // A number the kiosk no longer held when a restored server asked for it: lost for good.
    push_ok(&server, &kiosk, &[record(4, Action::Void { reason: VoidReason::NotKept })]).await;
    let listed = jiayuan_community::kiosks::list(&server.db).await.unwrap();
    let this = listed.iter().find(|k| k.id == kiosk.id).unwrap();
    assert_eq!((this.damaged, this.lost), (1, 1), "staff see per kiosk what was damaged and what was lost");
    let staff =
        crate::support::console::Browser::staff(&server, "watcher", jiayuan_community::office::accounts::Role::Viewer)
            .await;
    let page = staff.page("/console/kiosks").await;
    let row = page.split(&format!("<tr id=\"kiosk-{}\">", kiosk.id)).nth(1).unwrap().split("</tr>").next().unwrap();
    let numbers: Vec<&str> =
        row.split("<td class=\"number\">").skip(1).map(|cell| cell.split("</td>").next().unwrap()).collect();
    assert_eq!(numbers[2..], ["1", "1"], "one damaged, one lost: {row}");
    assert!(page.contains("丢失的记录"), "{page}");
}

#[tokio::test]
async fn the_largest_record_numbers_are_refused_kindly_not_crashed_on() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let token = Some(kiosk.token());
    for seqs in [vec![u64::MAX], vec![u64::MAX - 1, u64::MAX], vec![i64::MAX as u64 + 1]] {
        let records: Vec<_> = seqs.iter().map(|seq| record(*seq, sign_in("resident-0001"))).collect();
        let response = raw_push(&server, token.clone(), json!({ "records": records }).to_string()).await;
        assert_eq!(response.status(), 400, "{seqs:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "bad_request");
    }
    // The largest number the server keeps is a number like any other.
    let last = pair_from(&server, ROOM, i64::MAX as u64).await;
    let final_record = record(i64::MAX as u64, sign_in("resident-0001"));
    let body = push_ok(&server, &last, std::slice::from_ref(&final_record)).await;
    assert_eq!(body["applied_through"], i64::MAX);
    let again = push_ok(&server, &last, &[final_record]).await;
    assert_eq!(again["results"][0]["outcome"]["status"], "accepted", "sent again, answered again");
    let other = push(&server, &last, &[record(i64::MAX as u64, sign_in("resident-0002"))]).await;
    assert_eq!(other.status(), 409);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["code"], "seq_reused", "another record under a number already used");
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
        (
            "unknown action",
            json!({ "records": [{ "seq": 1, "id": "a", "happened_at": 0, "action": { "type": "steal" } }] })
                .to_string(),
            400,
        ),
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
