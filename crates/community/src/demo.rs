//! A demo community for first runs and trials: three activity rooms, weekly activities of the
//! kinds a big company-town community runs, and a few hundred residents.
//!
//! Generated, not random: the same date gives the same data, so demos and tests agree.

use jiayuan_domain::LocalizedText;
use jiayuan_domain::schedule::{RecurringActivity, Room, Weekdays};
use time::{Date, Time, Weekday};

use crate::db::Database;
use crate::error::AppError;
use crate::roster::{Resident, upsert_resident};
use crate::schedule::upsert_room;
use crate::{horizon, recurring};

pub const RESIDENTS: usize = 300;
/// The demo community is one site (one living base) with three rooms.
pub const SITE: (&str, &str) = ("site-xingfuli", "幸福里社区");
/// The staff PIN of a demo server started without one.
pub const STAFF_PIN: &str = "2468";
/// The room a demo kiosk is paired with.
pub const KIOSK_ROOM: &str = "room-seniors";
const LOADING: &str = "loading the demo data";

struct Template {
    slug: &'static str,
    room: &'static str,
    title: [&'static str; 3],
    host: [&'static str; 3],
    starts: (u8, u8),
    ends: (u8, u8),
    capacity: Option<u32>,
    companions: u8,
    days: &'static [Weekday],
}

use Weekday::{
    Friday as Fri, Monday as Mon, Saturday as Sat, Sunday as Sun, Thursday as Thu, Tuesday as Tue, Wednesday as Wed,
};

const EVERY_DAY: &[Weekday] = &[Mon, Tue, Wed, Thu, Fri, Sat, Sun];
const WEEKDAYS: &[Weekday] = &[Mon, Tue, Wed, Thu, Fri];

const ROOMS: [(&str, [&str; 3]); 3] = [
    ("room-seniors", ["老年活动室", "老年活動室", "Seniors' Activity Room"]),
    ("room-hall", ["多功能厅", "多功能廳", "Multi-purpose Hall"]),
    ("room-arts", ["书画室", "書畫室", "Calligraphy and Painting Room"]),
];

const TEMPLATES: &[Template] = &[
    Template {
        slug: "tai-chi",
        room: "room-hall",
        title: ["太极拳", "太極拳", "Tai chi"],
        host: ["张老师", "張老師", "Teacher Zhang"],
        starts: (8, 0),
        ends: (9, 0),
        capacity: None,
        companions: 0,
        days: EVERY_DAY,
    },
    Template {
        slug: "blood-pressure",
        room: "room-seniors",
        title: ["免费量血压", "免費量血壓", "Free blood pressure check"],
        host: ["社区卫生站", "社區衛生站", "Community clinic"],
        starts: (8, 30),
        ends: (11, 30),
        capacity: None,
        companions: 0,
        days: &[Fri],
    },
    Template {
        slug: "calligraphy",
        room: "room-arts",
        title: ["书法班", "書法班", "Calligraphy class"],
        host: ["李老师", "李老師", "Teacher Li"],
        starts: (9, 0),
        ends: (10, 30),
        capacity: Some(20),
        companions: 0,
        days: &[Mon, Thu],
    },
    Template {
        slug: "time-bank",
        room: "room-seniors",
        title: ["爱心银行志愿服务", "愛心銀行志願服務", "Time bank volunteering"],
        host: ["社区服务站", "社區服務站", "Community service office"],
        starts: (9, 0),
        ends: (11, 0),
        capacity: Some(20),
        companions: 0,
        days: &[Sat],
    },
    Template {
        slug: "choir",
        room: "room-hall",
        title: ["合唱团排练", "合唱團排練", "Choir practice"],
        host: ["夕阳红合唱团", "夕陽紅合唱團", "Sunset Choir"],
        starts: (9, 30),
        ends: (11, 0),
        capacity: Some(40),
        companions: 0,
        days: &[Mon, Wed, Fri],
    },
    Template {
        slug: "health-talk",
        room: "room-seniors",
        title: ["健康讲座：冬季防跌倒", "健康講座：冬季防跌倒", "Health talk: avoiding falls in winter"],
        host: ["社区卫生站", "社區衛生站", "Community clinic"],
        starts: (10, 0),
        ends: (11, 0),
        capacity: Some(60),
        companions: 1,
        days: &[Tue],
    },
    Template {
        slug: "smartphone",
        room: "room-arts",
        title: ["老年大学：智能手机课", "老年大學：智能手機課", "Senior university: using a smartphone"],
        host: ["王老师", "王老師", "Teacher Wang"],
        starts: (10, 0),
        ends: (11, 30),
        capacity: Some(12),
        companions: 0,
        days: &[Wed, Sat],
    },
    Template {
        slug: "family-crafts",
        room: "room-arts",
        title: ["祖孙手工课", "祖孫手工課", "Crafts for grandparents and grandchildren"],
        host: ["志愿者", "志願者", "Volunteers"],
        starts: (10, 0),
        ends: (11, 30),
        capacity: Some(20),
        companions: 2,
        days: &[Sun],
    },
    Template {
        slug: "chess",
        room: "room-seniors",
        title: ["象棋", "象棋", "Chinese chess"],
        host: ["象棋协会", "象棋協會", "Chess club"],
        starts: (14, 0),
        ends: (17, 0),
        capacity: None,
        companions: 0,
        days: EVERY_DAY,
    },
    Template {
        slug: "paper-cut",
        room: "room-arts",
        title: ["剪窗花", "剪窗花", "Paper-cut window flowers"],
        host: ["刘阿姨", "劉阿姨", "Auntie Liu"],
        starts: (14, 30),
        ends: (16, 0),
        capacity: Some(16),
        companions: 1,
        days: &[Wed, Sat],
    },
    Template {
        slug: "waist-drum",
        room: "room-hall",
        title: ["腰鼓队", "腰鼓隊", "Waist drum team"],
        host: ["腰鼓队", "腰鼓隊", "Waist drum club"],
        starts: (15, 0),
        ends: (16, 30),
        capacity: Some(30),
        companions: 0,
        days: &[Tue, Thu, Sat],
    },
    Template {
        slug: "folk-songs",
        room: "room-seniors",
        title: ["信天游歌会", "信天遊歌會", "Xintianyou folk songs"],
        host: ["民歌队", "民歌隊", "Folk song club"],
        starts: (15, 0),
        ends: (16, 30),
        capacity: Some(30),
        companions: 0,
        days: &[Sun],
    },
    Template {
        slug: "after-school",
        room: "room-arts",
        title: ["小课堂", "小課堂", "After-school class"],
        host: ["志愿者", "志願者", "Volunteers"],
        starts: (16, 30),
        ends: (18, 0),
        capacity: Some(24),
        companions: 2,
        days: WEEKDAYS,
    },
    Template {
        slug: "square-dance",
        room: "room-hall",
        title: ["广场舞", "廣場舞", "Square dance"],
        host: ["舞蹈队", "舞蹈隊", "Dance team"],
        starts: (19, 0),
        ends: (20, 0),
        capacity: None,
        companions: 0,
        days: WEEKDAYS,
    },
    Template {
        slug: "shadow-puppets",
        room: "room-hall",
        title: ["皮影戏", "皮影戲", "Shadow puppet show"],
        host: ["皮影社", "皮影社", "Shadow puppet club"],
        starts: (19, 0),
        ends: (20, 30),
        capacity: Some(50),
        companions: 2,
        days: &[Sat],
    },
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗",
];
const GIVEN_NAMES: [&str; 20] = [
    "建华", "秀英", "桂兰", "国强", "玉珍", "德明", "淑芬", "志刚", "凤英", "文斌", "金花", "永福", "丽华", "振国",
    "翠兰", "保国", "春梅", "海涛", "素珍", "学军",
];

pub fn rooms() -> Vec<Room> {
    ROOMS
        .iter()
        .map(|(id, [hans, hant, en])| Room { id: (*id).to_owned(), name: LocalizedText::new(hans, hant, en) })
        .collect()
}

/// The demo's weekly activities, from `first_day` on.
pub fn recurring_activities(first_day: Date) -> Vec<RecurringActivity> {
    TEMPLATES
        .iter()
        .map(|template| {
            let [title_hans, title_hant, title_en] = template.title;
            let [host_hans, host_hant, host_en] = template.host;
            RecurringActivity {
                id: template.slug.to_owned(),
                room_id: template.room.to_owned(),
                title: LocalizedText::new(title_hans, title_hant, title_en),
                host: LocalizedText::new(host_hans, host_hant, host_en),
                weekdays: Weekdays::of(template.days),
                starts: clock(template.starts),
                ends: clock(template.ends),
                capacity: template.capacity,
                companions_allowed: template.companions,
                first_day,
                last_day: None,
                // The demo's 爱心银行志愿服务 is volunteer service.
                volunteer_service: template.slug == "time-bank",
                // The demo's 小课堂 is after-school care: children are dropped off and picked up.
                after_school: template.slug == "after-school",
            }
        })
        .collect()
}

fn clock((hour, minute): (u8, u8)) -> Time {
    Time::from_hms(hour, minute, 0).unwrap_or(Time::MIDNIGHT)
}

/// How many residents live in each demo household, in turn: couples, people living alone,
/// grandparents with a grandchild.
const HOUSEHOLD_SIZES: [usize; 6] = [2, 1, 3, 1, 2, 1];

/// The demo roster: households of one to three residents. Those who share a household share
/// its number and its landline's last four digits, so a resident typing either picks their own
/// masked name from several, as in a real community.
pub fn residents() -> Vec<Resident> {
    let mut residents = Vec::with_capacity(RESIDENTS);
    let mut household = 0;
    while residents.len() < RESIDENTS {
        let number =
            format!("{}-{}-{}0{}", household % 30 + 1, household / 30 % 4 + 1, household / 120 + 1, household % 2 + 1);
        let first = residents.len();
        let phone = format!("{:04}", (first * 7919 + 1234) % 10_000);
        for _ in 0..HOUSEHOLD_SIZES[household % HOUSEHOLD_SIZES.len()] {
            let i = residents.len();
            if i == RESIDENTS {
                break;
            }
            residents.push(Resident {
                id: format!("resident-{:04}", i + 1),
                full_name: format!(
                    "{}{}",
                    SURNAMES[i % SURNAMES.len()],
                    GIVEN_NAMES[(i * 7 + i / SURNAMES.len()) % GIVEN_NAMES.len()]
                ),
                card_number: Some(format!("6201{:06}", 100_000 + i * 37)),
                phone_last4: Some(phone.clone()),
                // The household's landline, whole, for staff who call (待通知).
                phone: Some(format!("0459-{:03}{phone}", 500 + household % 400)),
                household: Some(number.clone()),
                // Six in ten are over 60, as in the company towns Jiayuan is made for.
                birth_year: Some(birth_year_of(i)),
                // A few younger retirees give their time (爱心银行).
                volunteer: i % 25 == 3,
                // Some elders live alone, their children far away (关爱提醒 lists them first).
                lives_alone: i % 9 == 5,
                emergency_contact: (i % 9 == 5).then(|| "女儿（外地）".to_owned()),
                emergency_phone: (i % 9 == 5).then(|| format!("139{:08}", 10_000_000 + i * 7919 % 90_000_000)),
            });
        }
        household += 1;
    }
    residents
}

/// The year after which a demo resident is a child, for after-school care.
const CHILDREN_BORN_FROM: i32 = 2010;

/// The demo's guardians (托管接送): each child's grown-up household members, as
/// `(child, guardian)` ids.
pub fn guardians(residents: &[Resident]) -> Vec<(&str, &str)> {
    let is_child = |r: &Resident| r.birth_year.is_some_and(|year| year >= CHILDREN_BORN_FROM);
    let mut pairs = Vec::new();
    for child in residents.iter().filter(|r| is_child(r)) {
        for grown_up in
            residents.iter().filter(|r| !is_child(r) && r.household.is_some() && r.household == child.household)
        {
            pairs.push((child.id.as_str(), grown_up.id.as_str()));
        }
    }
    pairs
}

/// A demo resident's birth year: children, adults and, mostly, residents over 60.
fn birth_year_of(i: usize) -> i32 {
    let spread = i32::try_from(i * 37 % 100).unwrap_or(0);
    match i % 10 {
        0 => 2012 + spread % 12,
        1..=3 => 1967 + spread % 40,
        4..=7 => 1947 + spread % 20,
        _ => 1930 + spread % 17,
    }
}

/// Loads the demo community into an empty database; leaves a database with rooms untouched,
/// so restarting never duplicates or overwrites what staff changed.
pub async fn load_if_empty(db: &Database, today: Date) -> Result<bool, AppError> {
    load_with_past(db, today, 0).await
}

/// The same, its weekly activities begun `weeks` before today, with their sessions since then
/// (for `demo_past::live` to fill).
pub async fn load_with_past(db: &Database, today: Date, weeks: u32) -> Result<bool, AppError> {
    let first_day = today - time::Duration::weeks(i64::from(weeks));
    let rooms_present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rooms")
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::db("checking for existing data"))?;
    if rooms_present > 0 {
        return Ok(false);
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(LOADING))?;
    sqlx::query("INSERT INTO sites (id, name, identity_key) VALUES ($1, $2, $3)")
        .bind(SITE.0)
        .bind(SITE.1)
        .bind(crate::versions::new_identity_key())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(LOADING))?;
    let version = crate::versions::next_for_site(&mut tx, SITE.0).await.map_err(AppError::db(LOADING))?;
    for room in rooms() {
        upsert_room(&mut tx, &room, SITE.0, version).await.map_err(AppError::db(LOADING))?;
    }
    for activity in recurring_activities(first_day) {
        recurring::save(&mut tx, &activity, first_day, horizon::last_day(today), version)
            .await
            .map_err(AppError::db(LOADING))?;
    }
    let residents = residents();
    for resident in &residents {
        upsert_resident(&mut tx, resident, SITE.0, version).await.map_err(AppError::db(LOADING))?;
    }
    for (child, guardian) in guardians(&residents) {
        crate::handover::list_guardian(&mut tx, SITE.0, child, guardian).await.map_err(AppError::db(LOADING))?;
    }
    tx.commit().await.map_err(AppError::db(LOADING))?;
    tracing::info!("loaded the demo community: {} rooms, {} residents", ROOMS.len(), RESIDENTS);
    Ok(true)
}

