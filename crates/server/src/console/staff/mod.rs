//! Staff accounts (administrators only).

pub mod service;
