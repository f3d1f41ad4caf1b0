//! Text messages through the operator's relay (`--message-webhook`): a local receiver stands in
//! for the relay. Each change is sent once, with its notice's id as the idempotency key, even
//! with two servers' senders on one database and a relay down for an hour; failures show on
//! the call list. Time is the sender's argument, so an hour passes in a moment.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use jiayuan_community::office::accounts::Role;
use jiayuan_server::messages::{Gateway, send_due};
use serde_json::Value;

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn_sharing, spawn_with_demo};

const ROOM: &str = "room-seniors";
const MINUTE: i64 = 60_000;

/// What the relay received: each delivery's idempotency header and body, and how many were
/// refused while it was down.
#[derive(Default)]
struct Relay {
    delivered: Mutex<Vec<(String, Value)>>,
    refused: Mutex<u32>,
    down: AtomicBool,
}

async fn receive(State(relay): State<Arc<Relay>>, headers: HeaderMap, body: axum::Json<Value>) -> StatusCode {
    if relay.down.load(Ordering::SeqCst) {
        *relay.refused.lock().unwrap() += 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    relay.delivered.lock().unwrap().push((key, body.0));
    StatusCode::ACCEPTED
}

/// A relay on a free loopback port, and the gateway that posts to it.
async fn relay() -> (Arc<Relay>, Gateway) {
    let relay = Arc::new(Relay::default());
    let app = axum::Router::new().route("/sms", post(receive)).with_state(relay.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (relay, Gateway::new(&format!("http://{addr}/sms")).unwrap())
}

/// resident-0002 moved up by resident-0001's cancellation; resident-0002's phone.
async fn a_resident_moved_up(server: &TestServer) -> String {
    let activity = activity_with_capacity(server, 1).await;
    let kiosk = pair(server, ROOM).await;
    push_ok(server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    push_ok(server, &kiosk, &[record(3, cancel("resident-0001", &activity))]).await;
    sqlx::query_scalar("SELECT phone FROM residents WHERE id = 'resident-0002'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_servers_senders_send_a_promotion_once_with_its_words_and_idempotency_key() {
    let first = spawn_with_demo().await;
    let second = spawn_sharing(&first).await;
    let phone = a_resident_moved_up(&first).await;
    let (relay, gateway) = relay().await;
    let now = jiayuan_community::clock::now_ms();
    for step in 0..3 {
        let at = now + step * MINUTE;
        let (a, b) =
            tokio::join!(send_due(&first.db, &gateway, at, OFFSET), send_due(&second.db, &gateway, at, OFFSET));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.queued + b.queued, u64::from(step == 0), "queued once, by one of them");
    }
    let delivered = relay.delivered.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    let (key, body) = &delivered[0];
    let notice: String = sqlx::query_scalar("SELECT id FROM notices WHERE resident_id = 'resident-0002'")
        .fetch_one(&first.db.pool)
        .await
        .unwrap();
    assert_eq!((key, &body["idempotency_key"]), (&notice, &Value::from(notice.as_str())));
    assert_eq!(body["phone"], phone.as_str());
    assert_eq!(body["language"], "zh-Hans");
    let text = body["text"].as_str().unwrap();
    assert!(text.starts_with("【") && text.contains("好消息：您报上了《"), "{text}");
    // A resident without a phone, and another site's residents, get nothing.
    assert_eq!(scalar(&first, "SELECT COUNT(*) FROM outgoing_messages WHERE site_id <> $1", "site-xingfuli").await, 0);
    let staff = Browser::staff(&first, "messenger", Role::Staff).await;
    assert!(staff.page("/console").await.contains("短信已发出"));
}

#[tokio::test]
async fn a_relay_down_for_an_hour_gets_each_message_once_when_it_is_back_and_staff_see_the_failures() {
    let server = spawn_with_demo().await;
    a_resident_moved_up(&server).await;
    let (relay, gateway) = relay().await;
    relay.down.store(true, Ordering::SeqCst);
    let start = jiayuan_community::clock::now_ms();
    // The sender looks every five seconds; every minute of the hour is enough to see backoff.
    for minute in 0..60 {
        send_due(&server.db, &gateway, start + minute * MINUTE, OFFSET).await.unwrap();
    }
    let refused = *relay.refused.lock().unwrap();
    assert!((5..=8).contains(&refused), "tried with backoff, not every minute: {refused}");
    assert!(relay.delivered.lock().unwrap().is_empty());
    let staff = Browser::staff(&server, "watcher", Role::Staff).await;
    let page = staff.page("/console").await;
    assert!(page.contains("短信没发出") && page.contains("503"), "the failure is on the call list");

    relay.down.store(false, Ordering::SeqCst);
    for minute in 60..120 {
        send_due(&server.db, &gateway, start + minute * MINUTE, OFFSET).await.unwrap();
    }
    assert_eq!(relay.delivered.lock().unwrap().len(), 1, "sent once when the relay is back");
    assert!(staff.page("/console").await.contains("短信已发出"));
}

#[tokio::test]
async fn a_notice_told_before_its_message_goes_is_not_sent() {
    let server = spawn_with_demo().await;
    a_resident_moved_up(&server).await;
    let (relay, gateway) = relay().await;
    let notice: String = sqlx::query_scalar("SELECT id FROM notices WHERE resident_id = 'resident-0002'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let staff = Browser::staff(&server, "quick-caller", Role::Staff).await;
    assert_eq!(staff.post(&format!("/console/notices/{notice}/told"), &[]).await.status(), 303);
    let round = send_due(&server.db, &gateway, jiayuan_community::clock::now_ms(), OFFSET).await.unwrap();
    assert_eq!((round.queued, round.sent), (0, 0));
    assert!(relay.delivered.lock().unwrap().is_empty());
}
