//! Sign-ups on a resident's behalf (they phoned, or came to the desk): through the same seat
//! rules as the kiosks' records.

pub mod routes;
