//! Importing staff's CSV files: rooms, residents, activities and recurring activities of one
//! site.
//!
//! Every row is checked before anything is written, so a file with one bad line changes
//! nothing and the message names the line. Rows are upserted by id: importing the same file
//! twice changes nothing, and an edited file updates what changed. Everything imported gets one
//! new version number, so kiosks pull it on their next sync.

use std::io::Read;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::identity::{IdentityKind, normalise};
use jiayuan_domain::schedule::{Activity, MAX_RECURRING_ID_LEN, RecurringActivity, Room, Weekdays};
use jiayuan_domain::sync::record::{MAX_ID_LEN, is_valid_id};
use serde::Deserialize;
use sqlx::{Any, Transaction};
use time::{Date, Time};

use crate::db::Database;
use crate::horizon;
use crate::recurring;
use crate::roster::{Resident, upsert_resident};
use crate::schedule::{parse_day, upsert_activity, upsert_room};
use crate::versions;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}, line {line}: {message}")]
    Row { file: String, line: u64, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
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

#[derive(Debug, Deserialize)]
struct RoomRow {
    id: String,
    name_zh_hans: String,
    #[serde(default)]
    name_zh_hant: String,
    #[serde(default)]
    name_en: String,
}

#[derive(Debug, Deserialize)]
struct ResidentRow {
    id: String,
    full_name: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    phone_last4: String,
    #[serde(default)]
    household: String,
}

#[derive(Debug, Deserialize)]
struct ActivityRow {
    id: String,
    room_id: String,
    date: String,
    starts: String,
    ends: String,
    title_zh_hans: String,
    #[serde(default)]
    title_zh_hant: String,
    #[serde(default)]
    title_en: String,
    host_zh_hans: String,
    #[serde(default)]
    host_zh_hant: String,
    #[serde(default)]
    host_en: String,
    /// Empty: open to all, no sign-up.
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    companions_allowed: String,
}

#[derive(Debug, Deserialize)]
struct RecurringRow {
    id: String,
    room_id: String,
    weekdays: String,
    starts: String,
    ends: String,
    /// Empty: from the day of the import.
    #[serde(default)]
    first_date: String,
    /// Empty: until staff end it.
    #[serde(default)]
    last_date: String,
    title_zh_hans: String,
    #[serde(default)]
    title_zh_hant: String,
    #[serde(default)]
    title_en: String,
    host_zh_hans: String,
    #[serde(default)]
    host_zh_hant: String,
    #[serde(default)]
    host_en: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    companions_allowed: String,
}

/// Reads every row of `file`, turning each into `T` or a message naming its line.
fn rows<R: Read, Row: for<'de> Deserialize<'de>, T>(
    file: &str,
    reader: R,
    mut check: impl FnMut(Row) -> Result<T, String>,
) -> Result<Vec<T>, ImportError> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let mut out = Vec::new();
    for (index, row) in csv.deserialize::<Row>().enumerate() {
        // Line 1 is the header.
        let line = index as u64 + 2;
        let row = row.map_err(|e| ImportError::Row { file: file.into(), line, message: plain(&e) })?;
        out.push(check(row).map_err(|message| ImportError::Row { file: file.into(), line, message })?);
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

fn id(text: &str, what: &str) -> Result<String, String> {
    if is_valid_id(text) {
        Ok(text.to_owned())
    } else {
        Err(format!("{what} {text:?} must be 1 to {MAX_ID_LEN} letters, digits, '-' or '_'"))
    }
}

fn optional(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

fn text(zh_hans: String, zh_hant: String, en: String, what: &str) -> Result<LocalizedText, String> {
    if zh_hans.is_empty() {
        return Err(format!("{what} in simplified Chinese is empty"));
    }
    Ok(LocalizedText { zh_hans, zh_hant: optional(zh_hant), en: optional(en) })
}

fn clock(text: &str, what: &str) -> Result<Time, String> {
    let format = time::macros::format_description!("[hour padding:none]:[minute]");
    Time::parse(text, format).map_err(|_| format!("{what} {text:?} is not a time like 08:30"))
}

fn check_room(row: RoomRow) -> Result<Room, String> {
    Ok(Room {
        id: id(&row.id, "room id")?,
        name: text(row.name_zh_hans, row.name_zh_hant, row.name_en, "the room's name")?,
    })
}

fn check_resident(row: ResidentRow) -> Result<Resident, String> {
    if row.full_name.is_empty() {
        return Err("full_name is empty".into());
    }
    let number = |kind, value: String, what: &str| match optional(value) {
        None => Ok(None),
        Some(value) => normalise(kind, &value).map(Some).ok_or_else(|| format!("{what} {value:?} is not valid")),
    };
    Ok(Resident {
        id: id(&row.id, "resident id")?,
        card_number: number(IdentityKind::Card, row.card_number, "card_number")?,
        phone_last4: number(IdentityKind::PhoneLast4, row.phone_last4, "phone_last4 (four digits)")?,
        household: number(IdentityKind::Household, row.household, "household (like 3-2-501)")?,
        full_name: row.full_name,
    })
}

fn check_activity(row: ActivityRow) -> Result<Activity, String> {
    let date: Date = parse_day(&row.date).ok_or_else(|| format!("date {:?} is not like 2026-11-23", row.date))?;
    let (starts, ends) = hours(&row.starts, &row.ends)?;
    Ok(Activity {
        id: id(&row.id, "activity id")?,
        room_id: id(&row.room_id, "room id")?,
        title: text(row.title_zh_hans, row.title_zh_hant, row.title_en, "the title")?,
        host: text(row.host_zh_hans, row.host_zh_hant, row.host_en, "the host")?,
        date,
        starts,
        ends,
        capacity: capacity(row.capacity)?,
        companions_allowed: companions(row.companions_allowed)?,
    })
}

fn check_recurring(today: Date) -> impl FnMut(RecurringRow) -> Result<RecurringActivity, String> {
    move |row| {
        if row.id.len() > MAX_RECURRING_ID_LEN {
            return Err(format!("recurring activity id {:?} is longer than {MAX_RECURRING_ID_LEN} characters", row.id));
        }
        let weekdays = Weekdays::parse(&row.weekdays).ok_or_else(|| {
            format!("weekdays {:?} is not a list of days like \"mon,wed,fri\" or \"周一、周三\"", row.weekdays)
        })?;
        let day = |text: String, what: &str| match optional(text) {
            None => Ok(None),
            Some(text) => parse_day(&text).map(Some).ok_or_else(|| format!("{what} {text:?} is not like 2026-11-23")),
        };
        let first_day = day(row.first_date, "first_date")?.unwrap_or(today);
        let last_day = day(row.last_date, "last_date")?;
        if last_day.is_some_and(|last| last < first_day) {
            return Err("last_date is before first_date".into());
        }
        let (starts, ends) = hours(&row.starts, &row.ends)?;
        Ok(RecurringActivity {
            id: id(&row.id, "recurring activity id")?,
            room_id: id(&row.room_id, "room id")?,
            title: text(row.title_zh_hans, row.title_zh_hant, row.title_en, "the title")?,
            host: text(row.host_zh_hans, row.host_zh_hant, row.host_en, "the host")?,
            weekdays,
            starts,
            ends,
            capacity: capacity(row.capacity)?,
            companions_allowed: companions(row.companions_allowed)?,
            first_day,
            last_day,
        })
    }
}

fn hours(starts: &str, ends: &str) -> Result<(Time, Time), String> {
    let (starts, ends) = (clock(starts, "starts")?, clock(ends, "ends")?);
    if ends <= starts {
        return Err("ends must be after starts".into());
    }
    Ok((starts, ends))
}

/// Empty: open to all, no sign-up.
fn capacity(text: String) -> Result<Option<u32>, String> {
    match optional(text) {
        None => Ok(None),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|c| *c > 0)
            .map(Some)
            .ok_or_else(|| format!("capacity {text:?} must be a number of seats, or empty for open to all")),
    }
}

fn companions(text: String) -> Result<u8, String> {
    match optional(text) {
        None => Ok(0),
        Some(text) => text
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= jiayuan_domain::sync::record::MAX_COMPANIONS)
            .ok_or_else(|| format!("companions_allowed {text:?} must be 0, 1 or 2")),
    }
}

/// Checks every file, then writes everything in one transaction. `today` is the community's
/// date: recurring activities get sessions from today to the kiosks' horizon.
pub async fn import<R: Read>(
    db: &Database,
    site_id: &str,
    files: ImportFiles<R>,
    today: Date,
) -> Result<ImportReport, ImportError> {
    let rooms = files.rooms.map(|(name, reader)| rows(&name, reader, check_room)).transpose()?.unwrap_or_default();
    let residents =
        files.residents.map(|(name, reader)| rows(&name, reader, check_resident)).transpose()?.unwrap_or_default();
    let activities =
        files.activities.map(|(name, reader)| rows(&name, reader, check_activity)).transpose()?.unwrap_or_default();
    let recurring = files
        .recurring
        .map(|(name, reader)| rows(&name, reader, check_recurring(today)))
        .transpose()?
        .unwrap_or_default();

    let mut tx = db.begin_write().await?;
    crate::sites::ensure(&mut tx, site_id).await?;
    let version = versions::next_for_site(&mut tx, site_id).await?;
    for room in &rooms {
        upsert_room(&mut tx, room, site_id, version).await?;
    }
    for resident in &residents {
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
    tx.commit().await?;
    Ok(report)
}

/// An activity may only be in a room of the site being imported.
async fn check_room_of_site(
    tx: &mut Transaction<'static, Any>,
    file: &str,
    room: &str,
    activity_id: &str,
    site_id: &str,
) -> Result<(), ImportError> {
    let site: Option<String> =
        sqlx::query_scalar("SELECT site_id FROM rooms WHERE id = $1").bind(room).fetch_optional(&mut **tx).await?;
    let problem = match site {
        Some(site) if site == site_id => return Ok(()),
        Some(other) => format!("room {room} belongs to site {other}, not {site_id}"),
        None => format!("room {room} does not exist; import it in the rooms file"),
    };
    Err(ImportError::File { file: file.into(), message: format!("activity {activity_id}: {problem}") })
}
