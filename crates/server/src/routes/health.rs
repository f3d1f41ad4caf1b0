//! `GET /api/health`: whether the server and its database answer.

use axum::Json;
use axum::extract::State;

use crate::app::AppState;
use crate::error::AppError;
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
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await.map_err(AppError::db("checking the database"))?;
    Ok(Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), database: state.db.backend.name() }))
}
