//! The server's clock: the one clock that orders and decides (kiosk clocks drift).

/// Milliseconds since 1970 by the server's clock.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
