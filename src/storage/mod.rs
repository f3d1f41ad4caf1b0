//! The kiosk's local storage: what must survive a reload, a power cut or days offline.

pub mod local_store;

pub use local_store::LocalStore;
pub mod json_entry;
