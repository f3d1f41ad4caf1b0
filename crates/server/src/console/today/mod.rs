//! The console's first page.

pub mod routes;
pub mod service;
