//! Pushing kiosk records over real HTTP: each applied exactly once, in order, with the server
//! deciding seats. Runs against SQLite and (under `cargo xtask test`) PostgreSQL.

use crate::support::kiosk::*;
use crate::support::spawn_with_demo;
use jiayuan_community::office::accounts::Role;
use jiayuan_domain::sync::{Action, Person};
use serde_json::{Value, json};

const ROOM: &str = "room-seniors";

fn outcome(body: &Value, index: usize) -> &Value {
    &body["results"][index]["outcome"]
}

#[tokio::test]
async fn a_pairing_code_pairs_one_kiosk_once() {
    let server = spawn_with_demo().await;
    let code = crate::support::pairing_code(&server, ROOM).await;
    let pair = |code: String| server.client.post(server.url("/api/kiosks/pair")).json(&json!({ "code": code })).send();
    let first = pair(code.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["room_id"], ROOM);
    assert_eq!(body["site_id"], "site-xingfuli");
    assert_eq!(pair(code).await.unwrap().status(), 401, "a used code must not pair a second kiosk");
    assert_eq!(pair("12345678".into()).await.unwrap().status(), 401);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kiosks").fetch_one(&server.db.pool).await.unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn records_are_answered_one_by_one_with_the_servers_clock() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let records = [
        record(1, sign_in("resident-0001")),
        record(2, Action::SignIn { person: Person::Visitor }),
        record(3, sign_in("resident-9999")),
    ];
    let body = push_ok(&server, &kiosk, &records).await;
    assert_eq!(body["applied_through"], 3);
    assert_eq!(outcome(&body, 0)["status"], "accepted");
    assert_eq!(outcome(&body, 1)["status"], "accepted");
    // A broken rule is answered and does not hold up the records after it.
    assert_eq!(outcome(&body, 2)["status"], "rejected");
    assert_eq!(outcome(&body, 2)["reason"], "unknown_resident");
    let server_time = body["server_time"].as_i64().unwrap();
    assert!((server_time - jiayuan_community::clock::now_ms()).abs() < 60_000);
    // The kiosk's clock is kept as it was sent, for reports; never rewritten.
    let happened: i64 = sqlx::query_scalar("SELECT happened_at FROM kiosk_records WHERE kiosk_id = $1 AND seq = 1")
        .bind(&kiosk.id)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(happened, records[0].happened_at);
}

#[tokio::test]
async fn resending_a_batch_returns_the_same_answers_and_changes_nothing() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let activity = activity_with_capacity(&server, 5).await;
    let records = [record(1, sign_up("resident-0001", &activity, 1)), record(2, sign_in("resident-0001"))];
    let first = push_ok(&server, &kiosk, &records).await;
    let again = push_ok(&server, &kiosk, &records).await;
    assert_eq!(first["results"], again["results"]);
    assert_eq!(records_stored(&server, &kiosk).await, 2);
    assert_eq!(seats_taken(&server, &activity).await, 2, "one resident and one companion, counted once");
}

#[tokio::test]
async fn a_batch_cut_in_the_middle_is_completed_by_resending_it_whole() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let records: Vec<_> = (1..=5).map(|seq| record(seq, sign_in(&format!("resident-{seq:04}")))).collect();
    // The server applied the first three, then the connection dropped before the kiosk heard.
    push_ok(&server, &kiosk, &records[..3]).await;
    let body = push_ok(&server, &kiosk, &records).await;
    assert_eq!(body["applied_through"], 5);
    assert_eq!(body["results"].as_array().unwrap().len(), 5);
    assert_eq!(records_stored(&server, &kiosk).await, 5);
}

#[tokio::test]
async fn a_gap_is_refused_with_the_number_to_send_next() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_in("resident-0001"))]).await;
    let response = push(&server, &kiosk, &[record(3, sign_in("resident-0003"))]).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "seq_gap");
    assert_eq!(body["expected_seq"], 2);
    assert_eq!(records_stored(&server, &kiosk).await, 1);
}

