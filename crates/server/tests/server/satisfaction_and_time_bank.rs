//! Ratings (满意度) and volunteers' hours (爱心银行) sent by kiosks like any record: decided by
//! the server, kept once, whichever kiosk and push they come in.

use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, import};
use jiayuan_community::schedule::format_day;
use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::sync::{Action, KioskRecord, Person};
use serde_json::Value;
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn};

const SITE: &str = "site-small";

fn today() -> Date {
    jiayuan_community::community_time::today(OFFSET)
}

fn at(day: Date, hour: u8, minute: u8) -> i64 {
    PrimitiveDateTime::new(day, Time::from_hms(hour, minute, 0).unwrap()).assume_offset(OFFSET).unix_timestamp() * 1000
}

/// One room, three residents (张一 a volunteer); tai chi three days ago, 09:00–10:00, open to
/// all; the help desk yesterday, 09:00–11:00, volunteer service.
async fn community() -> TestServer {
    let server = spawn(false).await;
    let (three_days_ago, yesterday) =
        (format_day(today() - Duration::days(3)), format_day(today() - Duration::days(1)));
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity,volunteer_service\n\
         taiji,room-a,{three_days_ago},09:00,10:00,太极拳,周老师,,\n\
         help-desk,room-a,{yesterday},09:00,11:00,爱心银行志愿服务,社区,,是\n\
         chess,room-a,{yesterday},14:00,16:00,象棋,老王,,否\n"
    );
    let files = ImportFiles {
        rooms: Some(("rooms.csv".to_owned(), "id,name_zh_hans\nroom-a,老年活动室\n".as_bytes())),
        residents: Some((
            "residents.csv".to_owned(),
            "id,full_name,card_number,volunteer\nr-1,张一,6200000001,是\nr-2,王二,6200000002,\nr-3,李三,6200000003,否\n"
                .as_bytes(),
        )),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, SITE, files, today()).await.expect("the community");
    // The roster's 是 marks 张一 a volunteer; the schedule's marks the help desk volunteer service.
    server
}

fn at_kiosk(seq: u64, happened_at: i64, action: Action) -> KioskRecord {
    KioskRecord { happened_at, ..record(seq, action) }
}

fn rate(resident: &str, activity: &str, rating: Rating) -> Action {
    Action::Rate { resident_id: resident.into(), activity_id: activity.into(), rating }
}

fn check_in(resident: &str, activity: &str) -> Action {
    Action::CheckIn { person: Person::Resident { resident_id: resident.into() }, activity_id: activity.into() }
}

