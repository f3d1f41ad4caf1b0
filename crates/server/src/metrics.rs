//! `GET /metrics` (Prometheus/OpenMetrics text), readable only from the addresses the operator
//! allows (`--metrics-from`; loopback by default). Counts are this process's since it started;
//! several processes are scraped one by one.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use jiayuan_community::clock::now_ms;
use jiayuan_community::error::AppError;

use crate::client_address::ClientAddress;
use crate::error::HttpError;
use crate::state::AppState;

/// A kiosk not heard from for this long is silent.
const SILENT_AFTER_MS: i64 = 60 * 60 * 1000;

/// `GET /metrics`, for monitoring systems at the allowed addresses.
pub async fn metrics(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
) -> Result<impl IntoResponse, HttpError> {
    if !state.metrics_from.contains(&address) {
        return Err(AppError::NotAllowed(format!("/metrics is not readable from {address}; see --metrics-from")).into());
    }
    let now = now_ms();
    let silent = jiayuan_community::kiosks::count_silent(&state.db, now - SILENT_AFTER_MS).await?;
    state.metrics.kiosks_silent.set(silent);
    let age = jiayuan_community::backups::last_backup_at(&state.data_dir).map_or(-1, |at| (now - at) / 1000);
    state.metrics.last_backup_age_seconds.set(age);
    let text = state.metrics.text().ok_or(AppError::Unfinished("writing the metrics"))?;
    Ok(([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text))
}
