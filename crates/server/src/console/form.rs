//! What the console's services answer when a form cannot be saved, and how pages show it:
//! each problem next to its field, in the staff member's language, with what they typed kept.

use serde::Deserialize;

use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::error::AppError;

/// A field staff must correct, and the words that say why (a key of `locales/console.yml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub key: String,
}

impl FieldProblem {
    pub fn new(field: &'static str, key: &str) -> FieldProblem {
        FieldProblem { field, key: key.to_owned() }
    }
}

/// A problem found by the domain's rules for what staff type (`jiayuan_domain::input`).
impl From<&jiayuan_domain::input::Problem> for FieldProblem {
    fn from(problem: &jiayuan_domain::input::Problem) -> Self {
        FieldProblem { field: problem.field, key: format!("problem.{}", problem.kind.name()) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Fields to correct; nothing was saved.
    #[error("{0:?}")]
    Form(Vec<FieldProblem>),
    /// Someone else changed it since the form was opened; nothing was saved.
    #[error("changed by someone else meanwhile")]
    Conflict,
    /// Not there, or not of this site.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    App(#[from] AppError),
}

impl ServiceError {
    pub fn field(field: &'static str, key: &str) -> ServiceError {
        ServiceError::Form(vec![FieldProblem::new(field, key)])
    }

    pub fn from_domain(problems: &[jiayuan_domain::input::Problem]) -> ServiceError {
        ServiceError::Form(problems.iter().map(FieldProblem::from).collect())
    }

    /// In English, for the command line.
    pub fn in_english(&self) -> String {
        match self {
            ServiceError::Form(problems) => {
                let words = Words::new(crate::console::i18n::Lang::En);
                problems.iter().map(|p| format!("{}: {}", p.field, words.t(&p.key))).collect::<Vec<_>>().join("; ")
            }
            other => other.to_string(),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        ServiceError::App(AppError::Database { context: "saving a change from the console", source: error })
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

/// A table whose ids staff may choose: a new row must not take one already used.
#[derive(Clone, Copy)]
pub enum IdsOf {
    Activities,
    Recurring,
    Residents,
}

/// Refuses a new row whose id is already used, naming the id field with `key`'s words.
pub async fn refuse_taken_id(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: IdsOf,
    id: &str,
    key: &'static str,
) -> Result<(), ServiceError> {
    let sql = match table {
        IdsOf::Activities => "SELECT id FROM activities WHERE id = $1",
        IdsOf::Recurring => "SELECT id FROM recurring_activities WHERE id = $1",
        IdsOf::Residents => "SELECT id FROM residents WHERE id = $1",
    };
    let taken: Option<String> =
        sqlx::query_scalar(sql).bind(id).fetch_optional(&mut **tx).await.map_err(AppError::db("checking a new id"))?;
    match taken {
        Some(_) => Err(ServiceError::field("id", key)),
        None => Ok(()),
    }
}
