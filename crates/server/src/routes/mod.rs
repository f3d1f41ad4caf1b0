//! HTTP handlers, one file per concern.

pub mod health;
pub mod kiosk_files;
pub mod schedule;
pub mod sync;
