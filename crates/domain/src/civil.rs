//! Civil dates and times as they travel in JSON: "2026-11-23" and "08:30". Written out here
//! rather than with `time`'s format descriptions, whose parser and formatter would add tens of
//! kilobytes to the kiosk's download for two fixed shapes.

use serde::{Deserialize, Deserializer, Serializer, de::Error};
use time::{Date, Month, Time};

fn numbers<const N: usize>(text: &str, separator: char) -> Option<[u16; N]> {
    let mut parts = [0u16; N];
    let mut pieces = text.split(separator);
    for part in parts.iter_mut() {
        let piece = pieces.next()?;
        if piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *part = piece.parse().ok()?;
    }
    pieces.next().is_none().then_some(parts)
}

pub fn parse_date(text: &str) -> Option<Date> {
    let [year, month, day] = numbers::<3>(text, '-')?;
    Date::from_calendar_date(i32::from(year), Month::try_from(u8::try_from(month).ok()?).ok()?, u8::try_from(day).ok()?)
        .ok()
}

pub fn parse_hour_minute(text: &str) -> Option<Time> {
    let [hour, minute] = numbers::<2>(text, ':')?;
    Time::from_hms(u8::try_from(hour).ok()?, u8::try_from(minute).ok()?, 0).ok()
}

/// "2026-11-23"
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

/// "08:30"
pub fn format_hour_minute(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_date(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a date like 2026-11-23")))
    }
}

pub mod hour_minute {
    use super::*;

    pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_hour_minute(*time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_hour_minute(&text).ok_or_else(|| D::Error::custom(format!("{text:?} is not a time like 08:30")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn reads_only_well_formed_dates_and_times() {
        assert_eq!(parse_date("2026-11-23"), Some(date!(2026 - 11 - 23)));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-11"), None);
        assert_eq!(parse_date("2026-11-23-1"), None);
        assert_eq!(parse_hour_minute("08:30"), Some(time!(8:30)));
        assert_eq!(parse_hour_minute("24:00"), None);
        assert_eq!(parse_hour_minute("8:3x"), None);
    }
}
