//! Nobody on the network guesses their way into being a kiosk: wrong pairing codes are held
//! back per address (429 with Retry-After), wrong codes from many addresses withdraw every
//! outstanding code, codes expire and are kept only as keyed digests, and a wrong, expired,
//! used or withdrawn code gets one answer, in the same time.

use std::time::{Duration, Instant};

use jiayuan_server::throttles::pairing::{TRIES_PER_ADDRESS, WRONG_CODES_EVERYWHERE};
use serde_json::{Value, json};

use crate::support::kiosk::next_kiosk_address;
use crate::support::{TestServer, pairing_code, spawn_with_demo};

const ROOM: &str = "room-seniors";

async fn try_code(server: &TestServer, code: &str, from: &str) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/kiosks/pair"))
        .header("x-forwarded-for", from)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

/// A code that is not one of `valid`.
fn wrong(n: u32) -> String {
    format!("{:08}", 99_000_000 + n)
}

#[tokio::test]
async fn a_burst_of_wrong_codes_from_one_address_is_held_back_and_the_right_code_still_pairs_elsewhere() {
    let server = spawn_with_demo().await;
    let code = pairing_code(&server, ROOM).await;
    let guesser = "192.168.1.66";
    let mut statuses = Vec::new();
    for n in 0..20 {
        statuses.push(try_code(&server, &wrong(n), guesser).await.status().as_u16());
    }
    let refused = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(refused, TRIES_PER_ADDRESS as usize, "{statuses:?}");
    assert!(statuses[TRIES_PER_ADDRESS as usize..].iter().all(|s| *s == 429), "{statuses:?}");
    let held = try_code(&server, &code, guesser).await;
    assert_eq!(held.status(), 429, "even the right code waits: the address is held back");
    let retry_after: u64 = held.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=120).contains(&retry_after), "{retry_after}");
    let body: Value = held.json().await.unwrap();
    assert_eq!(body["code"], "too_many_attempts");
    assert_eq!(body["retry_after_s"], retry_after);
    let kiosk = try_code(&server, &code, &next_kiosk_address()).await;
    assert_eq!(kiosk.status(), 201, "staff at the real kiosk are not held back");
}

#[tokio::test]
async fn wrong_codes_from_many_addresses_withdraw_every_outstanding_code() {
    let server = spawn_with_demo().await;
    let code = pairing_code(&server, ROOM).await;
    for n in 0..=WRONG_CODES_EVERYWHERE {
        let answer = try_code(&server, &wrong(n), &format!("172.16.{}.{}", n / 250, n % 250 + 1)).await;
        assert_eq!(answer.status(), 401);
    }
    let withdrawn = try_code(&server, &code, &next_kiosk_address()).await;
    assert_eq!(withdrawn.status(), 401, "the code made before the flood no longer pairs");
    let body: Value = withdrawn.json().await.unwrap();
    assert_eq!(body["code"], "pairing_code_refused");
    let fresh = pairing_code(&server, ROOM).await;
    assert_eq!(try_code(&server, &fresh, &next_kiosk_address()).await.status(), 201, "a new code made by staff works");
}

async fn expire(server: &TestServer) {
    sqlx::query("UPDATE pairing_codes SET expires_at = 1 WHERE kiosk_id IS NULL")
        .execute(&server.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_expired_code_fails_like_a_wrong_one() {
    let server = spawn_with_demo().await;
    let code = pairing_code(&server, ROOM).await;
    expire(&server).await;
    let expired = try_code(&server, &code, &next_kiosk_address()).await;
    let never_made = try_code(&server, &wrong(1), &next_kiosk_address()).await;
    assert_eq!(
        (expired.status(), never_made.status()),
        (reqwest::StatusCode::UNAUTHORIZED, reqwest::StatusCode::UNAUTHORIZED)
    );
    let (expired, never_made): (Value, Value) = (expired.json().await.unwrap(), never_made.json().await.unwrap());
    assert_eq!(expired, never_made, "one answer: it never says whether the code existed");
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::test]
async fn a_wrong_and_an_expired_code_take_the_same_time() {
    let server = spawn_with_demo().await;
    let mut expired_codes = Vec::new();
    for _ in 0..25 {
        expired_codes.push(pairing_code(&server, ROOM).await);
    }
    expire(&server).await;
    let (mut wrong_times, mut expired_times) = (Vec::new(), Vec::new());
    // Interleaved, from addresses of their own, so neither kind runs in a quieter moment.
    for (n, expired) in expired_codes.iter().enumerate() {
        for (code, times) in [(wrong(n as u32), &mut wrong_times), (expired.clone(), &mut expired_times)] {
            let started = Instant::now();
            assert_eq!(try_code(&server, &code, &next_kiosk_address()).await.status(), 401);
            times.push(started.elapsed());
        }
    }
    let (wrong, expired) = (median(wrong_times), median(expired_times));
    let larger = wrong.max(expired);
    assert!(
        wrong.abs_diff(expired) <= larger / 4 + Duration::from_millis(1),
        "medians differ: wrong {wrong:?}, expired {expired:?}"
    );
}

#[tokio::test]
async fn codes_are_kept_only_as_digests_under_the_servers_key() {
    let server = spawn_with_demo().await;
    let code = pairing_code(&server, ROOM).await;
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT code_digest FROM pairing_codes").fetch_all(&server.db.pool).await.unwrap();
    let plain_sha256 = jiayuan_community::kiosks::sha256_hex(&code);
    assert!(!stored.iter().any(|digest| digest.contains(&code) || *digest == plain_sha256), "{stored:?}");
    let (made, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM pairing_codes").fetch_one(&server.db.pool).await.unwrap();
    assert_eq!(expires - made, 30 * 60 * 1000, "good for 30 minutes");
}

#[tokio::test]
async fn wrong_codes_sent_all_at_once_from_one_address_get_no_more_tries_and_withdraw_nothing() {
    let server = spawn_with_demo().await;
    let code = pairing_code(&server, ROOM).await;
    let mut tries = tokio::task::JoinSet::new();
    for n in 0..(WRONG_CODES_EVERYWHERE + 10) {
        let request = server
            .client
            .post(server.url("/api/kiosks/pair"))
            .header("x-forwarded-for", "192.168.1.77")
            .json(&json!({ "code": wrong(n) }));
        tries.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = tries.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= TRIES_PER_ADDRESS as usize, "sent at once, {checked} codes were checked: {statuses:?}");
    assert!(statuses.iter().all(|s| [401, 429].contains(s)), "{statuses:?}");
    let kiosk = try_code(&server, &code, &next_kiosk_address()).await;
    assert_eq!(kiosk.status(), 201, "one address cannot withdraw the room's code");
}
