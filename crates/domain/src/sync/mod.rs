//! The sync protocol between kiosks and the server: what a kiosk sends, what the server
//! answers. Pure data and rules; the transport and storage live in the kiosk and the server.
//!
//! Each kiosk numbers its records 1, 2, 3 … The server applies them strictly in that order,
//! each once: a record it has applied before gets the stored answer again, and a gap in the
//! numbers is refused so the kiosk resends from the first missing one.

// Numbers here come from kiosks: no arithmetic that could overflow on what they send.
#![deny(clippy::arithmetic_side_effects)]

pub mod backoff;
pub mod error;
pub mod outcome;
pub mod pairing;
pub mod pull;
pub mod push;
pub mod record;
pub mod report;

pub use error::{ApiError, ErrorCode};
pub use outcome::{Outcome, RejectReason};
pub use pairing::{PairRequest, Pairing};
pub use push::{BatchError, PushRequest, PushResponse, RecordResult};
pub use record::{Action, KioskRecord, Person, Rating, RecordError, VoidReason};
