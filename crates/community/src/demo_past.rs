//! The demo community's last weeks, lived, so that a newcomer's every report page shows what it
//! is for: visits in every room, sign-ups with waiting lists and cancellations, check-ins and
//! no-shows, ratings, volunteers' hours, a kiosk that went silent two days ago.
//!
//! Made through the paths residents and staff use, not written into tables: each room's kiosk
//! is paired with a code and sends its records through the same push the kiosks make, and the
//! volunteers' hours are entered from paper through the time bank's service. Every seat, place
//! in line, rating and summary therefore follows the product's own rules, and the reports agree
//! with the records. The same demo every time: who comes is a formula, not chance. (The bench's
//! sample year writes its three million rows with SQL instead: through the push it would take
//! an hour.)

use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::schedule::Activity;
use jiayuan_domain::sync::push::MAX_BATCH;
use jiayuan_domain::sync::record::Person;
use jiayuan_domain::sync::{Action, KioskRecord};
use time::{Date, Duration, Time, UtcOffset};

use crate::community_time::ms_at;

use crate::action_log::Actor;
use crate::db::Database;
use crate::demo::{RESIDENTS, SITE};
use crate::error::AppError;
use crate::kiosks::{Kiosk, pairing};
use crate::metrics::Metrics;
use crate::secret_key::SecretKey;
use crate::sync::push::{Batch, apply_together};

/// What living the past made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lived {
    pub records: usize,
    pub sessions: usize,
}

/// The room whose kiosk went silent, and for how long.
const SILENT_DAYS: i64 = 2;

/// Regulars who stopped coming (关爱提醒 lists them): the sixth resident, who lives alone, and
/// the fourteenth, not seen for the last ten days.
const STOPPED: [&str; 2] = ["resident-0006", "resident-0014"];
const STOPPED_DAYS: i64 = 10;

fn resident(n: usize) -> String {
    format!("resident-{:04}", n % RESIDENTS + 1)
}

/// One room's kiosk and the records it made, numbered as a kiosk numbers them.
struct RoomKiosk {
    kiosk: Kiosk,
    records: Vec<KioskRecord>,
    /// It stops sending this many days before today (the silent kiosk).
    silent_from: Option<Date>,
    /// From this day on the residents in `STOPPED` are not seen.
    stopped_from: Date,
}

impl RoomKiosk {
    fn record(&mut self, happened_at: i64, day: Date, action: Action) {
        if self.silent_from.is_some_and(|from| day >= from) {
            return;
        }
        if day >= self.stopped_from && action.subjects().0.is_some_and(|resident| STOPPED.contains(&resident)) {
            return;
        }
        let seq = self.records.len() as u64 + 1;
        let id = format!("demo-past-{}-{seq}", self.kiosk.room_id);
        self.records.push(KioskRecord { seq, id, happened_at, action });
    }
}

/// Lives the `weeks` before `today` in the demo community, loaded just before.
pub async fn live(
    db: &Database,
    key: &SecretKey,
    today: Date,
    offset: UtcOffset,
    weeks: u32,
    metrics: &Metrics,
) -> Result<Lived, AppError> {
    let first_day = today - Duration::weeks(i64::from(weeks));
    let yesterday = today - Duration::days(1);
    if first_day > yesterday {
        return Ok(Lived::default());
    }
    let rooms = crate::schedule::rooms_of_site(db, SITE.0).await?;
    let mut kiosks = Vec::new();
    for (i, room) in rooms.iter().enumerate() {
        let code = pairing::create(db, key, &room.id, 5).await?;
        let paired = pairing::pair(db, key, &code.code, 1).await?;
        let silent_from = (i + 1 == rooms.len()).then(|| today - Duration::days(SILENT_DAYS));
        let kiosk =
            Kiosk { id: paired.kiosk_id, room_id: room.id.clone(), site_id: SITE.0.to_owned(), applied_through: 0 };
        let stopped_from = today - Duration::days(STOPPED_DAYS);
        kiosks.push(RoomKiosk { kiosk, records: Vec::new(), silent_from, stopped_from });
    }
    let sessions = crate::schedule::activities_between(db, SITE.0, first_day, yesterday).await?;
    let mut volunteer_days = Vec::new();
    let mut day = first_day;
    let mut n = 0usize;
    while day <= yesterday {
        for (r, room) in kiosks.iter_mut().enumerate() {
            visits(room, day, r, offset, &mut n);
        }
        for session in sessions.iter().filter(|s| s.date == day && !s.cancelled) {
            let Some(room) = kiosks.iter_mut().find(|k| k.kiosk.room_id == session.room_id) else { continue };
            attend(room, session, offset, &mut n);
            if session.volunteer_service {
                volunteer_days.push(day);
            }
        }
        day = day.next_day().unwrap_or(yesterday + Duration::days(1));
    }
    let mut lived = Lived { records: 0, sessions: sessions.len() };
    for room in &kiosks {
        for chunk in room.records.chunks(MAX_BATCH) {
            let batch = Batch { kiosk: room.kiosk.clone(), records: chunk.to_vec() };
            apply_together(db, &[batch], offset, metrics).await?;
            lived.records += chunk.len();
        }
        // Paired when the demo's weeks began, and, for the silent one, heard from last when it
        // went silent (pairing and the push above mark them as of now).
        let last_seen = room.silent_from.map(|from| ms_at(from, Time::MIDNIGHT, offset));
        sqlx::query("UPDATE kiosks SET paired_at = $2, last_seen_at = COALESCE($3, last_seen_at) WHERE id = $1")
            .bind(&room.kiosk.id)
            .bind(ms_at(first_day, Time::MIDNIGHT, offset))
            .bind(last_seen)
            .execute(&db.pool)
            .await
            .map_err(AppError::db("dating the demo's kiosks"))?;
    }
    // Volunteers at the desk of the time bank, written down on paper and entered by staff:
    // two of the demo's twelve volunteers (every 25th resident from the 4th) at each session.
    for (i, day) in volunteer_days.into_iter().enumerate() {
        for volunteer in [2 * i % 12, (2 * i + 1) % 12] {
            let volunteer = format!("resident-{:04}", 4 + 25 * volunteer);
            let reason = "演示数据：纸上登记的服务";
            crate::office::time_bank::honour(db, &Actor::CommandLine, SITE.0, &volunteer, Some(day), Some(4), reason)
                .await
                .map_err(|error| AppError::BadRequest(format!("the demo's volunteer hours: {error}")))?;
        }
    }
    Ok(lived)
}

