//! Every record of a period, one row each, as the kiosks sent them and the server answered:
//! what staff hand an auditor, or look through when a figure surprises them. A file only.

use std::collections::HashMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::sync::Outcome;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::column_rows::column_rows;
use crate::db::Database;
use crate::error::AppError;
use crate::schedule::format_day;
use jiayuan_domain::schedule::Room;

use super::export::{Cell, Length, Table, XlsxFile};
use super::{Scope, bounds_ms};

#[derive(Debug, Clone)]
pub struct RecordRow {
    /// When it happened: the community's time by the kiosk's clock.
    pub at: PrimitiveDateTime,
    pub room_id: String,
    pub kiosk_id: String,
    /// sign_in, check_in, sign_up, cancel, void
    pub action: String,
    pub resident_id: Option<String>,
    pub resident_name: Option<String>,
    pub activity: Option<LocalizedText>,
    /// The server's answer; None if it cannot be read.
    pub outcome: Option<Outcome>,
}

/// The period's records in the site (or one room), in the order they happened.
pub async fn records(db: &Database, scope: Scope<'_>) -> Result<Vec<RecordRow>, AppError> {
    let mut reader = RecordReader::open(db, scope).await?;
    let mut records = Vec::new();
    while let Some(day) = reader.next_day().await? {
        records.extend(day);
    }
    Ok(records)
}

/// A staff member's words for the records' columns and answers. The console's table of words
/// lives in the server above; it lends it through this.
pub trait Words: Send + Sync {
    /// The words for `key` (a key of the console's words).
    fn t(&self, key: &str) -> String;
    /// The language schedule texts are picked in.
    fn language(&self) -> jiayuan_domain::Language;
}

/// Every record of the period as an XLSX file, in the staff member's words. The next day's
/// records are read and put into words while the last day's are written, on another thread: a
/// month (a quarter of a million rows) takes about as long as the slower of the two, the writer.
pub async fn xlsx(db: &Database, scope: Scope<'_>, words: &dyn Words, rooms: Vec<Room>) -> Result<Vec<u8>, AppError> {
    let (days, mut written) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(2);
    let header = header(words);
    let writer = tokio::task::spawn_blocking(move || {
        let mut file = XlsxFile::new(&header, Length::Long)?;
        while let Some(day) = written.blocking_recv() {
            file.add_rows(day)?;
        }
        file.finish()
    });
    let mut words_of = WordsOf::new(words, &rooms);
    let mut reader = RecordReader::open(db, scope).await?;
    while let Some(day) = reader.next_day().await? {
        let rows = day.into_iter().map(|row| words_of.row(row)).collect();
        if days.send(rows).await.is_err() {
            break; // the writer stopped: its error is the answer
        }
    }
    drop(days);
    writer.await.map_err(|_| AppError::Unfinished("writing the records' file"))?
}

/// Reads a period's records a day at a time. Names and titles are looked up once each rather
/// than joined into every row: a month is a quarter of a million rows.
struct RecordReader<'a> {
    db: &'a Database,
    scope: Scope<'a>,
    /// The room of each kiosk in the scope.
    kiosks: HashMap<String, String>,
    names: HashMap<String, String>,
    titles: HashMap<String, LocalizedText>,
    outcomes: HashMap<String, Option<Outcome>>,
    statement: String,
    /// The next day to read; None when every day is read.
    day: Option<Date>,
}

impl<'a> RecordReader<'a> {
    async fn open(db: &'a Database, scope: Scope<'a>) -> Result<RecordReader<'a>, AppError> {
        let kiosks: HashMap<String, String> = sqlx::query_as(
            "SELECT kiosks.id, kiosks.room_id FROM kiosks JOIN rooms ON rooms.id = kiosks.room_id \
             WHERE rooms.site_id = $1 AND ($2 = '' OR kiosks.room_id = $2)",
        )
        .bind(scope.site_id)
        .bind(scope.room_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading the site's kiosks"))?
        .into_iter()
        .collect();
        let names: HashMap<String, String> = sqlx::query_as("SELECT id, full_name FROM residents WHERE site_id = $1")
            .bind(scope.site_id)
            .fetch_all(&db.pool)
            .await
            .map_err(AppError::db("reading residents' names"))?
            .into_iter()
            .collect();
        let titles: HashMap<String, LocalizedText> =
            sqlx::query_as::<_, (String, String, Option<String>, Option<String>)>(
                "SELECT activities.id, activities.title_zh_hans, activities.title_zh_hant, activities.title_en \
                 FROM activities JOIN rooms ON rooms.id = activities.room_id \
                 WHERE rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3",
            )
            .bind(scope.site_id)
            // A check-in or sign-up may be days before or after its session.
            .bind(format_day(scope.period.from.saturating_sub(time::Duration::days(CLOSE_DAYS))))
            .bind(format_day(scope.period.to.saturating_add(time::Duration::days(FAR_DAYS))))
            .fetch_all(&db.pool)
            .await
            .map_err(AppError::db("reading sessions' titles"))?
            .into_iter()
            .map(|(id, zh_hans, zh_hant, en)| (id, LocalizedText { zh_hans, zh_hant, en }))
            .collect();
        // Each kiosk's records by the (kiosk, time) index, each day's rows as one value the
        // database builds (`Backend::json_columns`): a day is 9,000 rows of 7 values.
        let columns = db.backend.json_columns(&[
            ("at", "happened_at"),
            ("seq", "seq"),
            ("kiosk_id", "kiosk_id"),
            ("action", "action"),
            ("resident_id", "resident_id"),
            ("activity_id", "activity_id"),
            ("outcome", "outcome"),
        ]);
        let statement = format!(
            "SELECT {columns} FROM kiosk_records WHERE kiosk_id IN ({}) AND happened_at >= $1 AND happened_at < $2",
            crate::db::placeholders(3, kiosks.len())
        );
        let day = (!kiosks.is_empty()).then_some(scope.period.from);
        Ok(RecordReader { db, scope, kiosks, names, titles, outcomes: HashMap::new(), statement, day })
    }

