//! The server binary as an operator runs it: configured by JIAYUAN_* variables, printing its
//! URLs, stopping cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::support::TempDir;
use serde_json::Value;

/// The schedule as a kiosk paired to the seniors' room of the server at `kiosk_url` sees it,
/// paired the way an operator does: a code from the command line, typed on the kiosk.
pub async fn kiosk_schedule(data_dir: &TempDir, kiosk_url: &str) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["pairing-code", "--room", "room-seniors"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    let code = printed.split(": ").nth(1).and_then(|rest| rest.get(..8)).expect("a pairing code");
    let client = reqwest::Client::new();
    let pairing = client.post(format!("{kiosk_url}api/kiosks/pair")).json(&serde_json::json!({ "code": code }));
    let pairing: Value = pairing.send().await.unwrap().json().await.unwrap();
    let token = format!("Bearer {}.{}", pairing["kiosk_id"].as_str().unwrap(), pairing["secret"].as_str().unwrap());
    let schedule = client.get(format!("{kiosk_url}api/schedule")).header("authorization", token);
    schedule.send().await.unwrap().json().await.unwrap()
}

pub struct Running {
    pub child: Child,
    pub kiosk_url: String,
    pub staff_url: String,
    /// What the server printed after its URLs.
    pub more: std::sync::mpsc::Receiver<String>,
}

impl Running {
    /// The rest of the first line printed after the URLs that starts with `label`.
    pub fn printed(&self, label: &str) -> Option<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            let line = self.more.recv_timeout(left).ok()?;
            if let Some(rest) = line.trim().strip_prefix(label) {
                return Some(rest.trim().to_owned());
            }
        }
        None
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(data_dir: &TempDir, extra_env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"));
    command
        .env("JIAYUAN_ADDR", "127.0.0.1:0")
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .env("JIAYUAN_KIOSK_DIR", data_dir.path().join("no-kiosk-here"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start jiayuan-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut find = |label: &str| loop {
        let line = lines.next().expect("the server prints its URLs").expect("read stdout");
        if let Some(url) = line.trim().strip_prefix(label) {
            return url.trim().to_owned();
        }
    };
    let kiosk_url = find("Kiosk:");
    let staff_url = find("Staff console:");
    // Keep reading, as a terminal would: the server may print more.
    let (send, more) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    Running { child, kiosk_url, staff_url, more }
}

#[tokio::test]
async fn runs_from_environment_variables_and_prints_its_urls() {
    let data_dir = TempDir::new("binary");
    let running = start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]);
    assert!(running.kiosk_url.starts_with("http://127.0.0.1:"));
    assert_eq!(running.staff_url, format!("{}console", running.kiosk_url));

    let health: Value = reqwest::get(format!("{}api/health", running.kiosk_url)).await.unwrap().json().await.unwrap();
    assert_eq!(health["database"], "sqlite");
    let schedule = kiosk_schedule(&data_dir, &running.kiosk_url).await;
    assert_eq!(schedule["rooms"].as_array().unwrap().len(), 3);
    assert!(data_dir.path().join(jiayuan_community::db::SQLITE_FILE).is_file());
}

#[tokio::test]
async fn stops_cleanly_on_sigterm() {
    let data_dir = TempDir::new("sigterm");
    let mut running = start(&data_dir, &[]);
    let status = Command::new("kill").arg(running.child.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = running.child.wait().unwrap();
    assert!(exit.success(), "exit after SIGTERM: {exit}");
}

#[test]
fn refuses_an_unknown_database_url_with_a_clear_message() {
    let data_dir = TempDir::new("bad-url");
    let output = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .env("JIAYUAN_ADDR", "127.0.0.1:0")
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env("JIAYUAN_DATABASE_URL", "mysql://example/db")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("use postgres://"), "{stderr}");
}

#[test]
fn refuses_a_message_webhook_that_is_not_an_http_url() {
    let data_dir = TempDir::new("bad-webhook");
    let output = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .env("JIAYUAN_ADDR", "127.0.0.1:0")
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .env("JIAYUAN_MESSAGE_WEBHOOK", "ftp://relay.lan/sms")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("message webhook") && stderr.contains("not an http or https URL"), "{stderr}");
}

#[test]
fn logs_one_json_object_per_line_when_asked() {
    let data_dir = TempDir::new("json-logs");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .env("JIAYUAN_ADDR", "127.0.0.1:0")
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env("JIAYUAN_LOG_FORMAT", "json")
        .env_remove("JIAYUAN_DATABASE_URL")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let line = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("listening"))
        .expect("a log line saying where the server listens");
    let _ = child.kill();
    let _ = child.wait();
    let entry: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    assert_eq!(entry["level"], "INFO");
    assert_eq!(entry["fields"]["database"], "sqlite");
    assert!(entry["fields"]["addr"].as_str().unwrap().starts_with("127.0.0.1:"));
}

