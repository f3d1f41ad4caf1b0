//! A realistic year for one site, made straight in the database: 10,000 residents, three rooms,
//! 100 weekly activities and their year of sessions, sign-ups with waiting lists and
//! cancellations, and more than 3,000,000 kiosk records. For `cargo xtask bench` and for trying
//! the reports on real volumes (`jiayuan-server sample-year`); never for a community's database.
//!
//! The bulk (sign-ins, check-ins) is made by the database itself from a numbered series, so a
//! year takes seconds, not the hours the sync path would.

use time::{Date, Duration, Time, UtcOffset};

use crate::community_time::ms_at;

use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::schedule::format_day;

/// How big a year to make.
#[derive(Debug, Clone, Copy)]
pub struct YearSize {
    pub residents: i64,
    pub activities: i64,
    /// Room sign-ins; check-ins, sign-ups and cancellations come on top.
    pub sign_ins: i64,
}

impl YearSize {
    /// A 10,000-household community with activities every day.
    pub const COMMUNITY: YearSize = YearSize { residents: 10_000, activities: 100, sign_ins: 2_700_000 };
}

/// What was made.
#[derive(Debug, Clone, Copy, Default)]
pub struct YearMade {
    pub sessions: i64,
    pub sign_ups: i64,
    pub records: i64,
}

const ROOMS: [(&str, &str); 3] = [("yr-room-1", "老年活动室"), ("yr-room-2", "多功能厅"), ("yr-room-3", "书画室")];
/// Seats in every session, and how many more residents ask for one.
const SEATS: i64 = 20;
const ASKING: i64 = 26;
const DB: &str = "making a sample year";

/// The sign-up of the `place`-th resident asking for a session: the first take the seats, the
/// next wait, the last cancelled.
fn status_of_place(place: i64) -> &'static str {
    match place {
        p if p <= SEATS => "confirmed",
        p if p < ASKING => "waiting",
        _ => "cancelled",
    }
}

enum Cell {
    Text(String),
    Int(i64),
}

/// Inserts `rows` into `table (columns)`, many rows per statement.
async fn insert_rows(tx: &mut Tx, table: &str, columns: &[&str], rows: Vec<Vec<Cell>>) -> Result<(), AppError> {
    let per_statement = (900 / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Cell>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (r, _) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for cell in chunk.into_iter().flatten() {
            query = match cell {
                Cell::Text(text) => query.bind(text),
                Cell::Int(n) => query.bind(n),
            };
        }
        query.execute(&mut **tx).await.map_err(AppError::db(DB))?;
    }
    Ok(())
}

/// Fills `site_id` with a year ending on `last_day`.
pub async fn fill(
    db: &Database,
    site_id: &str,
    last_day: Date,
    offset: UtcOffset,
    size: YearSize,
) -> Result<YearMade, AppError> {
    let made = fill_site(db, SampleSite { site_id, prefix: "", seed: 0 }, last_day, offset, size).await?;
    // Records written here, not pushed: their summaries are made the way a changed offset makes them.
    crate::reports::presence::make_again(db, offset).await?;
    Ok(made)
}

/// One of several sample communities in one database (a company town): its ids begin with
/// `prefix`, and `seed` varies who comes when.
#[derive(Debug, Clone, Copy)]
pub struct SampleSite<'a> {
    pub site_id: &'a str,
    pub prefix: &'a str,
    pub seed: i64,
}

