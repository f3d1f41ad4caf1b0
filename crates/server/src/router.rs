//! The HTTP surface: the kiosk's files, the kiosk API and the staff console (reports among its
//! pages), behind one Router, with the headers every answer carries.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::kiosk_api;
use crate::state::AppState;

pub fn app(state: AppState) -> Router {
    let metrics = std::sync::Arc::clone(&state.metrics);
    let kiosk = kiosk_api::kiosk_files::service(&state.kiosk_dir);
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
        .route("/api/health", get(kiosk_api::health::health))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/api/openapi.json", get(kiosk_api::openapi::document))
        .route("/api/schedule", get(kiosk_api::schedule::schedule))
        .route("/api/kiosks/pair", post(kiosk_api::sync::pair))
        .route(
            "/api/sync/push",
            post(kiosk_api::sync::push).layer(DefaultBodyLimit::max(kiosk_api::sync::MAX_PUSH_BYTES)),
        )
        .route("/api/sync/pull", get(kiosk_api::sync::pull))
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
    router
        .layer(axum::middleware::from_fn_with_state(metrics, crate::middleware::log_and_count_failures))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
