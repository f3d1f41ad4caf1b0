//! `GET /api/health`: whether the server and its database answer.

use axum::Json;
use axum::extract::State;

use crate::error::HttpError;
use crate::state::AppState;
use jiayuan_community::error::AppError;
use jiayuan_domain::sync::ApiError;

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// "ok" when the server and its database answer.
    pub status: &'static str,
    pub version: &'static str,
    /// "sqlite" or "postgres".
    pub database: &'static str,
}

#[utoipa::path(get, path = "/api/health", tag = "server",
    responses((status = 200, body = Health), (status = 500, body = ApiError)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, HttpError> {
    state.db.answers().await.map_err(AppError::db("checking the database"))?;
    Ok(Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), database: state.db.backend.name() }))
}
