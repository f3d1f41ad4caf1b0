//! What the journal may forget: records the server has answered, once they are a week old.
//! Until then a server restored from a backup can ask for them again and get them.

/// How long answered records are kept.
pub const KEEP_ANSWERED_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The highest number that may be forgotten now, given the oldest entries held (number and
/// when it happened, oldest first; None for an entry that cannot be read). Records go
/// strictly in order: forgetting stops at the first that is unanswered or still young.
pub fn forget_through(answered: u64, oldest_held: &[(u64, Option<i64>)], now: i64, keep_ms: i64) -> Option<u64> {
    let cutoff = now.saturating_sub(keep_ms);
    oldest_held
        .iter()
        .take_while(|(seq, happened_at)| *seq <= answered && happened_at.is_none_or(|at| at < cutoff))
        .last()
        .map(|(seq, _)| *seq)
}
