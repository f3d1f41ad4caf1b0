//! What the server tells a monitoring system (`GET /metrics`, Prometheus/OpenMetrics text):
//! records applied, pushes and how long they take, how many records a commit carries, kiosks
//! silent for over an hour, the last backup's age, database errors, pairing codes refused.
//! Readable only from the addresses the operator allows (`--metrics-from`; loopback by default).
//! Counts are this process's since it started; several processes are scraped one by one.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::app::AppState;
use crate::client_address::ClientAddress;
use crate::clock::now_ms;
use crate::error::AppError;

pub struct Metrics {
    registry: Registry,
    pub records_applied: Counter,
    pub pushes_answered: Counter,
    pub pushes_refused: Counter,
    pub push_seconds: Histogram,
    pub records_per_commit: Histogram,
    pub database_errors: Counter,
    pub pairing_codes_refused: Counter,
    pub pairing_held_back: Counter,
    kiosks_silent: Gauge,
    last_backup_age_seconds: Gauge,
}

/// The process's metrics.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// A kiosk not heard from for this long is silent.
const SILENT_AFTER_MS: i64 = 60 * 60 * 1000;

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("jiayuan");
        let metrics = Metrics {
            records_applied: Counter::default(),
            pushes_answered: Counter::default(),
            pushes_refused: Counter::default(),
            push_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 14)),
            records_per_commit: Histogram::new(exponential_buckets(1.0, 2.0, 12)),
            database_errors: Counter::default(),
            pairing_codes_refused: Counter::default(),
            pairing_held_back: Counter::default(),
            kiosks_silent: Gauge::default(),
            last_backup_age_seconds: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register(
            "records_applied",
            "Kiosk records applied for the first time",
            metrics.records_applied.clone(),
        );
        registry.register(
            "pushes_answered",
            "Kiosk pushes answered with their records' answers",
            metrics.pushes_answered.clone(),
        );
        registry.register(
            "pushes_refused",
            "Kiosk pushes refused (a gap, bad records, credentials, errors)",
            metrics.pushes_refused.clone(),
        );
        registry.register("push_seconds", "Time to answer a kiosk's push", metrics.push_seconds.clone());
        registry.register(
            "records_per_commit",
            "Records applied together in one transaction",
            metrics.records_per_commit.clone(),
        );
        registry.register("database_errors", "Requests that failed in the database", metrics.database_errors.clone());
        registry.register(
            "pairing_codes_refused",
            "Wrong, expired, used or withdrawn pairing codes",
            metrics.pairing_codes_refused.clone(),
        );
        registry.register("pairing_held_back", "Pairing attempts held back (429)", metrics.pairing_held_back.clone());
        registry.register("kiosks_silent", "Kiosks not heard from for over an hour", metrics.kiosks_silent.clone());
        registry.register(
            "last_backup_age_seconds",
            "Seconds since the last backup of the embedded database (-1: none yet)",
            metrics.last_backup_age_seconds.clone(),
        );
        Metrics { registry, ..metrics }
    }
}

/// `GET /metrics`, for monitoring systems at the allowed addresses.
pub async fn metrics(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
) -> Result<impl IntoResponse, AppError> {
    if !state.metrics_from.contains(&address) {
        return Err(AppError::NotAllowed(format!("/metrics is not readable from {address}; see --metrics-from")));
    }
    let now = now_ms();
    let silent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < $1)",
    )
    .bind(now - SILENT_AFTER_MS)
    .fetch_one(&state.db.pool)
    .await
    .map_err(AppError::db("counting silent kiosks"))?;
    METRICS.kiosks_silent.set(silent);
    let age = crate::backups::last_backup_at(&state.data_dir).map_or(-1, |at| (now - at) / 1000);
    METRICS.last_backup_age_seconds.set(age);
    let mut text = String::new();
    encode(&mut text, &METRICS.registry).map_err(|_| AppError::Unfinished("writing the metrics"))?;
    Ok(([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text))
}
