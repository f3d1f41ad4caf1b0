//! The schedule in the database: rooms and activities.

use jiayuan_domain::LocalizedText;
use jiayuan_domain::civil::parse_hour_minute;
use jiayuan_domain::schedule::{Activity, Room};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use time::Date;

use crate::column_rows::column_rows;
use crate::db::Database;
use crate::error::{AppError, Tx};

pub use jiayuan_domain::civil::{
    format_date as format_day, format_hour_minute as format_time, parse_date as parse_day,
};

/// The columns `activity_from_row` reads, qualified so they can follow a join.
pub const ACTIVITY_COLUMNS: &str = "activities.id, activities.room_id, activities.title_zh_hans, \
    activities.title_zh_hant, activities.title_en, activities.host_zh_hans, activities.host_zh_hant, \
    activities.host_en, activities.day, activities.starts, activities.ends, activities.capacity, \
    activities.companions_allowed, activities.cancelled_at, activities.volunteer_service, \
    activities.after_school";

/// The activities of `site_id` from `first` up to and including `last`, in time order.
pub async fn activities_between(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
) -> Result<Vec<Activity>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {ACTIVITY_COLUMNS} FROM activities JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $3 AND activities.day >= $1 AND activities.day <= $2 \
         ORDER BY activities.day, activities.starts, activities.id"
    ))
    .bind(format_day(first))
    .bind(format_day(last))
    .bind(site_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading activities"))?;
    rows.iter().map(activity_from_row).collect::<Result<_, _>>().map_err(AppError::db("reading activities"))
}

/// Gives sessions of `site_id` the site's next change number: kiosks pull them again (their
/// seats, their children in the room) and reports count them again. On PostgreSQL their rows
/// stay locked until the change commits.
pub async fn send_again(tx: &mut Tx, site_id: &str, activity_ids: &[&str]) -> Result<(), sqlx::Error> {
    let statement = "UPDATE activities SET version = $1 WHERE id IN ({ids}) AND room_id IN (SELECT id FROM rooms WHERE site_id = $2)";
    crate::versions::stamp(tx, site_id, statement, activity_ids).await
}

