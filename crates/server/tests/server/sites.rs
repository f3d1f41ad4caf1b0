//! Sites as staff run them: an administrator of every site adds a community, and every
//! account of every site (a head office's) is given it; an administrator of one site adds
//! rooms to theirs and cannot add a community or learn another's rooms.

use jiayuan_community::office::accounts::Role;

use crate::support::console::Browser;
use crate::support::sites::{OTHER_ROOM, OTHER_SITE, other_community};
use crate::support::spawn_with_demo;

const DEMO: &str = "site-xingfuli";

#[tokio::test]
async fn the_deployments_administrator_adds_a_community_and_the_head_office_is_given_it() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let head = Browser::staff_of(&server, "head-admin", Role::Administrator, &[DEMO, OTHER_SITE]).await;
    let viewer = Browser::staff_of(&server, "head-viewer", Role::Viewer, &[DEMO, OTHER_SITE]).await;
    let desk = Browser::staff_of(&server, "desk-admin", Role::Administrator, &[DEMO]).await;

    let page = head.page("/console/sites").await;
    assert!(page.contains("id=\"site-site-other\"") && page.contains("action=\"/console/sites\""), "{page}");
    let bad = head.post("/console/sites", &[("site_id", "新 社区"), ("site_name", "油田三区")]).await;
    assert_eq!(bad.status(), 422);
    let added = head.post("/console/sites", &[("site_id", "site-field-3"), ("site_name", "油田三区")]).await;
    assert_eq!(added.status(), 303);
    let again = head.post("/console/sites", &[("site_id", "site-field-3"), ("site_name", "重名")]).await;
    assert_eq!(again.status(), 422, "an id is one community's");

    let holds = |staff: &'static str| {
        let db = server.db.clone();
        async move {
            let sites = jiayuan_community::sites::of_staff(&db, staff).await.unwrap();
            sites.iter().any(|(id, _)| id == "site-field-3")
        }
    };
    assert!(holds("head-admin").await && holds("head-viewer").await, "accounts of every site keep every site");
    assert!(!holds("desk-admin").await, "an account of one site is not given others");
    let report = viewer.page("/console/reports/communities").await;
    assert!(report.contains("油田三区"), "the head office sees it side by side");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM action_log WHERE action = 'site.add'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(logged, 1);

    // An administrator of one site: no community to add, another's rooms not named.
    let page = desk.page("/console/sites").await;
    assert!(!page.contains("action=\"/console/sites\"") && !page.contains("site-other"));
    assert_eq!(desk.post("/console/sites", &[("site_id", "site-mine"), ("site_name", "我的")]).await.status(), 404);
    let taken = desk.post("/console/sites/rooms", &[("room_id", OTHER_ROOM), ("room_name", "抢来的")]).await;
    assert_eq!(taken.status(), 422);
    assert!(!taken.text().await.unwrap().contains("别处的活动室"));
    let room = desk.post("/console/sites/rooms", &[("room_id", "room-reading"), ("room_name", "阅览室")]).await;
    assert_eq!(room.status(), 303);
    let rooms = jiayuan_community::schedule::rooms_of_site(&server.db, DEMO).await.unwrap();
    assert!(rooms.iter().any(|r| r.id == "room-reading" && r.name.zh_hans == "阅览室"));
    assert!(desk.page("/console/kiosks").await.contains("阅览室"), "kiosks can be paired to it");
}

#[tokio::test]
async fn a_site_sets_its_own_staff_pin_for_its_kiosks_and_others_keep_the_servers() {
    use crate::support::kiosk::{pair, pull};
    use jiayuan_domain::staff_pin::matches;
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let desk = Browser::staff_of(&server, "desk-admin", Role::Administrator, &[DEMO]).await;
    let (here, there) = (pair(&server, "room-seniors").await, pair(&server, OTHER_ROOM).await);
    let pin_of = |pulled: &serde_json::Value| {
        (
            pulled["staff_pin"].as_str().unwrap_or_default().to_owned(),
            pulled["identity_key"].as_str().unwrap().to_owned(),
        )
    };

    assert_eq!(desk.post("/console/sites/staff-pin", &[("staff_pin", "12")]).await.status(), 422);
    assert_eq!(desk.post("/console/sites/staff-pin", &[("staff_pin", "1357")]).await.status(), 303);
    let (stored, key) = pin_of(&pull(&server, &here, None).await);
    assert!(matches(&stored, &key, "1357") && !matches(&stored, &key, "2468"), "this site's own PIN");
    let (stored, key) = pin_of(&pull(&server, &there, None).await);
    assert!(matches(&stored, &key, "2468"), "another site keeps the server's (2468 on the test server)");
    let logged: Option<String> = sqlx::query_scalar("SELECT detail FROM action_log WHERE action = 'site.staff_pin'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert!(!logged.unwrap_or_default().contains("1357"), "the PIN is never logged");
    assert!(desk.page("/console/sites").await.contains("用自己的密码"));

    // Empty: back to the server's.
    assert_eq!(desk.post("/console/sites/staff-pin", &[("staff_pin", "")]).await.status(), 303);
    let (stored, key) = pin_of(&pull(&server, &here, None).await);
    assert!(matches(&stored, &key, "2468"));
}
