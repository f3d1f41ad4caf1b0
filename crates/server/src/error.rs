//! The community's failures as HTTP answers: a status, the wire contract's code and words that
//! say what really happened without leaking internals. The failure rides on the response
//! (`Failure`) so that one middleware logs and counts it (`crate::middleware`), and nothing
//! else has side effects.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header::RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use jiayuan_community::error::AppError;
use jiayuan_domain::sync::{ApiError, BatchError};

/// A service's failure answered over HTTP.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct HttpError(#[from] pub AppError);

/// What went wrong on the server's side, for the middleware that logs and counts failures.
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: String,
    pub in_database: bool,
}

/// The HTTP status for a failure.
pub fn status(error: &AppError) -> StatusCode {
    match error {
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Unauthorized(_) | AppError::PairingCodeRefused => StatusCode::UNAUTHORIZED,
        AppError::NotAllowed(_) | AppError::Revoked => StatusCode::FORBIDDEN,
        AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Conflict(_) | AppError::SeqGap { .. } | AppError::SeqReused { .. } => StatusCode::CONFLICT,
        AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Database { .. } | AppError::Unfinished(_) => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Busy(_) | AppError::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The server's own failures ride on their responses, for the middleware to log and count.
pub fn failure_of(error: &AppError) -> Option<Failure> {
    status(error)
        .is_server_error()
        .then(|| Failure { message: error.to_string(), in_database: matches!(error, AppError::Database { .. }) })
}

impl From<BatchError> for HttpError {
    fn from(error: BatchError) -> Self {
        HttpError(error.into())
    }
}

impl From<sqlx::Error> for HttpError {
    fn from(source: sqlx::Error) -> Self {
        HttpError(AppError::Database { context: "answering a request", source })
    }
}

/// A body that is not the JSON expected: too large (413) or malformed (400), never a 5xx.
impl From<axum::extract::rejection::JsonRejection> for HttpError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError(AppError::TooLarge)
        } else {
            HttpError(AppError::BadRequest(rejection.body_text()))
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let HttpError(error) = self;
        let failure = failure_of(&error);
        let words = match &error {
            AppError::Database { context, .. } => {
                format!("the server's database failed while {context}; try again later")
            }
            other => other.to_string(),
        };
        let mut body = ApiError::new(error.code(), words);
        let mut retry_after = None;
        match error {
            AppError::SeqGap { expected_seq } => body.expected_seq = Some(expected_seq),
            AppError::TooManyAttempts { retry_after_s } => {
                body.retry_after_s = Some(retry_after_s);
                retry_after = Some(retry_after_s);
            }
            _ => {}
        }
        let mut response = (status(&error), Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(failure) = failure {
            response.extensions_mut().insert(failure);
        }
        response
    }
}
