//! What every request handler shares: the database, the operator's settings, the throttles,
//! the push writer and the metrics it counts.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use jiayuan_community::db::Database;
use jiayuan_community::kiosks::staff_pin::StaffPin;
use jiayuan_community::metrics::Metrics;
use jiayuan_community::secret_key::SecretKey;
use jiayuan_community::sync::group_commit::PushWriter;

use crate::throttles::pairing::PairingGuard;
use crate::throttles::sign_in::SignInThrottle;

/// What the operator decides about a running server (from `ServeConfig`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The data folder (backups are kept there).
    pub data_dir: PathBuf,
    /// The kiosk's Trunk build, served at `/`.
    pub kiosk_dir: PathBuf,
    /// What "today" means for this community.
    pub utc_offset: time::UtcOffset,
    /// Opens kiosks' staff panels; kiosks get only its digest.
    pub staff_pin: Option<String>,
    /// Pairing codes are kept as HMACs under this key.
    pub secret_key: SecretKey,
    /// How long a pairing code made from the console stays good.
    pub pairing_code_minutes: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Addresses `/metrics` answers (loopback when empty).
    pub metrics_from: Vec<IpAddr>,
    /// The server itself speaks HTTPS: the console's cookie is marked Secure.
    pub https: bool,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Database,
    pub data_dir: PathBuf,
    pub kiosk_dir: PathBuf,
    pub utc_offset: time::UtcOffset,
    pub staff_pin: Option<Arc<StaffPin>>,
    pub secret_key: SecretKey,
    pub pairing_code_minutes: u32,
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    pub metrics_from: Arc<Vec<IpAddr>>,
    /// Throttles wrong pairing codes.
    pub pairing_guard: Arc<PairingGuard>,
    /// Throttles wrong staff passwords.
    pub sign_in_throttle: Arc<SignInThrottle>,
    /// Applies kiosks' pushes, several in one transaction when they arrive together.
    pub pushes: PushWriter,
    pub https: bool,
    /// What this server counts for monitoring (`/metrics`).
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// The state for `db`, with its push writer started (call inside the tokio runtime).
    pub fn new(db: Database, settings: Settings) -> AppState {
        let metrics = Arc::new(Metrics::new());
        let pushes = PushWriter::start(db.clone(), settings.utc_offset, Arc::clone(&metrics));
        AppState {
            db,
            data_dir: settings.data_dir,
            kiosk_dir: settings.kiosk_dir,
            utc_offset: settings.utc_offset,
            staff_pin: settings.staff_pin.map(|pin| Arc::new(StaffPin::new(pin))),
            secret_key: settings.secret_key,
            pairing_code_minutes: settings.pairing_code_minutes,
            trusted_proxies: Arc::new(settings.trusted_proxies),
            metrics_from: Arc::new(if settings.metrics_from.is_empty() {
                vec![std::net::Ipv4Addr::LOCALHOST.into(), std::net::Ipv6Addr::LOCALHOST.into()]
            } else {
                settings.metrics_from
            }),
            pairing_guard: Arc::new(PairingGuard::default()),
            sign_in_throttle: Arc::new(SignInThrottle::default()),
            pushes,
            https: settings.https,
            metrics,
        }
    }

    /// Whether the browser reached us over HTTPS: served so, or through a reverse proxy that
    /// says so. (A client lying about it only makes its own cookie HTTPS-only.)
    pub fn is_https(&self, headers: &axum::http::HeaderMap) -> bool {
        self.https
            || (!self.trusted_proxies.is_empty()
                && headers
                    .get("x-forwarded-proto")
                    .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https")))
    }
}
