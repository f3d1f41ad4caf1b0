//! The action log, for administrators: who did what, when, to what, and why.

pub mod routes;
