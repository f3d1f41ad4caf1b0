//! Kiosks' sync: receiving their records exactly once, in each kiosk's order, with the server
//! deciding seats (push), and sending back what changed (pull).

// Numbers here come from kiosks: no arithmetic that could overflow on what they send.
#![deny(clippy::arithmetic_side_effects)]

pub mod group_commit;
pub mod pull;
pub mod push;
pub mod records;
pub mod seats;
