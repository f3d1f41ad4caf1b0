//! Starts a real server on loopback for a test: a real database file in a fresh folder, real
//! HTTP through reqwest.
#![allow(dead_code)] // each test file uses a different part of this

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use jiayuan_community::community_time;
use jiayuan_community::db::Database;
use jiayuan_community::demo;
use jiayuan_community::secret_key::SecretKey;
use jiayuan_server::{AppState, Settings, app};
use time::UtcOffset;

/// A folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "jiayuan-test-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub mod console;
pub mod kiosk;
pub mod sites;
pub mod xlsx;

pub const OFFSET: UtcOffset = time::macros::offset!(+8);

/// The test servers' secret key: tests make pairing codes with it directly.
pub static SECRET_KEY: std::sync::LazyLock<SecretKey> = std::sync::LazyLock::new(SecretKey::random);

/// A pairing code for `room`, as staff make one.
pub async fn pairing_code(server: &TestServer, room: &str) -> String {
    jiayuan_community::kiosks::pairing::create(&server.db, &SECRET_KEY, room, 30).await.expect("pairing code").code
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Database,
    /// None for SQLite in `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: TempDir,
    pub kiosk_dir: TempDir,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the server answers")
    }
}

/// A server with the demo community loaded and a small fake kiosk build.
pub async fn spawn_with_demo() -> TestServer {
    spawn(true).await
}

/// Set by `cargo xtask test` to a throwaway PostgreSQL server: every test then gets a fresh
/// database of its own there instead of a SQLite file.
pub const POSTGRES_URL_VAR: &str = "JIAYUAN_TEST_POSTGRES_URL";

pub fn expected_backend() -> &'static str {
    if std::env::var_os(POSTGRES_URL_VAR).is_some() { "postgres" } else { "sqlite" }
}

pub async fn fresh_database(data_dir: &Path) -> (Database, Option<String>) {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        return (Database::open(None, data_dir).await.expect("open the SQLite database"), None);
    };
    use sqlx::{Connection, Executor};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("jiayuan_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create a test database");
    let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
    let url = format!("{base}/{name}");
    (Database::open(Some(&url), data_dir).await.expect("open the PostgreSQL database"), Some(url))
}

pub async fn spawn(demo_data: bool) -> TestServer {
    let data_dir = TempDir::new("data");
    let kiosk_dir = TempDir::new("kiosk");
    write_fake_kiosk_build(kiosk_dir.path());
    let (db, database_url) = fresh_database(data_dir.path()).await;
    if demo_data {
        demo::load_if_empty(&db, community_time::today(OFFSET)).await.expect("load demo data");
    }
    let base = serve(db.clone(), data_dir.path(), kiosk_dir.path()).await;
    TestServer { base, client: reqwest::Client::new(), db, database_url, data_dir, kiosk_dir }
}

/// A second server process on `first`'s database: its own connections, its own push writer.
pub async fn spawn_sharing(first: &TestServer) -> TestServer {
    let data_dir = TempDir::new("data");
    let kiosk_dir = TempDir::new("kiosk");
    write_fake_kiosk_build(kiosk_dir.path());
    let db_dir = if first.database_url.is_some() { data_dir.path() } else { first.data_dir.path() };
    let db = Database::open(first.database_url.as_deref(), db_dir).await.expect("open the same database again");
    let base = serve(db.clone(), data_dir.path(), kiosk_dir.path()).await;
    TestServer {
        base,
        client: reqwest::Client::new(),
        db,
        database_url: first.database_url.clone(),
        data_dir,
        kiosk_dir,
    }
}

/// Serves `db` on a free loopback port; the base URL.
async fn serve(db: Database, data_dir: &Path, kiosk_dir: &Path) -> String {
    let settings = Settings {
        data_dir: data_dir.to_path_buf(),
        kiosk_dir: kiosk_dir.to_path_buf(),
        utc_offset: OFFSET,
        staff_pin: Some("2468".into()),
        secret_key: SECRET_KEY.clone(),
        pairing_code_minutes: 30,
        // Tests play many clients from loopback by naming them in X-Forwarded-For.
        trusted_proxies: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        metrics_from: Vec::new(),
        https: false,
    };
    let state = AppState::new(db, settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
            .await
            .expect("serve");
    });
    format!("http://{addr}")
}

pub const HASHED_JS: &str = "jiayuan-kiosk-0123456789abcdef.js";

fn write_fake_kiosk_build(dir: &Path) {
    let page = "<!DOCTYPE html><html lang=\"zh-Hans\"><head><title>家园</title></head><body></body></html>";
    std::fs::write(dir.join("index.html"), page).unwrap();
    std::fs::write(dir.join(HASHED_JS), "export default function init() {}\n".repeat(40)).unwrap();
    std::fs::write(dir.join("sw.js"), "self.addEventListener('fetch', () => {});\n").unwrap();
}
