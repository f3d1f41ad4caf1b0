//! Signing in and out, choosing one's password, switching site and language: the pages before
//! and around the console's others.

pub mod routes;