/// Writes a room, or updates it if its id exists; `version` tells kiosks it changed.
pub async fn upsert_room(tx: &mut Tx, room: &Room, site_id: &str, version: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rooms (id, site_id, name_zh_hans, name_zh_hant, name_en, version) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name_zh_hans = excluded.name_zh_hans, name_zh_hant = excluded.name_zh_hant, \
         name_en = excluded.name_en, version = excluded.version",
    )
    .bind(&room.id)
    .bind(site_id)
    .bind(&room.name.zh_hans)
    .bind(room.name.zh_hant.clone())
    .bind(room.name.en.clone())
    .bind(version)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Writes an activity, or updates it if its id exists (its seats taken stay as they are, its
/// revision counts the change, so a form opened before it is told). Every write of an
/// activity's columns goes through here: the console's edits, files, recurring activities.
/// `recurring_id` names the recurring activity a session was made from.
pub async fn upsert_activity(
    tx: &mut Tx,
    activity: &Activity,
    recurring_id: Option<&str>,
    version: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO activities (id, room_id, title_zh_hans, title_zh_hant, title_en, host_zh_hans, host_zh_hant, \
         host_en, day, starts, ends, capacity, companions_allowed, version, recurring_id, volunteer_service, \
         after_school) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET room_id = excluded.room_id, title_zh_hans = excluded.title_zh_hans, \
         title_zh_hant = excluded.title_zh_hant, title_en = excluded.title_en, host_zh_hans = excluded.host_zh_hans, \
         host_zh_hant = excluded.host_zh_hant, host_en = excluded.host_en, day = excluded.day, \
         starts = excluded.starts, ends = excluded.ends, capacity = excluded.capacity, \
         companions_allowed = excluded.companions_allowed, version = excluded.version, \
         recurring_id = excluded.recurring_id, volunteer_service = excluded.volunteer_service, \
         after_school = excluded.after_school, \
         revision = activities.revision + 1 \
         WHERE activities.room_id IN (SELECT same.id FROM rooms AS same WHERE same.site_id = \
           (SELECT rooms.site_id FROM rooms WHERE rooms.id = excluded.room_id))",
    )
    .bind(&activity.id)
    .bind(&activity.room_id)
    .bind(&activity.title.zh_hans)
    .bind(activity.title.zh_hant.clone())
    .bind(activity.title.en.clone())
    .bind(&activity.host.zh_hans)
    .bind(activity.host.zh_hant.clone())
    .bind(activity.host.en.clone())
    .bind(format_day(activity.date))
    .bind(format_time(activity.starts))
    .bind(format_time(activity.ends))
    .bind(activity.capacity.map(i64::from))
    .bind(i64::from(activity.companions_allowed))
    .bind(version)
    .bind(recurring_id)
    .bind(i64::from(activity.volunteer_service))
    .bind(i64::from(activity.after_school))
    .execute(&mut **tx)
    .await?;
    // An activity made again after it was removed must not be removed again on kiosks that
    // pull both changes at once.
    sqlx::query(
        "DELETE FROM deletions WHERE entity = 'activity' AND entity_id = $1 \
         AND site_id = (SELECT rooms.site_id FROM rooms WHERE rooms.id = $2)",
    )
    .bind(&activity.id)
    .bind(&activity.room_id)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// The three languages' columns `{prefix}_zh_hans`, `{prefix}_zh_hant`, `{prefix}_en`.
pub(crate) fn localized(row: &AnyRow, prefix: &str) -> Result<LocalizedText, sqlx::Error> {
    Ok(LocalizedText {
        zh_hans: row.try_get(format!("{prefix}_zh_hans").as_str())?,
        zh_hant: row.try_get(format!("{prefix}_zh_hant").as_str())?,
        en: row.try_get(format!("{prefix}_en").as_str())?,
    })
}

pub fn room_from_row(row: &AnyRow) -> Result<Room, sqlx::Error> {
    Ok(Room { id: row.try_get("id")?, name: localized(row, "name")? })
}

pub fn activity_from_row(row: &AnyRow) -> Result<Activity, sqlx::Error> {
    ActivityColumns::from_row(row)?.into_activity()
}

column_rows! {
    /// An activity as its columns hold it, read from a row or from columns of JSON.
    #[derive(Debug, sqlx::FromRow)]
    pub struct ActivityColumns in ActivityColumnValues {
        id: String,
        room_id: String,
        title_zh_hans: String,
        title_zh_hant: Option<String>,
        title_en: Option<String>,
        host_zh_hans: String,
        host_zh_hant: Option<String>,
        host_en: Option<String>,
        day: String,
        starts: String,
        ends: String,
        capacity: Option<i64>,
        companions_allowed: i64,
        cancelled_at: Option<i64>,
        volunteer_service: i64,
        after_school: i64,
    }
}

impl ActivityColumns {
    pub fn into_activity(self) -> Result<Activity, sqlx::Error> {
        let decode = |column: &str, message: &str| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: message.to_owned().into(),
        };
        Ok(Activity {
            date: parse_day(&self.day).ok_or_else(|| decode("day", "not a YYYY-MM-DD date"))?,
            starts: parse_hour_minute(&self.starts).ok_or_else(|| decode("starts", "not an HH:MM time"))?,
            ends: parse_hour_minute(&self.ends).ok_or_else(|| decode("ends", "not an HH:MM time"))?,
            capacity: self.capacity.map(u32::try_from).transpose().map_err(|_| decode("capacity", "out of range"))?,
            companions_allowed: u8::try_from(self.companions_allowed)
                .map_err(|_| decode("companions_allowed", "out of range"))?,
            cancelled: self.cancelled_at.is_some(),
            volunteer_service: self.volunteer_service != 0,
            after_school: self.after_school != 0,
            id: self.id,
            room_id: self.room_id,
            title: LocalizedText { zh_hans: self.title_zh_hans, zh_hant: self.title_zh_hant, en: self.title_en },
            host: LocalizedText { zh_hans: self.host_zh_hans, zh_hant: self.host_zh_hant, en: self.host_en },
        })
    }
}

/// The rooms of one site.
pub async fn rooms_of_site(db: &Database, site_id: &str) -> Result<Vec<Room>, AppError> {
    let rows = sqlx::query("SELECT id, name_zh_hans, name_zh_hant, name_en FROM rooms WHERE site_id = $1 ORDER BY id")
        .bind(site_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading rooms"))?;
    rows.iter().map(room_from_row).collect::<Result<_, _>>().map_err(AppError::db("reading rooms"))
}

/// A session as staff see it: the activity, its seats and line, and what staff did to it.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub activity: Activity,
    pub seats_taken: i64,
    pub waiting: i64,
    pub cancelled: bool,
    /// The recurring activity it was made from, if any.
    pub recurring_id: Option<String>,
    /// Counts staff's edits: a form carries it back, so two staff editing at once are told.
    pub revision: i64,
    /// The site's change number of its last change (seats, edits): kiosks pull by it.
    pub version: i64,
}

impl SessionRow {
    /// The activity a report counts the session under: its weekly activity, or itself for a
    /// one-off (a weekly activity counts as one).
    pub fn activity_key(&self) -> &str {
        self.recurring_id.as_deref().unwrap_or(&self.activity.id)
    }
}