    /// The next day's records in the order they happened; None after the last day.
    async fn next_day(&mut self) -> Result<Option<Vec<RecordRow>>, AppError> {
        let Some(day) = self.day.filter(|day| *day <= self.scope.period.to) else { return Ok(None) };
        self.day = day.next_day();
        let (from, until) = bounds_ms(day, day, self.scope.offset);
        let mut query = sqlx::query_scalar::<_, String>(&self.statement).bind(from).bind(until);
        for id in self.kiosks.keys() {
            query = query.bind(id.clone());
        }
        let text = query.fetch_one(&self.db.pool).await.map_err(AppError::db("reading the period's records"))?;
        let mut rows = DayColumns::rows(&text).map_err(AppError::db("reading the period's records"))?;
        rows.sort_unstable_by(|a, b| (a.at, &a.kiosk_id, a.seq).cmp(&(b.at, &b.kiosk_id, b.seq)));
        let offset = self.scope.offset;
        Ok(Some(
            rows.into_iter()
                .filter_map(|row| {
                    let when = OffsetDateTime::from_unix_timestamp(row.at.div_euclid(1000)).ok()?.to_offset(offset);
                    let outcome = self
                        .outcomes
                        .entry(row.outcome)
                        .or_insert_with_key(|text| serde_json::from_str(text).ok())
                        .clone();
                    Some(RecordRow {
                        at: PrimitiveDateTime::new(when.date(), when.time()),
                        room_id: self.kiosks.get(&row.kiosk_id).cloned().unwrap_or_default(),
                        kiosk_id: row.kiosk_id,
                        action: row.action,
                        resident_name: row.resident_id.as_ref().and_then(|id| self.names.get(id).cloned()),
                        resident_id: row.resident_id,
                        activity: row.activity_id.and_then(|id| self.titles.get(&id).cloned()),
                        outcome,
                    })
                })
                .collect(),
        ))
    }
}

column_rows! {
    /// One record, as read.
    struct ReadRecord in DayColumns {
        at: i64,
        seq: i64,
        kiosk_id: String,
        action: String,
        resident_id: Option<String>,
        activity_id: Option<String>,
        outcome: String,
    }
}

/// How far before and after the period the sessions its records may be about are looked up:
/// check-ins happen on the day, sign-ups up to the schedule's horizon ahead.
const CLOSE_DAYS: i64 = 1;
const FAR_DAYS: i64 = 120;

/// The word key of an answer (`record.outcome.*`), and of its reason when refused.
pub fn outcome_key(outcome: &Option<Outcome>) -> (&'static str, Option<&'static str>) {
    match outcome {
        Some(outcome @ Outcome::Rejected { reason, .. }) => (outcome.status_name(), Some(reason.name())),
        Some(outcome) => (outcome.status_name(), None),
        None => ("unreadable", None),
    }
}

/// The records' file is `records_{period}.xlsx`.
pub const FILE_NAME: &str = "records";

const COLUMNS: [&str; 8] = [
    "record.when",
    "reports.room",
    "kiosks.kiosk",
    "record.what",
    "record.resident_id",
    "record.resident_name",
    "session.title",
    "record.answer",
];

/// The records as a table, in the staff member's words.
pub fn table(rows: Vec<RecordRow>, words: &dyn Words, rooms: &[Room]) -> Table {
    let mut words_of = WordsOf::new(words, rooms);
    let rows = rows.into_iter().map(|row| words_of.row(row)).collect();
    Table { name: FILE_NAME, header: header(words), rows }
}

fn header(words: &dyn Words) -> Vec<String> {
    COLUMNS.map(|key| words.t(key)).to_vec()
}

/// Puts records into a staff member's words. A month is a quarter of a million rows and a
/// handful of words: each looked up once.
struct WordsOf<'a> {
    words: &'a dyn Words,
    rooms: &'a [Room],
    said: HashMap<String, String>,
}

impl<'a> WordsOf<'a> {
    fn new(words: &'a dyn Words, rooms: &'a [Room]) -> WordsOf<'a> {
        WordsOf { words, rooms, said: HashMap::new() }
    }

    fn say(&mut self, key: String) -> String {
        let words = self.words;
        self.said.entry(key).or_insert_with_key(|key| words.t(key)).clone()
    }

    fn row(&mut self, row: RecordRow) -> Vec<Cell> {
        let (outcome, reason) = outcome_key(&row.outcome);
        let mut answer = self.say(format!("record.outcome.{outcome}"));
        if let Some(reason) = reason {
            answer = format!("{answer}：{}", self.say(format!("record.reason.{reason}")));
        }
        let room = self.rooms.iter().find(|room| room.id == row.room_id);
        let room =
            room.map(|room| room.name.get(self.words.language()).to_owned()).unwrap_or_else(|| row.room_id.clone());
        let action = self.say(format!("record.action.{}", row.action));
        let name = match (&row.resident_id, row.resident_name) {
            (None, _) => self.say("record.visitor".to_owned()),
            (Some(_), name) => name.unwrap_or_default(),
        };
        vec![
            Cell::When(row.at),
            Cell::Text(room),
            Cell::Text(row.kiosk_id),
            Cell::Text(action),
            Cell::Text(row.resident_id.unwrap_or_default()),
            Cell::Text(name),
            Cell::Text(
                row.activity.as_ref().map(|title| title.get(self.words.language()).to_owned()).unwrap_or_default(),
            ),
            Cell::Text(answer),
        ]
    }
}
