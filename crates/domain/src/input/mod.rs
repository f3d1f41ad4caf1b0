//! What staff type — in a CSV or XLSX file, or in the console's forms — checked by one set of
//! rules. The fields are named as the files' columns, so a file's row and a form's fields read
//! into the same `…Input` and go through the same `check`. A problem names its field and its
//! kind: the command line says it in English, the console in the staff member's language.

mod guardians;
mod roster;
mod schedule;
#[cfg(test)]
mod tests;

use std::fmt;

use time::{Date, Time};

use crate::LocalizedText;
use crate::sync::record::{MAX_COMPANIONS, MAX_ID_LEN, is_valid_id};

pub use guardians::{Contact, ContactInput, GuardianInput, GuardianRow};
pub use roster::{Resident, ResidentInput};
pub use schedule::{ActivityInput, RecurringInput, RoomInput};

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Must be filled in.
    Empty,
    /// An id must be 1 to 64 letters, digits, '-' or '_'.
    NotAnId,
    /// A recurring activity's id must leave room for its sessions' dates.
    IdTooLong,
    NotADate,
    NotATime,
    EndsBeforeStarts,
    LastBeforeFirst,
    NotACapacity,
    NotCompanions,
    NotWeekdays,
    NotACard,
    NotAPhone,
    /// A whole phone number: 5 to 20 digits, spaces and dashes allowed.
    NotAPhoneNumber,
    NotAHousehold,
    NotABirthYear,
    /// A yes-or-no column (a volunteer): 是 / 否, yes / no, 1 / 0, or empty for no.
    NotYesOrNo,
    /// Longer than the field allows.
    TooLong,
}

impl ProblemKind {
    /// Its name, for the console's words (`problem.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Empty => "empty",
            ProblemKind::NotAnId => "not_an_id",
            ProblemKind::IdTooLong => "id_too_long",
            ProblemKind::NotADate => "not_a_date",
            ProblemKind::NotATime => "not_a_time",
            ProblemKind::EndsBeforeStarts => "ends_before_starts",
            ProblemKind::LastBeforeFirst => "last_before_first",
            ProblemKind::NotACapacity => "not_a_capacity",
            ProblemKind::NotCompanions => "not_companions",
            ProblemKind::NotWeekdays => "not_weekdays",
            ProblemKind::NotACard => "not_a_card",
            ProblemKind::NotAPhone => "not_a_phone",
            ProblemKind::NotAPhoneNumber => "not_a_phone_number",
            ProblemKind::NotAHousehold => "not_a_household",
            ProblemKind::NotABirthYear => "not_a_birth_year",
            ProblemKind::NotYesOrNo => "not_yes_or_no",
            ProblemKind::TooLong => "too_long",
        }
    }

    pub const ALL: [ProblemKind; 17] = [
        ProblemKind::Empty,
        ProblemKind::NotAnId,
        ProblemKind::IdTooLong,
        ProblemKind::NotADate,
        ProblemKind::NotATime,
        ProblemKind::EndsBeforeStarts,
        ProblemKind::LastBeforeFirst,
        ProblemKind::NotACapacity,
        ProblemKind::NotCompanions,
        ProblemKind::NotWeekdays,
        ProblemKind::NotACard,
        ProblemKind::NotAPhone,
        ProblemKind::NotAPhoneNumber,
        ProblemKind::NotAHousehold,
        ProblemKind::NotABirthYear,
        ProblemKind::NotYesOrNo,
        ProblemKind::TooLong,
    ];
}

/// A field staff must correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The column (and form field) it is about, e.g. `starts`.
    pub field: &'static str,
    pub kind: ProblemKind,
    /// What was typed.
    pub value: String,
}

impl Problem {
    fn new(field: &'static str, kind: ProblemKind, value: &str) -> Problem {
        Problem { field, kind, value: value.to_owned() }
    }
}

