//! Recurring activities: staff import them once, kiosks receive their sessions for the coming
//! four weeks, and more as the days pass.

use crate::support::kiosk::*;
use crate::support::{TestServer, spawn_with_demo};
use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, ImportReport, import};
use jiayuan_community::schedule::format_day;
use jiayuan_community::{community_time, horizon};
use jiayuan_domain::sync::pull::PullResponse;
use serde_json::Value;
use time::{Date, Duration, Weekday};

const HEADER: &str = "id,room_id,weekdays,starts,ends,first_date,last_date,title_zh_hans,host_zh_hans,capacity\n";

fn today() -> Date {
    community_time::today(crate::support::OFFSET)
}

async fn import_recurring(server: &TestServer, rows: &str, today: Date) -> ImportReport {
    let csv = format!("{HEADER}{rows}");
    let files = ImportFiles {
        rooms: None,
        residents: None,
        activities: None,
        recurring: Some(("recurring.csv".into(), csv.as_bytes())),
    };
    import(&server.db, &Actor::CommandLine, "site-xingfuli", files, today).await.expect("import")
}

async fn import_dated(server: &TestServer, id: &str, day: Date) {
    let csv = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n{id},room-arts,{},9:00,10:00,国画加课,李老师,10\n",
        format_day(day)
    );
    let files = ImportFiles {
        rooms: None,
        residents: None,
        activities: Some(("activities.csv".into(), csv.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, "site-xingfuli", files, today()).await.expect("import");
}

/// Pulls as the server would on `today` (the HTTP route always uses the real date).
async fn pull_on(server: &TestServer, kiosk: &TestKiosk, cursor: u64, today: Date) -> PullResponse {
    let kiosk = jiayuan_community::kiosks::authenticate(&server.db, Some(&kiosk.token())).await.expect("authenticated");
    jiayuan_community::sync::pull::pull(&server.db, &kiosk, cursor, today, time::UtcOffset::UTC).await.expect("pull")
}

fn days_from(first: Date, last: Date, weekdays: &[Weekday]) -> Vec<String> {
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        if weekdays.contains(&day.weekday()) {
            days.push(format_day(day));
        }
        day += Duration::days(1);
    }
    days
}

fn session_ids(pull: &PullResponse, recurring_id: &str) -> Vec<String> {
    let prefix = format!("{recurring_id}-");
    pull.activities.iter().filter_map(|a| a.activity.id.strip_prefix(&prefix).map(str::to_owned)).collect()
}

#[tokio::test]
async fn a_recurring_activity_reaches_kiosks_as_four_weeks_of_sessions() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, "room-arts").await;
    let report =
        import_recurring(&server, "ink-painting,room-arts,周二、周四,14:00,15:30,,,国画班,赵老师,15\n", today()).await;
    let expected = days_from(today(), today() + Duration::days(28), &[Weekday::Tuesday, Weekday::Thursday]);
    assert_eq!((report.recurring, report.sessions), (1, expected.len()));

    let response =
        server.client.get(server.url("/api/sync/pull")).header("authorization", kiosk.token()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let sessions: Vec<&Value> = body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"].as_str().unwrap().starts_with("ink-painting-"))
        .collect();
    let dates: Vec<&str> = sessions.iter().map(|a| a["date"].as_str().unwrap()).collect();
    assert_eq!(dates, expected);
    for session in sessions {
        assert_eq!((session["starts"].as_str(), session["ends"].as_str()), (Some("14:00"), Some("15:30")));
        assert_eq!(session["seats_left"], 15, "each session has its own seats");
        assert_eq!(session["title"]["zh_hans"], "国画班");
    }
}

#[tokio::test]
async fn as_days_pass_kiosks_receive_new_sessions_and_activities_dated_further_ahead() {
    let server = spawn_with_demo().await;
    let day_one = today();
    horizon::advance(&server.db, day_one).await.unwrap();
    import_recurring(&server, "morning-walk,room-hall,每天,7:00,8:00,,,晨练走步,志愿者,\n", day_one).await;
    import_dated(&server, "new-year-painting", day_one + Duration::days(31)).await;
    let kiosk = pair(&server, "room-hall").await;
    let first = pull_on(&server, &kiosk, 0, day_one).await;
    assert_eq!(session_ids(&first, "morning-walk").len(), 29, "today and the 28 days after");
    assert!(first.activities.iter().all(|a| a.activity.id != "new-year-painting"), "beyond four weeks, not yet");

    let three_days_on = day_one + Duration::days(3);
    let moved = horizon::advance(&server.db, three_days_on).await.unwrap();
    assert_eq!(moved.activities_stamped, 1);
    assert!(moved.sessions_made >= 3, "the morning walk's and the demo's");
    let next = pull_on(&server, &kiosk, first.cursor, three_days_on).await;
    assert!(!next.reset);
    let new_days = [29, 30, 31].map(|n| format_day(day_one + Duration::days(n)));
    assert_eq!(session_ids(&next, "morning-walk"), new_days);
    assert!(next.activities.iter().any(|a| a.activity.id == "new-year-painting"), "now within four weeks");

    assert_eq!(horizon::advance(&server.db, three_days_on).await.unwrap(), horizon::Advance::default(), "once a day");
    let again = pull_on(&server, &kiosk, next.cursor, three_days_on).await;
    assert!(again.activities.is_empty());
}