/// A day's sign-ins in a room: a dozen to two dozen residents, some every day, and visitors.
fn visits(room: &mut RoomKiosk, day: Date, r: usize, offset: UtcOffset, n: &mut usize) {
    let count = 12 + (day.to_julian_day() as usize * 7 + r * 5) % 13;
    for k in 0..count {
        *n += 1;
        let at = ms_at(day, Time::from_hms(8, 30, 0).unwrap_or(Time::MIDNIGHT), offset) + (k as i64) * 17 * 60_000;
        // Regulars first (the first residents come most days), then whoever else.
        let person = if (*n).is_multiple_of(11) {
            Person::Visitor
        } else {
            let who = if k % 2 == 0 { (k + r * 3) % 40 } else { (*n * 37) % RESIDENTS };
            Person::Resident { resident_id: resident(who) }
        };
        room.record(at, day, Action::SignIn { person });
    }
}

/// A session: sign-ups beyond its seats (a waiting list), one cancellation, check-ins by four in
/// five of those seated (the rest did not come), and ratings from those who came.
fn attend(room: &mut RoomKiosk, session: &Activity, offset: UtcOffset, n: &mut usize) {
    let starts = ms_at(session.date, session.starts, offset);
    let ends = ms_at(session.date, session.ends, offset);
    let first = (session.date.to_julian_day() as usize * 13 + session.id.len() * 7) % RESIDENTS;
    let came: Vec<String> = match session.capacity {
        Some(capacity) => {
            let asking = capacity as usize + capacity as usize / 4 + 1;
            let askers: Vec<String> = (0..asking).map(|k| resident(first + k * 3)).collect();
            for (k, who) in askers.iter().enumerate() {
                let action =
                    Action::SignUp { resident_id: who.clone(), activity_id: session.id.clone(), companions: 0 };
                room.record(starts - 2 * 86_400_000 + k as i64 * 60_000, session.date, action);
            }
            // The second to sign up cannot come after all: the first in line takes the seat.
            if let Some(cancelling) = askers.get(1) {
                let action = Action::Cancel { resident_id: cancelling.clone(), activity_id: session.id.clone() };
                room.record(starts - 86_400_000, session.date, action);
            }
            let seated: Vec<String> = askers
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != 1)
                .take(capacity as usize)
                .map(|(_, who)| who.clone())
                .collect();
            seated.into_iter().enumerate().filter(|(k, _)| k % 5 != 4).map(|(_, who)| who).collect()
        }
        None => (0..6 + session.id.len() % 5).map(|k| resident(first + k * 5)).collect(),
    };
    for (k, who) in came.iter().enumerate() {
        *n += 1;
        let person = Person::Resident { resident_id: who.clone() };
        room.record(
            starts - 5 * 60_000 + k as i64 * 20_000,
            session.date,
            Action::CheckIn { person, activity_id: session.id.clone() },
        );
    }
    // Those who came rate it the next time they pass a kiosk: most are pleased.
    for (k, who) in came.iter().enumerate().filter(|(k, _)| k % 3 != 2) {
        let rating = match (k + *n) % 10 {
            0 => Rating::NotSatisfied,
            1 | 2 => Rating::SoSo,
            _ => Rating::Satisfied,
        };
        let action = Action::Rate { resident_id: who.clone(), activity_id: session.id.clone(), rating };
        room.record(ends + 3_600_000 + k as i64 * 60_000, session.date, action);
    }
}
