//! Server ingest: 1,000 kiosks push their queued records at once over real HTTP on loopback,
//! against the same rows inserted raw into SQLite in batched transactions, in the same run.
//! The ratio between the two is the figure (goal: at least 50%).
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message

use std::time::Instant;

use jiayuan_community::db::Database;
use jiayuan_community::secret_key::SecretKey;
use jiayuan_community::{community_time, demo, kiosks};
use jiayuan_domain::sync::{Action, KioskRecord, Person};
use jiayuan_server::{AppState, Settings, app};
use serde_json::json;

const KIOSKS: usize = 1_000;
const RECORDS_PER_KIOSK: u64 = 10;
const RAW_BATCH: usize = 500;

/// Which records the kiosks queued.
#[derive(Clone, Copy)]
enum Mix {
    /// Sign-ins, and every fifth record a sign-up (which decides a seat).
    WithSignUps,
    SignInsOnly,
}

fn records(kiosk: usize, activities: &[String], mix: Mix) -> Vec<KioskRecord> {
    (1..=RECORDS_PER_KIOSK)
        .map(|seq| {
            let resident_id = format!("resident-{:04}", 1 + (kiosk * 7 + seq as usize) % demo::RESIDENTS);
            let action = if seq % 5 == 0 && matches!(mix, Mix::WithSignUps) {
                Action::SignUp {
                    resident_id,
                    activity_id: activities[(kiosk + seq as usize) % activities.len()].clone(),
                    companions: 0,
                }
            } else {
                Action::SignIn { person: Person::Resident { resident_id } }
            };
            KioskRecord { seq, id: format!("k{kiosk}-r{seq}"), happened_at: 1_763_700_000_000, action }
        })
        .collect()
}

fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("jiayuan-bench-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn fresh_database(label: &str) -> (Database, std::path::PathBuf) {
    let dir = temp_dir(label);
    let db = Database::open(None, &dir).await.expect("open SQLite");
    let today = community_time::today(time::macros::offset!(+8));
    demo::load_if_empty(&db, today).await.expect("demo data");
    (db, dir)
}

#[tokio::main]
async fn main() {
    println!(
        "server ingest: {KIOSKS} kiosks push {RECORDS_PER_KIOSK} queued records each, all at once, over loopback HTTP,"
    );
    println!("against raw batched SQLite inserts of the same rows ({RAW_BATCH} per transaction) in the same run");
    // One round takes about a second on two cores, where a neighbour's burst moves a figure by
    // half: five rounds each, and the median ratio is the figure.
    for (name, mix) in
        [("sign-ins, every fifth record a sign-up", Mix::WithSignUps), ("sign-ins only", Mix::SignInsOnly)]
    {
        println!("{name}:");
        let (mut ratios, mut strict) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let (ratio, strict_ratio) = scenario(mix).await;
            ratios.push(ratio);
            strict.push(strict_ratio);
        }
        ratios.sort_by(f64::total_cmp);
        strict.sort_by(f64::total_cmp);
        println!(
            "  median ratio {:.0}% over {ROUNDS} rounds (goal: at least 50%); against 100-row INSERTs {:.0}%",
            ratios[ROUNDS / 2],
            strict[ROUNDS / 2]
        );
    }
}

const ROUNDS: usize = 5;

