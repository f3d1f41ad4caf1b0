//! The days a report covers: one day, a week (Monday to Sunday), a month, or any range staff
//! type, both ends included.

use time::{Date, Duration, Month};

use crate::civil::{format_date, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    NotADate,
    EndsBeforeStarts,
    /// Longer than a year and a day: reports are for a day up to a year.
    TooLong,
}

impl PeriodProblem {
    pub fn name(self) -> &'static str {
        match self {
            PeriodProblem::NotADate => "not_a_date",
            PeriodProblem::EndsBeforeStarts => "last_before_first",
            PeriodProblem::TooLong => "too_long",
        }
    }
}

fn first_of_month(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn last_of_month(day: Date) -> Date {
    let last = day.month().length(day.year());
    day.replace_day(last).unwrap_or(day)
}

impl Period {
    /// The longest period a report covers, in days.
    pub const MAX_DAYS: i64 = 366;

    pub fn day(day: Date) -> Period {
        Period { from: day, to: day }
    }

    /// Monday to Sunday around `day`.
    pub fn week_of(day: Date) -> Period {
        let from = day - Duration::days(i64::from(day.weekday().number_days_from_monday()));
        Period { from, to: from + Duration::days(6) }
    }

    pub fn month_of(day: Date) -> Period {
        Period { from: first_of_month(day), to: last_of_month(day) }
    }

    /// The period staff asked for; nothing typed means this month so far's whole month.
    pub fn parse(from: &str, to: &str, today: Date) -> Result<Period, PeriodProblem> {
        let (from, to) = (from.trim(), to.trim());
        if from.is_empty() && to.is_empty() {
            return Ok(Period::month_of(today));
        }
        let from = parse_date(from).ok_or(PeriodProblem::NotADate)?;
        let to = if to.is_empty() { from } else { parse_date(to).ok_or(PeriodProblem::NotADate)? };
        if to < from {
            return Err(PeriodProblem::EndsBeforeStarts);
        }
        let period = Period { from, to };
        if period.days() > Period::MAX_DAYS {
            return Err(PeriodProblem::TooLong);
        }
        Ok(period)
    }

    /// How many days it covers, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// Every day it covers, in order.
    pub fn each_day(&self) -> impl Iterator<Item = Date> + '_ {
        (0..self.days()).map(|n| self.from + Duration::days(n))
    }

    /// Whether it is exactly one calendar month.
    pub fn is_month(&self) -> bool {
        self.from.day() == 1 && self.to == last_of_month(self.from)
    }

    /// The period before this one: the month before a month, else as many days just before.
    pub fn previous(&self) -> Period {
        if self.is_month() {
            return Period::month_of(self.from - Duration::days(1));
        }
        let length = Duration::days(self.days());
        Period { from: self.from - length, to: self.to - length }
    }

    /// The period after this one: the month after a month, else as many days just after.
    pub fn next(&self) -> Period {
        if self.is_month() {
            return Period::month_of(self.to + Duration::days(1));
        }
        let length = Duration::days(self.days());
        Period { from: self.from + length, to: self.to + length }
    }

    /// For a file name or a link: `2026-11-01_2026-11-30`.
    pub fn slug(&self) -> String {
        format!("{}_{}", format_date(self.from), format_date(self.to))
    }

    pub fn month(&self) -> Month {
        self.from.month()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 01);

    #[test]
    fn nothing_typed_is_this_month() {
        assert_eq!(Period::parse("", "", TODAY), Ok(Period { from: date!(2026 - 12 - 01), to: date!(2026 - 12 - 31) }));
    }

    #[test]
    fn one_date_is_that_day_and_a_range_includes_both_ends() {
        assert_eq!(Period::parse("2026-11-03", "", TODAY).map(|p| p.days()), Ok(1));
        let november = Period::parse("2026-11-01", "2026-11-30", TODAY).unwrap();
        assert_eq!(november.days(), 30);
        assert!(november.is_month());
        assert_eq!(november.each_day().last(), Some(date!(2026 - 11 - 30)));
    }

    #[test]
    fn bad_ranges_are_named() {
        assert_eq!(Period::parse("11/3", "", TODAY), Err(PeriodProblem::NotADate));
        assert_eq!(Period::parse("2026-11-05", "2026-11-01", TODAY), Err(PeriodProblem::EndsBeforeStarts));
        assert_eq!(Period::parse("2025-01-01", "2026-11-30", TODAY), Err(PeriodProblem::TooLong));
        assert!(Period::parse("2025-12-01", "2026-11-30", TODAY).is_ok(), "a year is fine");
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_months_step_by_month() {
        let week = Period::week_of(date!(2026 - 12 - 03));
        assert_eq!((week.from, week.to), (date!(2026 - 11 - 30), date!(2026 - 12 - 06)));
        assert_eq!(week.next().from, date!(2026 - 12 - 07));
        let february = Period::month_of(date!(2026 - 03 - 15)).previous();
        assert_eq!((february.from, february.to), (date!(2026 - 02 - 01), date!(2026 - 02 - 28)));
        assert_eq!(Period::month_of(date!(2026 - 01 - 31)).next().to, date!(2026 - 02 - 28));
    }
}
