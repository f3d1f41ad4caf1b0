//! The time bank (爱心银行): volunteers' hours by month and in all, held service to confirm,
//! hours from paper. Staff's words for it live in `time_bank.*`.

pub mod routes;
