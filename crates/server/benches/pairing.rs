//! How fast one client can guess pairing codes over real HTTP on loopback: wrong codes sent as
//! fast as one client can for three seconds, and how many the server actually tried (answered
//! 401) against how many it held back (429). The baseline, measured in the same run, is the
//! same client asking `/api/health` as fast as it can: what the client could guess without the
//! guard. The figure is guesses tried per second, and its ratio to that baseline.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message

use std::time::{Duration, Instant};

use jiayuan_community::db::Database;
use jiayuan_community::secret_key::SecretKey;
use jiayuan_community::{community_time, demo};
use jiayuan_server::throttles::pairing::ONE_MORE_TRY_EVERY;
use jiayuan_server::{AppState, Settings, app};
use serde_json::json;

const FOR: Duration = Duration::from_secs(3);

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("jiayuan-bench-pairing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = Database::open(None, &dir).await.expect("open SQLite");
    demo::load_if_empty(&db, community_time::today(time::macros::offset!(+8))).await.expect("demo data");
    let settings = Settings {
        data_dir: dir.clone(),
        kiosk_dir: dir.join("no-kiosk"),
        utc_offset: time::macros::offset!(+8),
        staff_pin: None,
        secret_key: SecretKey::random(),
        pairing_code_minutes: 30,
        trusted_proxies: Vec::new(),
        metrics_from: Vec::new(),
        https: false,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let service = app(AppState::new(db, settings)).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
    let client = reqwest::Client::new();

    let (mut asked, started) = (0u64, Instant::now());
    while started.elapsed() < FOR {
        client.get(format!("{base}/api/health")).send().await.expect("health").bytes().await.expect("body");
        asked += 1;
    }
    let baseline = asked as f64 / started.elapsed().as_secs_f64();

    let (mut tried, mut held_back, started) = (0u64, 0u64, Instant::now());
    let mut guess = 0u32;
    while started.elapsed() < FOR {
        let body = json!({ "code": format!("{:08}", guess) }).to_string();
        let response = client
            .post(format!("{base}/api/kiosks/pair"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("pair");
        match response.status().as_u16() {
            401 => tried += 1,
            429 => held_back += 1,
            other => panic!("unexpected answer {other}"),
        }
        guess += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("guessing pairing codes from one client for {} s over loopback HTTP:", FOR.as_secs());
    println!("  baseline, the same client asking /api/health: {baseline:.0} requests/s");
    let every = ONE_MORE_TRY_EVERY.as_secs_f64();
    println!(
        "  wrong codes the server tried: {tried} in {seconds:.0} s, then one more every {every:.0} s: {:.4}/s sustained, \
         {:.5}% of the baseline; held back with 429: {held_back} ({:.0}/s)",
        1.0 / every,
        100.0 / every / baseline,
        held_back as f64 / seconds
    );
    println!("  (before the guard, the issue measured 1,793 guesses tried per second from one script)");
    let _ = std::fs::remove_dir_all(&dir);
}
