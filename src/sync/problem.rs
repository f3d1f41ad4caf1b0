//! Why the last sync failed, in words staff can act on (the staff panel translates them).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing to sync with yet: staff have not paired this kiosk.
    NotPaired,
    /// The request did not complete: no network, or no server at the other end.
    Offline,
    Timeout,
    /// The server answered with an error of its own (5xx, or an unexpected status).
    Server(u16),
    /// The server does not accept this kiosk: revoked, or unknown.
    Refused,
    /// A pairing code that is wrong, used, withdrawn or expired.
    PairingCode,
    /// Too many wrong pairing codes from here: wait this long.
    TooManyAttempts {
        retry_after_s: u64,
    },
    /// The server has this kiosk's record numbers for other records (its journal was wiped
    /// and started again): staff pair it again.
    NumberingClash,
    /// The server expects another record number than the kiosk holds.
    Gap {
        expected: u64,
    },
    /// The kiosk's storage failed while keeping answers or the catalog.
    Storage(String),
    /// The server's answer was not what the protocol says.
    BadAnswer,
}

impl Problem {
    /// The name a kiosk reports the problem by (`report::problem`); None for what is not a
    /// sync failure staff watch from the console.
    pub fn report_name(&self) -> Option<&'static str> {
        use jiayuan_domain::sync::report::problem;
        match self {
            Problem::Offline => Some(problem::OFFLINE),
            Problem::Timeout => Some(problem::TIMEOUT),
            Problem::Server(_) => Some(problem::SERVER),
            Problem::Refused => Some(problem::REFUSED),
            Problem::NumberingClash => Some(problem::NUMBERING_CLASH),
            Problem::Gap { .. } => Some(problem::GAP),
            Problem::Storage(_) => Some(problem::STORAGE),
            Problem::BadAnswer => Some(problem::BAD_ANSWER),
            Problem::NotPaired | Problem::PairingCode | Problem::TooManyAttempts { .. } => None,
        }
    }
}
