//! The community's own calendar: "today" is the date on the activity room's wall, not UTC's.

use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time, where the communities Jiayuan is made for are.
pub const DEFAULT_UTC_OFFSET: &str = "+08:00";

/// Reads `+08:00`, `-05:30`, `+00:00` (the form of `--utc-offset`).
pub fn parse_utc_offset(text: &str) -> Result<UtcOffset, String> {
    let format = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    UtcOffset::parse(text.trim(), format).map_err(|_| format!("{text:?} is not a UTC offset like +08:00"))
}

pub fn today(offset: UtcOffset) -> Date {
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// The community's date at `ms` (server clock, ms since 1970).
pub fn day_of(ms: i64, offset: UtcOffset) -> Date {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map_or_else(|_| today(offset), |at| at.to_offset(offset).date())
}

/// The moment `time` on `day` on the community's clock, ms since 1970.
pub fn ms_at(day: Date, time: time::Time, offset: UtcOffset) -> i64 {
    time::PrimitiveDateTime::new(day, time).assume_offset(offset).unix_timestamp().saturating_mul(1000)
}

/// "14:05": the community's wall-clock time of `ms` (server clock, ms since 1970).
pub fn wall_clock(ms: i64, offset: UtcOffset) -> String {
    match OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(at) => {
            let at = at.to_offset(offset);
            format!("{:02}:{:02}", at.hour(), at.minute())
        }
        Err(_) => "--:--".to_owned(),
    }
}

/// "2026-12-01 14:05": the community's date and wall-clock time of `ms`.
pub fn date_and_clock(ms: i64, offset: UtcOffset) -> String {
    match OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(at) => {
            let at = at.to_offset(offset);
            format!("{} {:02}:{:02}", jiayuan_domain::civil::format_date(at.date()), at.hour(), at.minute())
        }
        Err(_) => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_offsets_with_a_sign() {
        assert_eq!(parse_utc_offset("+08:00").unwrap().whole_hours(), 8);
        assert_eq!(parse_utc_offset("-05:30").unwrap().whole_minutes(), -330);
        assert!(parse_utc_offset("8").is_err());
        assert!(parse_utc_offset("CST").is_err());
    }

    #[test]
    fn wall_clock_time_in_the_community() {
        // 2026-12-01 06:05 UTC is 14:05 in China.
        assert_eq!(wall_clock(1_796_105_100_000, parse_utc_offset("+08:00").unwrap()), "14:05");
    }
}
