//! How residents' hands reach the kiosk: card readers, trembling taps, long pauses.
//! Pure state machines fed with timestamps, so they are tested without waiting.

pub mod card_scan;
pub mod idle;
pub mod tap_guard;
