//! A head office (总部) sees its communities side by side, checked on a small company of three
//! sites where the right answers are known: each resident counts in their own site only, the
//! whole counts each once, and nobody sees a site that is not theirs.

use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, import};
use jiayuan_community::office::accounts::Role;
use jiayuan_community::schedule::format_day;
use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::sync::{Action, KioskRecord, Person};
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn};

const NORTH: &str = "site-north";
const SOUTH: &str = "site-south";
const EAST: &str = "site-east";

fn today() -> Date {
    jiayuan_community::community_time::today(OFFSET)
}

fn at(day: Date, hour: u8) -> i64 {
    PrimitiveDateTime::new(day, Time::from_hms(hour, 0, 0).unwrap()).assume_offset(OFFSET).unix_timestamp() * 1000
}

/// Site `site` named `name`: one room, `residents` (id, name), and a session yesterday 09–10
/// with two seats.
async fn community(server: &TestServer, site: &str, name: &str, residents: &[(&str, &str)]) {
    let yesterday = format_day(today() - Duration::days(1));
    let rooms = format!("id,name_zh_hans\nroom-{site},活动室\n");
    let mut roster = "id,full_name\n".to_owned();
    for (id, full_name) in residents {
        roster.push_str(&format!("{id},{full_name}\n"));
    }
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n\
         class-{site},room-{site},{yesterday},09:00,10:00,书法课,刘老师,2\n"
    );
    let files = ImportFiles {
        rooms: Some(("rooms.csv".to_owned(), rooms.as_bytes())),
        residents: Some(("residents.csv".to_owned(), roster.as_bytes())),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, site, files, today()).await.expect("a community");
    sqlx::query("UPDATE sites SET name = $2 WHERE id = $1")
        .bind(site)
        .bind(name)
        .execute(&server.db.pool)
        .await
        .unwrap();
}

fn kept(seq: u64, happened_at: i64, action: Action) -> KioskRecord {
    KioskRecord { happened_at, ..record(seq, action) }
}

fn resident(id: &str) -> Person {
    Person::Resident { resident_id: id.into() }
}

/// North: four residents, two came (one of them on two days) and a visitor; of the two seated
/// at the class one came and was satisfied; an hour of service. South: two residents, one came
/// to the class and was not satisfied; a resident of North tapped in there is refused. East: one
/// resident, nobody came, nothing held.
async fn company() -> TestServer {
    let server = spawn(false).await;
    community(&server, NORTH, "北区", &[("n-1", "张一"), ("n-2", "王二"), ("n-3", "李三"), ("n-4", "赵四")]).await;
    community(&server, SOUTH, "南区", &[("s-1", "钱五"), ("s-2", "孙六")]).await;
    community(&server, EAST, "东区", &[("e-1", "周七")]).await;
    let yesterday = today() - Duration::days(1);
    let north = pair(&server, &format!("room-{NORTH}")).await;
    let class = format!("class-{NORTH}");
    push_ok(
        &server,
        &north,
        &[
            kept(
                1,
                at(yesterday, 8),
                Action::SignUp { resident_id: "n-1".into(), activity_id: class.clone(), companions: 0 },
            ),
            kept(
                2,
                at(yesterday, 8),
                Action::SignUp { resident_id: "n-2".into(), activity_id: class.clone(), companions: 0 },
            ),
            kept(3, at(yesterday, 9), Action::SignIn { person: resident("n-1") }),
            kept(4, at(yesterday, 9), Action::CheckIn { person: resident("n-1"), activity_id: class.clone() }),
            kept(5, at(yesterday, 10), Action::SignIn { person: resident("n-2") }),
            kept(6, at(yesterday, 10), Action::SignIn { person: Person::Visitor }),
            kept(7, at(today(), 8), Action::SignIn { person: resident("n-1") }),
            kept(
                8,
                at(today(), 8),
                Action::Rate { resident_id: "n-1".into(), activity_id: class, rating: Rating::Satisfied },
            ),
        ],
    )
    .await;
    jiayuan_community::office::time_bank::honour(
        &server.db,
        &Actor::CommandLine,
        NORTH,
        "n-3",
        Some(yesterday),
        Some(2),
        "纸质登记",
    )
    .await
    .unwrap();
    let south = pair(&server, &format!("room-{SOUTH}")).await;
    let class = format!("class-{SOUTH}");
    let answered = push_ok(
        &server,
        &south,
        &[
            kept(
                1,
                at(yesterday, 8),
                Action::SignUp { resident_id: "s-1".into(), activity_id: class.clone(), companions: 0 },
            ),
            kept(2, at(yesterday, 9), Action::SignIn { person: resident("s-1") }),
            kept(3, at(yesterday, 9), Action::CheckIn { person: resident("s-1"), activity_id: class.clone() }),
            kept(
                4,
                at(today(), 8),
                Action::Rate { resident_id: "s-1".into(), activity_id: class, rating: Rating::NotSatisfied },
            ),
            // North's resident at South's kiosk: another community's, not counted anywhere.
            kept(5, at(yesterday, 9), Action::SignIn { person: resident("n-4") }),
        ],
    )
    .await;
    assert_eq!(answered["results"][4]["outcome"]["reason"], "other_site", "{answered}");
    server
}

