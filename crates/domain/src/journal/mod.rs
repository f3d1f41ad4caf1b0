//! The kiosk's journal of records: what a resident did is written here, durably, before they
//! are told it is done; numbered 1, 2, 3 … without reuse; sent to the server in that order;
//! and kept a week after the server's answer, because a server restored from a backup may ask
//! for it again.
//!
//! Pure rules, tested natively. The kiosk keeps the journal in IndexedDB
//! (`src/storage/journal.rs`), one committed transaction per record; these functions decide
//! what it writes, what it sends and what it may forget.

// Numbers here are read back from storage that can be damaged: no arithmetic that overflows.
#![deny(clippy::arithmetic_side_effects)]

mod entry;
mod legacy;
mod meta;
mod outbox;
mod retention;

pub use entry::{decode, encode};
pub use legacy::{Migration, is_legacy_key, migrate_local_storage};
pub use meta::{JournalMeta, Tally};
pub use outbox::outbox;
pub use retention::{KEEP_ANSWERED_MS, forget_through};

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test data, not what kiosks send
mod tests;
