//! Regulars not seen (关爱提醒).

pub mod routes;
