//! Importing staff's CSV files: rooms, residents, activities and recurring activities of one
//! site.
//!
//! Every row is checked before anything is written, so a file with one bad line changes
//! nothing and the message names the line. Rows are upserted by id: importing the same file
//! twice changes nothing, and an edited file updates what changed. Everything imported gets one
//! new version number, so kiosks pull it on their next sync.

use crate::error::Tx;
use std::io::Read;

use jiayuan_domain::input::{ActivityInput, Problem, RecurringInput, ResidentInput, RoomInput};
use serde::Deserialize;
use time::Date;

use crate::action_log::Actor;
use crate::db::Database;
use crate::horizon;
use crate::recurring;
use crate::roster::upsert_resident;
use crate::schedule::{upsert_activity, upsert_room};
use crate::versions;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}, line {line}: {message}")]
    Row { file: String, line: u64, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// More rows or columns than any roster or schedule has: the file is not read further.
    #[error("{file} has more than {MAX_ROWS} rows or {MAX_COLUMNS} columns; nothing was read")]
    TooLarge { file: String },
    #[error("database error while importing: {0}")]
    Database(#[from] sqlx::Error),
}

/// The files to import; any may be absent.
pub struct ImportFiles<R> {
    pub rooms: Option<(String, R)>,
    pub residents: Option<(String, R)>,
    pub activities: Option<(String, R)>,
    pub recurring: Option<(String, R)>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rooms: usize,
    pub residents: usize,
    pub activities: usize,
    pub recurring: usize,
    /// Sessions of recurring activities made or updated for the coming weeks.
    pub sessions: usize,
    /// Sessions on days a recurring activity no longer has, removed.
    pub sessions_removed: usize,
    /// Sessions on such days that residents signed up for, kept.
    pub sessions_kept: Vec<String>,
}

/// Rows a file may have: a roster of a large community (10,000 households) with room to spare.
pub const MAX_ROWS: u32 = 50_000;
/// Columns a file may have: the widest (activities) has 16.
pub const MAX_COLUMNS: u32 = 64;

/// Reads every row of `file` into `Input` (named by the file's columns) and checks it by the
/// rules the console's forms use too: the checked value, or a message naming the line. A file
/// of more than `MAX_ROWS` rows or `MAX_COLUMNS` columns is refused as it is read, before it
/// costs more than a roster can.
pub fn rows<R: Read, Input: for<'de> Deserialize<'de>, T>(
    file: &str,
    reader: R,
    check: impl Fn(&Input) -> Result<T, Vec<Problem>>,
) -> Result<Vec<T>, ImportError> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let too_large = || ImportError::TooLarge { file: file.into() };
    let header =
        csv.headers().map_err(|e| ImportError::Row { file: file.into(), line: 1, message: plain(&e) })?.clone();
    if header.len() > MAX_COLUMNS as usize {
        return Err(too_large());
    }
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line 1 is the header.
    for line in 2.. {
        let more = csv.read_record(&mut record).map_err(|e| ImportError::Row {
            file: file.into(),
            line,
            message: plain(&e),
        })?;
        if !more {
            break;
        }
        // Every row has the header's columns (the reader refuses others), so only rows count.
        if line > u64::from(MAX_ROWS) + 1 {
            return Err(too_large());
        }
        let row: Input = record.deserialize(Some(&header)).map_err(|e| ImportError::Row {
            file: file.into(),
            line,
            message: plain(&e),
        })?;
        let checked = check(&row).map_err(|problems| ImportError::Row {
            file: file.into(),
            line,
            message: problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        })?;
        out.push(checked);
    }
    if out.is_empty() {
        return Err(ImportError::File { file: file.into(), message: "has no rows under its header".into() });
    }
    Ok(out)
}

fn plain(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(field) => format!("column {}: {}", field + 1, err.kind()),
            None => err.kind().to_string(),
        },
        _ => error.to_string(),
    }
}

