//! Files staff upload through the console — residents, activities, recurring activities, as
//! CSV (UTF-8, or GB18030 as a Chinese Excel saves it) or XLSX as offices keep them. The whole
//! file is checked by the import's rules (one bad row: nothing changes, the row is named),
//! then shown as a preview of what will change, then applied by the import itself.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiayuan_domain::input::{ActivityInput, Problem, RecurringInput, ResidentInput};
use serde::Deserialize;
use time::Date;

use crate::action_log::Actor;
use crate::clock::now_ms;
use crate::console::form::FieldProblem;
use crate::db::Database;
use crate::error::AppError;
use crate::import::{self, ImportError, ImportFiles, ImportReport};

/// The largest file accepted (a roster of 20,000 residents is about 1.5 MB as XLSX).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Uploads not applied within this long are forgotten.
const KEPT_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Residents,
    Activities,
    Recurring,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Residents, Kind::Activities, Kind::Recurring];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Residents => "residents",
            Kind::Activities => "activities",
            Kind::Recurring => "recurring",
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

/// The file as CSV text: XLSX's first sheet, or CSV decoded from UTF-8 or GB18030.
pub fn as_csv(file_name: &str, bytes: &[u8]) -> Result<String, Refused> {
    if bytes.starts_with(b"PK") || file_name.to_lowercase().ends_with(".xlsx") {
        return xlsx_as_csv(bytes);
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

/// The first sheet of an XLSX file as the CSV text the import reads, cells as staff see them.
pub fn xlsx_as_csv(bytes: &[u8]) -> Result<String, Refused> {
    let unreadable = |_| Refused::File("upload.problem.unreadable");
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = workbook.worksheet_range_at(0).ok_or(Refused::File("upload.problem.no_sheet"))?.map_err(unreadable)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in sheet.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        out.write_record(&cells).map_err(|_| Refused::File("upload.problem.unreadable"))?;
    }
    let bytes = out.into_inner().map_err(|_| Refused::File("upload.problem.unreadable"))?;
    String::from_utf8(bytes).map_err(|_| Refused::File("upload.problem.unreadable"))
}

/// A cell as staff see it in Excel: whole numbers without ".0", dates as 2026-12-03, times
/// as 08:30.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(at) => {
            let (year, month, day, hour, minute, _, _) = at.to_ymd_hms_milli();
            if at.as_f64() < 1.0 { format!("{hour:02}:{minute:02}") } else { format!("{year:04}-{month:02}-{day:02}") }
        }
    }
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

/// A resident already on the roster: site, name, card, phone's last four digits, household,
/// birth year.
type KnownResident = (String, String, Option<String>, Option<String>, Option<String>, Option<i64>, i64);

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
    let csv = as_csv(file_name, bytes)?;
    let mut preview = match kind {
        Kind::Residents => {
            let residents = checked_rows(&csv, ResidentInput::check)?;
            let mut preview = Preview { rows: residents.len(), ..Preview::default() };
            for resident in &residents {
                let existing: Option<KnownResident> = sqlx::query_as(
                    "SELECT site_id, full_name, card_number, phone_last4, household, birth_year, volunteer \
                     FROM residents WHERE id = $1",
                )
                .bind(&resident.id)
                .fetch_optional(&db.pool)
                .await
                .map_err(AppError::db("comparing a file with the roster"))?;
                match existing {
                    None => preview.added.push(resident.full_name.clone()),
                    Some((site, ..)) if site != site_id => {
                        return Err(Refused::Whole(format!("resident {} belongs to another site", resident.id)));
                    }
                    Some((_, name, card, phone, household, born, volunteer))
                        if (name.as_str(), &card, &phone, &household, born, volunteer)
                            == (
                                resident.full_name.as_str(),
                                &resident.card_number,
                                &resident.phone_last4,
                                &resident.household,
                                resident.birth_year.map(i64::from),
                                i64::from(resident.volunteer),
                            ) =>
                    {
                        preview.unchanged += 1;
                    }
                    Some(_) => preview.changed.push(resident.full_name.clone()),
                }
            }
            preview
        }
        Kind::Activities => {
            let activities = checked_rows(&csv, ActivityInput::check)?;
            let ids: Vec<(String, String)> =
                activities.iter().map(|a| (a.id.clone(), format!("{} {}", a.title.zh_hans, a.date))).collect();
            compare_ids(db, "activities", &ids).await?
        }
        Kind::Recurring => {
            let recurring = checked_rows(&csv, |input: &RecurringInput| input.check(today))?;
            let ids: Vec<(String, String)> =
                recurring.iter().map(|a| (a.id.clone(), a.title.zh_hans.clone())).collect();
            compare_ids(db, "recurring_activities", &ids).await?
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

/// For schedules: which ids are new and which are there already (shown as "changed or the
/// same": the import brings them in line either way).
async fn compare_ids(db: &Database, table: &str, ids: &[(String, String)]) -> Result<Preview, Refused> {
    let mut preview = Preview { rows: ids.len(), ..Preview::default() };
    for (id, name) in ids {
        let found: Option<String> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("comparing a file with the schedule"))?;
        if found.is_some() {
            preview.changed.push(name.clone());
        } else {
            preview.added.push(name.clone());
        }
    }
    Ok(preview)
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
    let file = Some((file_name.clone(), csv.as_bytes()));
    let files = ImportFiles {
        rooms: None,
        residents: if kind == Kind::Residents { file.clone() } else { None },
        activities: if kind == Kind::Activities { file.clone() } else { None },
        recurring: if kind == Kind::Recurring { file } else { None },
    };
    // The import writes its line in the action log in its own transaction.
    let report = import::import(db, actor, site_id, files, today).await.map_err(refused_row)?;
    sqlx::query("DELETE FROM console_uploads WHERE id = $1")
        .bind(upload_id)
        .execute(&db.pool)
        .await
        .map_err(AppError::db("forgetting an upload"))?;
    Ok(report)
}
