//! Chaos, as the field has it: many kiosks push at once over real HTTP while server processes
//! are SIGKILLed and started again; kiosks lose answers (they give up waiting and send again),
//! send answered records again, and some send batches with a gap. On SQLite with one server process, on PostgreSQL with two
//! at once, kiosks spread over both. Afterwards: every record is stored exactly once, a record
//! sent again got the same answer, no activity is overbooked, nobody waits while a seat that
//! fits them is free, and no request was answered with a 5xx.
//!
//! `JIAYUAN_CHAOS_KIOSKS` and `JIAYUAN_CHAOS_RECORDS` make it bigger (`cargo xtask chaos` runs
//! 50 kiosks × 2,000 records and prints the counts).

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiayuan_community::db::Database;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::support::{OFFSET, TempDir, fresh_database};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A random number below `n`, from the OS's random source (through uuid, already a dependency).
fn below(n: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() % u128::from(n.max(1))) as u64
}

/// One server process, killed and started again on the same port.
struct Process {
    child: Option<Child>,
    port: u16,
    env: Vec<(String, String)>,
}

impl Process {
    fn start(env: &[(String, String)], port: u16) -> Process {
        let mut process = Process { child: None, port, env: env.to_vec() };
        process.spawn();
        process
    }

    fn spawn(&mut self) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"));
        command.envs(self.env.iter().map(|(k, v)| (k, v))).env("JIAYUAN_ADDR", format!("127.0.0.1:{}", self.port));
        command.stdout(Stdio::null()).stderr(Stdio::null());
        self.child = Some(command.spawn().expect("start jiayuan-server"));
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

async fn wait_until_up(port: u16) {
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/api/health")).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server on {port} did not come up");
}

/// What the kiosks saw, for the checks and the counts.
#[derive(Default)]
struct Seen {
    /// (kiosk, seq) → the first answer's outcome.
    answers: HashMap<(usize, u64), Value>,
    different_answers: Vec<String>,
    server_errors: Vec<String>,
    lost_answers: u64,
    gaps_sent: u64,
    resent_records: u64,
}

fn action(activities: &[String]) -> Value {
    let resident = format!("resident-{:04}", 1 + below(40));
    let activity = &activities[below(activities.len() as u64) as usize];
    match below(20) {
        0..12 => json!({ "type": "sign_in", "person": { "kind": "visitor" } }),
        12..17 => {
            json!({ "type": "sign_up", "resident_id": resident, "activity_id": activity, "companions": below(2) })
        }
        _ => json!({ "type": "cancel", "resident_id": resident, "activity_id": activity }),
    }
}

