//! Pulling over real HTTP: a kiosk gets its site's schedule, roster and decisions, then only
//! what changed; after a month away, one pull brings it level.

use std::collections::BTreeMap;

use crate::support::kiosk::*;
use crate::support::spawn_with_demo;
use jiayuan_domain::identity::{IdentityKind, digest};
use serde_json::Value;

const ROOM: &str = "room-seniors";

fn cursor(body: &Value) -> u64 {
    body["cursor"].as_u64().unwrap()
}

fn list(body: &Value, key: &str) -> Vec<Value> {
    body[key].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_first_pull_is_everything_a_kiosk_needs_and_no_clear_numbers() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let body = pull(&server, &kiosk, None).await;
    assert_eq!(body["reset"], true);
    assert_eq!(list(&body, "rooms").len(), 3);
    assert!(list(&body, "activities").len() >= 28, "a week of activities");
    assert_eq!(list(&body, "residents").len(), 300);

    let text = body.to_string();
    for resident in jiayuan_community::demo::residents().iter().take(50) {
        let card = resident.card_number.as_deref().unwrap();
        assert!(!text.contains(card), "card number in clear");
        assert!(!text.contains(&resident.full_name), "full name in clear");
    }
    // The kiosk recognises a card by computing the same digest with the site's key.
    let first = &jiayuan_community::demo::residents()[0];
    let key = body["identity_key"].as_str().unwrap();
    let entry = list(&body, "residents").into_iter().find(|r| r["id"] == first.id.as_str()).unwrap();
    assert_eq!(entry["card"], digest(key, IdentityKind::Card, first.card_number.as_deref().unwrap()).unwrap().as_str());
    assert_eq!(
        entry["household"],
        digest(key, IdentityKind::Household, first.household.as_deref().unwrap()).unwrap().as_str()
    );
    assert_eq!(entry["display_name"], jiayuan_domain::privacy::mask_name(&first.full_name).as_str());
    // The staff PIN (2468 on the test server) travels as a digest only, like card numbers.
    assert_eq!(body["staff_pin"], jiayuan_domain::staff_pin::digest(key, "2468").unwrap().as_str());
}

#[tokio::test]
async fn nothing_changed_means_an_empty_answer() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let first = pull(&server, &kiosk, None).await;
    let again = pull(&server, &kiosk, Some(cursor(&first))).await;
    assert_eq!(again["reset"], false);
    assert_eq!(cursor(&again), cursor(&first));
    for key in ["rooms", "activities", "residents", "sign_ups"] {
        assert!(list(&again, key).is_empty(), "{key}");
    }
}

#[tokio::test]
async fn decisions_reach_every_kiosk_with_current_positions() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let (here, there) = (pair(&server, ROOM).await, pair(&server, "room-hall").await);
    let start = cursor(&pull(&server, &here, None).await);

    push_ok(
        &server,
        &there,
        &[
            record(1, sign_up("resident-0001", &activity, 0)),
            record(2, sign_up("resident-0002", &activity, 0)),
            record(3, sign_up("resident-0003", &activity, 0)),
        ],
    )
    .await;
    let body = pull(&server, &here, Some(start)).await;
    let changed = list(&body, "activities");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], activity.as_str());
    assert_eq!(changed[0]["seats_left"], 0);
    let statuses: BTreeMap<String, Value> =
        list(&body, "sign_ups").into_iter().map(|d| (d["resident_id"].as_str().unwrap().to_owned(), d)).collect();
    assert_eq!(statuses["resident-0001"]["status"], "confirmed");
    assert_eq!(statuses["resident-0002"]["position"], 1);
    assert_eq!(statuses["resident-0003"]["position"], 2);

    // A cancellation: the first in line moves up, the next moves to position 1.
    push_ok(&server, &there, &[record(4, cancel("resident-0001", &activity))]).await;
    let body = pull(&server, &here, Some(cursor(&body))).await;
    let statuses: BTreeMap<String, Value> =
        list(&body, "sign_ups").into_iter().map(|d| (d["resident_id"].as_str().unwrap().to_owned(), d)).collect();
    assert_eq!(statuses["resident-0001"]["status"], "cancelled");
    assert_eq!(statuses["resident-0002"]["status"], "confirmed");
    assert_eq!(statuses["resident-0003"]["position"], 1);
}

/// What a kiosk holds, built from pulls the way a kiosk applies them.
#[derive(Default, PartialEq, Debug)]
struct Held {
    activities: BTreeMap<String, Value>,
    residents: BTreeMap<String, Value>,
    sign_ups: BTreeMap<(String, String), Value>,
}

