//! Wrong tries held back before they cost anything: staff passwords (`sign_in`) and kiosks'
//! pairing codes (`pairing`), both counted by `wrong_tries`. Kept in the state, below every
//! route that uses them.

pub mod pairing;
pub mod sign_in;
pub mod wrong_tries;
