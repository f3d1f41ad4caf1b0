//! Jiayuan's domain: the words residents, kiosks and the server share.
//!
//! Pure Rust with no web and no IO, so every rule here is tested natively and compiled
//! unchanged into the kiosk's WebAssembly and the server.

pub mod care;
pub mod catalog;
pub mod civil;
pub mod draws;
pub mod handover;
pub mod identity;
pub mod input;
pub mod journal;
pub mod language;
pub mod notices;
pub mod pin_lock;
pub mod privacy;
pub mod reports;
pub mod satisfaction;
pub mod schedule;
pub mod seats;
pub mod staff_pin;
pub mod sync;
pub mod text;
pub mod time_bank;
pub mod visits;

pub use language::Language;
pub use text::LocalizedText;