/// The rows of table `id` on a page, each a list of its cells' text (the row's heading first).
fn rows(page: &str, id: &str) -> Vec<Vec<String>> {
    let body = page.split(&format!("<table id=\"{id}\"")).nth(1).unwrap().split("</table>").next().unwrap();
    let body = body.split("<tbody>").nth(1).unwrap();
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split(['<'])
                .filter_map(|piece| {
                    piece.strip_prefix("td class=\"number\">").or_else(|| piece.strip_prefix("th scope=\"row\">"))
                })
                .map(|text| text.trim().to_owned())
                .collect()
        })
        .collect()
}

fn period() -> String {
    format!("from={}&to={}", format_day(today() - Duration::days(1)), format_day(today()))
}

#[tokio::test]
async fn a_head_office_sees_its_communities_side_by_side_and_the_whole_counts_each_resident_once() {
    let server = company().await;
    let head_office = Browser::staff_of(&server, "head-office", Role::Viewer, &[NORTH, SOUTH, EAST]).await;
    let page = head_office.page(&format!("/console/reports/communities?{}", period())).await;
    let figures = rows(&page, "communities");
    // Roster, came, participation, held, visits, checked in, did not come, satisfied,
    // answered, volunteer hours, volunteers.
    let expected = [
        ["东区", "1", "0", "0.0%", "1", "0", "0", "0", "—", "0", "0.0", "0"],
        ["北区", "4", "2", "50.0%", "1", "4", "1", "1", "100.0%", "1", "1.0", "1"],
        ["南区", "2", "1", "50.0%", "1", "1", "1", "0", "0.0%", "1", "0.0", "0"],
        ["合计", "7", "3", "42.9%", "3", "5", "2", "1", "50.0%", "2", "1.0", "1"],
    ];
    assert_eq!(figures, expected.map(|row| row.map(String::from).to_vec()), "{page}");
    assert!(page.contains("/console/reports/communities"), "the reports offer the page");

    // The files are the table on the page, cell for cell: the CSV as shown, the XLSX with
    // numbers as numbers and shares as fractions.
    let csv = head_office.get(&format!("/console/reports/communities?{}&format=csv", period())).await;
    let bytes = csv.bytes().await.unwrap();
    let from_csv: Vec<Vec<String>> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(from_csv, figures);
    let file = head_office.get(&format!("/console/reports/communities?{}&format=xlsx", period())).await;
    assert_eq!(file.status(), 200);
    use calamine::Reader as _;
    let bytes = std::io::Cursor::new(file.bytes().await.unwrap().to_vec());
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(bytes).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let from_xlsx: Vec<Vec<String>> = sheet
        .rows()
        .skip(1)
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(column, cell)| match (column, cell) {
                    (3 | 8, calamine::Data::Float(share)) => format!("{:.1}%", share * 100.0),
                    (10, calamine::Data::Float(hours)) => format!("{hours:.1}"),
                    (_, other) => other.to_string(),
                })
                .map(|text| if text.is_empty() { "—".to_owned() } else { text })
                .collect()
        })
        .collect();
    assert_eq!(from_xlsx, figures);

    // The month's trend beside it.
    let months = rows(&page, "months");
    assert_eq!(months.last().unwrap()[0], "合计");
}