/// Checks every file, then writes everything in one transaction. `today` is the community's
/// date: recurring activities get sessions from today to the kiosks' horizon.
pub async fn import<R: Read>(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    files: ImportFiles<R>,
    today: Date,
) -> Result<ImportReport, ImportError> {
    let names = [&files.rooms, &files.residents, &files.activities, &files.recurring]
        .map(|file| file.as_ref().map(|(name, _)| name.clone()));
    let rooms =
        files.rooms.map(|(name, reader)| rows(&name, reader, RoomInput::check)).transpose()?.unwrap_or_default();
    let residents = files
        .residents
        .map(|(name, reader)| rows(&name, reader, ResidentInput::check))
        .transpose()?
        .unwrap_or_default();
    let activities = files
        .activities
        .map(|(name, reader)| rows(&name, reader, ActivityInput::check))
        .transpose()?
        .unwrap_or_default();
    let recurring = files
        .recurring
        .map(|(name, reader)| rows(&name, reader, |input: &RecurringInput| input.check(today)))
        .transpose()?
        .unwrap_or_default();

    let mut tx = db.begin_write().await?;
    crate::sites::ensure(&mut tx, site_id).await?;
    let version = versions::next_for_site(&mut tx, site_id).await?;
    for room in &rooms {
        upsert_room(&mut tx, room, site_id, version).await?;
    }
    for resident in &residents {
        check_resident_of_site(&mut tx, &resident.id, site_id).await?;
        upsert_resident(&mut tx, resident, site_id, version).await?;
    }
    for activity in &activities {
        check_room_of_site(&mut tx, "activities", &activity.room_id, &activity.id, site_id).await?;
        upsert_activity(&mut tx, activity, None, version).await?;
    }
    let mut report = ImportReport {
        rooms: rooms.len(),
        residents: residents.len(),
        activities: activities.len(),
        recurring: recurring.len(),
        ..ImportReport::default()
    };
    for activity in &recurring {
        check_room_of_site(&mut tx, "recurring", &activity.room_id, &activity.id, site_id).await?;
        let changes = recurring::save(&mut tx, activity, today, horizon::last_day(today), version).await?;
        report.sessions += changes.saved;
        report.sessions_removed += changes.removed;
        report.sessions_kept.extend(changes.kept);
    }
    let file_names: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
    crate::action_log::record(
        &mut tx,
        crate::action_log::Entry {
            site_id: Some(site_id),
            actor,
            act: crate::action_log::Act::FileImported,
            subject: file_names.join(", "),
            reason: None,
            detail: Some(format!(
                "{} rooms, {} residents, {} activities, {} recurring ({} sessions)",
                report.rooms, report.residents, report.activities, report.recurring, report.sessions
            )),
        },
    )
    .await
    .map_err(|error| match error {
        crate::error::AppError::Database { source, .. } => ImportError::Database(source),
        other => ImportError::File { file: String::new(), message: other.to_string() },
    })?;
    tx.commit().await?;
    Ok(report)
}

/// A resident already on another site's roster is not taken over by this site's file.
async fn check_resident_of_site(tx: &mut Tx, resident_id: &str, site_id: &str) -> Result<(), ImportError> {
    let site: Option<String> = sqlx::query_scalar("SELECT site_id FROM residents WHERE id = $1")
        .bind(resident_id)
        .fetch_optional(&mut **tx)
        .await?;
    match site {
        // Said without naming the other site: a file must not tell one community another's.
        Some(other) if other != site_id => Err(ImportError::File {
            file: "residents".into(),
            message: format!("resident id {resident_id} cannot be used in site {site_id}"),
        }),
        _ => Ok(()),
    }
}

/// An activity may only be in a room of the site being imported.
async fn check_room_of_site(
    tx: &mut Tx,
    file: &str,
    room: &str,
    activity_id: &str,
    site_id: &str,
) -> Result<(), ImportError> {
    // An activity already in another site's room is not moved here by this site's file.
    let table = if file == "recurring" { "recurring_activities" } else { "activities" };
    let now_in: Option<String> = sqlx::query_scalar(&format!(
        "SELECT rooms.site_id FROM {table} JOIN rooms ON rooms.id = {table}.room_id WHERE {table}.id = $1"
    ))
    .bind(activity_id)
    .fetch_optional(&mut **tx)
    .await?;
    if now_in.is_some_and(|other| other != site_id) {
        let message = format!("activity id {activity_id} cannot be used in site {site_id}");
        return Err(ImportError::File { file: file.into(), message });
    }
    let site: Option<String> =
        sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1").bind(room).fetch_optional(&mut **tx).await?;
    let problem = match site {
        Some(site) if site == site_id => return Ok(()),
        _ => format!("site {site_id} has no room {room}; import it in the rooms file"),
    };
    Err(ImportError::File { file: file.into(), message: format!("activity {activity_id}: {problem}") })
}
