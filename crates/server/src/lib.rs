//! Jiayuan's community server: serves the kiosk's build, keeps the schedule and the roster,
//! receives kiosks' records and decides seats.
//!
//! `app()` builds the whole HTTP surface as a Router, so tests drive exactly what runs.

pub mod action_log;
pub mod app;
pub mod backups;
pub mod certificates;
pub mod client_address;
pub mod clock;
mod column_rows;
pub mod community_time;
pub mod config;
pub mod console;
pub mod db;
pub mod demo;
pub mod error;
pub mod horizon;
pub mod import;
pub mod kiosks;
pub mod metrics;
pub mod openapi;
pub mod recurring;
pub mod reports;
pub mod roster;
pub mod routes;
pub mod sample_year;
pub mod satisfaction;
pub mod schedule;
pub mod secret_key;
pub mod serve;
pub mod shutdown;
pub mod sites;
pub mod sync;
pub mod time_bank;
pub mod to_completion;
pub mod transport;
pub mod versions;
pub mod wrong_tries;

/// Every binary built on the server (itself, its tests, its benches) allocates with mimalloc:
/// why is beside the dependency in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The console's words (locales/console.yml), embedded at compile time.
rust_i18n::i18n!("locales");

pub use app::{AppState, Settings, app};
pub use config::ServeConfig;
pub use error::AppError;
