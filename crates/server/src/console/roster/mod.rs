//! The roster: finding residents, adding and changing them, cards, moving away, and files.

pub mod guardians;
pub mod routes;
