//! A sync problem in words staff can act on, in the screen's language.

use crate::i18n::{t_string, use_i18n};
use crate::sync::Problem;
use crate::words::fill;

pub fn problem_words(problem: &Problem) -> String {
    let i18n = use_i18n();
    match problem {
        Problem::NotPaired => t_string!(i18n, not_paired).to_string(),
        Problem::Offline => t_string!(i18n, err_offline).to_string(),
        Problem::Timeout => t_string!(i18n, err_timeout).to_string(),
        Problem::Server(status) => fill(t_string!(i18n, err_server), &[("status", (*status).to_string())]),
        Problem::Refused => t_string!(i18n, err_refused).to_string(),
        Problem::PairingCode => t_string!(i18n, err_pairing_code).to_string(),
        Problem::TooManyAttempts { retry_after_s } => {
            fill(t_string!(i18n, err_too_many), &[("minutes", retry_after_s.div_ceil(60).to_string())])
        }
        Problem::NumberingClash => t_string!(i18n, err_numbering).to_string(),
        Problem::Gap { expected } => fill(t_string!(i18n, err_gap), &[("expected", (*expected).to_string())]),
        Problem::Storage(detail) => format!("{}: {detail}", t_string!(i18n, err_storage)),
        Problem::BadAnswer => t_string!(i18n, err_answer).to_string(),
    }
}
