//! Full classes drawn fairly (摇号): entries from kiosks instead of a race, one draw however
//! many servers run, the order anyone can work out again, results told, late entries at the
//! end of the line. Runs against SQLite and PostgreSQL.

use jiayuan_community::action_log::Actor;
use jiayuan_community::draws;
use jiayuan_community::office::draws as office;
use jiayuan_community::office::form::ServiceError;
use serde_json::Value;

use crate::support::console::{Browser, SITE};
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn_sharing, spawn_with_demo};

const ROOM: &str = "room-seniors";

/// A session with `capacity` seats at least three days ahead, its entries closing in an hour
/// and drawn half an hour later; returns its id and when it is drawn (ms).
async fn draw_activity(server: &TestServer, capacity: i64) -> (String, i64) {
    let later = jiayuan_community::community_time::today(OFFSET) + time::Duration::days(3);
    let id: String = sqlx::query_scalar(
        "SELECT id FROM activities WHERE capacity IS NOT NULL AND day >= $1 AND cancelled_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(later.to_string())
    .fetch_one(&server.db.pool)
    .await
    .unwrap();
    set_seats(&server.db, &id, capacity, 2).await;
    let closes = time::OffsetDateTime::now_utc().to_offset(OFFSET) + time::Duration::hours(1);
    let closes = time::PrimitiveDateTime::new(closes.date(), closes.time());
    office::set(&server.db, &Actor::CommandLine, SITE, &id, closes, 30, OFFSET).await.unwrap();
    let draws_at = scalar(server, "SELECT draws_at FROM activities WHERE id = $1", &id).await;
    (id, draws_at)
}

fn outcome(body: &Value, index: usize) -> &Value {
    &body["results"][index]["outcome"]
}

async fn notice_kinds(server: &TestServer, activity: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT resident_id, change_kind FROM notices WHERE activity_id = $1 AND told_at IS NULL ORDER BY resident_id",
    )
    .bind(activity)
    .fetch_all(&server.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn entries_from_two_kiosks_are_drawn_once_by_two_servers_and_everyone_is_told() {
    let server = spawn_with_demo().await;
    let other = spawn_sharing(&server).await;
    let (activity, draws_at) = draw_activity(&server, 2).await;
    let (here, there) = (pair(&server, ROOM).await, pair(&other, "room-hall").await);
    let body = push_ok(
        &server,
        &here,
        &[
            record(1, sign_up("resident-0001", &activity, 0)),
            record(2, sign_up("resident-0002", &activity, 1)),
            record(3, sign_up("resident-0003", &activity, 0)),
        ],
    )
    .await;
    for index in 0..3 {
        assert_eq!(outcome(&body, index)["status"], "entered", "{body}");
    }
    // The same resident again from the other kiosk, through the other server: one entry.
    let again = push_ok(&other, &there, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    assert_eq!(outcome(&again, 0)["status"], "entered");
    assert_eq!(
        scalar(&server, "SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1 AND status = 'entered'", &activity).await,
        3
    );
    assert_eq!(seats_taken(&server, &activity).await, 0, "entries take no seats");
    let pulled = pull(&server, &here, None).await;
    let shown = pulled["activities"].as_array().unwrap().iter().find(|a| a["id"] == activity.as_str()).unwrap();
    assert_eq!(shown["draw"]["draws_at"], draws_at, "kiosks know a draw is coming: {shown}");
    let theirs = pulled["sign_ups"].as_array().unwrap().iter().find(|s| s["resident_id"] == "resident-0001").unwrap();
    assert_eq!(theirs["status"], "entered");

    // Not due yet: nothing happens.
    assert_eq!(draws::run_due(&server.db, draws_at - 1).await.unwrap(), 0);
    // Both servers' jobs at the same moment: drawn once.
    let (a, b) = tokio::join!(draws::run_due(&server.db, draws_at), draws::run_due(&other.db, draws_at));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one draw");
    assert_eq!(
        scalar(&server, "SELECT COUNT(*) FROM action_log WHERE action = 'draw.drawn' AND subject = $1", &activity)
            .await,
        1
    );
    assert_eq!(draws::run_due(&other.db, draws_at + 60_000).await.unwrap(), 0, "nobody draws again");

    let check = draws::check(&server.db, &activity).await.unwrap().unwrap();
    assert!(check.drawn && check.agrees(), "{check:?}");
    assert_eq!(check.order.len(), 3);
    let order: Vec<&str> = check.order.iter().map(String::as_str).collect();
    let parties: Vec<jiayuan_domain::draws::Entry> = order
        .iter()
        .map(|id| jiayuan_domain::draws::Entry { id, party: if *id == "resident-0002" { 2 } else { 1 } })
        .collect();
    let expected = jiayuan_domain::draws::draw(&check.seed, &parties, 2);
    for seated in &expected.seated {
        assert_eq!(sign_up_status(&server, &activity, seated).await, "confirmed", "{expected:?}");
    }
    for waiting in &expected.waiting {
        assert_eq!(sign_up_status(&server, &activity, waiting).await, "waiting", "{expected:?}");
    }
    let seats: i64 = expected.seated.iter().map(|id| if *id == "resident-0002" { 2 } else { 1 }).sum();
    assert_eq!(seats_taken(&server, &activity).await, seats, "companions take seats");
    let told = notice_kinds(&server, &activity).await;
    assert_eq!(told.len(), 3, "everyone who entered is told: {told:?}");
    for (resident, kind) in &told {
        let seated = expected.seated.contains(&resident.as_str());
        assert_eq!(kind, if seated { "drawn" } else { "not_drawn" }, "{resident}");
    }
    // The kiosks no longer show a draw coming.
    let after = pull(&server, &here, None).await;
    let shown = after["activities"].as_array().unwrap().iter().find(|a| a["id"] == activity.as_str()).unwrap();
    assert!(shown.get("draw").is_none(), "{shown}");

    // An entry made offline before the close that arrives after the draw: the end of the line,
    // and the resident is told so.
    let late = push_ok(&server, &here, &[record(4, sign_up("resident-0004", &activity, 0))]).await;
    let waiting_before = i64::try_from(expected.waiting.len()).unwrap();
    // Four seats asked for two: someone always waits, so the late entry waits behind them.
    assert_eq!(outcome(&late, 0)["status"], "waitlisted", "{late}");
    assert_eq!(outcome(&late, 0)["position"], waiting_before + 1);
    let told = notice_kinds(&server, &activity).await;
    assert!(told.contains(&("resident-0004".into(), "entered_late".into())), "{told:?}");
    assert!(draws::check(&server.db, &activity).await.unwrap().unwrap().agrees(), "a late entry is not in the draw");
}

#[tokio::test]
async fn staff_set_a_draw_before_it_is_made_and_nobody_draws_again() {
    let server = spawn_with_demo().await;
    let (activity, draws_at) = draw_activity(&server, 1).await;
    let seed: String = sqlx::query_scalar("SELECT draw_seed FROM activities WHERE id = $1")
        .bind(&activity)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    // Moving the close keeps the seed published when entries opened.
    let closes = time::OffsetDateTime::now_utc().to_offset(OFFSET) + time::Duration::hours(2);
    let closes = time::PrimitiveDateTime::new(closes.date(), closes.time());
    office::set(&server.db, &Actor::CommandLine, SITE, &activity, closes, 0, OFFSET).await.unwrap();
    let check = draws::check(&server.db, &activity).await.unwrap().unwrap();
    assert_eq!(check.seed, seed);
    assert!(!check.drawn);
    // A close in the past, a grace too long, an activity of another site, one open to all.
    let past = time::PrimitiveDateTime::new(time::macros::date!(2020 - 01 - 01), time::Time::MIDNIGHT);
    let refused = office::set(&server.db, &Actor::CommandLine, SITE, &activity, past, 0, OFFSET).await;
    assert!(matches!(refused, Err(ServiceError::Form(_))), "{refused:?}");
    let refused = office::set(&server.db, &Actor::CommandLine, SITE, &activity, closes, 5000, OFFSET).await;
    assert!(matches!(refused, Err(ServiceError::Form(_))), "{refused:?}");
    let refused = office::set(&server.db, &Actor::CommandLine, "site-elsewhere", &activity, closes, 0, OFFSET).await;
    assert!(matches!(refused, Err(ServiceError::NotFound)), "{refused:?}");

    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    // Withdrawn and entered again: still one entry.
    push_ok(&server, &kiosk, &[record(2, cancel("resident-0001", &activity))]).await;
    assert_eq!(sign_up_status(&server, &activity, "resident-0001").await, "cancelled");
    push_ok(&server, &kiosk, &[record(3, sign_up("resident-0001", &activity, 0))]).await;
    assert_eq!(sign_up_status(&server, &activity, "resident-0001").await, "entered");
    let draws_at = draws_at + 3_600_000;
    assert_eq!(draws::run_due(&server.db, draws_at).await.unwrap(), 1);
    assert_eq!(sign_up_status(&server, &activity, "resident-0001").await, "confirmed");
    let refused = office::set(&server.db, &Actor::CommandLine, SITE, &activity, closes, 0, OFFSET).await;
    assert!(matches!(refused, Err(ServiceError::Form(_))), "drawn: nothing to set again: {refused:?}");
    let still: String = sqlx::query_scalar("SELECT draw_seed FROM activities WHERE id = $1")
        .bind(&activity)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(still, seed, "the seed never changes");
}

#[tokio::test]
async fn staff_set_a_draw_in_the_console_the_seed_is_shown_and_a_drawn_one_cannot_be_set_again() {
    use jiayuan_community::office::accounts::Role;
    let server = spawn_with_demo().await;
    let (activity, _) = draw_activity(&server, 1).await;
    // Another session of the same site, set through the form.
    let later = jiayuan_community::community_time::today(OFFSET) + time::Duration::days(3);
    let other: String = sqlx::query_scalar(
        "SELECT id FROM activities WHERE capacity IS NOT NULL AND day >= $1 AND id <> $2 AND cancelled_at IS NULL \
         ORDER BY id LIMIT 1",
    )
    .bind(later.to_string())
    .bind(&activity)
    .fetch_one(&server.db.pool)
    .await
    .unwrap();
    let staff = Browser::staff(&server, "draw-setter", Role::Staff).await;
    let path = format!("/console/schedule/sessions/{other}");
    assert!(staff.page(&path).await.contains("先到先得"));
    let closes = time::OffsetDateTime::now_utc().to_offset(OFFSET) + time::Duration::hours(1);
    let fields = |grace: &'static str| {
        vec![
            ("closes_day".to_owned(), closes.date().to_string()),
            ("closes_time".to_owned(), format!("{:02}:{:02}", closes.hour(), closes.minute())),
            ("grace_minutes".to_owned(), grace.to_owned()),
        ]
    };
    let refused = staff.post_owned(&format!("{path}/draw"), &fields("99999")).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("0 到 1440"));
    let viewer = Browser::staff(&server, "draw-viewer", Role::Viewer).await;
    assert_eq!(viewer.post_owned(&format!("{path}/draw"), &fields("30")).await.status(), 403);
    assert_eq!(staff.post_owned(&format!("{path}/draw"), &fields("30")).await.status(), 303);
    let page = staff.page(&path).await;
    let seed: String = sqlx::query_scalar("SELECT draw_seed FROM activities WHERE id = $1")
        .bind(&other)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert!(page.contains(&format!("<code id=\"draw-seed\">{seed}</code>")), "the seed is published");
    // Another community's staff cannot set it.
    let stranger = Browser::staff_of(&server, "draw-stranger", Role::Staff, &["site-other"]).await;
    assert_eq!(stranger.post_owned(&format!("{path}/draw"), &fields("30")).await.status(), 404);

    // Drawn: the page says so, the form is gone, and setting it again is refused.
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    let drawn_at = scalar(&server, "SELECT draws_at FROM activities WHERE id = $1", &activity).await;
    // Both sessions are due by then: each is drawn.
    assert_eq!(draws::run_due(&server.db, drawn_at).await.unwrap(), 2);
    let drawn_path = format!("/console/schedule/sessions/{activity}");
    let page = staff.page(&drawn_path).await;
    assert!(page.contains("id=\"draw-drawn\"") && !page.contains("/draw\""), "{page}");
    let again = staff.post_owned(&format!("{drawn_path}/draw"), &fields("30")).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("不能重新抽"));
}