impl Held {
    fn apply(&mut self, body: &Value) {
        if body["reset"] == true {
            *self = Held::default();
        }
        for activity in list(body, "activities") {
            let id = activity["id"].as_str().unwrap().to_owned();
            self.sign_ups.retain(|(a, _), _| *a != id);
            self.activities.insert(id, activity);
        }
        for resident in list(body, "residents") {
            self.residents.insert(resident["id"].as_str().unwrap().to_owned(), resident);
        }
        for decision in list(body, "sign_ups") {
            let key = (
                decision["activity_id"].as_str().unwrap().to_owned(),
                decision["resident_id"].as_str().unwrap().to_owned(),
            );
            self.sign_ups.insert(key, decision);
        }
        for id in body["deleted"]["activities"].as_array().unwrap() {
            self.activities.remove(id.as_str().unwrap());
        }
    }
}

#[tokio::test]
async fn a_kiosk_away_for_a_month_catches_up_in_one_pull() {
    let server = spawn_with_demo().await;
    let away = pair(&server, ROOM).await;
    let busy = pair(&server, "room-hall").await;
    let mut held = Held::default();
    let first = pull(&server, &away, None).await;
    held.apply(&first);

    // A month of other kiosks' work: sign-ups and cancellations over many activities.
    let activities: Vec<String> =
        sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NOT NULL ORDER BY id")
            .fetch_all(&server.db.pool)
            .await
            .unwrap();
    let mut records = Vec::new();
    for (i, activity) in activities.iter().enumerate() {
        for r in 0..6 {
            records.push(sign_up(&format!("resident-{:04}", 1 + (i * 7 + r) % 300), activity, 0));
        }
        records.push(cancel(&format!("resident-{:04}", 1 + (i * 7) % 300), activity));
    }
    let numbered: Vec<_> = records.into_iter().enumerate().map(|(i, a)| record(i as u64 + 1, a)).collect();
    for batch in numbered.chunks(100) {
        push_ok(&server, &busy, batch).await;
    }
    // Staff removed an activity nobody signed up for meanwhile.
    let removed: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert!(held.activities.contains_key(&removed), "the kiosk away had it");
    let actor = jiayuan_community::action_log::Actor::CommandLine;
    jiayuan_community::office::schedule::remove_activity(&server.db, &actor, crate::support::console::SITE, &removed)
        .await
        .unwrap();

    let catch_up = pull(&server, &away, Some(cursor(&first))).await;
    assert_eq!(catch_up["reset"], false);
    held.apply(&catch_up);
    let mut fresh = Held::default();
    fresh.apply(&pull(&server, &pair(&server, ROOM).await, None).await);
    assert!(!held.activities.contains_key(&removed));
    assert_eq!(held, fresh, "old copy + one pull == a fresh copy");
}

#[tokio::test]
async fn a_cursor_the_server_cannot_continue_from_gets_everything() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let first = pull(&server, &kiosk, None).await;
    let from_the_future = pull(&server, &kiosk, Some(cursor(&first) + 1000)).await;
    assert_eq!(from_the_future["reset"], true);
    assert_eq!(list(&from_the_future, "residents").len(), 300);

    sqlx::query("UPDATE sites SET pruned_through = version").execute(&server.db.pool).await.unwrap();
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity_with_capacity(&server, 5).await, 0))])
        .await;
    let too_old = pull(&server, &kiosk, Some(cursor(&first) - 1)).await;
    assert_eq!(too_old["reset"], true);
}

#[tokio::test]
async fn a_revoked_kiosk_pulls_nothing() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    crate::support::kiosk::revoke(&server, &kiosk).await;
    let response =
        server.client.get(server.url("/api/sync/pull")).header("authorization", kiosk.token()).send().await.unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn what_staff_import_reaches_kiosks_at_their_next_pull() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, ROOM).await;
    let before = pull(&server, &kiosk, None).await;
    let residents = "id,full_name,card_number,phone_last4,household\n\
                     resident-0001,张建华,6209999999,1111,9-9-909\n\
                     resident-new,赵春梅,6208888888,2222,8-1-101\n";
    let activities = "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity\n\
                      extra-class,room-arts,2026-11-30,9:00,10:00,毛笔字加课,李老师,10\n";
    let today = jiayuan_community::community_time::today(crate::support::OFFSET);
    let activities = activities.replace("2026-11-30", &jiayuan_community::schedule::format_day(today));
    let files = jiayuan_community::import::ImportFiles {
        rooms: None,
        residents: Some(("residents.csv".to_owned(), residents.as_bytes())),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    let report = jiayuan_community::import::import(
        &server.db,
        &jiayuan_community::action_log::Actor::CommandLine,
        "site-xingfuli",
        files,
        today,
    )
    .await
    .unwrap();
    assert_eq!((report.residents, report.activities), (2, 1));

    let after = pull(&server, &kiosk, Some(cursor(&before))).await;
    let ids =
        |key: &str| -> Vec<String> { list(&after, key).iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect() };
    assert_eq!(ids("residents"), ["resident-0001", "resident-new"]);
    assert_eq!(ids("activities"), ["extra-class"]);
    let key = after["identity_key"].as_str().unwrap();
    assert_eq!(list(&after, "residents")[0]["card"], digest(key, IdentityKind::Card, "6209999999").unwrap().as_str());
}
