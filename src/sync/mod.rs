//! The kiosk's sync engine: sends saved records to the community's server and brings back its
//! decisions, the schedule and the roster. `navigator.onLine` is only a hint to try now; a
//! completed request is the only proof the server is there.

pub mod credentials;
pub mod engine;
pub mod http;
pub mod problem;

pub use credentials::Credentials;
pub use engine::{SyncEngine, SyncStatus};
pub use problem::Problem;
