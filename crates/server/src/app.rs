//! The HTTP surface: the kiosk's files, the API and the staff console, behind one Router.

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::db::Database;
use crate::routes;
use crate::sync::group_commit::PushWriter;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Database,
    /// The kiosk's Trunk build, served at `/`.
    pub kiosk_dir: PathBuf,
    /// What "today" means for this community.
    pub utc_offset: time::UtcOffset,
    /// Opens kiosks' staff panels; kiosks get only its digest.
    pub staff_pin: Option<String>,
    /// Applies kiosks' pushes, several in one transaction when they arrive together.
    pub pushes: PushWriter,
}

impl AppState {
    /// The state for `db`, with its push writer started (call inside the tokio runtime).
    pub fn new(db: Database, kiosk_dir: PathBuf, utc_offset: time::UtcOffset, staff_pin: Option<String>) -> AppState {
        let pushes = PushWriter::start(db.clone());
        AppState { db, kiosk_dir, utc_offset, staff_pin, pushes }
    }
}

pub fn app(state: AppState) -> Router {
    let kiosk = routes::kiosk_files::service(&state.kiosk_dir);
    let security_headers = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        // The kiosk page carries the rest of its policy in a <meta> written at build time,
        // with the hash of its loader script (xtask/src/csp.rs); these parts only a header can say.
        ("content-security-policy", "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
    ];
    let mut router = Router::new()
        .route("/api/health", get(routes::health::health))
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/schedule", get(routes::schedule::schedule))
        .route("/api/kiosks/pair", post(routes::sync::pair))
        .route(
            "/api/sync/push",
            post(routes::sync::push).layer(DefaultBodyLimit::max(routes::sync::MAX_PUSH_BYTES)),
        )
        .route("/api/sync/pull", get(routes::sync::pull))
        .route("/staff", get(routes::staff::home))
        .fallback_service(kiosk)
        .with_state(state);
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}
