//! The kiosk's staff panel: hidden from residents (five taps on the name, then the staff PIN),
//! it shows the kiosk's state and lets staff pair it and sync now.

pub mod panel;
pub mod problem_words;
pub mod secret_taps;

pub use panel::StaffPanel;
