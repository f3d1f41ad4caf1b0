//! Reports count what they say, checked on a small community where the right answers are known:
//! three residents, two rooms, records placed at known times.

use jiayuan_domain::sync::{Action, KioskRecord, Person};
use jiayuan_server::action_log::Actor;
use jiayuan_server::console::auth::Role;
use jiayuan_server::import::{ImportFiles, import};
use jiayuan_server::schedule::format_day;
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn};

const SITE: &str = "site-small";

fn today() -> Date {
    jiayuan_server::community_time::today(OFFSET)
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
    jiayuan_server::console::roster::service::set_active(&server.db, &actor, SITE, "r-3", false, "moved away")
        .await
        .unwrap();

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
    let text = jiayuan_server::console::roster::upload::xlsx_as_csv(&bytes).map_err(|_| "unreadable").unwrap();
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

#[tokio::test]
async fn a_sample_year_adds_up_in_every_report() {
    use jiayuan_server::sample_year::{YearSize, fill};
    let server = spawn(false).await;
    let size = YearSize { residents: 300, activities: 6, sign_ins: 5_000 };
    let made = fill(&server.db, "site-year", today(), OFFSET, size).await.unwrap();
    let year = jiayuan_domain::reports::Period { from: today() - Duration::days(364), to: today() };
    let visits = jiayuan_server::reports::visits::visits(&server.db, "site-year", "", year, OFFSET).await.unwrap();
    assert_eq!(visits.sign_ins, size.sign_ins, "every sign-in of the year, once");
    assert_eq!(visits.visitors, size.sign_ins / 20);
    let unique = visits.unique_residents;
    assert!(unique <= size.residents && unique > size.residents / 4, "some come often, some rarely: {unique}");
    assert_eq!(visits.new_residents, visits.unique_residents, "nobody came before the year");
    let now = jiayuan_server::clock::now_ms();
    let sessions =
        jiayuan_server::reports::activities::sessions(&server.db, "site-year", "", year, now, OFFSET).await.unwrap();
    assert_eq!(sessions.len() as i64, made.sessions);
    let confirmed: i64 = sessions.iter().map(|s| s.confirmed).sum();
    let checked_in: i64 = sessions.iter().map(|s| s.checked_in).sum();
    assert_eq!(confirmed, made.sessions * 20, "twenty seats taken in every session");
    assert_eq!(checked_in, made.sessions * 16, "four in five of them came");
    let no_shows: i64 = sessions.iter().filter_map(|s| s.no_shows).sum();
    let over = sessions.iter().filter(|s| s.no_shows.is_some()).count() as i64;
    assert_eq!(no_shows, over * 4);
}
