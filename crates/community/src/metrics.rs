//! What the server counts for a monitoring system: records applied, pushes and how long they
//! take, how many records a commit carries, kiosks silent for over an hour, the last backup's
//! age, database errors, pairing codes refused. One `Metrics` per running server, held in its
//! state (so each test server counts from zero); the server shows it at `/metrics`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug)]
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
    pub kiosks_silent: Gauge,
    pub last_backup_age_seconds: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
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

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Everything counted, in the OpenMetrics text format.
    pub fn text(&self) -> Option<String> {
        let mut text = String::new();
        encode(&mut text, &self.registry).ok()?;
        Some(text)
    }
}