#[tokio::test]
async fn nobody_sees_a_community_that_is_not_theirs() {
    let server = company().await;
    // An administrator of two of the three.
    let two = Browser::staff_of(&server, "two-sites", Role::Administrator, &[NORTH, SOUTH]).await;
    let page = two.page(&format!("/console/reports/communities?{}", period())).await;
    let figures = rows(&page, "communities");
    let names: Vec<&str> = figures.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(names, ["北区", "南区", "合计"]);
    assert_eq!(figures[2][1], "6", "the whole of their two only");
    assert!(!page.contains("东区") && !page.contains("周七"));
    let csv = two.get(&format!("/console/reports/communities?{}&format=csv", period())).await;
    assert!(!csv.text().await.unwrap().contains("东区"));

    // Staff of one community: their own row, and no tab to a comparison.
    let one = Browser::staff_of(&server, "one-site", Role::Staff, &[EAST]).await;
    let summary = one.page("/console/reports/summary").await;
    assert!(!summary.contains("/console/reports/communities"));
    let page = one.page(&format!("/console/reports/communities?{}", period())).await;
    let names: Vec<String> = rows(&page, "communities").into_iter().map(|row| row[0].clone()).collect();
    assert_eq!(names, ["东区", "合计"]);
    assert!(!page.contains("北区") && !page.contains("南区"));

    // Signed out: the sign-in page.
    let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = stranger.get(server.url("/console/reports/communities")).send().await.unwrap();
    assert!(answer.status().is_redirection(), "{}", answer.status());
}

/// The monthly report's table: (what, value) row by row.
fn upward(page: &str) -> Vec<(String, String)> {
    rows(page, "upward").into_iter().map(|row| (row[0].clone(), row[1].clone())).collect()
}

#[tokio::test]
async fn the_monthly_report_upward_has_the_reports_numbers_for_a_site_and_for_a_group() {
    let server = company().await;
    let head_office = Browser::staff_of(&server, "head-office", Role::Viewer, &[NORTH, SOUTH, EAST]).await;
    let side_by_side =
        rows(&head_office.page(&format!("/console/reports/communities?{}", period())).await, "communities");
    let month = format!("from={}&to={}", format_day(today()), format_day(today()));
    let figures = |page: &str| -> Vec<String> {
        let rows = upward(page);
        let value = |what: &str| rows.iter().find(|(name, _)| name == what).map(|(_, v)| v.clone()).unwrap();
        ["活动场次", "参与人数", "参与率", "参与人次", "满意度", "满意度回答人数", "志愿服务时长（小时）", "志愿者人数"]
            .map(value)
            .to_vec()
    };
    // Side by side: came, participation, held, visits, satisfied, answered, hours, volunteers.
    let pick = |row: &[String]| {
        [&row[4], &row[2], &row[3], &row[5], &row[8], &row[9], &row[10], &row[11]].map(String::clone).to_vec()
    };
    // The month of yesterday and today (they may be two months at a month's turn: then both).
    if (today() - Duration::days(1)).month() == today().month() {
        let group = head_office.page(&format!("/console/reports/upward?{month}&sites=all")).await;
        assert_eq!(figures(&group), pick(&side_by_side[3]), "the group's whole");
        assert!(group.contains("东区、北区、南区"), "whose report it is");
        let age = upward(&group).into_iter().find(|(what, _)| what.starts_with("不知道出生年份：参与人数")).unwrap();
        assert_eq!(age.1, "3", "nobody's year of birth is on the roster here");
        assert!(group.contains("参与人数 ÷ 名册上的人数"), "each figure defined under the table");
    }
    // One site: the signed-in one only, whatever the account reads.
    let north = Browser::staff_of(&server, "north-desk", Role::Staff, &[NORTH]).await;
    let page = north.page(&format!("/console/reports/upward?{month}&sites=all")).await;
    assert!(!page.contains("南区") && !page.contains("东区"));
    let file = north.get(&format!("/console/reports/upward?{month}&format=csv")).await;
    let bytes = file.bytes().await.unwrap();
    let from_csv: Vec<(String, String)> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_owned(), r[1].to_owned()))
        .collect();
    assert_eq!(from_csv, upward(&page), "the file is the table on the page");
}
