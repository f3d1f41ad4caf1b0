//! The kiosk-facing API: pairing, and pushing records.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::JsonRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header::AUTHORIZATION};
use jiayuan_domain::sync::pull::PullResponse;
use jiayuan_domain::sync::report::PullQuery;
use jiayuan_domain::sync::{ApiError, PairRequest, Pairing, PushRequest, PushResponse};

use crate::client_address::ClientAddress;
use crate::error::HttpError;
use crate::state::AppState;
use crate::to_completion::to_completion;
use jiayuan_community::community_time;
use jiayuan_community::error::AppError;
use jiayuan_community::kiosks::{self, Kiosk, pairing};
use jiayuan_community::sync::pull::pull as pull_changes;

/// The largest push body accepted: a full batch of records with plenty of room to spare.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;

/// A request from a paired, unrevoked kiosk (`Authorization: Bearer <kiosk id>.<secret>`).
pub struct PairedKiosk(pub Kiosk);

impl FromRequestParts<AppState> for PairedKiosk {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let authorization = parts.headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
        Ok(PairedKiosk(kiosks::authenticate(&state.db, authorization).await?))
    }
}

/// `POST /api/kiosks/pair`: a kiosk trades a one-time code for its id and secret.
#[utoipa::path(post, path = "/api/kiosks/pair", tag = "kiosks", request_body = PairRequest,
    responses(
        (status = 201, body = Pairing),
        (status = 400, body = ApiError, description = "bad_request: not a pairing request"),
        (status = 401, body = ApiError, description = "pairing_code_refused: wrong, used, withdrawn or expired (one answer for all)"),
        (status = 413, body = ApiError, description = "too_large"),
        (status = 429, body = ApiError, description = "too_many_attempts: wait `retry_after_s` (also the Retry-After header)"),
        (status = 500, body = ApiError, description = "database or unfinished: try again later"),
    ))]
pub async fn pair(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    body: Result<Json<PairRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Pairing>), HttpError> {
    let tried = state.pairing_guard.admit(address).map_err(|retry_after_s| {
        state.metrics.pairing_held_back.inc();
        tracing::warn!(%address, "pairing attempts from this address are held back");
        AppError::TooManyAttempts { retry_after_s }
    })?;
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            state.pairing_guard.give_back(tried);
            return Err(rejection.into());
        }
    };
    let (db, key) = (state.db.clone(), state.secret_key.clone());
    let paired =
        to_completion(
            "pairing a kiosk",
            async move { pairing::pair(&db, &key, &request.code, request.first_seq).await },
        )
        .await;
    match &paired {
        // A wrong code keeps its try counted.
        Err(AppError::PairingCodeRefused) => {
            state.metrics.pairing_codes_refused.inc();
            tracing::warn!(%address, "a wrong pairing code");
            if tried.in_a_flood {
                let withdrawn = pairing::withdraw_outstanding(&state.db).await?;
                tracing::error!(
                    withdrawn,
                    "wrong pairing codes from many addresses: every outstanding code is withdrawn; staff must make a new one"
                );
            }
        }
        _ => state.pairing_guard.give_back(tried),
    }
    Ok((StatusCode::CREATED, Json(paired?)))
}

/// `POST /api/sync/push`: records in the kiosk's order; one answer per record.
#[utoipa::path(post, path = "/api/sync/push", tag = "sync", request_body = PushRequest,
    security(("kiosk" = [])),
    responses(
        (status = 200, body = PushResponse),
        (status = 400, body = ApiError, description = "bad_request: malformed records"),
        (status = 401, body = ApiError, description = "unauthorized: not a paired kiosk"),
        (status = 403, body = ApiError, description = "kiosk_revoked"),
        (status = 409, body = ApiError, description = "seq_gap: send from expected_seq; seq_reused: a number used for another record"),
        (status = 413, body = ApiError, description = "too_large"),
        (status = 500, body = ApiError, description = "database or unfinished: send again later"),
    ))]
pub async fn push(
    State(state): State<AppState>,
    PairedKiosk(kiosk): PairedKiosk,
    body: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, HttpError> {
    let started = std::time::Instant::now();
    let answered = async {
        let Json(request) = body.map_err(HttpError::from)?;
        state.pushes.apply(kiosk, request).await.map_err(HttpError::from)
    }
    .await;
    let metrics = &state.metrics;
    metrics.push_seconds.observe(started.elapsed().as_secs_f64());
    match &answered {
        Ok(_) => metrics.pushes_answered.inc(),
        Err(_) => metrics.pushes_refused.inc(),
    };
    Ok(Json(answered?))
}

/// `GET /api/sync/pull?cursor=N&…`: what changed for the kiosk's site since `cursor`. The rest
/// of the query is the kiosk's report of itself, kept for staff.
#[utoipa::path(get, path = "/api/sync/pull", tag = "sync", params(PullQuery), security(("kiosk" = [])),
    responses(
        (status = 200, body = PullResponse),
        (status = 400, body = ApiError, description = "bad_request: the cursor is not a number"),
        (status = 401, body = ApiError, description = "unauthorized: not a paired kiosk"),
        (status = 403, body = ApiError, description = "kiosk_revoked"),
        (status = 500, body = ApiError, description = "database or unfinished: try again later"),
    ))]
pub async fn pull(
    State(state): State<AppState>,
    PairedKiosk(kiosk): PairedKiosk,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, HttpError> {
    let Query(query) =
        query.map_err(|r| AppError::BadRequest(format!("`cursor` must be a number: {}", r.body_text())))?;
    kiosks::note_report(&state.db, &kiosk.id, &query).await?;
    let offset = state.utc_offset;
    let today = community_time::today(offset);
    let db = state.db.clone();
    let mut changes =
        to_completion("a pull", async move { pull_changes(&db, &kiosk, query.cursor, today, offset).await }).await?;
    if changes.staff_pin.is_none() {
        changes.staff_pin = state.staff_pin.as_ref().and_then(|pin| pin.digest_for(&changes.identity_key));
    }
    Ok(Json(changes))
}