#[tokio::test]
async fn a_number_reused_for_another_record_is_refused_not_swallowed() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_in("resident-0001"))]).await;
    let response = push(&server, &kiosk, &[record(1, sign_in("resident-0002"))]).await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn two_kiosks_racing_for_the_last_seat_get_one_seat_and_one_waiting_place() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let (a, b) = (pair(&server, ROOM).await, pair(&server, "room-hall").await);
    let (ra, rb) =
        ([record(1, sign_up("resident-0001", &activity, 0))], [record(1, sign_up("resident-0002", &activity, 0))]);
    let (first, second) = tokio::join!(push_ok(&server, &a, &ra), push_ok(&server, &b, &rb));
    let mut statuses = [outcome(&first, 0)["status"].clone(), outcome(&second, 0)["status"].clone()];
    statuses.sort_by_key(|s| s.to_string());
    assert_eq!(statuses, [json!("confirmed"), json!("waitlisted")]);
    let waitlisted = [&first, &second].into_iter().find(|b| outcome(b, 0)["status"] == "waitlisted").unwrap();
    assert_eq!(outcome(waitlisted, 0)["position"], 1);
    assert_eq!(seats_taken(&server, &activity).await, 1);
}

#[tokio::test]
async fn many_kiosks_at_once_never_overbook() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 3).await;
    let mut kiosks = Vec::new();
    for _ in 0..8 {
        kiosks.push(pair(&server, ROOM).await);
    }
    // All at once, each kiosk on its own task, as from different activity rooms.
    let mut pushes = tokio::task::JoinSet::new();
    for (i, kiosk) in kiosks.iter().enumerate() {
        let request = server
            .client
            .post(server.url("/api/sync/push"))
            .header("authorization", kiosk.token())
            .json(&json!({ "records": [record(1, sign_up(&format!("resident-{:04}", i + 1), &activity, 0))] }));
        pushes.spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() });
    }
    let bodies = pushes.join_all().await;
    let confirmed = bodies.iter().filter(|b| outcome(b, 0)["status"] == "confirmed").count();
    assert_eq!(confirmed, 3);
    assert_eq!(seats_taken(&server, &activity).await, 3);
    let mut positions: Vec<_> = bodies.iter().filter_map(|b| outcome(b, 0)["position"].as_u64()).collect();
    positions.sort();
    assert_eq!(positions, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_cancellation_moves_the_first_in_line_up() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 2).await;
    let kiosk = pair(&server, ROOM).await;
    let body = push_ok(
        &server,
        &kiosk,
        &[
            record(1, sign_up("resident-0001", &activity, 1)),
            record(2, sign_up("resident-0002", &activity, 0)),
            record(3, sign_up("resident-0003", &activity, 0)),
        ],
    )
    .await;
    assert_eq!(outcome(&body, 0)["status"], "confirmed");
    assert_eq!(outcome(&body, 1), &json!({"status": "waitlisted", "position": 1}));
    assert_eq!(outcome(&body, 2), &json!({"status": "waitlisted", "position": 2}));

    let body = push_ok(&server, &kiosk, &[record(4, cancel("resident-0001", &activity))]).await;
    assert_eq!(outcome(&body, 0)["status"], "cancelled");
    // Two seats freed: the first two in line move up.
    assert_eq!(sign_up_status(&server, &activity, "resident-0002").await, "confirmed");
    assert_eq!(sign_up_status(&server, &activity, "resident-0003").await, "confirmed");
    assert_eq!(seats_taken(&server, &activity).await, 2);
}

