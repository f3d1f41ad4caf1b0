//! Kiosks: pairing codes for a room, every kiosk and how it is doing, revoking one.

pub mod routes;