/// One round: the server's rate against raw inserts of the same rows, one and 100 per INSERT,
/// as percentages.
async fn scenario(mix: Mix) -> (f64, f64) {
    let (db, dir) = fresh_database("server").await;
    let activities: Vec<String> =
        sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NOT NULL ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .expect("activities");
    let key = SecretKey::random();
    let mut tokens = Vec::with_capacity(KIOSKS);
    for _ in 0..KIOSKS {
        let code = kiosks::pairing::create(&db, &key, "room-seniors", 30).await.expect("code");
        let pairing = kiosks::pairing::pair(&db, &key, &code.code, 1).await.expect("pair");
        tokens.push(format!("Bearer {}.{}", pairing.kiosk_id, pairing.secret));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/api/sync/push", listener.local_addr().expect("addr"));
    let settings = Settings {
        data_dir: dir.clone(),
        kiosk_dir: dir.join("no-kiosk"),
        utc_offset: time::macros::offset!(+8),
        staff_pin: None,
        secret_key: key,
        pairing_code_minutes: 30,
        trusted_proxies: Vec::new(),
        metrics_from: Vec::new(),
        https: false,
    };
    let state = AppState::new(db.clone(), settings);
    tokio::spawn(async move { axum::serve(listener, app(state)).await.expect("serve") });

    let bodies: Vec<String> =
        (0..KIOSKS).map(|k| json!({ "records": records(k, &activities, mix) }).to_string()).collect();
    let client = reqwest::Client::builder().pool_max_idle_per_host(KIOSKS).build().expect("client");
    let started = Instant::now();
    let mut pushes = tokio::task::JoinSet::new();
    for (token, body) in tokens.into_iter().zip(bodies) {
        let request =
            client.post(&url).header("authorization", token).header("content-type", "application/json").body(body);
        pushes.spawn(async move { request.send().await.map(|r| r.status().as_u16()) });
    }
    let mut failures = 0;
    while let Some(result) = pushes.join_next().await {
        if !matches!(result, Ok(Ok(200))) {
            failures += 1;
        }
    }
    let server_seconds = started.elapsed().as_secs_f64();
    let total = KIOSKS as u64 * RECORDS_PER_KIOSK;
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records").fetch_one(&db.pool).await.expect("count");

    // The same rows, in the order the server stored them, written straight into SQLite in
    // batched transactions: one INSERT per row (the figure's baseline), and, for comparison,
    // 100 rows per INSERT as the server writes them.
    let kiosks: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT id, room_id, secret_sha256, paired_at FROM kiosks")
            .fetch_all(&db.pool)
            .await
            .expect("kiosks");
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT kiosk_id, seq, record_id, action, resident_id, activity_id, companions, happened_at, applied_at, outcome \
         FROM kiosk_records ORDER BY rowid",
    )
    .fetch_all(&db.pool)
    .await
    .expect("rows");
    let raw_seconds = raw_inserts(&kiosks, &rows, 1).await;
    let multi_row_seconds = raw_inserts(&kiosks, &rows, 100).await;

    let server_rate = stored as f64 / server_seconds;
    let raw_rate = rows.len() as f64 / raw_seconds;
    let ratio = 100.0 * server_rate / raw_rate;
    let multi_row_rate = rows.len() as f64 / multi_row_seconds;
    println!(
        "  server {server_rate:>7.0} records/s ({stored} of {total} stored in {server_seconds:.2} s, {failures} pushes failed); \
         raw {raw_rate:>7.0} records/s ({} rows in {raw_seconds:.2} s); ratio {ratio:.0}%; \
         raw 100-row INSERTs {multi_row_rate:>7.0} records/s (ratio {:.0}%)",
        rows.len(),
        100.0 * server_rate / multi_row_rate
    );
    let _ = std::fs::remove_dir_all(dir);
    (ratio, 100.0 * server_rate / multi_row_rate)
}

type Row = (String, i64, String, String, Option<String>, Option<String>, i64, i64, i64, String);

/// Seconds to insert `rows` into a fresh database (with the same kiosks), `RAW_BATCH` rows per
/// transaction and `per_statement` rows per INSERT.
async fn raw_inserts(kiosks: &[(String, String, String, i64)], rows: &[Row], per_statement: usize) -> f64 {
    let (raw_db, raw_dir) = fresh_database("raw").await;
    let mut tx = raw_db.begin_write().await.expect("begin");
    for (id, room, secret, paired_at) in kiosks {
        sqlx::query("INSERT INTO kiosks (id, room_id, secret_sha256, paired_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(room)
            .bind(secret)
            .bind(paired_at)
            .execute(&mut **tx)
            .await
            .expect("kiosk");
    }
    tx.commit().await.expect("commit");
    let started = Instant::now();
    for batch in rows.chunks(RAW_BATCH) {
        let mut tx = raw_db.begin_write().await.expect("begin");
        for chunk in batch.chunks(per_statement) {
            // The server's form of a multi-row INSERT, so the baseline is as quick as it.
            let statement = format!(
                "INSERT INTO kiosk_records (kiosk_id, seq, record_id, action, resident_id, activity_id, companions, \
                 happened_at, applied_at, outcome) VALUES {}",
                raw_db.backend.value_rows(chunk.len(), 10)
            );
            let mut query = sqlx::query(&statement);
            for row in chunk {
                let row = row.clone();
                query = query.bind(row.0).bind(row.1).bind(row.2).bind(row.3).bind(row.4).bind(row.5);
                query = query.bind(row.6).bind(row.7).bind(row.8).bind(row.9);
            }
            query.execute(&mut **tx).await.expect("insert");
        }
        tx.commit().await.expect("commit");
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(raw_dir);
    seconds
}
