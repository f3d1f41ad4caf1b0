//! Jiayuan's kiosk: what a resident sees and touches in the activity room.
//!
//! Client-side rendered Leptos, built to WebAssembly by Trunk. Screens live in their own
//! modules; the pure rules they follow are in `jiayuan-domain`.

pub mod actions;
pub mod app;
pub mod card_reader;
pub mod clock;
pub mod i18n;
pub mod input;
pub mod language_chooser;
pub mod large_text;
pub mod screens;
pub mod service_worker;
pub mod sound_controls;
pub mod speech;
pub mod staff;
pub mod state;
pub mod storage;
pub mod sync;
pub mod words;

pub use app::App;