#[tokio::test]
async fn a_party_too_large_for_the_seat_left_leaving_the_line_lets_the_next_one_in() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 2).await;
    let kiosk = pair(&server, ROOM).await;
    let body = push_ok(
        &server,
        &kiosk,
        &[
            record(1, sign_up("resident-0001", &activity, 0)),
            // Two people for the one seat left: they wait, and the next one waits behind them.
            record(2, sign_up("resident-0002", &activity, 1)),
            record(3, sign_up("resident-0003", &activity, 0)),
        ],
    )
    .await;
    assert_eq!(outcome(&body, 0)["status"], "confirmed");
    assert_eq!(outcome(&body, 1), &json!({"status": "waitlisted", "position": 1}));
    assert_eq!(outcome(&body, 2), &json!({"status": "waitlisted", "position": 2}));

    push_ok(&server, &kiosk, &[record(4, cancel("resident-0002", &activity))]).await;
    assert_eq!(
        sign_up_status(&server, &activity, "resident-0003").await,
        "confirmed",
        "the seat left goes to the one now first in line"
    );
    assert_eq!(seats_taken(&server, &activity).await, 2);
}

#[tokio::test]
async fn a_cancellation_that_arrives_first_waits_for_its_sign_up() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 5).await;
    let (a, b) = (pair(&server, ROOM).await, pair(&server, ROOM).await);
    let cancelled = push_ok(&server, &b, &[record(1, cancel("resident-0001", &activity))]).await;
    assert_eq!(outcome(&cancelled, 0)["status"], "cancelled");
    let signed_up = push_ok(&server, &a, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    assert_eq!(outcome(&signed_up, 0)["status"], "cancelled");
    assert_eq!(seats_taken(&server, &activity).await, 0);
    // Signing up again afterwards is a new sign-up like any other.
    let again = push_ok(&server, &a, &[record(2, sign_up("resident-0001", &activity, 0))]).await;
    assert_eq!(outcome(&again, 0)["status"], "confirmed");
}

#[tokio::test]
async fn signing_up_again_after_cancelling_joins_the_back_of_the_line() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let (a, b) = (pair(&server, ROOM).await, pair(&server, "room-hall").await);
    let body = push_ok(
        &server,
        &a,
        &[
            record(1, sign_up("resident-0001", &activity, 0)),
            record(2, sign_up("resident-0002", &activity, 0)),
            record(3, sign_up("resident-0003", &activity, 0)),
            record(4, cancel("resident-0002", &activity)),
            record(5, sign_up("resident-0002", &activity, 0)),
        ],
    )
    .await;
    assert_eq!(outcome(&body, 2), &json!({"status": "waitlisted", "position": 2}));
    assert_eq!(outcome(&body, 4), &json!({"status": "waitlisted", "position": 2}), "behind resident 3 now");
    // Resident 3 signing up again on another kiosk keeps their place.
    let again = push_ok(&server, &b, &[record(1, sign_up("resident-0003", &activity, 0))]).await;
    assert_eq!(outcome(&again, 0), &json!({"status": "waitlisted", "position": 1}));

    push_ok(&server, &a, &[record(6, cancel("resident-0001", &activity))]).await;
    assert_eq!(
        sign_up_status(&server, &activity, "resident-0003").await,
        "confirmed",
        "the freed seat goes to the first in line"
    );
    assert_eq!(seats_taken(&server, &activity).await, 1);
}

/// Pushes arriving together are applied in one transaction; one at fault must not take the
/// others down with it.
#[tokio::test]
async fn a_push_at_fault_among_many_at_once_is_refused_alone() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 10).await;
    let mut kiosks = Vec::new();
    for _ in 0..40 {
        kiosks.push(pair(&server, ROOM).await);
    }
    let mut pushes = tokio::task::JoinSet::new();
    for (i, kiosk) in kiosks.iter().enumerate() {
        let resident = format!("resident-{:04}", i + 1);
        let records = match i % 10 {
            // A gap: this kiosk's first record is numbered 3.
            3 => vec![record(3, sign_in(&resident))],
            // A resident the server does not know: rejected, the batch still applied.
            6 => vec![record(1, sign_in("resident-nobody")), record(2, sign_up(&resident, &activity, 0))],
            _ => vec![record(1, sign_in(&resident)), record(2, sign_up(&resident, &activity, 0))],
        };
        let request = server
            .client
            .post(server.url("/api/sync/push"))
            .header("authorization", kiosk.token())
            .json(&json!({ "records": records }));
        pushes.spawn(async move { (i, request.send().await.unwrap().status().as_u16()) });
    }
    for (i, status) in pushes.join_all().await {
        assert_eq!(status, if i % 10 == 3 { 409 } else { 200 }, "kiosk {i}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM kiosk_records").fetch_one(&server.db.pool).await.unwrap();
    assert_eq!(stored, 36 * 2, "every push but the four with a gap, whole");
    assert_eq!(seats_taken(&server, &activity).await, 10, "ten seats, never more");
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_ups WHERE status = 'waiting'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(waiting, 26);
}