/// Each record's answer: its status, and its reason when refused.
fn answers(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let outcome = &result["outcome"];
            match outcome["reason"].as_str() {
                Some(reason) => format!("{}:{reason}", outcome["status"].as_str().unwrap()),
                None => outcome["status"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}

#[tokio::test]
async fn a_rating_counts_once_per_resident_and_session_whichever_kiosk_sends_it() {
    let server = community().await;
    let (a, b) = (pair(&server, "room-a").await, pair(&server, "room-a").await);
    let day = today() - Duration::days(3);
    let after = at(today(), 8, 30);
    let first = [
        at_kiosk(1, at(day, 9, 5), check_in("r-1", "taiji")),
        at_kiosk(2, after, rate("r-1", "taiji", Rating::Satisfied)),
        at_kiosk(3, after, rate("r-2", "taiji", Rating::SoSo)),
        at_kiosk(4, at(day, 9, 30), rate("r-1", "taiji", Rating::Satisfied)),
    ];
    let body = push_ok(&server, &a, &first).await;
    assert_eq!(
        answers(&body),
        ["accepted", "accepted", "rejected:not_checked_in", "rejected:not_over_yet"],
        "checked in and rated in one push; 王二 never came; a rating before the end"
    );
    // 张一 answers again at the other kiosk: answered, not counted twice.
    let body = push_ok(&server, &b, &[at_kiosk(1, after, rate("r-1", "taiji", Rating::NotSatisfied))]).await;
    assert_eq!(answers(&body), ["rejected:already_rated"]);
    // The first kiosk sends its push again (the answer was lost): the same answers, nothing new.
    assert_eq!(answers(&push_ok(&server, &a, &first).await)[..2], ["accepted", "accepted"]);
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT resident_id, rating FROM ratings WHERE activity_id = 'taiji'")
            .fetch_all(&server.db.pool)
            .await
            .unwrap();
    assert_eq!(kept, [("r-1".to_owned(), "satisfied".to_owned())]);
    // A week and more after the session is too late to ask.
    let late = at_kiosk(2, at(day + Duration::days(8), 9, 0), rate("r-3", "taiji", Rating::Skipped));
    let body = push_ok(&server, &b, &[late]).await;
    assert_eq!(answers(&body), ["rejected:not_checked_in"], "李三 did not come either");
}

fn start(resident: &str, activity: &str) -> Action {
    Action::ServiceStart { resident_id: resident.into(), activity_id: activity.into() }
}

fn end(resident: &str, activity: &str) -> Action {
    Action::ServiceEnd { resident_id: resident.into(), activity_id: activity.into() }
}

/// Hours kept for a volunteer at a session: (state, half hours).
async fn hours(server: &TestServer, resident: &str, activity: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT state, half_hours FROM service_hours WHERE resident_id = $1 AND activity_id = $2 ORDER BY started_at",
    )
    .bind(resident)
    .bind(activity)
    .fetch_all(&server.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_start_and_an_end_from_two_kiosks_in_separate_pushes_become_hours_by_the_servers_clock() {
    let server = community().await;
    let (a, b) = (pair(&server, "room-a").await, pair(&server, "room-a").await);
    // Kiosk A runs five minutes ahead, as it reported with its last pull.
    sqlx::query("UPDATE kiosks SET clock_difference_ms = 300000 WHERE id = $1")
        .bind(&a.id)
        .execute(&server.db.pool)
        .await
        .unwrap();
    let day = today() - Duration::days(1);
    // The end reaches the server first: held until its start comes.
    assert_eq!(
        answers(&push_ok(&server, &b, &[at_kiosk(1, at(day, 10, 40), end("r-1", "help-desk"))]).await),
        ["accepted"]
    );
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("end_only".to_owned(), 0)]);
    // Kiosk A's 09:10 is the server's 09:05: 1 h 35 min served, 1.5 hours counted.
    assert_eq!(
        answers(&push_ok(&server, &a, &[at_kiosk(1, at(day, 9, 10), start("r-1", "help-desk"))]).await),
        ["accepted"]
    );
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("counted".to_owned(), 3)]);
    assert_eq!(jiayuan_community::time_bank::total_half_hours(&server.db, "r-1").await.unwrap(), 3);

    let refused =
        [at_kiosk(2, at(day, 9, 0), start("r-2", "help-desk")), at_kiosk(3, at(day, 14, 0), start("r-1", "chess"))];
    assert_eq!(
        answers(&push_ok(&server, &a, &refused).await),
        ["rejected:not_a_volunteer", "rejected:not_volunteer_service"]
    );
}

#[tokio::test]
async fn service_without_its_end_is_held_and_a_forgotten_end_counts_no_more_than_the_session_and_its_margin() {
    let server = community().await;
    let kiosk = pair(&server, "room-a").await;
    let day = today() - Duration::days(1);
    push_ok(&server, &kiosk, &[at_kiosk(1, at(day, 8, 55), start("r-1", "help-desk"))]).await;
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("open".to_owned(), 0)], "held for staff");
    // Tapped 结束服务 only in the evening: two hours and the site's half hour, no more.
    push_ok(&server, &kiosk, &[at_kiosk(2, at(day, 19, 0), end("r-1", "help-desk"))]).await;
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("counted".to_owned(), 5)]);
    assert_eq!(jiayuan_domain::time_bank::hours_text(5), "2.5");
}

#[tokio::test]
async fn the_satisfaction_report_gives_every_percentage_with_the_number_who_answered() {
    let server = community().await;
    let kiosk = pair(&server, "room-a").await;
    let day = today() - Duration::days(3);
    let after = at(today(), 8, 0);
    let records = [
        at_kiosk(1, at(day, 9, 1), check_in("r-1", "taiji")),
        at_kiosk(2, at(day, 9, 2), check_in("r-2", "taiji")),
        at_kiosk(3, at(day, 9, 3), check_in("r-3", "taiji")),
        at_kiosk(4, after, rate("r-1", "taiji", Rating::Satisfied)),
        at_kiosk(5, after, rate("r-2", "taiji", Rating::SoSo)),
        at_kiosk(6, after, rate("r-3", "taiji", Rating::Skipped)),
    ];
    assert!(answers(&push_ok(&server, &kiosk, &records).await).iter().all(|a| a == "accepted"));
    let reader = crate::support::console::Browser::staff_of(
        &server,
        "reader",
        jiayuan_community::office::accounts::Role::Viewer,
        &[SITE],
    )
    .await;
    let period = format!("from={}&to={}", format_day(day), format_day(today()));
    let page = reader.page(&format!("/console/reports/satisfaction?{period}")).await;
    let figure =
        |id: &str| page.split(&format!("<dd id=\"{id}\">")).nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(
        (figure("satisfied-share"), figure("answered"), figure("skipped")),
        ("50.0%".into(), "2".into(), "1".into())
    );
    assert!(page.contains("太极拳 (2 人回答)"), "the chart's bar names how many answered");
    let csv = reader.get(&format!("/console/reports/satisfaction?{period}&format=csv&table=hosts")).await;
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[1], "周老师,50.0%,2,1,1,0,1");
}