/// The command line's words: English, naming the column and what was typed.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (field, value) = (self.field, &self.value);
        match self.kind {
            ProblemKind::Empty => write!(f, "{field} is empty"),
            ProblemKind::NotAnId => {
                write!(f, "{field} {value:?} must be 1 to {MAX_ID_LEN} letters, digits, '-' or '_'")
            }
            ProblemKind::IdTooLong => {
                write!(f, "{field} {value:?} is longer than {} characters", crate::schedule::MAX_RECURRING_ID_LEN)
            }
            ProblemKind::NotADate => write!(f, "{field} {value:?} is not like 2026-11-23"),
            ProblemKind::NotATime => write!(f, "{field} {value:?} is not a time like 08:30"),
            ProblemKind::EndsBeforeStarts => write!(f, "ends must be after starts"),
            ProblemKind::LastBeforeFirst => write!(f, "last_date is before first_date"),
            ProblemKind::NotACapacity => {
                write!(f, "{field} {value:?} must be a number of seats, or empty for open to all")
            }
            ProblemKind::NotCompanions => write!(f, "{field} {value:?} must be 0, 1 or 2"),
            ProblemKind::NotWeekdays => {
                write!(f, "{field} {value:?} is not a list of days like \"mon,wed,fri\" or \"周一、周三\"")
            }
            ProblemKind::NotACard => write!(f, "{field} {value:?} is not valid"),
            ProblemKind::NotAPhone => write!(f, "{field} (four digits) {value:?} is not valid"),
            ProblemKind::NotAPhoneNumber => write!(f, "{field} {value:?} is not a phone number of 5 to 20 digits"),
            ProblemKind::NotAHousehold => write!(f, "{field} (like 3-2-501) {value:?} is not valid"),
            ProblemKind::NotABirthYear => write!(f, "{field} must be a year like 1948, not {value:?}"),
            ProblemKind::NotYesOrNo => write!(f, "{field} must be yes or no (是 / 否, 1 / 0), not {value:?}"),
            ProblemKind::TooLong => write!(f, "{field} {value:?} is too long"),
        }
    }
}

/// Problems found so far while checking one row or form.
#[derive(Debug, Default)]
struct Problems(Vec<Problem>);

impl Problems {
    /// The value, or None after noting its problem.
    fn take<T>(&mut self, checked: Result<T, Problem>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(problem);
                None
            }
        }
    }

    fn done<T>(self, value: Option<T>) -> Result<T, Vec<Problem>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

/// A yes-or-no column as spreadsheets and forms write it; empty is no.
fn yes_or_no(field: &'static str, text: &str) -> Result<bool, Problem> {
    match text.trim().to_lowercase().as_str() {
        "" | "0" | "否" | "no" | "n" | "false" | "off" => Ok(false),
        "1" | "是" | "yes" | "y" | "true" | "on" => Ok(true),
        _ => Err(Problem::new(field, ProblemKind::NotYesOrNo, text)),
    }
}

/// Empty text is absent.
fn optional(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

fn id(field: &'static str, text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        Err(Problem::new(field, ProblemKind::Empty, text))
    } else if is_valid_id(text) {
        Ok(text.to_owned())
    } else {
        Err(Problem::new(field, ProblemKind::NotAnId, text))
    }
}

/// Text in three languages; simplified Chinese must be there.
fn localized(prefix: &'static str, zh_hans: &str, zh_hant: &str, en: &str) -> Result<LocalizedText, Problem> {
    let Some(zh_hans) = optional(zh_hans) else { return Err(Problem::new(prefix, ProblemKind::Empty, "")) };
    Ok(LocalizedText {
        zh_hans: zh_hans.to_owned(),
        zh_hant: optional(zh_hant).map(str::to_owned),
        en: optional(en).map(str::to_owned),
    })
}

fn clock(field: &'static str, text: &str) -> Result<Time, Problem> {
    let format = time::macros::format_description!("[hour padding:none]:[minute]");
    Time::parse(text.trim(), format).map_err(|_| Problem::new(field, ProblemKind::NotATime, text))
}

fn day(field: &'static str, text: &str) -> Result<Date, Problem> {
    crate::civil::parse_date(text.trim()).ok_or_else(|| Problem::new(field, ProblemKind::NotADate, text))
}

fn optional_day(field: &'static str, text: &str) -> Result<Option<Date>, Problem> {
    optional(text).map(|text| day(field, text)).transpose()
}

/// Start and end; the end after the start.
fn hours(problems: &mut Problems, starts: &str, ends: &str) -> Option<(Time, Time)> {
    let starts = problems.take(clock("starts", starts));
    let ends = problems.take(clock("ends", ends));
    let (starts, ends) = (starts?, ends?);
    if ends <= starts {
        problems.take::<()>(Err(Problem::new("ends", ProblemKind::EndsBeforeStarts, "")));
        return None;
    }
    Some((starts, ends))
}

/// Empty: open to all, no sign-up.
fn capacity(text: &str) -> Result<Option<u32>, Problem> {
    match optional(text) {
        None => Ok(None),
        Some(number) => number
            .parse::<u32>()
            .ok()
            .filter(|c| *c > 0)
            .map(Some)
            .ok_or_else(|| Problem::new("capacity", ProblemKind::NotACapacity, text)),
    }
}

fn companions(text: &str) -> Result<u8, Problem> {
    match optional(text) {
        None => Ok(0),
        Some(number) => number
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= MAX_COMPANIONS)
            .ok_or_else(|| Problem::new("companions_allowed", ProblemKind::NotCompanions, text)),
    }
}
