//! What monitoring sees at /metrics, and who may see it.

use crate::support::kiosk::{pair, push, push_ok, record, sign_in};
use crate::support::spawn_with_demo;

/// The value of `name` in an OpenMetrics text.
fn value(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
}

#[tokio::test]
async fn monitoring_reads_records_pushes_silent_kiosks_and_the_backups_age() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, "room-seniors").await;
    let before = server.get("/metrics").await.text().await.unwrap();
    assert_eq!(value(&before, "jiayuan_records_applied_total"), 0.0, "each server counts from its start");
    let records = [record(1, sign_in("resident-0001")), record(2, sign_in("resident-0002"))];
    push_ok(&server, &kiosk, &records).await;
    // The same records again (a kiosk that did not hear the answer): answered, not applied again.
    push_ok(&server, &kiosk, &records).await;
    // A gap in the numbering: refused.
    let gap = push(&server, &kiosk, &[record(9, sign_in("resident-0003"))]).await;
    assert_eq!(gap.status(), 409);
    let wrong_code = server
        .client
        .post(server.url("/api/kiosks/pair"))
        .json(&serde_json::json!({"code": "000000", "first_seq": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_code.status(), 401);
    let response = server.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let after = response.text().await.unwrap();
    assert_eq!(value(&after, "jiayuan_records_applied_total"), 2.0);
    assert_eq!(value(&after, "jiayuan_pushes_answered_total"), 2.0);
    assert_eq!(value(&after, "jiayuan_pushes_refused_total"), 1.0);
    assert_eq!(value(&after, "jiayuan_pairing_codes_refused_total"), 1.0);
    assert_eq!(value(&after, "jiayuan_database_errors_total"), 0.0);
    assert_eq!(value(&after, "jiayuan_push_seconds_count"), 3.0);
    assert!(after.contains("jiayuan_records_per_commit_bucket"));
    assert_eq!(value(&after, "jiayuan_kiosks_silent"), 0.0, "the kiosk was just heard from");
    assert_eq!(value(&after, "jiayuan_last_backup_age_seconds"), -1.0, "no backup yet");

    // The database fails under a push (its records' table is gone): one error, counted once.
    sqlx::query("ALTER TABLE kiosk_records RENAME TO kiosk_records_elsewhere").execute(&server.db.pool).await.unwrap();
    let failed = push(&server, &kiosk, &[record(3, sign_in("resident-0003"))]).await;
    assert_eq!(failed.status(), 500);
    let body: serde_json::Value = failed.json().await.unwrap();
    assert_eq!(body["code"], "database");
    let last = server.get("/metrics").await.text().await.unwrap();
    assert_eq!(value(&last, "jiayuan_database_errors_total"), 1.0);
    assert_eq!(value(&last, "jiayuan_pushes_refused_total"), 2.0);
}

#[tokio::test]
async fn metrics_are_not_for_everyone_on_the_network() {
    let server = spawn_with_demo().await;
    let from_the_lan =
        server.client.get(server.url("/metrics")).header("x-forwarded-for", "192.168.1.77").send().await.unwrap();
    assert_eq!(from_the_lan.status(), 403);
    let body: serde_json::Value = from_the_lan.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");
}
