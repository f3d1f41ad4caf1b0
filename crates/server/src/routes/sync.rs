//! The kiosk-facing API: pairing, and pushing records.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use jiayuan_domain::sync::push::MAX_BATCH;
use jiayuan_domain::sync::{PushRequest, PushResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::error::AppError;
use crate::kiosks::{self, Pairing};
use crate::sync::push::apply_batch;

/// The largest push body accepted: a full batch of records with plenty of room to spare.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;

#[derive(Debug, Deserialize)]
pub struct PairRequest {
    pub code: String,
}

/// `POST /api/kiosks/pair`: a kiosk trades a one-time code for its id and secret.
pub async fn pair(
    State(state): State<AppState>,
    body: Result<Json<PairRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Pairing>), AppError> {
    let Json(request) = body.map_err(AppError::from)?;
    let pairing = kiosks::pair(&state.db, &request.code).await?;
    Ok((StatusCode::CREATED, Json(pairing)))
}

/// `POST /api/sync/push`: records in the kiosk's order; one answer per record.
pub async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, AppError> {
    let authorization = headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
    let kiosk = kiosks::authenticate(&state.db, authorization).await?;
    let Json(request) = body.map_err(AppError::from)?;
    if request.records.len() > MAX_BATCH {
        return Err(AppError::BadRequest(format!("at most {MAX_BATCH} records per push")));
    }
    Ok(Json(apply_batch(&state.db, &kiosk, &request.records).await?))
}
