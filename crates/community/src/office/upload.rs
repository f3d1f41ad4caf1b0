//! Files staff upload through the console — residents, activities, recurring activities, as
//! CSV (UTF-8, or GB18030 as a Chinese Excel saves it) or XLSX as offices keep them. The whole
//! file is checked by the import's rules (one bad row: nothing changes, the row is named),
//! then shown as a preview of what will change, then applied by the import itself.

use jiayuan_domain::input::{ActivityInput, GuardianInput, GuardianRow, Problem, RecurringInput, ResidentInput};
use serde::Deserialize;
use time::Date;

use crate::action_log::Actor;
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::AppError;
use crate::import::{self, ImportError, ImportFiles, ImportReport};
use crate::office::form::FieldProblem;
use crate::office::roster;
use sqlx::{FromRow, Row};

use super::spreadsheet;

/// The largest file accepted (a roster of 20,000 residents is about 1.5 MB as XLSX).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Uploads not applied within this long are forgotten.
const KEPT_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Residents,
    Activities,
    Recurring,
    /// Children's guardians and pick-up contacts (托管接送).
    Guardians,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Residents, Kind::Activities, Kind::Recurring, Kind::Guardians];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Residents => "residents",
            Kind::Activities => "activities",
            Kind::Recurring => "recurring",
            Kind::Guardians => "guardians",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// Why a file is refused; nothing is kept.
#[derive(Debug)]
pub enum Refused {
    /// Not a CSV or XLSX file we can read: the words key.
    File(&'static str),
    /// A row breaks the rules: its line and its problems.
    Row {
        line: u64,
        problems: Vec<FieldProblem>,
        message: String,
    },
    /// The file names a room or a resident of another site, or has no rows.
    Whole(String),
    App(AppError),
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Refused::App(error)
    }
}

/// The file as CSV text: XLSX's first sheet (`spreadsheet`), or CSV decoded from UTF-8 or
/// GB18030.
pub fn as_csv(file_name: &str, bytes: &[u8]) -> Result<String, Refused> {
    if bytes.starts_with(b"PK") || file_name.to_lowercase().ends_with(".xlsx") {
        return spreadsheet::xlsx_as_csv(bytes).map_err(|unread| Refused::File(unread.words_key()));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Refused::File("upload.problem.unreadable"));
            }
            text.into_owned()
        }
    };
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

/// `as_csv` on a blocking thread: reading a large file is work, and a file that makes the
/// reader panic is refused like any unreadable one.
async fn as_csv_off_thread(file_name: &str, bytes: &[u8]) -> Result<String, Refused> {
    let (file_name, bytes) = (file_name.to_owned(), bytes.to_vec());
    tokio::task::spawn_blocking(move || as_csv(&file_name, &bytes))
        .await
        .unwrap_or(Err(Refused::File("upload.problem.unreadable")))
}

/// What applying a file would do.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    pub upload_id: String,
    pub kind_name: &'static str,
    pub file_name: String,
    pub rows: usize,
    /// Names (or titles) of rows new to the database.
    pub added: Vec<String>,
    /// Names of rows that differ from what the database holds.
    pub changed: Vec<String>,
    pub unchanged: usize,
}

fn refused_row(error: ImportError) -> Refused {
    match error {
        ImportError::Row { line, message, .. } => Refused::Row { line, problems: Vec::new(), message },
        ImportError::File { message, .. } => Refused::Whole(message),
        ImportError::TooLarge { .. } => Refused::File("upload.problem.too_large"),
        ImportError::Database(error) => Refused::App(AppError::Database { context: "checking a file", source: error }),
    }
}

/// Checks every row of `csv` with the import's rules, naming the first bad row's problems.
fn checked_rows<Input: for<'de> Deserialize<'de>, T>(
    csv: &str,
    check: impl Fn(&Input) -> Result<T, Vec<Problem>>,
) -> Result<Vec<T>, Refused> {
    // The rules run twice for a bad row: once to stop, once to name its fields for the page.
    let problems = std::cell::RefCell::new(Vec::new());
    let result = import::rows("file", csv.as_bytes(), |input: &Input| {
        check(input).inspect_err(|found| *problems.borrow_mut() = found.iter().map(FieldProblem::from).collect())
    });
    result.map_err(|error| match refused_row(error) {
        Refused::Row { line, message, .. } => Refused::Row { line, problems: problems.take(), message },
        other => other,
    })
}

