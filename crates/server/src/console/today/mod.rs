//! The console's first page.

pub mod routes;
