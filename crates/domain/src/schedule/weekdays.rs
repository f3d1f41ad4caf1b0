//! The days of the week an activity repeats on, as staff write them in a spreadsheet.

use std::fmt;

use time::Weekday;

/// A set of weekdays. Written `mon,wed,fri`; read from what staff type: `mon wed fri`,
/// `1,3,5` (Monday is 1), `周一、周三、周五`, `一三五`, `每天`, `工作日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Weekdays(u8);

const ORDER: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
const SHORT: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
/// 一 … 六 for Monday … Saturday; 日 and 天 are both Sunday.
const CHINESE: [char; 8] = ['一', '二', '三', '四', '五', '六', '日', '天'];
/// Words before a day number that say "week": 周一, 週一, 星期一, 礼拜一, 禮拜一.
const WEEK_WORDS: [char; 7] = ['周', '週', '星', '期', '礼', '禮', '拜'];
const EVERY_DAY: [&str; 4] = ["每天", "每日", "daily", "everyday"];
const WORKING_DAYS: [&str; 2] = ["工作日", "weekdays"];

impl Weekdays {
    pub const EVERY_DAY: Weekdays = Weekdays(0b111_1111);
    pub const MONDAY_TO_FRIDAY: Weekdays = Weekdays(0b001_1111);

    pub fn of(days: &[Weekday]) -> Weekdays {
        days.iter().fold(Weekdays::default(), |set, day| set.with(*day))
    }

    pub fn with(self, day: Weekday) -> Weekdays {
        Weekdays(self.0 | 1 << day.number_days_from_monday())
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & 1 << day.number_days_from_monday() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Reads staff's words for a set of weekdays; `None` if any part is not a weekday.
    pub fn parse(text: &str) -> Option<Weekdays> {
        let text = text.trim().to_lowercase();
        if EVERY_DAY.contains(&text.as_str()) || text == "every day" {
            return Some(Weekdays::EVERY_DAY);
        }
        if WORKING_DAYS.contains(&text.as_str()) {
            return Some(Weekdays::MONDAY_TO_FRIDAY);
        }
        let mut set = Weekdays::default();
        let separators = |c: char| c.is_whitespace() || ",;/、，；".contains(c);
        for word in text.split(separators).filter(|w| !w.is_empty()) {
            set = Weekdays(set.0 | parse_word(word)?.0);
        }
        Some(set).filter(|set| !set.is_empty())
    }
}

/// One word: `mon`, `monday`, `1`, or Chinese days run together (`周一周三`, `一三五`).
fn parse_word(word: &str) -> Option<Weekdays> {
    let numbered = word.parse::<usize>().ok().filter(|n| (1..=7).contains(n)).map(|n| n - 1);
    let named = SHORT.iter().position(|s| *s == word).or_else(|| FULL.iter().position(|f| *f == word));
    if let Some(index) = numbered.or(named) {
        return Some(Weekdays::default().with(ORDER[index]));
    }
    let mut set = Weekdays::default();
    for c in word.chars() {
        match CHINESE.iter().position(|d| *d == c) {
            Some(index) => set = set.with(ORDER[index.min(6)]),
            None if WEEK_WORDS.contains(&c) => {}
            None => return None,
        }
    }
    Some(set).filter(|set| !set.is_empty())
}

impl fmt::Display for Weekdays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> =
            ORDER.iter().zip(SHORT).filter(|(day, _)| self.contains(**day)).map(|(_, s)| s).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::{Friday, Monday, Sunday, Wednesday};

    fn mon_wed_fri() -> Weekdays {
        Weekdays::of(&[Monday, Wednesday, Friday])
    }

    #[test]
    fn reads_the_ways_staff_write_days() {
        for text in [
            "mon,wed,fri",
            "Mon Wed Fri",
            "monday, wednesday, friday",
            "1,3,5",
            "周一、周三、周五",
            "一三五",
            "星期一 星期三 星期五",
            "週一，週三，週五",
        ] {
            assert_eq!(Weekdays::parse(text), Some(mon_wed_fri()), "{text}");
        }
        assert_eq!(Weekdays::parse("周日"), Some(Weekdays::of(&[Sunday])));
        assert_eq!(Weekdays::parse("星期天"), Some(Weekdays::of(&[Sunday])));
        assert_eq!(Weekdays::parse("7"), Some(Weekdays::of(&[Sunday])));
        assert_eq!(Weekdays::parse("每天"), Some(Weekdays::EVERY_DAY));
        assert_eq!(Weekdays::parse("工作日"), Some(Weekdays::MONDAY_TO_FRIDAY));
    }

    #[test]
    fn refuses_what_is_not_a_weekday() {
        for text in ["", "  ", "8", "0", "someday", "周八", "周", "mon,tomorrow"] {
            assert_eq!(Weekdays::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn writes_a_form_it_reads_back() {
        assert_eq!(mon_wed_fri().to_string(), "mon,wed,fri");
        assert_eq!(Weekdays::parse(&Weekdays::EVERY_DAY.to_string()), Some(Weekdays::EVERY_DAY));
    }
}