#[tokio::test]
async fn staff_confirm_held_service_and_enter_hours_from_paper_each_with_a_reason_in_the_log() {
    use crate::support::console::Browser;
    use jiayuan_community::office::accounts::Role;
    let server = community().await;
    let kiosk = pair(&server, "room-a").await;
    let day = today() - Duration::days(1);
    // Started yesterday, never ended: held.
    push_ok(&server, &kiosk, &[at_kiosk(1, at(day, 9, 0), start("r-1", "help-desk"))]).await;
    let desk = Browser::staff_of(&server, "desk", Role::Staff, &[SITE]).await;
    let page = desk.page("/console/time-bank").await;
    assert!(page.contains("没有“结束服务”"), "the held start is listed");
    let id: String = sqlx::query_scalar("SELECT id FROM service_hours WHERE state = 'open'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let path = format!("/console/time-bank/held/{id}/confirm");
    let no_reason = desk.post(&path, &[("hours", "2"), ("reason", "")]).await;
    assert_eq!(no_reason.status(), 422, "a reason is needed");
    let confirmed = desk.post(&path, &[("hours", "2"), ("reason", "志愿者说服务到十一点")]).await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("confirmed".to_owned(), 4)]);
    // A later tap does not undo staff's decision.
    push_ok(&server, &kiosk, &[at_kiosk(2, at(day, 11, 0), end("r-1", "help-desk"))]).await;
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("confirmed".to_owned(), 4)]);

    let honoured = desk
        .post(
            "/console/time-bank/honour",
            &[("resident_id", "r-1"), ("day", &format_day(day)), ("hours", "1.5"), ("reason", "终端坏了，纸上登记")],
        )
        .await;
    assert_eq!(honoured.status(), 303);
    assert_eq!(jiayuan_community::time_bank::total_half_hours(&server.db, "r-1").await.unwrap(), 7);
    let page = desk.page("/console/time-bank").await;
    let row = page.split("<td>张一</td>").nth(1).unwrap();
    assert!(row.starts_with("<td class=\"number\">3.5</td><td class=\"number\">3.5</td>"), "{row}");
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM action_log WHERE action IN ('hours.confirm', 'hours.honour')")
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    assert_eq!(logged, 2, "every change to hours is in the action log");

    let certificate = desk.page("/console/time-bank/r-1/certificate").await;
    assert!(certificate.contains("兹证明 张一 同志"), "{certificate}");
    assert!(certificate.contains("一共 3.5 小时"));
    assert_eq!(desk.get("/console/time-bank/no-such/certificate").await.status(), 404);
}

/// A roster entry of a pull, by resident id.
fn roster_entry<'a>(pull: &'a Value, resident: &str) -> Option<&'a Value> {
    pull["residents"].as_array().unwrap().iter().find(|entry| entry["id"] == resident)
}

