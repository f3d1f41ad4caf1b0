//! Who has signed in at this kiosk today, so a second sign-in the same day is recognised
//! ("you signed in at 09:12") and counted once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodaysVisits {
    /// The community's date these visits belong to; another date means a new day.
    #[serde(default, with = "optional_date")]
    pub date: Option<Date>,
    /// Resident id → when they first signed in (ms since 1970, the kiosk's clock).
    pub residents: BTreeMap<String, i64>,
}

impl TodaysVisits {
    /// When `resident_id` signed in on `today`, if they did.
    pub fn signed_in_at(&self, today: Date, resident_id: &str) -> Option<i64> {
        (self.date == Some(today)).then(|| self.residents.get(resident_id).copied()).flatten()
    }

    pub fn add(&mut self, today: Date, resident_id: &str, at_ms: i64) {
        if self.date != Some(today) {
            *self = TodaysVisits { date: Some(today), residents: BTreeMap::new() };
        }
        self.residents.entry(resident_id.to_owned()).or_insert(at_ms);
    }
}

mod optional_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => crate::civil::date::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.as_deref().and_then(crate::civil::parse_date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_second_sign_in_the_same_day_keeps_the_first_time() {
        let mut visits = TodaysVisits::default();
        let today = date!(2026 - 11 - 21);
        assert_eq!(visits.signed_in_at(today, "r1"), None);
        visits.add(today, "r1", 1_000);
        visits.add(today, "r1", 2_000);
        assert_eq!(visits.signed_in_at(today, "r1"), Some(1_000));
    }

    #[test]
    fn a_new_day_starts_afresh() {
        let mut visits = TodaysVisits::default();
        visits.add(date!(2026 - 11 - 21), "r1", 1_000);
        let tomorrow = date!(2026 - 11 - 22);
        assert_eq!(visits.signed_in_at(tomorrow, "r1"), None);
        visits.add(tomorrow, "r2", 5_000);
        assert_eq!(visits.residents.len(), 1);
    }
}