#[tokio::test]
async fn a_batch_sent_again_while_the_first_is_still_on_its_way_is_applied_once() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    let batch = [record(1, sign_up("resident-0001", &activity, 0)), record(2, sign_up("resident-0002", &activity, 0))];
    let (first, again) = tokio::join!(push_ok(&server, &kiosk, &batch), push_ok(&server, &kiosk, &batch));
    assert_eq!(first["results"], again["results"]);
    assert_eq!(outcome(&first, 1), &json!({"status": "waitlisted", "position": 1}));
    assert_eq!(records_stored(&server, &kiosk).await, 2);
    assert_eq!(seats_taken(&server, &activity).await, 1);
}

#[tokio::test]
async fn the_same_resident_signing_up_on_two_kiosks_holds_one_seat() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 5).await;
    let (a, b) = (pair(&server, ROOM).await, pair(&server, ROOM).await);
    push_ok(&server, &a, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    let second = push_ok(&server, &b, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    assert_eq!(outcome(&second, 0)["status"], "confirmed");
    assert_eq!(seats_taken(&server, &activity).await, 1);
}

#[tokio::test]
async fn business_rules_reject_without_blocking() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let activity = activity_with_capacity(&server, 5).await;
    set_seats(&server.db, &activity, 5, 0).await;
    let open: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let body = push_ok(
        &server,
        &kiosk,
        &[
            record(1, sign_up("resident-0001", "no-such-activity", 0)),
            record(2, sign_up("resident-0001", &open, 0)),
            record(3, sign_up("resident-0001", &activity, 1)),
            record(4, Action::CheckIn { person: Person::Visitor, activity_id: activity.clone() }),
            record(5, Action::CheckIn { person: Person::Visitor, activity_id: open.clone() }),
        ],
    )
    .await;
    let reasons: Vec<_> = (0..4).map(|i| outcome(&body, i)["reason"].clone()).collect();
    assert_eq!(
        reasons,
        [json!("unknown_activity"), json!("no_sign_up_needed"), json!("too_many_companions"), json!("not_signed_up")]
    );
    assert_eq!(outcome(&body, 4)["status"], "accepted");
    assert_eq!(body["applied_through"], 5);
}

#[tokio::test]
async fn the_staff_page_counts_todays_sign_ins_once_per_resident_and_shows_kiosks() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let now = jiayuan_community::clock::now_ms();
    let at = |seq: u64, action: Action| jiayuan_domain::sync::KioskRecord { happened_at: now, ..record(seq, action) };
    push_ok(
        &server,
        &kiosk,
        &[
            at(1, sign_in("resident-0001")),
            at(2, sign_in("resident-0001")),
            at(3, sign_in("resident-0002")),
            at(4, Action::SignIn { person: Person::Visitor }),
            at(5, sign_in("resident-unknown")),
        ],
    )
    .await;
    let staff = crate::support::console::Browser::staff(&server, "counter", Role::Viewer).await;
    let page = staff.page("/console").await;
    let seniors = page.split("id=\"room-room-seniors\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(seniors.contains("今天签到：居民 2 人，访客 1 人。"), "{seniors}");
    assert!(page.contains("08:00–09:00"), "times read like a clock: {page}");
    let kiosks = staff.page("/console/kiosks").await;
    let row = kiosks.split(&format!("<tr id=\"kiosk-{}\">", kiosk.id)).nth(1).unwrap().split("</tr>").next().unwrap();
    let numbers: Vec<&str> =
        row.split("<td class=\"number\">").skip(1).map(|cell| cell.split("</td>").next().unwrap()).collect();
    assert_eq!(numbers, ["—", "5", "0", "0"], "nothing reported queued yet; 5 received, none damaged or lost: {row}");
    assert!(row.contains("使用中"));
}

