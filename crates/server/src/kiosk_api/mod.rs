//! What kiosks reach: their files, health, pairing, the schedule, sync (push and pull), and the
//! API's OpenAPI document. One file per concern; each handler parses, calls one service and
//! maps its answer.

pub mod health;
pub mod kiosk_files;
pub mod openapi;
pub mod schedule;
pub mod sync;
