//! A kiosk as the server sees it: paired through the API, pushing records over HTTP.
#![allow(dead_code)]

use jiayuan_domain::sync::{Action, KioskRecord, Person};
use serde_json::{Value, json};

use super::TestServer;

pub struct TestKiosk {
    pub id: String,
    pub secret: String,
}

impl TestKiosk {
    pub fn token(&self) -> String {
        format!("Bearer {}.{}", self.id, self.secret)
    }
}

/// Pairs a new kiosk in `room` the way staff do: a code from the server, typed on the kiosk.
pub async fn pair(server: &TestServer, room: &str) -> TestKiosk {
    pair_from(server, room, 1).await
}

/// Pairs a kiosk whose queue goes on from record `first_seq` (a kiosk paired again).
pub async fn pair_from(server: &TestServer, room: &str, first_seq: u64) -> TestKiosk {
    let code = crate::support::pairing_code(server, room).await;
    let body = json!({ "code": code, "first_seq": first_seq });
    let request = server.client.post(server.url("/api/kiosks/pair")).header("x-forwarded-for", next_kiosk_address());
    let response = request.json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    TestKiosk { id: body["kiosk_id"].as_str().unwrap().into(), secret: body["secret"].as_str().unwrap().into() }
}

/// Revokes `kiosk` as staff do from the command line.
pub async fn revoke(server: &TestServer, kiosk: &TestKiosk) {
    let actor = jiayuan_community::action_log::Actor::CommandLine;
    jiayuan_community::office::kiosks::revoke(&server.db, &actor, None, &kiosk.id, "test").await.unwrap();
}

/// Kiosks stand in different rooms, with addresses of their own on the community's network.
pub fn next_kiosk_address() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

pub async fn push(server: &TestServer, kiosk: &TestKiosk, records: &[KioskRecord]) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/sync/push"))
        .header("authorization", kiosk.token())
        .json(&json!({ "records": records }))
        .send()
        .await
        .unwrap()
}

/// Pushes and expects 200, returning the body.
pub async fn push_ok(server: &TestServer, kiosk: &TestKiosk, records: &[KioskRecord]) -> Value {
    let response = push(server, kiosk, records).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

pub fn record(seq: u64, action: Action) -> KioskRecord {
    KioskRecord {
        seq,
        id: format!("rec-{}", uuid_like(seq)),
        happened_at: 1_763_700_000_000 + (seq % 1_000_000) as i64,
        action,
    }
}

fn uuid_like(seq: u64) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{seq}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn sign_in(resident: &str) -> Action {
    Action::SignIn { person: Person::Resident { resident_id: resident.into() } }
}

pub fn sign_up(resident: &str, activity: &str, companions: u8) -> Action {
    Action::SignUp { resident_id: resident.into(), activity_id: activity.into(), companions }
}

pub fn cancel(resident: &str, activity: &str) -> Action {
    Action::Cancel { resident_id: resident.into(), activity_id: activity.into() }
}

/// One of the demo week's activities with seats, its capacity set to `capacity` (two companions
/// allowed) as staff would set it.
pub async fn activity_with_capacity(server: &TestServer, capacity: i64) -> String {
    let id: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NOT NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    set_seats(&server.db, &id, capacity, 2).await;
    id
}

/// Sets a session's seats and companions through the console's service, which tells kiosks.
pub async fn set_seats(db: &jiayuan_community::db::Database, activity: &str, capacity: i64, companions: u8) {
    use jiayuan_community::office::schedule;
    let site = crate::support::console::SITE;
    let session = schedule::session(db, site, activity).await.unwrap();
    let mut input = jiayuan_domain::input::ActivityInput::of(&session.activity);
    input.capacity = capacity.to_string();
    input.companions_allowed = companions.to_string();
    let actor = jiayuan_community::action_log::Actor::CommandLine;
    schedule::change_activity(db, &actor, site, activity, input, session.revision).await.unwrap();
}

pub async fn scalar(server: &TestServer, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&server.db.pool).await.unwrap()
}

pub async fn seats_taken(server: &TestServer, activity: &str) -> i64 {
    scalar(server, "SELECT seats_taken FROM activities WHERE id = $1", activity).await
}

/// The status of `resident`'s sign-up for `activity`, as the server keeps it.
pub async fn sign_up_status(server: &TestServer, activity: &str, resident: &str) -> String {
    sqlx::query_scalar("SELECT status FROM sign_ups WHERE activity_id = $1 AND resident_id = $2")
        .bind(activity)
        .bind(resident)
        .fetch_one(&server.db.pool)
        .await
        .unwrap()
}

/// The waiting list reports read (kept beside the seats), checked against the sign-ups.
pub async fn in_line(server: &TestServer, activity: &str) -> i64 {
    let kept = scalar(server, "SELECT waiting FROM activities WHERE id = $1", activity).await;
    let counted =
        scalar(server, "SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1 AND status = 'waiting'", activity).await;
    assert_eq!(kept, counted, "the waiting list kept for {activity} is the one in its sign-ups");
    kept
}

pub async fn records_stored(server: &TestServer, kiosk: &TestKiosk) -> i64 {
    scalar(server, "SELECT COUNT(*) FROM kiosk_records WHERE kiosk_id = $1", &kiosk.id).await
}

/// What a kiosk pulls after `cursor` (everything without one).
pub async fn pull(server: &TestServer, kiosk: &TestKiosk, cursor: Option<u64>) -> Value {
    let query = cursor.map(|c| format!("?cursor={c}")).unwrap_or_default();
    let response = server
        .client
        .get(server.url(&format!("/api/sync/pull{query}")))
        .header("authorization", kiosk.token())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

/// `GET /api/schedule?{query}` as `kiosk` asks for it.
pub async fn schedule(server: &TestServer, kiosk: &TestKiosk, query: &str) -> reqwest::Response {
    let url = server.url(&format!("/api/schedule?{query}"));
    server.client.get(url).header("authorization", kiosk.token()).send().await.unwrap()
}

/// The sign-up decisions in a pull, by resident.
pub fn decisions(pull: &Value) -> std::collections::BTreeMap<String, Value> {
    let all = pull["sign_ups"].as_array().cloned().unwrap_or_default();
    all.into_iter().map(|d| (d["resident_id"].as_str().unwrap_or_default().to_owned(), d)).collect()
}
