//! A community's services and storage, with no HTTP in it: the schedule and the roster, seats
//! and waiting lists, kiosks' records applied exactly once (sync), reports' queries, the time
//! bank, satisfaction, kiosks and pairing, staff accounts, files in and out, backups, the
//! action log, demo and sample data. The server crate above serves it over HTTP and the
//! command line; the rules themselves are the domain's (`jiayuan_domain`).
//!
//! Layers inside, lowest first (a module uses only those before it; `tests/layers.rs` checks):
//! `clock`, `community_time`, `error`, `metrics`, `secret_key`, `column_rows` → `db` →
//! `versions`, `sites`, `action_log` → `schedule`, `roster`, `kiosks` → `recurring`, `horizon`,
//! `reports`, `satisfaction`, `time_bank`, `backups` → `sync` → `import`, `office` → `demo`,
//! `demo_past`, `sample_year`.

pub mod action_log;
pub mod attendance;
pub mod backups;
pub mod clock;
mod column_rows;
pub mod community_time;
pub mod db;
pub mod demo;
pub mod demo_past;
pub mod draws;
pub mod error;
pub mod handover;
pub mod horizon;
pub mod import;
pub mod kiosks;
pub mod metrics;
pub mod notices;
pub mod office;
pub mod outgoing;
pub mod recurring;
pub mod reports;
pub mod roster;
pub mod sample_year;
pub mod satisfaction;
pub mod schedule;
pub mod secret_key;
pub mod sites;
pub mod sync;
pub mod time_bank;
pub mod versions;

pub use error::AppError;
