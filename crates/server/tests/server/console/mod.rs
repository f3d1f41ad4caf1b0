//! The staff console over real HTTP, as a browser uses it.

mod auth;
mod care;
mod hostile_files;
mod kiosks;
mod refusals;
mod roster;
mod schedule;
mod sign_ups;
mod staff;
mod to_call;
mod walls;
