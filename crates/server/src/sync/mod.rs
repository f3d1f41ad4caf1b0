//! Receiving kiosks' records: exactly once, in each kiosk's order, with the server deciding
//! seats.

pub mod push;
pub mod seats;