#[tokio::test]
async fn anyone_with_the_database_works_the_draw_out_again_from_the_command_line() {
    let server = spawn_with_demo().await;
    let (activity, draws_at) = draw_activity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    let entries: Vec<_> = (1..=4).map(|n| record(n, sign_up(&format!("resident-000{n}"), &activity, 0))).collect();
    push_ok(&server, &kiosk, &entries).await;
    assert_eq!(draws::run_due(&server.db, draws_at).await.unwrap(), 1);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jiayuan-server"));
    command.args(["draw", "--activity", &activity, "--check"]).env("JIAYUAN_DATA_DIR", server.data_dir.path());
    match &server.database_url {
        Some(url) => command.env("JIAYUAN_DATABASE_URL", url),
        None => command.env_remove("JIAYUAN_DATABASE_URL"),
    };
    let output = command.output().unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}{}", String::from_utf8_lossy(&output.stderr));
    let check = draws::check(&server.db, &activity).await.unwrap().unwrap();
    assert!(printed.contains(&format!("seed {}", check.seed)), "{printed}");
    for (place, resident) in check.order.iter().enumerate() {
        assert!(printed.contains(&format!("{}\t{resident}\n", place + 1)), "{printed}");
    }
    assert!(printed.contains("The draw kept this order."), "{printed}");
    // The first drawn holds the one seat.
    assert_eq!(sign_up_status(&server, &activity, &check.order[0]).await, "confirmed");

    // A kept order that was tampered with is found out.
    sqlx::query("UPDATE sign_ups SET drawn_place = 5 - drawn_place WHERE activity_id = $1")
        .bind(&activity)
        .execute(&server.db.pool)
        .await
        .unwrap();
    let output = command.output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("another order"));
}

