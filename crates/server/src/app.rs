//! The HTTP surface: the kiosk's files, the API and the staff console, behind one Router.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::console::auth::throttle::SignInThrottle;
use crate::db::Database;
use crate::kiosks::guard::PairingGuard;
use crate::routes;
use crate::secret_key::SecretKey;
use crate::sync::group_commit::PushWriter;

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
    pub staff_pin: Option<Arc<crate::kiosks::staff_pin::StaffPin>>,
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
}

impl AppState {
    /// The state for `db`, with its push writer started (call inside the tokio runtime).
    pub fn new(db: Database, settings: Settings) -> AppState {
        let pushes = PushWriter::start(db.clone(), settings.utc_offset);
        AppState {
            db,
            data_dir: settings.data_dir,
            kiosk_dir: settings.kiosk_dir,
            utc_offset: settings.utc_offset,
            staff_pin: settings.staff_pin.map(|pin| Arc::new(crate::kiosks::staff_pin::StaffPin::new(pin))),
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

pub fn app(state: AppState) -> Router {
    let kiosk = routes::kiosk_files::service(&state.kiosk_dir);
    let security_headers = [
        ("x-content-type-options", "nosniff"),
        // Not "no-referrer": under it browsers send `Origin: null` with a form, and the console
        // could no longer tell its own forms from another site's. No address leaves this server.
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        // The kiosk page carries the rest of its policy in a <meta> written at build time,
        // with the hash of its loader script (xtask/src/csp.rs); these parts only a header can say.
        ("content-security-policy", "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
    ];
    let served_over_tls = state.https;
    let mut router = Router::new()
        .route("/api/health", get(routes::health::health))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/schedule", get(routes::schedule::schedule))
        .route("/api/kiosks/pair", post(routes::sync::pair))
        .route("/api/sync/push", post(routes::sync::push).layer(DefaultBodyLimit::max(routes::sync::MAX_PUSH_BYTES)))
        .route("/api/sync/pull", get(routes::sync::pull))
        // The first staff page was here; the console replaced it.
        .route("/staff", get(|| async { axum::response::Redirect::permanent("/console") }))
        .merge(crate::console::router())
        .fallback_service(kiosk)
        .with_state(state);
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    if served_over_tls {
        // Browsers that once reached the console over HTTPS never fall back to plain HTTP, where
        // a password could be read on the LAN. A year; not the subdomains of a LAN name.
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}
