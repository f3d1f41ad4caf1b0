//! Several server processes on one database decide seats as one: kiosks spread over two
//! servers sign the same residents up for the same activities at the same moment, and every
//! push is answered (no 5xx), each resident holds one place, capacity is never exceeded, and
//! the waiting list counts every resident once, in order.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::support::kiosk::{TestKiosk, pair, record, seats_taken, sign_up};
use crate::support::{TestServer, spawn_sharing, spawn_with_demo};

const ROOM: &str = "room-seniors";

#[tokio::test]
async fn two_servers_deciding_the_same_sign_ups_at_once_never_fail_overbook_or_count_twice() {
    let first = spawn_with_demo().await;
    let second = spawn_sharing(&first).await;
    let activities: Vec<String> =
        sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NOT NULL ORDER BY id LIMIT 4")
            .fetch_all(&first.db.pool)
            .await
            .unwrap();
    let mut kiosks: Vec<(&TestServer, TestKiosk)> = Vec::new();
    for n in 0..8 {
        let server = if n % 2 == 0 { &first } else { &second };
        kiosks.push((server, pair(server, ROOM).await));
    }
    // Four rounds, a race each: a lost race shows in any one of them.
    for (round, activity) in activities.iter().enumerate() {
        let companions =
            jiayuan_community::office::schedule::session(&first.db, crate::support::console::SITE, activity)
                .await
                .unwrap()
                .activity
                .companions_allowed;
        crate::support::kiosk::set_seats(&first.db, activity, 6, companions).await;
        race(&kiosks, activity, round as u64 * 12).await;
        check(&first, activity).await;
    }
}

async fn race(kiosks: &[(&TestServer, TestKiosk)], activity: &str, numbered_after: u64) {
    // Every kiosk signs up the same twelve residents, all at once: each resident is asked for
    // eight times over, on both servers.
    let residents: Vec<String> = (1..=12).map(|n| format!("resident-{n:04}")).collect();
    let mut pushes = tokio::task::JoinSet::new();
    for (server, kiosk) in kiosks {
        let records: Vec<_> = residents
            .iter()
            .enumerate()
            .map(|(i, r)| record(numbered_after + i as u64 + 1, sign_up(r, activity, 0)))
            .collect();
        let request = server
            .client
            .post(server.url("/api/sync/push"))
            .header("authorization", kiosk.token())
            .json(&json!({ "records": records }));
        pushes.spawn(async move { request.send().await });
    }
    while let Some(answer) = pushes.join_next().await {
        let answer = answer.unwrap().unwrap();
        let status = answer.status();
        let body: Value = answer.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
}

async fn check(first: &TestServer, activity: &str) {
    assert_eq!(seats_taken(first, activity).await, 6, "every seat taken once, none over");
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT resident_id, status FROM sign_ups WHERE activity_id = $1")
        .bind(activity)
        .fetch_all(&first.db.pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 12, "one place per resident");
    let confirmed: HashSet<&str> = rows.iter().filter(|(_, s)| s == "confirmed").map(|(r, _)| r.as_str()).collect();
    assert_eq!(confirmed.len(), 6);
    assert_eq!(rows.iter().filter(|(_, s)| s == "waiting").count(), 6, "the rest wait, each once");
}