#[tokio::test]
async fn the_sessions_report_shows_a_draws_entries_per_seat_on_the_page_and_in_its_file() {
    use jiayuan_community::office::accounts::Role;
    let server = spawn_with_demo().await;
    let (activity, draws_at) = draw_activity(&server, 2).await;
    let kiosk = pair(&server, ROOM).await;
    let entries: Vec<_> = (1..=5).map(|n| record(n, sign_up(&format!("resident-000{n}"), &activity, 0))).collect();
    push_ok(&server, &kiosk, &entries).await;
    let (day, starts, title): (String, String, String) =
        sqlx::query_as("SELECT day, starts, title_zh_hans FROM activities WHERE id = $1")
            .bind(&activity)
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    let reader = Browser::staff(&server, "draw-reader", Role::Viewer).await;
    let report = format!("/console/reports/sessions?from={day}&to={day}");
    let row_of = |page: &str| -> String {
        let start = page.find(&format!("id=\"session-{activity}\"")).expect("the session is listed");
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    // Before the draw the entries are the demand already: 5 for 2 seats.
    let before = row_of(&reader.page(&report).await);
    assert!(
        before.contains("<td class=\"number\">5</td>") && before.contains("<td class=\"number\">2.5</td>"),
        "{before}"
    );
    assert_eq!(draws::run_due(&server.db, draws_at).await.unwrap(), 1);
    // After it, the same: the two seated and the three waiting in drawn order entered.
    let after = row_of(&reader.page(&report).await);
    assert!(
        after.contains("<td class=\"number\">5</td>") && after.contains("<td class=\"number\">2.5</td>"),
        "{after}"
    );
    // A late entry joins the line but was not in the draw.
    push_ok(&server, &kiosk, &[record(6, sign_up("resident-0006", &activity, 0))]).await;
    let late = row_of(&reader.page(&report).await);
    assert!(late.contains("<td class=\"number\">2.5</td>"), "{late}");

    let csv = reader.get(&format!("{report}&format=csv")).await.bytes().await.unwrap();
    let mut file = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = file.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[header.len() - 2..], ["抽签报名人数", "每个名额报名人数"]);
    let rows: Vec<Vec<String>> = file.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let row = rows.iter().find(|row| row[1] == starts && row[2] == title).expect("the session is in the file");
    assert_eq!(&row[row.len() - 2..], ["5", "2.5"], "{row:?}");
    let other = rows.iter().find(|row| !(row[1] == starts && row[2] == title));
    if let Some(other) = other {
        assert_eq!(&other[other.len() - 2..], ["—", "—"], "no draw, no entries: {other:?}");
    }
}
