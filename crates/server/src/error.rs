//! Errors as values: every failure carries what was being done, and turns into an HTTP
//! answer that says what went wrong, with a stable `code` for kiosks, without leaking
//! internals.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What every error answer carries.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Words for the person reading a log or a staff panel.
    pub error: String,
    /// Stable, for kiosks: bad_request, not_found, unauthorized, forbidden, kiosk_revoked,
    /// seq_gap, conflict, too_large, database.
    pub code: &'static str,
    /// With `seq_gap`: the record number to send next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request was wrong; the message is for the person or kiosk that sent it.
    #[error("{0}")]
    BadRequest(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// No valid credentials: unknown kiosk, forged secret, used pairing code.
    #[error("{0}")]
    Unauthorized(String),
    /// Credentials are fine but this is not this kiosk's to do (another site's records).
    #[error("{0}")]
    Forbidden(String),
    /// The request contradicts what the server already holds.
    #[error("{0}")]
    Conflict(String),
    /// A kiosk staff have revoked; its staff panel tells staff so.
    #[error("this kiosk has been revoked by staff; pair it again to use it")]
    Revoked,
    /// A batch skipped record numbers: the kiosk resends from `expected_seq`.
    #[error("records must arrive in order; send record {expected_seq} next")]
    SeqGap { expected_seq: u64 },
    #[error("the request is too large")]
    TooLarge,
    /// Work the server started and could not finish (a task that panicked).
    #[error("the server could not finish {0}")]
    Unfinished(&'static str),
    #[error("database error while {context}: {source}")]
    Database {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

impl AppError {
    /// Wraps a database error with what the server was doing.
    pub fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
        move |source| AppError::Database { context, source }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Revoked => (StatusCode::FORBIDDEN, "kiosk_revoked"),
            AppError::SeqGap { .. } => (StatusCode::CONFLICT, "seq_gap"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::Database { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "database"),
            AppError::Unfinished(_) => (StatusCode::INTERNAL_SERVER_ERROR, "unfinished"),
        }
    }
}

/// A body that is not the JSON expected: too large (413) or malformed (400), never a 5xx.
impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(rejection.body_text())
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            AppError::Database { .. } => {
                tracing::error!("{self}");
                "the server could not reach its database".to_owned()
            }
            other => other.to_string(),
        };
        let expected_seq = match self {
            AppError::SeqGap { expected_seq } => Some(expected_seq),
            _ => None,
        };
        (status, Json(ErrorBody { error: message, code, expected_seq })).into_response()
    }
}
