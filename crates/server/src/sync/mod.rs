//! Kiosks' sync: receiving their records exactly once, in each kiosk's order, with the server
//! deciding seats (push), and sending back what changed (pull).

pub mod group_commit;
pub mod pull;
pub mod push;
pub mod records;
pub mod seats;
