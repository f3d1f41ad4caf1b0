//! What the server answers when it does not do what was asked: a stable code the kiosk acts
//! on (never the HTTP status alone), words for whoever reads a log or a staff panel, and what
//! the code needs to be acted on.

use serde::{Deserialize, Serialize};

/// Every error answer from the API carries this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    /// Words for the person reading a log or a staff panel.
    pub error: String,
    /// With `seq_gap`: the record number the server expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<u64>,
    /// With `too_many_attempts`: seconds to wait before trying again (also `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
}

/// What went wrong, as a code both sides know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed; sending it again will not help.
    BadRequest,
    NotFound,
    /// Not a paired kiosk: unknown id or wrong secret.
    Unauthorized,
    /// Not from here: an address the operator did not allow.
    Forbidden,
    /// A kiosk staff revoked: it waits until staff pair it again.
    KioskRevoked,
    /// A pairing code that is wrong, used, withdrawn or expired (one answer for all).
    PairingCodeRefused,
    /// Too many attempts from here: wait `retry_after_s`.
    TooManyAttempts,
    /// Records skipped a number: send from `expected_seq`.
    SeqGap,
    /// A record number this kiosk used before for another record.
    SeqReused,
    /// The request contradicts what the server holds.
    Conflict,
    TooLarge,
    /// The server's database failed or is unreachable: try again later.
    Database,
    /// Another server process held what this request needed: try again.
    Busy,
    /// The server could not finish the work it started: try again later.
    Unfinished,
    /// A code this kiosk's version does not know (a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Whether the same request may succeed later without anyone changing anything.
    pub fn worth_retrying(self) -> bool {
        matches!(
            self,
            ErrorCode::Database
                | ErrorCode::Busy
                | ErrorCode::Unfinished
                | ErrorCode::TooManyAttempts
                | ErrorCode::Unknown
        )
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, error: impl Into<String>) -> ApiError {
        ApiError { code, error: error.into(), expected_seq: None, retry_after_s: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travels_as_a_code_with_words() {
        let gap = ApiError { expected_seq: Some(7), ..ApiError::new(ErrorCode::SeqGap, "send 7 next") };
        let json = serde_json::to_value(&gap).unwrap();
        assert_eq!(json, serde_json::json!({"code": "seq_gap", "error": "send 7 next", "expected_seq": 7}));
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), gap);
    }

    #[test]
    fn a_code_from_a_newer_server_is_read_as_unknown() {
        let body = r#"{"code": "something_new", "error": "words"}"#;
        assert_eq!(serde_json::from_str::<ApiError>(body).unwrap().code, ErrorCode::Unknown);
    }
}