#[tokio::test]
async fn kiosks_pull_the_sessions_a_resident_may_rate_and_a_volunteers_hours_as_they_change() {
    let server = community().await;
    let (a, b) = (pair(&server, "room-a").await, pair(&server, "room-a").await);
    let first = pull(&server, &b, None).await;
    let cursor = first["cursor"].as_u64().unwrap();
    assert_eq!(roster_entry(&first, "r-1").unwrap()["served"], 0, "a volunteer without hours yet");
    assert!(roster_entry(&first, "r-2").unwrap().get("served").is_none(), "not a volunteer: nothing sent");
    assert!(roster_entry(&first, "r-1").unwrap().get("to_rate").is_none(), "nothing to rate yet");

    // At kiosk A: 张一 checks in to tai chi and serves at the help desk from 09:00 to 10:40.
    let (three_days_ago, yesterday) = (today() - Duration::days(3), today() - Duration::days(1));
    let records = [
        at_kiosk(1, at(three_days_ago, 9, 5), check_in("r-1", "taiji")),
        at_kiosk(2, at(yesterday, 9, 0), start("r-1", "help-desk")),
        at_kiosk(3, at(yesterday, 10, 40), end("r-1", "help-desk")),
    ];
    push_ok(&server, &a, &records).await;
    // Kiosk B learns both with its next pull of changes, and no one else changed.
    let changes = pull(&server, &b, Some(cursor)).await;
    let ids: Vec<&str> = changes["residents"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["r-1"]);
    let entry = roster_entry(&changes, "r-1").unwrap();
    assert_eq!(entry["served"], 3, "1 h 40 min is 1.5 hours");
    let to_rate = entry["to_rate"].as_array().unwrap();
    assert_eq!(to_rate.len(), 1);
    assert_eq!(to_rate[0]["activity_id"], "taiji");
    assert_eq!(to_rate[0]["title"]["zh_hans"], "太极拳");
    assert_eq!(to_rate[0]["ends_at"], at(three_days_ago, 10, 0));

    // Rated (here: skipped) at kiosk A: kiosk B no longer asks.
    let cursor = changes["cursor"].as_u64().unwrap();
    push_ok(&server, &a, &[at_kiosk(4, at(today(), 8, 0), rate("r-1", "taiji", Rating::Skipped))]).await;
    let changes = pull(&server, &b, Some(cursor)).await;
    assert!(roster_entry(&changes, "r-1").unwrap().get("to_rate").is_none(), "asked once, wherever");

    // 王二 checked in to yesterday's chess; staff then cancel it: kiosks stop asking him.
    push_ok(&server, &a, &[at_kiosk(5, at(yesterday, 14, 5), check_in("r-2", "chess"))]).await;
    let changes = pull(&server, &b, Some(changes["cursor"].as_u64().unwrap())).await;
    assert_eq!(roster_entry(&changes, "r-2").unwrap()["to_rate"][0]["activity_id"], "chess");
    let desk = crate::support::console::Browser::staff_of(
        &server,
        "desk",
        jiayuan_community::office::accounts::Role::Staff,
        &[SITE],
    )
    .await;
    let cancelled = desk.post("/console/schedule/sessions/chess/cancel", &[("reason", "老王病了")]).await;
    assert_eq!(cancelled.status(), 303);
    let changes = pull(&server, &b, Some(changes["cursor"].as_u64().unwrap())).await;
    assert!(roster_entry(&changes, "r-2").unwrap().get("to_rate").is_none(), "a cancelled session is not asked about");
}

#[tokio::test]
async fn staff_set_how_long_past_its_session_service_may_count_and_later_service_counts_by_it() {
    use crate::support::console::Browser;
    use jiayuan_community::office::accounts::Role;
    let server = community().await;
    let desk = Browser::staff_of(&server, "desk", Role::Staff, &[SITE]).await;
    assert!(desk.page("/console/time-bank").await.contains("value=\"30\""), "the site's half hour to start with");
    assert_eq!(desk.post("/console/time-bank/margin", &[("margin", "一小时")]).await.status(), 422);
    assert_eq!(desk.post("/console/time-bank/margin", &[("margin", "600")]).await.status(), 422, "at most 4 hours");
    assert_eq!(desk.post("/console/time-bank/margin", &[("margin", "0")]).await.status(), 303);
    let viewer = Browser::staff_of(&server, "reader", Role::Viewer, &[SITE]).await;
    assert_eq!(viewer.post("/console/time-bank/margin", &[("margin", "120")]).await.status(), 403);

    // The help desk runs 09:00–11:00; 结束服务 tapped only in the evening counts two hours.
    let kiosk = pair(&server, "room-a").await;
    let day = today() - Duration::days(1);
    let taps =
        [at_kiosk(1, at(day, 9, 0), start("r-1", "help-desk")), at_kiosk(2, at(day, 19, 0), end("r-1", "help-desk"))];
    push_ok(&server, &kiosk, &taps).await;
    assert_eq!(hours(&server, "r-1", "help-desk").await, [("counted".to_owned(), 4)]);
    let logged: Vec<String> = sqlx::query_scalar("SELECT detail FROM action_log WHERE action = 'hours.margin'")
        .fetch_all(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(logged, ["30 → 0"]);
}