/// Whether the demo community is in the database (loaded now or on an earlier start).
pub async fn is_present(db: &Database) -> Result<bool, AppError> {
    let rooms: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rooms WHERE id = $1")
        .bind(KIOSK_ROOM)
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::db("looking for the demo community"))?;
    Ok(rooms > 0)
}

/// The demo community's administrator account.
pub const ADMINISTRATOR: &str = "admin";

/// Makes the demo's administrator, or gives it a fresh one-time password while its owner has
/// not chosen one: the one-time password to print, or None once a password was chosen.
pub async fn ensure_administrator(db: &Database) -> Result<Option<String>, AppError> {
    use crate::action_log::Actor;
    use crate::office::form::ServiceError;
    use crate::office::staff::{self as staff, AccountForm};
    let unwrap = |error: ServiceError| match error {
        ServiceError::App(error) => error,
        other => AppError::BadRequest(format!("the demo administrator: {other}")),
    };
    match staff::find(db, ADMINISTRATOR).await? {
        None => {
            let form = AccountForm {
                id: ADMINISTRATOR.to_owned(),
                display_name: "演示管理员".to_owned(),
                role: crate::office::accounts::Role::Administrator,
                sites: vec![SITE.0.to_owned()],
            };
            staff::add(db, &Actor::CommandLine, &form).await.map(Some).map_err(unwrap)
        }
        Some(account) if account.must_change_password && !account.removed => {
            staff::reset_password(db, &Actor::CommandLine, ADMINISTRATOR).await.map(Some).map_err(unwrap)
        }
        Some(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn children_in_after_school_care_have_grown_ups_of_their_household_as_guardians() {
        let residents = residents();
        let pairs = guardians(&residents);
        assert!(pairs.len() >= 10, "{pairs:?}");
        for (child, guardian) in &pairs {
            let of = |id: &str| residents.iter().find(|r| r.id == id).unwrap();
            assert_eq!(of(child).household, of(guardian).household);
            assert!(of(guardian).birth_year < of(child).birth_year);
        }
        assert!(recurring_activities(date!(2026 - 11 - 21)).iter().any(|a| a.after_school));
    }

    #[test]
    fn every_day_of_the_week_has_activities_and_every_room_is_used() {
        let first = date!(2026 - 11 - 21);
        let week: Vec<_> = recurring_activities(first)
            .iter()
            .flat_map(|a| a.sessions(first, first + time::Duration::days(6)).collect::<Vec<_>>())
            .collect();
        for offset in 0..7 {
            let day = first + time::Duration::days(offset);
            assert!(week.iter().filter(|a| a.date == day).count() >= 4, "{day} is too quiet");
        }
        for (room, _) in ROOMS {
            assert!(week.iter().any(|a| a.room_id == room), "{room} is never used");
        }
    }

    #[test]
    fn recurring_ids_are_unique() {
        let all = recurring_activities(date!(2026 - 11 - 21));
        let mut ids: Vec<_> = all.iter().map(|a| a.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn households_have_one_to_three_residents_with_a_number_of_their_own() {
        let all = residents();
        let mut households: Vec<&str> = all.iter().filter_map(|r| r.household.as_deref()).collect();
        households.dedup();
        let distinct: std::collections::BTreeSet<&str> = households.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            households.len(),
            "a household's residents are listed together, and no two share a number"
        );
        assert_eq!(all[0].household, all[1].household, "the first household is a couple");
        assert_eq!(all[0].phone_last4, all[1].phone_last4);
        assert_ne!(all[1].household, all[2].household);
    }

    #[test]
    fn residents_have_unique_cards() {
        let mut cards: Vec<_> = residents().into_iter().filter_map(|r| r.card_number).collect();
        cards.sort();
        cards.dedup();
        assert_eq!(cards.len(), RESIDENTS);
    }
}