#[tokio::test]
async fn kiosks_push_through_killed_servers_and_every_record_lands_once() {
    let kiosks = setting("JIAYUAN_CHAOS_KIOSKS", 8) as usize;
    let records = setting("JIAYUAN_CHAOS_RECORDS", 400);
    let data_dir = TempDir::new("chaos");
    let (db, database_url) = fresh_database(data_dir.path()).await;
    jiayuan_community::demo::load_if_empty(&db, jiayuan_community::community_time::today(OFFSET)).await.unwrap();
    let activities: Vec<String> =
        sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NOT NULL ORDER BY id LIMIT 3")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    for activity in &activities {
        crate::support::kiosk::set_seats(&db, activity, 8, 2).await;
    }

    // Several processes share one secret key, as their operator provisions it.
    std::fs::write(
        data_dir.path().join("secret.key"),
        format!("{:032x}{:032x}", uuid::Uuid::new_v4().as_u128(), uuid::Uuid::new_v4().as_u128()),
    )
    .unwrap();
    let mut env = vec![
        ("JIAYUAN_DATA_DIR".to_owned(), data_dir.path().display().to_string()),
        ("JIAYUAN_KIOSK_DIR".to_owned(), data_dir.path().join("no-kiosk").display().to_string()),
        ("JIAYUAN_SECRET_FILE".to_owned(), data_dir.path().join("secret.key").display().to_string()),
    ];
    let processes = match &database_url {
        Some(url) => {
            env.push(("JIAYUAN_DATABASE_URL".to_owned(), url.clone()));
            2
        }
        None => 1,
    };
    let ports: Vec<u16> = (0..processes).map(|_| free_port()).collect();
    let first = Process::start(&env, ports[0]);
    wait_until_up(ports[0]).await;
    let servers: Arc<Mutex<Vec<Process>>> = Arc::new(Mutex::new(vec![first]));
    for port in &ports[1..] {
        servers.lock().await.push(Process::start(&env, *port));
        wait_until_up(*port).await;
    }

    // Pair the kiosks, spread over the servers.
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for k in 0..kiosks {
        let output = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
            .args(["pairing-code", "--room", "room-seniors"])
            .envs(env.iter().map(|(a, b)| (a, b)))
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&output.stdout);
        let code = printed.split(": ").nth(1).and_then(|rest| rest.get(..8)).expect("a code").to_owned();
        let port = ports[k % ports.len()];
        let pairing: Value = client
            .post(format!("http://127.0.0.1:{port}/api/kiosks/pair"))
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(format!(
            "Bearer {}.{}",
            pairing["kiosk_id"].as_str().unwrap(),
            pairing["secret"].as_str().unwrap()
        ));
    }

    // The killer: a server process SIGKILLed about every second, started again at once.
    let stop = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicU64::new(0));
    let killer = {
        let (servers, stop, kills) = (servers.clone(), stop.clone(), kills.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(300 + below(500))).await;
                let mut servers = servers.lock().await;
                let victim = below(servers.len() as u64) as usize;
                servers[victim].kill();
                kills.fetch_add(1, Ordering::Relaxed);
                servers[victim].spawn();
            }
        })
    };

    let seen = Arc::new(Mutex::new(Seen::default()));
    let started = Instant::now();
    let mut kiosk_tasks = tokio::task::JoinSet::new();
    for (k, token) in tokens.into_iter().enumerate() {
        let (seen, ports, activities) = (seen.clone(), ports.clone(), activities.clone());
        let queue: Vec<Value> = (1..=records)
            .map(|seq| json!({ "seq": seq, "id": format!("chaos-{k}-{seq}"), "happened_at": 1_764_000_000_000i64 + seq as i64, "action": action(&activities) }))
            .collect();
        kiosk_tasks.spawn(async move {
            let mut answered = 0u64;
            while answered < records {
                let mut from = answered + 1;
                match below(10) {
                    // A batch with a gap: the server refuses it and says where to go on from.
                    0 if from + 2 <= records => from += 2,
                    // Records already answered, sent again (an answer that went missing).
                    1 => from = from.saturating_sub(1 + below(5)).max(1),
                    _ => {}
                }
                let until = (from + below(40)).min(records);
                let batch: Vec<Value> = queue[(from - 1) as usize..until as usize].to_vec();
                let port = ports[below(ports.len() as u64) as usize];
                // Sometimes the kiosk gives up waiting: the answer is lost, the push may have landed.
                let timeout = if below(8) == 0 { Duration::from_millis(3) } else { Duration::from_secs(10) };
                let sent = reqwest::Client::new()
                    .post(format!("http://127.0.0.1:{port}/api/sync/push"))
                    .header("authorization", &token)
                    .json(&json!({ "records": batch }))
                    .timeout(timeout)
                    .send()
                    .await;
                let Ok(response) = sent else {
                    seen.lock().await.lost_answers += 1;
                    tokio::time::sleep(Duration::from_millis(20 + below(80))).await;
                    continue;
                };
                let status = response.status().as_u16();
                let Ok(body) = response.json::<Value>().await else {
                    seen.lock().await.lost_answers += 1;
                    continue;
                };
                let mut seen = seen.lock().await;
                if status >= 500 {
                    seen.server_errors.push(format!("kiosk {k}: {status} {body}"));
                    continue;
                }
                if status == 409 && body["code"] == "seq_gap" {
                    seen.gaps_sent += 1;
                    answered = body["expected_seq"].as_u64().expect("expected_seq") - 1;
                    continue;
                }
                assert_eq!(status, 200, "kiosk {k}: {body}");
                for result in body["results"].as_array().unwrap() {
                    let seq = result["seq"].as_u64().unwrap();
                    match seen.answers.get(&(k, seq)) {
                        Some(first) if *first != result["outcome"] => {
                            let text = format!("kiosk {k} record {seq}: first {first}, then {}", result["outcome"]);
                            seen.different_answers.push(text);
                        }
                        Some(_) => seen.resent_records += 1,
                        None => {
                            seen.answers.insert((k, seq), result["outcome"].clone());
                        }
                    }
                }
                answered = answered.max(body["applied_through"].as_u64().unwrap());
            }
        });
    }
    let deadline = Duration::from_secs(60 + records * kiosks as u64 / 20);
    let finished = tokio::time::timeout(deadline, async {
        while let Some(done) = kiosk_tasks.join_next().await {
            done.unwrap()
        }
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    let _ = killer.await;
    assert!(finished.is_ok(), "the kiosks did not get every record through in {deadline:?}");

    let seen = seen.lock().await;
    let check_db: Database = db;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records").fetch_one(&check_db.pool).await.unwrap();
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT record_id) FROM kiosk_records")
        .fetch_one(&check_db.pool)
        .await
        .unwrap();
    println!(
        "chaos: {kiosks} kiosks × {records} records, {processes} server process(es), {} kills, {:.1} s; \
         {stored} stored, {} answers lost and sent again, {} records answered again, {} gaps sent, {} 5xx",
        kills.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        seen.lost_answers,
        seen.resent_records,
        seen.gaps_sent,
        seen.server_errors.len()
    );
    assert!(seen.server_errors.is_empty(), "no 5xx: {:?}", &seen.server_errors[..seen.server_errors.len().min(5)]);
    assert!(
        seen.different_answers.is_empty(),
        "a record sent again gets the same answer: {:?}",
        seen.different_answers
    );
    assert_eq!(stored, (kiosks as u64 * records) as i64, "every record stored");
    assert_eq!(distinct, stored, "each once");
    assert!(kills.load(Ordering::Relaxed) > 0, "servers were killed while kiosks pushed");

    for activity in &activities {
        let (capacity, taken, waiting): (i64, i64, i64) =
            sqlx::query_as("SELECT capacity, seats_taken, waiting FROM activities WHERE id = $1")
                .bind(activity)
                .fetch_one(&check_db.pool)
                .await
                .unwrap();
        let held: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(1 + companions), 0) AS BIGINT) FROM sign_ups WHERE activity_id = $1 AND status = 'confirmed'")
            .bind(activity)
            .fetch_one(&check_db.pool)
            .await
            .unwrap();
        assert!(taken <= capacity, "{activity} overbooked: {taken} of {capacity}");
        assert_eq!(taken, held, "{activity}: seats taken are the confirmed parties");
        let in_line: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1 AND status = 'waiting'")
                .bind(activity)
                .fetch_one(&check_db.pool)
                .await
                .unwrap();
        assert_eq!(waiting, in_line, "{activity}: the waiting list kept for reports is the one in sign-ups");
        let first_waiting: Option<i64> = sqlx::query_scalar(
            "SELECT 1 + companions FROM sign_ups WHERE activity_id = $1 AND status = 'waiting' ORDER BY queue_order, record_id LIMIT 1",
        )
        .bind(activity)
        .fetch_optional(&check_db.pool)
        .await
        .unwrap();
        if let Some(party) = first_waiting {
            assert!(
                taken + party > capacity,
                "{activity}: the first in line ({party}) waits while {} seats are free",
                capacity - taken
            );
        }
    }
}