/// Checks `bytes` as a `kind` file and keeps it for `apply`: what it would change.
pub async fn receive(
    db: &Database,
    staff_id: &str,
    site_id: &str,
    kind: Kind,
    file_name: &str,
    bytes: &[u8],
    today: Date,
) -> Result<Preview, Refused> {
    let csv = as_csv_off_thread(file_name, bytes).await?;
    let mut preview = match kind {
        Kind::Residents => {
            let residents = checked_rows(&csv, ResidentInput::check)?;
            let mut preview = Preview { rows: residents.len(), ..Preview::default() };
            let mut cards_in_file = std::collections::HashSet::new();
            for (line, resident) in (FIRST_ROW_LINE..).zip(&residents) {
                // A card is one resident's, across every site (a card reader knows no sites):
                // one held by someone else is a named problem, never a failed write.
                if let Some(card) = &resident.card_number {
                    let holder: Option<String> =
                        sqlx::query_scalar("SELECT id FROM residents WHERE card_number = $1 AND id <> $2")
                            .bind(card)
                            .bind(&resident.id)
                            .fetch_optional(&db.pool)
                            .await
                            .map_err(AppError::db("comparing a file with the roster"))?;
                    if holder.is_some() || !cards_in_file.insert(card.clone()) {
                        return Err(card_taken(line));
                    }
                }
                // The resident as kept, read through the roster's own columns and compared whole.
                let existing =
                    sqlx::query(&format!("SELECT site_id, {} FROM residents WHERE id = $1", roster::COLUMNS))
                        .bind(&resident.id)
                        .fetch_optional(&db.pool)
                        .await
                        .and_then(|row| {
                            row.map(|row| {
                                Ok((row.try_get::<String, _>("site_id")?, roster::ResidentRow::from_row(&row)?))
                            })
                            .transpose()
                        })
                        .map_err(AppError::db("comparing a file with the roster"))?;
                match existing {
                    None => preview.added.push(resident.full_name.clone()),
                    Some((site, _)) if site != site_id => return Err(id_not_usable(line)),
                    Some((_, kept)) if kept.resident() == *resident => preview.unchanged += 1,
                    Some(_) => preview.changed.push(resident.full_name.clone()),
                }
            }
            preview
        }
        Kind::Activities => {
            let activities = checked_rows(&csv, ActivityInput::check)?;
            let rows: Vec<ScheduleRow> = activities
                .iter()
                .map(|a| ScheduleRow {
                    id: a.id.clone(),
                    room_id: a.room_id.clone(),
                    name: format!("{} {}", a.title.zh_hans, a.date),
                })
                .collect();
            compare_schedule(db, site_id, "activities", &rows).await?
        }
        Kind::Guardians => {
            let rows = checked_rows(&csv, GuardianInput::check)?;
            compare_guardians(db, site_id, &rows).await?
        }
        Kind::Recurring => {
            let recurring = checked_rows(&csv, |input: &RecurringInput| input.check(today))?;
            let rows: Vec<ScheduleRow> = recurring
                .iter()
                .map(|a| ScheduleRow { id: a.id.clone(), room_id: a.room_id.clone(), name: a.title.zh_hans.clone() })
                .collect();
            compare_schedule(db, site_id, "recurring_activities", &rows).await?
        }
    };
    let id = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query("DELETE FROM console_uploads WHERE created_at < $1")
        .bind(now_ms().saturating_sub(KEPT_MS))
        .execute(&db.pool)
        .await
        .map_err(AppError::db("forgetting old uploads"))?;
    sqlx::query(
        "INSERT INTO console_uploads (id, staff_id, site_id, kind, file_name, csv, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(staff_id)
    .bind(site_id)
    .bind(kind.name())
    .bind(file_name)
    .bind(&csv)
    .bind(now_ms())
    .execute(&db.pool)
    .await
    .map_err(AppError::db("keeping an upload"))?;
    preview.upload_id = id;
    preview.kind_name = kind.name();
    preview.file_name = file_name.to_owned();
    Ok(preview)
}

/// The line of a file's first row under its header.
const FIRST_ROW_LINE: u64 = 2;

/// A row whose id another site uses. Said without saying so: a file must not tell one
/// community what another holds.
fn id_not_usable(line: u64) -> Refused {
    Refused::Row {
        line,
        problems: vec![FieldProblem::new("id", "upload.problem.id_not_usable")],
        message: String::new(),
    }
}

fn card_taken(line: u64) -> Refused {
    Refused::Row {
        line,
        problems: vec![FieldProblem::new("card_number", "resident.problem.card_taken")],
        message: String::new(),
    }
}

/// A schedule file's row, as the preview compares it.
struct ScheduleRow {
    id: String,
    room_id: String,
    name: String,
}

/// For schedules: which ids are new and which are there already (shown as "changed or the
/// same": the import brings them in line either way). A row in a room that is not this site's,
/// or whose id another site uses, is refused with its line.
async fn compare_schedule(db: &Database, site_id: &str, table: &str, rows: &[ScheduleRow]) -> Result<Preview, Refused> {
    let mut preview = Preview { rows: rows.len(), ..Preview::default() };
    for (line, row) in (FIRST_ROW_LINE..).zip(rows) {
        let room_site: Option<String> = sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1")
            .bind(&row.room_id)
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("comparing a file with the schedule"))?;
        if room_site.as_deref() != Some(site_id) {
            let problems = vec![FieldProblem::new("room_id", "upload.problem.no_such_room")];
            return Err(Refused::Row { line, problems, message: String::new() });
        }
        let found: Option<String> = sqlx::query_scalar(&format!(
            "SELECT rooms.site_id FROM {table} JOIN rooms ON rooms.id = {table}.room_id WHERE {table}.id = $1"
        ))
        .bind(&row.id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("comparing a file with the schedule"))?;
        match found {
            Some(site) if site != site_id => return Err(id_not_usable(line)),
            Some(_) => preview.changed.push(row.name.clone()),
            None => preview.added.push(row.name.clone()),
        }
    }
    Ok(preview)
}

