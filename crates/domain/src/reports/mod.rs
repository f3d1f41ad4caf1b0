//! What the reports count, said once: the days a report covers and the rules that turn records
//! into figures staff send upward. The server's queries follow these rules; the tests hold
//! both to them.

mod age;
mod period;
mod rules;

pub use age::AgeGroup;
pub use period::{Period, PeriodProblem};
pub use rules::{entries_per_seat_tenths, no_shows, participation_per_mille, silent_days, trend_tenths};
