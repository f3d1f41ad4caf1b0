//! The server's integration tests, as one test binary: the server over real HTTP with a real
//! database (SQLite, or PostgreSQL when `JIAYUAN_TEST_POSTGRES_URL` is set), and the binary
//! as operators run it. Both test layers run this one binary; a new test file is one `mod`
//! line here.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message

mod support;

mod api;
mod backups;
mod binary;
mod chaos;
mod communities;
mod console;
mod draws;
mod handover;
mod https;
mod import;
mod kiosk_files;
mod messages;
mod metrics;
mod notices;
mod openapi_statuses;
mod pairing;
mod recurring;
mod reports;
mod satisfaction_and_time_bank;
mod sites;
mod sync_pull;
mod sync_push;
mod sync_trust;
mod two_servers;
