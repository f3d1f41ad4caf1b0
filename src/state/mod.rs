//! What the kiosk holds while it runs: the saved records and the pulled catalog
//! (`local_data`), and who is at the screen and what they see (`session`).

pub mod local_data;
pub mod session;
pub mod visit_notes;

pub use local_data::LocalData;
pub use session::{Confirmation, Screen, Session};
