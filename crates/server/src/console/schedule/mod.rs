//! The schedule: a week per room, one-off activities and recurring ones, cancelling and
//! restoring one session.

pub mod draw;
pub mod handover;
pub mod routes;
pub mod sheet;