/// Residents waiting for a seat in the session of the current row of `activities` (counted
/// where seats are decided: `sync::seats::waiting_counts`).
const WAITING: &str = "activities.waiting";

column_rows! {
    /// A session's seats and line and its edits' counts, read beside its `ActivityColumns`
    /// from the same columns: a year is twelve thousand sessions, read at once for reports.
    struct SessionColumns in SessionColumnValues {
        seats_taken: i64,
        recurring_id: Option<String>,
        revision: i64,
        version: i64,
        waiting: i64,
    }
}

impl SessionColumns {
    fn into_session(self, activity: ActivityColumns) -> Result<SessionRow, sqlx::Error> {
        let activity = activity.into_activity()?;
        Ok(SessionRow {
            cancelled: activity.cancelled,
            activity,
            seats_taken: self.seats_taken,
            waiting: self.waiting,
            recurring_id: self.recurring_id,
            revision: self.revision,
            version: self.version,
        })
    }
}

/// The sessions of the site's activities that `condition` (on `activities`, joined with
/// `rooms`) picks, with `binds` for its placeholders, in time order.
async fn sessions_where(db: &Database, condition: &str, binds: &[Bind]) -> Result<Vec<SessionRow>, AppError> {
    let failed = AppError::db("reading sessions");
    let columns: Vec<(&str, String)> = (ActivityColumnValues::NAMES.iter())
        .chain(SessionColumnValues::NAMES)
        .map(|name| (*name, format!("activities.{name}")))
        .collect();
    let columns: Vec<(&str, &str)> = columns.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let statement = format!(
        "SELECT {} FROM activities JOIN rooms ON rooms.id = activities.room_id WHERE {condition}",
        db.backend.json_columns(&columns)
    );
    let mut query = sqlx::query_scalar::<_, String>(&statement);
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text.clone()),
            Bind::Number(n) => query.bind(*n),
        };
    }
    let text = query.fetch_one(&db.pool).await.map_err(failed)?;
    let read = || -> Result<Vec<SessionRow>, sqlx::Error> {
        let activities = ActivityColumnValues::rows(&text)?;
        let seats = SessionColumnValues::rows(&text)?;
        if seats.len() != activities.len() {
            return Err(sqlx::Error::Protocol("sessions' columns of different lengths".into()));
        }
        activities.into_iter().zip(seats).map(|(activity, seats)| seats.into_session(activity)).collect()
    };
    let mut sessions = read().map_err(AppError::db("reading sessions"))?;
    sessions.sort_by(|a, b| time_order(a).cmp(&time_order(b)));
    Ok(sessions)
}

/// Sessions in time order: by day, start, room and id (compared without copying the ids).
fn time_order(session: &SessionRow) -> (Date, time::Time, &str, &str) {
    let activity = &session.activity;
    (activity.date, activity.starts, &activity.room_id, &activity.id)
}

/// A value for a placeholder of `sessions_where`.
enum Bind {
    Text(String),
    Number(i64),
}

/// The sessions of `site_id` from `first` to `last`, in time order.
pub async fn sessions_of_site(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
) -> Result<Vec<SessionRow>, AppError> {
    sessions_waiting_more_than(db, site_id, first, last, -1).await
}

/// The same, only those whose waiting list is longer than `more_than` (-1: all).
pub async fn sessions_waiting_more_than(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
    more_than: i64,
) -> Result<Vec<SessionRow>, AppError> {
    let mut condition = "rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3".to_owned();
    let mut binds = vec![Bind::Text(site_id.to_owned()), Bind::Text(format_day(first)), Bind::Text(format_day(last))];
    if more_than >= 0 {
        condition.push_str(&format!(" AND {WAITING} > $4"));
        binds.push(Bind::Number(more_than));
    }
    sessions_where(db, &condition, &binds).await
}

/// One session of `site_id`, if it is there.
pub async fn session_of_site(db: &Database, site_id: &str, activity_id: &str) -> Result<Option<SessionRow>, AppError> {
    let binds = [Bind::Text(site_id.to_owned()), Bind::Text(activity_id.to_owned())];
    let sessions = sessions_where(db, "rooms.site_id = $1 AND activities.id = $2", &binds).await?;
    Ok(sessions.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::{ACTIVITY_COLUMNS, ActivityColumnValues};

    #[test]
    fn an_activity_is_read_from_the_same_columns_as_a_row_or_as_json() {
        let named: Vec<String> = ActivityColumnValues::NAMES.iter().map(|name| format!("activities.{name}")).collect();
        let listed: Vec<&str> = ACTIVITY_COLUMNS.split(',').map(str::trim).collect();
        assert_eq!(listed, named);
    }
}