/// Fills one sample site with a year; the caller makes the summaries again once all are in
/// (`reports::presence::make_again`).
pub async fn fill_site(
    db: &Database,
    site: SampleSite<'_>,
    last_day: Date,
    offset: UtcOffset,
    size: YearSize,
) -> Result<YearMade, AppError> {
    let SampleSite { site_id, prefix: p, seed: site_seed } = site;
    let first_day = last_day - Duration::days(364);
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    crate::sites::ensure(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    let rooms = ROOMS
        .iter()
        .map(|(id, name)| vec![Cell::Text(format!("{p}{id}")), Cell::Text(site_id.into()), Cell::Text((*name).into())]);
    insert_rows(&mut tx, "rooms", &["id", "site_id", "name_zh_hans"], rooms.collect()).await?;
    let kiosks = ROOMS.iter().map(|(id, _)| {
        vec![Cell::Text(format!("yk-{p}{id}")), Cell::Text(format!("{p}{id}")), Cell::Text("-".into()), Cell::Int(0)]
    });
    insert_rows(&mut tx, "kiosks", &["id", "room_id", "secret_sha256", "paired_at"], kiosks.collect()).await?;
    let residents = (1..=size.residents).map(|n| {
        vec![
            Cell::Text(format!("{p}yr-{n}")),
            Cell::Text(site_id.into()),
            Cell::Text(format!("居民{n}")),
            Cell::Text(format!("居*{}", n % 10)),
            Cell::Text(format!("{:04}", n % 10_000)),
            Cell::Text(format!("{}-{}-{}", 1 + n % 30, 1 + n % 4, 101 + n % 600)),
        ]
    });
    let columns = ["id", "site_id", "full_name", "display_name", "phone_last4", "household"];
    insert_rows(&mut tx, "residents", &columns, residents.collect()).await?;

    // Each activity meets on two or three days a week, at its own hour, in its own room: a
    // recurring activity, whose sessions the reports add up.
    let meets = |a: i64, weekday: i64| (a + weekday) % 3 == 0;
    const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let recurring = (0..size.activities).map(|a| {
        let hour = 8 + a % 10;
        let weekdays: Vec<&str> =
            (0..7).filter(|w| meets(a, *w)).filter_map(|w| WEEKDAYS.get(w as usize).copied()).collect();
        vec![
            Cell::Text(format!("{p}yra-{a}")),
            Cell::Text(format!("{p}{}", ROOMS[usize::try_from(a % 3).unwrap_or(0)].0)),
            Cell::Text(format!("活动{a}")),
            Cell::Text(format!("老师{a}")),
            Cell::Text(weekdays.join(",")),
            Cell::Text(format!("{hour:02}:00")),
            Cell::Text(format!("{:02}:00", hour + 1)),
            Cell::Int(SEATS),
            Cell::Text(format_day(first_day)),
            Cell::Text(format_day(last_day)),
            Cell::Text(format_day(last_day)),
        ]
    });
    let columns = [
        "id",
        "room_id",
        "title_zh_hans",
        "host_zh_hans",
        "weekdays",
        "starts",
        "ends",
        "capacity",
        "first_day",
        "last_day",
        "sessions_through",
    ];
    insert_rows(&mut tx, "recurring_activities", &columns, recurring.collect()).await?;
    let waiting = (1..=ASKING).filter(|place| status_of_place(*place) == "waiting").count() as i64;
    let mut sessions = Vec::new();
    let mut sign_ups = Vec::new();
    let mut day = first_day;
    while day <= last_day {
        let weekday = i64::from(day.weekday().number_days_from_monday());
        for a in 0..size.activities {
            if !meets(a, weekday) {
                continue;
            }
            let id = format!("{p}ya-{a}-{}", format_day(day));
            let hour = 8 + u8::try_from(a % 10).unwrap_or(0);
            let starts = Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT);
            let room = ROOMS[usize::try_from(a % 3).unwrap_or(0)].0;
            sessions.push(vec![
                Cell::Text(id.clone()),
                Cell::Text(format!("{p}{room}")),
                Cell::Text(format!("活动{a}")),
                Cell::Text(format!("老师{a}")),
                Cell::Text(format_day(day)),
                Cell::Text(format!("{hour:02}:00")),
                Cell::Text(format!("{:02}:00", hour + 1)),
                Cell::Int(SEATS),
                Cell::Int(SEATS),
                Cell::Text(format!("{p}yra-{a}")),
                Cell::Int(waiting),
            ]);
            let at = ms_at(day, starts, offset);
            let seed = a * 131 + (day.to_julian_day() as i64 % 997) + site_seed;
            for place in 1..=ASKING {
                let resident = 1 + (seed + place * 7919) % size.residents;
                let status = status_of_place(place);
                sign_ups.push(vec![
                    Cell::Text(id.clone()),
                    Cell::Text(format!("{p}yr-{resident}")),
                    Cell::Int(0),
                    Cell::Text(status.into()),
                    Cell::Int(place),
                    Cell::Text(format!("ys-{id}-{place}")),
                    Cell::Int(at),
                ]);
            }
        }
        day = day.next_day().unwrap_or(last_day + Duration::days(1));
    }
    let made_sessions = sessions.len() as i64;
    let made_sign_ups = sign_ups.len() as i64;
    let columns = [
        "id",
        "room_id",
        "title_zh_hans",
        "host_zh_hans",
        "day",
        "starts",
        "ends",
        "capacity",
        "seats_taken",
        "recurring_id",
        "waiting",
    ];
    insert_rows(&mut tx, "activities", &columns, sessions).await?;
    let columns = ["activity_id", "resident_id", "companions", "status", "queue_order", "record_id", "updated_at"];
    insert_rows(&mut tx, "sign_ups", &columns, sign_ups).await?;

    let accepted = crate::attendance::accepted();
    let day_ms: i64 = 86_400_000;
    let start = ms_at(first_day, Time::MIDNIGHT, offset);
    // Room sign-ins: spread over the year's days, opening hours 8:00 to 18:00, residents in a
    // skewed pattern (some come often, some rarely), one in twenty a visitor. Records are
    // stored in the order they happened, as a server that received them through the year
    // stored them (each kiosk sends within minutes): a day's records lie together in the table.
    sqlx::query(
        "INSERT INTO kiosk_records (kiosk_id, seq, record_id, action, resident_id, happened_at, applied_at, outcome) \
         WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT 'yk-' || $6 || 'yr-room-' || (1 + i % 3), i, $6 || 'yi-' || i, 'sign_in', \
                CASE WHEN i % 20 = 0 THEN NULL \
                     ELSE $6 || 'yr-' || (1 + (((i + $7) * 2654435761) % $2) * (((i + $7) * 40503) % $2) / $2) END, \
                $3 + ((i * 104729) % 365) * $4 + 28800000 + (i * 7907) % 36000000 AS happened_at, \
                $3 + ((i * 104729) % 365) * $4 + 28800000 + (i * 7907) % 36000000 + 60000, $5 \
         FROM n ORDER BY happened_at",
    )
    .bind(size.sign_ins)
    .bind(size.residents)
    .bind(start)
    .bind(day_ms)
    .bind(&accepted)
    .bind(p)
    .bind(site_seed)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    // Kiosks' sign-up and cancel records for every sign-up, and check-ins by four in five of
    // those who kept their seat.
    for (action, filter, offset_ms, seq_from) in [
        ("sign_up", "1 = 1", -86_400_000_i64, 10_000_000_i64),
        ("cancel", "sign_ups.status = 'cancelled'", -3_600_000, 20_000_000),
        ("check_in", "sign_ups.status = 'confirmed' AND sign_ups.queue_order % 5 <> 0", 120_000, 30_000_000),
    ] {
        sqlx::query(&format!(
            "INSERT INTO kiosk_records (kiosk_id, seq, record_id, action, resident_id, activity_id, happened_at, \
                                        applied_at, outcome) \
             SELECT 'yk-' || activities.room_id, \
                    $1 + ROW_NUMBER() OVER (ORDER BY sign_ups.activity_id, sign_ups.resident_id), \
                    sign_ups.record_id || '-' || $2, $2, sign_ups.resident_id, sign_ups.activity_id, \
                    sign_ups.updated_at + $3 AS happened_at, sign_ups.updated_at + $3 + 60000, $4 \
             FROM sign_ups JOIN activities ON activities.id = sign_ups.activity_id \
             WHERE activities.id LIKE $5 AND {filter} ORDER BY happened_at"
        ))
        .bind(seq_from)
        .bind(action)
        .bind(offset_ms)
        .bind(match action {
            "check_in" => accepted.clone(),
            "cancel" => "{\"status\":\"cancelled\"}".to_owned(),
            _ => "{\"status\":\"confirmed\"}".to_owned(),
        })
        .bind(format!("{p}ya-%"))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    }
    let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records")
        .fetch_one(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(YearMade { sessions: made_sessions, sign_ups: made_sign_ups, records })
}