#[tokio::test]
async fn changing_the_days_moves_coming_sessions_but_keeps_ones_residents_signed_up_for() {
    let server = spawn_with_demo().await;
    let day_one = today();
    import_recurring(&server, "ink-painting,room-arts,周二、周四,14:00,15:30,,,国画班,赵老师,15\n", day_one).await;
    let kiosk = pair(&server, "room-arts").await;
    let before = pull_on(&server, &kiosk, 0, day_one).await;
    let thursdays = days_from(day_one, day_one + Duration::days(28), &[Weekday::Thursday]);
    let signed_up = format!("ink-painting-{}", thursdays[0]);
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &signed_up, 0))]).await;

    let report =
        import_recurring(&server, "ink-painting,room-arts,周二、周五,14:30,16:00,,,国画班,赵老师,15\n", day_one).await;
    assert_eq!(report.sessions_removed, thursdays.len() - 1);
    assert_eq!(report.sessions_kept, std::slice::from_ref(&signed_up));

    let after = pull_on(&server, &kiosk, before.cursor, day_one).await;
    let removed: Vec<String> = thursdays[1..].iter().map(|day| format!("ink-painting-{day}")).collect();
    assert_eq!(after.deleted.activities, removed);
    let mut expected = days_from(day_one, day_one + Duration::days(28), &[Weekday::Tuesday, Weekday::Friday]);
    expected.push(thursdays[0].clone());
    expected.sort();
    assert_eq!(
        session_ids(&after, "ink-painting"),
        expected,
        "Tuesdays updated, Fridays new, the signed-up Thursday kept"
    );
    for session in after.activities.iter().filter(|a| a.activity.id.starts_with("ink-painting-")) {
        let starts =
            if session.activity.id == signed_up { time::macros::time!(14:00) } else { time::macros::time!(14:30) };
        assert_eq!(session.activity.starts, starts, "{}", session.activity.id);
    }
    assert_eq!(seats_taken(&server, &signed_up).await, 1, "the kept session keeps its seat");
}

/// A cancellation that arrived before its sign-up (`cancel_pending`) holds no place: the day it
/// is on can go. The sign-up arriving later, for a session that is gone, takes no seat, and the
/// resident, who meant to cancel anyway, is left as they wished.
#[tokio::test]
async fn a_day_whose_only_sign_up_is_a_cancellation_that_came_first_is_removed() {
    let server = spawn_with_demo().await;
    let day_one = today();
    import_recurring(&server, "ink-painting,room-arts,周二、周四,14:00,15:30,,,国画班,赵老师,15\n", day_one).await;
    let thursdays = days_from(day_one, day_one + Duration::days(28), &[Weekday::Thursday]);
    let session = format!("ink-painting-{}", thursdays[0]);
    // Two kiosks: the one that took the cancellation reaches the server first.
    let (signed_up_here, cancelled_there) = (pair(&server, "room-arts").await, pair(&server, "room-arts").await);
    push_ok(&server, &cancelled_there, &[record(1, cancel("resident-0001", &session))]).await;
    assert_eq!(sign_up_status(&server, &session, "resident-0001").await, "cancel_pending");

    let report =
        import_recurring(&server, "ink-painting,room-arts,周二,14:00,15:30,,,国画班,赵老师,15\n", day_one).await;
    assert_eq!(report.sessions_removed, thursdays.len(), "every Thursday goes, the pending cancellation's too");
    assert!(report.sessions_kept.is_empty());
    let answer = push_ok(&server, &signed_up_here, &[record(1, sign_up("resident-0001", &session, 0))]).await;
    assert_eq!(answer["results"][0]["outcome"]["reason"], "unknown_activity");
    let left: i64 = scalar(&server, "SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1", &session).await;
    assert_eq!(left, 0);
}
