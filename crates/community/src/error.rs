//! Errors as values: every failure of the community's services carries what was being done.
//! Each maps to a stable code of the domain's wire contract (`ErrorCode`), which kiosks act on;
//! the server above turns it into an HTTP answer, logs it and counts it, once.

use jiayuan_domain::sync::{BatchError, ErrorCode};

/// The transaction type every service writes in.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

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

    /// The wire contract's code for this failure, which kiosks act on.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Unauthorized(_) => ErrorCode::Unauthorized,
            AppError::NotAllowed(_) => ErrorCode::Forbidden,
            AppError::PairingCodeRefused => ErrorCode::PairingCodeRefused,
            AppError::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::Revoked => ErrorCode::KioskRevoked,
            AppError::SeqGap { .. } => ErrorCode::SeqGap,
            AppError::SeqReused { .. } => ErrorCode::SeqReused,
            AppError::TooLarge => ErrorCode::TooLarge,
            AppError::Database { .. } => ErrorCode::Database,
            AppError::Unfinished(_) => ErrorCode::Unfinished,
            AppError::Busy(_) | AppError::Overloaded(_) => ErrorCode::Busy,
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

impl From<BatchError> for AppError {
    fn from(error: BatchError) -> Self {
        AppError::BadRequest(error.to_string())
    }
}
