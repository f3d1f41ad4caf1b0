//! Errors as values: every failure carries what was being done, and turns into an HTTP
//! answer with a stable code from the domain's wire contract (`ApiError`), which kiosks act
//! on, and words that say what really happened without leaking internals.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header::RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use jiayuan_domain::sync::{ApiError, BatchError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request was wrong; the message is for the person or kiosk that sent it.
    #[error("{0}")]
    BadRequest(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// No valid credentials: unknown kiosk, forged secret.
    #[error("{0}")]
    Unauthorized(String),
    /// Not from an address the operator allows.
    #[error("{0}")]
    NotAllowed(String),
    /// One answer for a pairing code that is wrong, used, withdrawn or expired.
    #[error("this pairing code is not valid; ask staff for a new one")]
    PairingCodeRefused,
    /// Too many attempts from one address (or from everywhere): wait and try again.
    #[error("too many attempts; try again in {retry_after_s} seconds")]
    TooManyAttempts { retry_after_s: u64 },
    /// The request contradicts what the server already holds.
    #[error("{0}")]
    Conflict(String),
    /// A kiosk staff have revoked; its staff panel tells staff so.
    #[error("this kiosk has been revoked by staff; pair it again to use it")]
    Revoked,
    /// A batch skipped record numbers: the kiosk resends from `expected_seq`.
    #[error("records must arrive in order; send record {expected_seq} next")]
    SeqGap { expected_seq: u64 },
    /// A number this kiosk already used for another record.
    #[error("record number {seq} was already used by another record; this kiosk's numbering was reset")]
    SeqReused { seq: u64 },
    #[error("the request is too large")]
    TooLarge,
    /// Work the server started and could not finish (a task that panicked).
    #[error("the server could not finish {0}")]
    Unfinished(&'static str),
    /// Another server process kept changing the same rows while this one tried, again and again.
    #[error("another server process was changing the same records while {0}; send again")]
    Busy(&'static str),
    /// Too much of one kind of work at once (a flood of sign-ins): refused before it started.
    #[error("the server is busy {0}; try again in a moment")]
    Overloaded(&'static str),
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

    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::NotAllowed(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::PairingCodeRefused => (StatusCode::UNAUTHORIZED, ErrorCode::PairingCodeRefused),
            AppError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts),
            AppError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::Revoked => (StatusCode::FORBIDDEN, ErrorCode::KioskRevoked),
            AppError::SeqGap { .. } => (StatusCode::CONFLICT, ErrorCode::SeqGap),
            AppError::SeqReused { .. } => (StatusCode::CONFLICT, ErrorCode::SeqReused),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            AppError::Database { .. } => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Database),
            AppError::Unfinished(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Unfinished),
            AppError::Busy(_) | AppError::Overloaded(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
        }
    }

    /// A clash with another transaction (another server process on the same PostgreSQL, or
    /// SQLite's lock held by another process) that the same work may not meet if done again:
    /// a serialization failure, a deadlock, a duplicate key from a concurrent insert, a busy
    /// database file.
    pub fn is_clash(&self) -> bool {
        let AppError::Database { source: sqlx::Error::Database(error), .. } = self else { return false };
        matches!(error.code().as_deref(), Some("40001" | "40P01" | "23505" | "5" | "517" | "2067" | "1555"))
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

impl From<BatchError> for AppError {
    fn from(error: BatchError) -> Self {
        AppError::BadRequest(error.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let error = match &self {
            AppError::Database { context, .. } => {
                tracing::error!("{self}");
                crate::metrics::METRICS.database_errors.inc();
                format!("the server's database failed while {context}; try again later")
            }
            other => other.to_string(),
        };
        let mut body = ApiError::new(code, error);
        let mut retry_after = None;
        match self {
            AppError::SeqGap { expected_seq } => body.expected_seq = Some(expected_seq),
            AppError::TooManyAttempts { retry_after_s } => {
                body.retry_after_s = Some(retry_after_s);
                retry_after = Some(retry_after_s);
            }
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
