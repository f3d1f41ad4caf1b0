//! Staff accounts (administrators only): who may sign in to the console, with which role, for
//! which sites.

pub mod routes;