#[tokio::test]
async fn kiosks_that_hang_up_mid_push_leave_the_database_usable() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let activity = activity_with_capacity(&server, 5).await;
    let batch: Vec<_> = (1..=400)
        .map(|seq| {
            if seq % 4 == 0 {
                record(seq, sign_up("resident-0001", &activity, 0))
            } else {
                record(seq, sign_in("resident-0002"))
            }
        })
        .collect();
    // Requests given up on at every point of their work, as kiosks on a failing network do.
    for wait_ms in [1, 2, 3, 5, 8, 13, 21, 34] {
        let hasty = reqwest::Client::builder().timeout(std::time::Duration::from_millis(wait_ms)).build().unwrap();
        let _ = hasty
            .post(server.url("/api/sync/push"))
            .header("authorization", kiosk.token())
            .json(&json!({ "records": batch }))
            .send()
            .await;
    }
    // Whatever those did, the whole batch now goes through, applied once.
    let body = push_ok(&server, &kiosk, &batch).await;
    assert_eq!(body["applied_through"], 400);
    let other = pair(&server, ROOM).await;
    push_ok(&server, &other, &[record(1, sign_in("resident-0003"))]).await;
}

#[tokio::test]
async fn staff_lowering_a_capacity_while_kiosks_sign_up_never_leave_more_seats_taken_than_there_are() {
    use jiayuan_community::office::schedule;
    let server = spawn_with_demo().await;
    let site = crate::support::console::SITE;
    let actor = jiayuan_community::action_log::Actor::CommandLine;
    let activity = activity_with_capacity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    let set_capacity = |capacity: i64| {
        let (db, activity, actor) = (server.db.clone(), activity.clone(), actor.clone());
        async move {
            let session = schedule::session(&db, site, &activity).await.unwrap();
            let mut input = jiayuan_domain::input::ActivityInput::of(&session.activity);
            input.capacity = capacity.to_string();
            input.companions_allowed = "0".into();
            schedule::change_activity(&db, &actor, site, &activity, input, session.revision).await
        }
    };
    // Round after round, a kiosk's sign-up lands while staff lower the capacity to the seats
    // they see taken. A change that counted the seats before the sign-up landed, and wrote after,
    // would leave more residents seated than the session has seats.
    for round in 0..40u64 {
        let taken = seats_taken(&server, &activity).await;
        set_capacity(taken + 5).await.unwrap();
        let request = server.client.post(server.url("/api/sync/push")).header("authorization", kiosk.token()).json(
            &json!({ "records": [record(round + 1, sign_up(&format!("resident-{:04}", round + 1), &activity, 0))] }),
        );
        let push = tokio::spawn(async move { request.send().await.unwrap().status() });
        tokio::time::sleep(std::time::Duration::from_micros(round % 8 * 250)).await;
        // Refused (the sign-up came first) or done (it waits in line): both are right.
        let _ = set_capacity(taken).await;
        assert!(push.await.unwrap().is_success());
        let session = schedule::session(&server.db, site, &activity).await.unwrap();
        let capacity = i64::from(session.activity.capacity.unwrap());
        assert!(session.seats_taken <= capacity, "round {round}: {} seats taken of {capacity}", session.seats_taken);
    }
    let confirmed =
        scalar(&server, "SELECT COUNT(*) FROM sign_ups WHERE activity_id = $1 AND status = 'confirmed'", &activity)
            .await;
    assert_eq!(seats_taken(&server, &activity).await, confirmed, "the seats taken are the confirmed sign-ups");
    assert_eq!(confirmed + in_line(&server, &activity).await, 40, "every sign-up has a seat or a place in line");
}
