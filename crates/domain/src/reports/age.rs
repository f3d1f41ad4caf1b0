//! Age groups the reports upward ask for, from a birth year the roster may know.

/// A resident's age group in a year; `Unknown` when the roster has no birth year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgeGroup {
    /// Under 18.
    Children,
    /// 18 to 59.
    Adults,
    /// 60 to 79.
    From60To79,
    /// 80 and over.
    From80,
    Unknown,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 5] =
        [AgeGroup::Children, AgeGroup::Adults, AgeGroup::From60To79, AgeGroup::From80, AgeGroup::Unknown];

    /// The group of someone born in `birth_year`, by the age they reach in `year`.
    pub fn of(birth_year: Option<i32>, year: i32) -> AgeGroup {
        match birth_year.map(|born| year.saturating_sub(born)) {
            None => AgeGroup::Unknown,
            Some(age) if age < 18 => AgeGroup::Children,
            Some(age) if age < 60 => AgeGroup::Adults,
            Some(age) if age < 80 => AgeGroup::From60To79,
            Some(_) => AgeGroup::From80,
        }
    }

    /// Its name, for words and files.
    pub fn name(self) -> &'static str {
        match self {
            AgeGroup::Children => "children",
            AgeGroup::Adults => "adults",
            AgeGroup::From60To79 => "60_79",
            AgeGroup::From80 => "80",
            AgeGroup::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_reached_in_the_year_decides() {
        assert_eq!(AgeGroup::of(Some(2009), 2026), AgeGroup::Children, "17 this year");
        assert_eq!(AgeGroup::of(Some(2008), 2026), AgeGroup::Adults, "18 this year");
        assert_eq!(AgeGroup::of(Some(1967), 2026), AgeGroup::Adults);
        assert_eq!(AgeGroup::of(Some(1966), 2026), AgeGroup::From60To79);
        assert_eq!(AgeGroup::of(Some(1947), 2026), AgeGroup::From60To79);
        assert_eq!(AgeGroup::of(Some(1946), 2026), AgeGroup::From80);
        assert_eq!(AgeGroup::of(None, 2026), AgeGroup::Unknown);
    }
}
