//! How console pages show a service's refusal: each problem next to its field, in the staff
//! member's language, with what they typed kept.

use serde::Deserialize;

use jiayuan_community::error::AppError;
pub use jiayuan_community::office::form::{FieldProblem, ServiceError};

use crate::console::error::ConsoleError;
use crate::console::i18n::{Lang, Words};

/// A refusal in English, for the command line.
pub fn in_english(error: &ServiceError) -> String {
    match error {
        ServiceError::Form(problems) => {
            let words = Words::new(Lang::En);
            problems.iter().map(|p| format!("{}: {}", p.field, words.t(&p.key))).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// A refusal a page shows as one line (its first problem, in `words`), or the error it is
/// instead: not found, a conflict, the database.
pub fn first_problem(error: ServiceError, words: &Words) -> Result<Option<String>, ConsoleError> {
    match error {
        ServiceError::Form(problems) => Ok(problems.first().map(|p| words.t(&p.key).into_owned())),
        ServiceError::NotFound => Err(ConsoleError::NotFound),
        other => Err(other.into()),
    }
}

/// Problems shown on a page, each next to its field.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    problems: Vec<(&'static str, String)>,
}

impl Shown {
    pub fn new(problems: &[FieldProblem], words: Words) -> Shown {
        Shown { problems: problems.iter().map(|p| (p.field, words.t(&p.key).into_owned())).collect() }
    }

    /// The words for `field`'s problem, if it has one.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.problems.iter().find(|(f, _)| *f == field).map(|(_, words)| words.as_str())
    }

    pub fn any(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Every problem's words, for the summary at the top of the form.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.problems.iter().map(|(_, words)| words.as_str())
    }
}

/// What a service's refusal means for a page that is not a form.
impl From<ServiceError> for ConsoleError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::NotFound => ConsoleError::NotFound,
            ServiceError::App(error) => ConsoleError::App(error),
            ServiceError::Form(problems) => ConsoleError::App(AppError::BadRequest(format!("{problems:?}"))),
            ServiceError::Conflict => ConsoleError::App(AppError::Conflict("changed by someone else meanwhile".into())),
        }
    }
}

/// A form's fields with the revision of what it edits, as it was when the form was opened.
#[derive(Debug, Deserialize)]
pub struct Edited<T> {
    #[serde(default)]
    revision: String,
    #[serde(flatten)]
    pub input: T,
}

impl<T> Edited<T> {
    pub fn revision(&self) -> i64 {
        self.revision.trim().parse().unwrap_or(-1)
    }
}