/// For a guardians file: every child and guardian must be a resident of this site (one who is
/// not is refused with its line, naming nobody); the preview lists who collects whom.
async fn compare_guardians(db: &Database, site_id: &str, rows: &[GuardianRow]) -> Result<Preview, Refused> {
    let mut ids: Vec<&str> = rows.iter().map(GuardianRow::child_id).collect();
    ids.extend(rows.iter().filter_map(|row| match row {
        GuardianRow::Guardian { guardian_id, .. } => Some(guardian_id.as_str()),
        GuardianRow::Contact { .. } => None,
    }));
    let names = crate::roster::full_names(db, site_id, &ids).await?;
    let name = |id: &str, line: u64, field: &'static str| {
        names.get(id).cloned().ok_or_else(|| Refused::Row {
            line,
            problems: vec![FieldProblem::new(field, "upload.problem.id_not_usable")],
            message: String::new(),
        })
    };
    let mut preview = Preview { rows: rows.len(), ..Preview::default() };
    for (line, row) in (FIRST_ROW_LINE..).zip(rows) {
        let child = name(row.child_id(), line, "child_id")?;
        let who = match row {
            GuardianRow::Guardian { guardian_id, .. } => name(guardian_id, line, "guardian_id")?,
            GuardianRow::Contact { contact, .. } => contact.name.clone(),
        };
        preview.added.push(format!("{child} ← {who}"));
    }
    Ok(preview)
}

async fn apply_guardians(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    file_name: &str,
    rows: &[GuardianRow],
) -> Result<(), Refused> {
    // Checked again as it is applied: a resident may have moved away since the preview.
    compare_guardians(db, site_id, rows).await?;
    super::guardians::write_file(db, actor, site_id, file_name, rows).await.map_err(Refused::App)
}

/// Applies a kept upload of `staff_id`'s through the import, in one transaction, and logs it.
pub async fn apply(
    db: &Database,
    actor: &Actor,
    staff_id: &str,
    site_id: &str,
    upload_id: &str,
    today: Date,
) -> Result<ImportReport, Refused> {
    let upload: Option<(String, String, String)> = sqlx::query_as(
        "SELECT kind, file_name, csv FROM console_uploads WHERE id = $1 AND staff_id = $2 AND site_id = $3",
    )
    .bind(upload_id)
    .bind(staff_id)
    .bind(site_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(AppError::db("reading an upload"))?;
    let Some((kind, file_name, csv)) = upload else { return Err(Refused::File("upload.problem.gone")) };
    let kind = Kind::parse(&kind).ok_or(Refused::File("upload.problem.gone"))?;
    if kind == Kind::Guardians {
        let rows = checked_rows(&csv, GuardianInput::check)?;
        apply_guardians(db, actor, site_id, &file_name, &rows).await?;
        forget(db, upload_id).await?;
        return Ok(ImportReport::default());
    }
    let file = Some((file_name.clone(), csv.as_bytes()));
    let files = ImportFiles {
        rooms: None,
        residents: if kind == Kind::Residents { file.clone() } else { None },
        activities: if kind == Kind::Activities { file.clone() } else { None },
        recurring: if kind == Kind::Recurring { file } else { None },
    };
    // The import writes its line in the action log in its own transaction.
    let report = import::import(db, actor, site_id, files, today).await.map_err(refused_row)?;
    forget(db, upload_id).await?;
    Ok(report)
}

async fn forget(db: &Database, upload_id: &str) -> Result<(), Refused> {
    sqlx::query("DELETE FROM console_uploads WHERE id = $1")
        .bind(upload_id)
        .execute(&db.pool)
        .await
        .map(drop)
        .map_err(|error| Refused::App(AppError::Database { context: "forgetting an upload", source: error }))
}
