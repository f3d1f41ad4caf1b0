//! What each session's figures are made of — confirmed seats, residents checked in (at the
//! kiosk or on paper, each once), those of them holding a seat, visitors — counted from the
//! sign-ups and check-ins, and kept (`session_figures`) for sessions of kept days.
//!
//! Kept counts are used only while the session is as it was when they were made: every seat
//! change, staff edit and paper tick gives the session a new `version`, and a check-in that
//! arrives late makes its day's figures again (`days::note_late`).

use std::collections::HashMap;

use sqlx::AnyPool;
use time::Date;

use crate::column_rows::column_rows;
use crate::db::{Database, placeholders};
use crate::error::AppError;
use crate::schedule::format_day;

use crate::attendance::came;
use jiayuan_domain::seats::status::CONFIRMED;

use crate::error::Tx;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub confirmed: i64,
    /// Residents who checked in, each once.
    pub checked_in: i64,
    /// Of them, those holding a confirmed seat.
    pub with_seat: i64,
    pub visitors_checked_in: i64,
}

/// Which sessions to count.
#[derive(Debug, Clone, Copy)]
pub enum Sessions<'a> {
    /// Every session of a site on these days.
    OnDays { site_id: &'a str, first: Date, last: Date },
    /// These sessions.
    These(&'a [&'a str]),
}

impl Sessions<'_> {
    /// The condition on `activities` (joined with `rooms`), and its binds.
    fn condition(&self) -> (String, Vec<String>) {
        match self {
            Sessions::OnDays { site_id, first, last } => (
                "rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3".to_owned(),
                vec![site_id.to_string(), format_day(*first), format_day(*last)],
            ),
            Sessions::These(ids) => (
                format!("activities.id IN ({})", placeholders(1, ids.len())),
                ids.iter().map(|id| id.to_string()).collect(),
            ),
        }
    }
}

/// Sessions named in one statement at most.
pub const MOST_AT_ONCE: usize = 500;

/// Two grouped passes (confirmed seats; check-ins against seats) rather than a lookup per
/// session and resident: each sign-up and check-in is read once.
pub async fn count(pool: &AnyPool, which: Sessions<'_>) -> Result<HashMap<String, Counts>, AppError> {
    let (condition, binds) = which.condition();
    let sessions = "FROM activities JOIN rooms ON rooms.id = activities.room_id";
    let confirmed_statement = format!(
        "SELECT sign_ups.activity_id, COUNT(*) {sessions} \
         JOIN sign_ups ON sign_ups.activity_id = activities.id AND sign_ups.status = '{CONFIRMED}' \
         WHERE {condition} GROUP BY sign_ups.activity_id"
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(&confirmed_statement);
    for bind in &binds {
        query = query.bind(bind.clone());
    }
    let confirmed = query.fetch_all(pool).await.map_err(AppError::db("counting sessions' confirmed seats"))?;
    // Check-ins at kiosks and ticks entered from paper sheets, each resident once a session.
    let came = came(sessions, &condition);
    let check_ins_statement = format!(
        "SELECT came.activity_id, COUNT(DISTINCT came.resident_id), \
                COUNT(DISTINCT CASE WHEN sign_ups.resident_id IS NOT NULL THEN came.resident_id END), \
                SUM(CASE WHEN came.resident_id IS NULL THEN 1 ELSE 0 END) \
         FROM ({came}) AS came \
         LEFT JOIN sign_ups ON sign_ups.activity_id = came.activity_id \
              AND sign_ups.resident_id = came.resident_id AND sign_ups.status = '{CONFIRMED}' \
         GROUP BY came.activity_id"
    );
    let mut query = sqlx::query_as::<_, (String, i64, i64, i64)>(&check_ins_statement);
    for bind in &binds {
        query = query.bind(bind.clone());
    }
    let check_ins = query.fetch_all(pool).await.map_err(AppError::db("counting sessions' check-ins"))?;
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (id, n) in confirmed {
        counts.entry(id).or_default().confirmed = n;
    }
    for (id, checked_in, with_seat, visitors_checked_in) in check_ins {
        let entry = counts.entry(id).or_default();
        (entry.checked_in, entry.with_seat, entry.visitors_checked_in) = (checked_in, with_seat, visitors_checked_in);
    }
    Ok(counts)
}

/// Kept counts of the site's sessions on these days, with the version each was made from.
/// Read as one value the database builds (`Backend::json_columns`): a year is 12,000 sessions.
pub async fn read_kept(
    db: &Database,
    site_id: &str,
    first: Date,
    last: Date,
) -> Result<HashMap<String, (i64, Counts)>, AppError> {
    let columns = db.backend.json_columns(&[
        ("activity_id", "activity_id"),
        ("version", "version"),
        ("confirmed", "confirmed"),
        ("checked_in", "checked_in"),
        ("with_seat", "checked_in_with_seat"),
        ("visitors_checked_in", "visitors_checked_in"),
    ]);
    let text: String = sqlx::query_scalar(&format!(
        "SELECT {columns} FROM session_figures WHERE site_id = $1 AND day >= $2 AND day <= $3"
    ))
    .bind(site_id)
    .bind(format_day(first))
    .bind(format_day(last))
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("reading sessions' kept figures"))?;
    let rows = KeptColumns::rows(&text).map_err(AppError::db("reading sessions' kept figures"))?;
    Ok(rows
        .into_iter()
        .map(|KeptRow { activity_id, version, confirmed, checked_in, with_seat, visitors_checked_in }| {
            (activity_id, (version, Counts { confirmed, checked_in, with_seat, visitors_checked_in }))
        })
        .collect())
}

column_rows! {
    struct KeptRow in KeptColumns {
        activity_id: String,
        version: i64,
        confirmed: i64,
        checked_in: i64,
        with_seat: i64,
        visitors_checked_in: i64,
    }
}

/// A session to keep counts of: its id and day, and the version they were counted at (read
/// before counting, so counts never look newer-made than they are).
#[derive(Debug, Clone)]
pub struct ToKeep {
    pub activity_id: String,
    pub day: Date,
    pub version: i64,
    pub counts: Counts,
}

pub async fn write_kept(tx: &mut Tx, site_id: &str, sessions: &[ToKeep]) -> Result<(), AppError> {
    for session in sessions {
        let c = session.counts;
        sqlx::query(
            "INSERT INTO session_figures (activity_id, site_id, day, version, confirmed, checked_in, \
                                          checked_in_with_seat, visitors_checked_in) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (activity_id) DO UPDATE SET site_id = $2, day = $3, version = $4, confirmed = $5, \
               checked_in = $6, checked_in_with_seat = $7, visitors_checked_in = $8",
        )
        .bind(session.activity_id.clone())
        .bind(site_id)
        .bind(format_day(session.day))
        .bind(session.version)
        .bind(c.confirmed)
        .bind(c.checked_in)
        .bind(c.with_seat)
        .bind(c.visitors_checked_in)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db("keeping sessions' figures"))?;
    }
    Ok(())
}

/// The site's sessions on these days with their versions, read before they are counted.
pub async fn versions(
    pool: &AnyPool,
    site_id: &str,
    first: Date,
    last: Date,
) -> Result<Vec<(String, Date, i64)>, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT activities.id, activities.day, activities.version \
         FROM activities JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $1 AND activities.day >= $2 AND activities.day <= $3",
    )
    .bind(site_id)
    .bind(format_day(first))
    .bind(format_day(last))
    .fetch_all(pool)
    .await
    .map_err(AppError::db("reading sessions' versions"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, day, version)| Some((id, crate::schedule::parse_day(&day)?, version)))
        .collect())
}
