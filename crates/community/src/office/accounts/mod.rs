//! Staff accounts' storage: roles, password hashes, sessions. Who may manage whom is in
//! `office::staff`; the console reads sessions from cookies above.

pub mod password;
pub mod roles;
pub mod sessions;

pub use roles::Role;
pub use sessions::Session;
