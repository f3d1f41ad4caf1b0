//! Jiayuan's community server: HTTP and the command line over the community's services and
//! storage (`jiayuan_community`), which keep the schedule and the roster, apply kiosks'
//! records and decide seats. Here: state, router, middleware, client address, the kiosk API, the
//! console's pages (reports among them), `serve`, `main`. `app()` builds the whole HTTP
//! surface as a Router, so tests drive exactly what runs.

pub mod certificates;
pub mod client_address;
pub mod config;
pub mod console;
pub mod error;
pub mod kiosk_api;
pub mod messages;
pub mod metrics;
pub mod middleware;
pub mod router;
pub mod serve;
pub mod shutdown;
pub mod state;
pub mod throttles;
pub mod to_completion;
pub mod transport;

/// Every binary built on the server (itself, its tests, its benches) allocates with mimalloc:
/// why is beside the dependency in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// The console's words (locales/console.yml), embedded at compile time.
rust_i18n::i18n!("locales");

pub use config::ServeConfig;
pub use error::HttpError;
pub use router::app;
pub use state::{AppState, Settings};
