//! What the community office does, as services the console's pages, the command line and the
//! tests all call: one file per part, each change in one transaction that checks what it reads.
//! Refusals are `form::ServiceError` values (a field and a key of the console's words).

pub mod accounts;
pub mod care;
pub mod draws;
pub mod form;
pub mod guardians;
pub mod handover;
pub mod kiosks;
pub mod notices;
pub mod roster;
pub mod schedule;
pub mod sign_ups;
pub mod sites;
pub mod spreadsheet;
pub mod staff;
pub mod time_bank;
pub mod today;
pub mod upload;
