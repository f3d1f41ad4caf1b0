//! Residents as staff type them.

use serde::Deserialize;

use super::{Problem, ProblemKind, Problems, id, optional, yes_or_no};
use crate::identity::{IdentityKind, normalise};

/// A resident as staff record them. Card and phone digits stay on the server; kiosks get only
/// the masked name and digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident {
    pub id: String,
    pub full_name: String,
    pub card_number: Option<String>,
    pub phone_last4: Option<String>,
    /// The whole number, for staff who call them (待通知); never sent to kiosks.
    pub phone: Option<String>,
    /// Building-unit-room: 3-2-501.
    pub household: Option<String>,
    /// For reports by age group; never sent to kiosks.
    pub birth_year: Option<i32>,
    /// Serves in the time bank (爱心银行): may tap 开始服务 / 结束服务 at volunteer service.
    pub volunteer: bool,
    /// Lives alone (独居): first on the list of regulars not seen. Staff only.
    pub lives_alone: bool,
    /// Whom to call when they cannot be reached: a name and relation (李明（儿子）). Staff only.
    pub emergency_contact: Option<String>,
    pub emergency_phone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ResidentInput {
    pub id: String,
    pub full_name: String,
    pub card_number: String,
    pub phone_last4: String,
    pub phone: String,
    pub household: String,
    pub birth_year: String,
    /// 是 / 否 (a form's checkbox sends "on").
    pub volunteer: String,
    /// 是 / 否.
    pub lives_alone: String,
    pub emergency_contact: String,
    pub emergency_phone: String,
}

/// A phone number as staff write it (138 0013 8000, 0459-1234567, +86 138…), kept as its
/// digits (and a leading +): 5 to 20 digits.
pub(super) fn phone_number(typed: &str) -> Option<String> {
    let plus = typed.starts_with('+');
    let kept: String = typed.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+')).collect();
    let digits_only = kept.bytes().all(|b| b.is_ascii_digit()) && (5..=20).contains(&kept.len());
    let pluses = typed.matches('+').count();
    (digits_only && pluses == usize::from(plus)).then(|| if plus { format!("+{kept}") } else { kept })
}

/// A whole phone field: empty is none; anything else must be a phone number.
fn optional_phone(field: &'static str, typed: &str) -> Result<Option<String>, Problem> {
    match optional(typed) {
        None => Ok(None),
        Some(trimmed) => {
            phone_number(trimmed).map(Some).ok_or_else(|| Problem::new(field, ProblemKind::NotAPhoneNumber, typed))
        }
    }
}

/// The most characters an emergency contact's name and relation may have.
pub(super) const MAX_CONTACT_CHARS: usize = 40;

/// The years a birth year may be: anyone alive, and nobody born in the future's far side.
const BIRTH_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl ResidentInput {
    pub fn check(&self) -> Result<Resident, Vec<Problem>> {
        let mut problems = Problems::default();
        let id = problems.take(id("id", &self.id));
        let full_name = optional(&self.full_name).map(str::to_owned);
        if full_name.is_none() {
            problems.take::<()>(Err(Problem::new("full_name", ProblemKind::Empty, "")));
        }
        let phone = problems.take(optional_phone("phone", &self.phone));
        // The last four digits are the phone's unless staff typed others (a relative's phone).
        let last4_typed = match (optional(&self.phone_last4), &phone) {
            (None, Some(Some(whole))) => whole[whole.len() - 4..].to_owned(),
            _ => self.phone_last4.clone(),
        };
        let mut number = |field: &'static str, kind: IdentityKind, problem: ProblemKind, value: &str| {
            let checked = match optional(value) {
                None => Ok(None),
                Some(typed) => normalise(kind, typed).map(Some).ok_or_else(|| Problem::new(field, problem, value)),
            };
            problems.take(checked)
        };
        let card_number = number("card_number", IdentityKind::Card, ProblemKind::NotACard, &self.card_number);
        let phone_last4 = number("phone_last4", IdentityKind::PhoneLast4, ProblemKind::NotAPhone, &last4_typed);
        let household = number("household", IdentityKind::Household, ProblemKind::NotAHousehold, &self.household);
        let birth_year = problems.take(match optional(&self.birth_year) {
            None => Ok(None),
            Some(typed) => typed
                .parse::<i32>()
                .ok()
                .filter(|year| BIRTH_YEARS.contains(year))
                .map(Some)
                .ok_or_else(|| Problem::new("birth_year", ProblemKind::NotABirthYear, &self.birth_year)),
        });
        let volunteer = problems.take(yes_or_no("volunteer", &self.volunteer));
        let lives_alone = problems.take(yes_or_no("lives_alone", &self.lives_alone));
        let emergency_contact = problems.take(match optional(&self.emergency_contact) {
            Some(name) if name.chars().count() > MAX_CONTACT_CHARS => {
                Err(Problem::new("emergency_contact", ProblemKind::TooLong, &self.emergency_contact))
            }
            other => Ok(other.map(str::to_owned)),
        });
        let emergency_phone = problems.take(optional_phone("emergency_phone", &self.emergency_phone));
        let resident = (|| {
            Some(Resident {
                id: id?,
                full_name: full_name?,
                card_number: card_number?,
                phone_last4: phone_last4?,
                phone: phone?,
                household: household?,
                birth_year: birth_year?,
                volunteer: volunteer?,
                lives_alone: lives_alone?,
                emergency_contact: emergency_contact?,
                emergency_phone: emergency_phone?,
            })
        })();
        problems.done(resident)
    }

    /// The form for `resident`, as staff would type it.
    pub fn of(resident: &Resident) -> ResidentInput {
        ResidentInput {
            id: resident.id.clone(),
            full_name: resident.full_name.clone(),
            card_number: resident.card_number.clone().unwrap_or_default(),
            phone_last4: resident.phone_last4.clone().unwrap_or_default(),
            phone: resident.phone.clone().unwrap_or_default(),
            household: resident.household.clone().unwrap_or_default(),
            birth_year: resident.birth_year.map(|year| year.to_string()).unwrap_or_default(),
            volunteer: if resident.volunteer { "1" } else { "" }.to_owned(),
            lives_alone: if resident.lives_alone { "1" } else { "" }.to_owned(),
            emergency_contact: resident.emergency_contact.clone().unwrap_or_default(),
            emergency_phone: resident.emergency_phone.clone().unwrap_or_default(),
        }
    }
}
