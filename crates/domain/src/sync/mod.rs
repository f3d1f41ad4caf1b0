//! The sync protocol between kiosks and the server: what a kiosk sends, what the server
//! answers. Pure data and rules; the transport and storage live in the kiosk and the server.
//!
//! Each kiosk numbers its records 1, 2, 3 … The server applies them strictly in that order,
//! each once: a record it has applied before gets the stored answer again, and a gap in the
//! numbers is refused so the kiosk resends from the first missing one.

pub mod backoff;
pub mod outcome;
pub mod pull;
pub mod push;
pub mod record;

pub use outcome::{Outcome, RejectReason};
pub use push::{PushRequest, PushResponse, RecordResult, SeqGap};
pub use record::{Action, KioskRecord, Person, RecordError};