#[tokio::test]
async fn a_server_started_after_days_off_makes_the_sessions_it_missed() {
    let data_dir = TempDir::new("days-off");
    drop(start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]));
    let today = jiayuan_community::community_time::today(crate::support::OFFSET);
    let made_until = jiayuan_community::schedule::format_day(today + time::Duration::days(20));
    let db = jiayuan_community::db::Database::open(None, data_dir.path()).await.unwrap();
    let tai_chi = "SELECT COUNT(*) FROM activities WHERE recurring_id = 'tai-chi' AND day >= $1";
    let count = |db: jiayuan_community::db::Database| {
        let today = jiayuan_community::schedule::format_day(today);
        async move { sqlx::query_scalar::<_, i64>(tai_chi).bind(today).fetch_one(&db.pool).await.unwrap() }
    };
    assert_eq!(count(db.clone()).await, 29, "tai chi every day: today and 28 more");
    // As if the server last ran eight days ago.
    for statement in [
        "DELETE FROM activities WHERE recurring_id IS NOT NULL AND day > $1",
        "UPDATE recurring_activities SET sessions_through = $1",
        "UPDATE sites SET horizon_through = $1",
    ] {
        sqlx::query(statement).bind(&made_until).execute(&db.pool).await.unwrap();
    }
    assert_eq!(count(db.clone()).await, 21);

    drop(start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]));
    assert_eq!(count(db.clone()).await, 29, "the missing eight days made at start");
}

/// The demo's administrator signs in with the one-time password the server prints; after they
/// chose their own, a restart prints no password.
#[tokio::test]
async fn the_demo_prints_its_administrators_one_time_password() {
    use crate::support::console::{CHOSEN, client, session_cookie};
    let data_dir = TempDir::new("demo-admin");
    let running = start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]);
    let printed = running.printed("Console: sign in as admin with one-time password").expect("a password printed");
    let one_time = printed.split_whitespace().next().unwrap().to_owned();
    let base = running.kiosk_url.trim_end_matches('/').to_owned();
    let sign_in = |password: String| {
        let base = base.clone();
        async move {
            client()
                .post(format!("{base}/console/sign-in"))
                .form(&[("staff_id", "admin"), ("password", password.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let response = sign_in(one_time.clone()).await;
    assert_eq!(response.status(), 303);
    let cookie = session_cookie(&response).unwrap();
    let page = client()
        .get(format!("{base}/console/password"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::support::console::form_token_in(&page).unwrap();
    let changed = client()
        .post(format!("{base}/console/password"))
        .header("cookie", &cookie)
        .form(&[("current", one_time.as_str()), ("new", CHOSEN), ("again", CHOSEN), ("form_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    drop(running);
    let again = start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]);
    assert_eq!(again.printed("Console: sign in as admin").as_deref(), Some("with the password you chose"));
}

/// `add-staff` makes the first administrator and prints a one-time password that signs in.
#[tokio::test]
async fn add_staff_prints_a_one_time_password_that_signs_in() {
    let data_dir = TempDir::new("add-staff");
    let output = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["add-staff", "--id", "wang.li", "--name", "王丽", "--role", "administrator", "--site", "site-a"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let one_time = stdout.split("One-time password: ").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let running = start(&data_dir, &[]);
    let response = crate::support::console::client()
        .post(format!("{}console/sign-in", running.kiosk_url))
        .form(&[("staff_id", "wang.li"), ("password", one_time.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(crate::support::console::session_cookie(&response).is_some());
    let wrong = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["add-staff", "--id", "wang.li", "--name", "王丽", "--site", "site-a"])
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("This account name is taken"));
}

#[tokio::test]
async fn demo_data_on_a_database_that_holds_another_community_starts_and_says_it_loaded_nothing() {
    let data_dir = TempDir::new("demo-beside");
    let rooms = data_dir.path().join("rooms.csv");
    std::fs::write(&rooms, "id,name_zh_hans\nroom-east,东区活动室\n").unwrap();
    let imported = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"))
        .args(["import", "--site", "site-east", "--rooms"])
        .arg(&rooms)
        .env("JIAYUAN_DATA_DIR", data_dir.path())
        .env_remove("JIAYUAN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let running = start(&data_dir, &[("JIAYUAN_DEMO_DATA", "true")]);
    let said = running.printed("Demo data:").expect("the server says what it did with the demo");
    assert!(said.contains("not loaded"), "{said}");
    let health = reqwest::get(format!("{}api/health", running.kiosk_url)).await.unwrap();
    assert_eq!(health.status(), 200, "and it serves the community it holds");
}
