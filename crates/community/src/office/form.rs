//! What the office's services answer when a change cannot be saved: each problem named by its
//! field and a key of the console's words, which the console shows next to the field.

use crate::error::{AppError, Tx};

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
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        ServiceError::App(AppError::Database { context: "saving a change from the console", source: error })
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
pub async fn refuse_taken_id(tx: &mut Tx, table: IdsOf, id: &str, key: &'static str) -> Result<(), ServiceError> {
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
