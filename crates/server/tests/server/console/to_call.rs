//! The call list (待通知) on the Today page: residents not yet told of a change to their place,
//! with their whole phone, each call marked told or no answer in the action log; another
//! site's staff reach none of it.

use jiayuan_community::office::accounts::Role;

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::spawn_with_demo;

const ROOM: &str = "room-seniors";

async fn untold(server: &crate::support::TestServer, resident: &str) -> i64 {
    scalar(server, "SELECT COUNT(*) FROM notices WHERE resident_id = $1 AND told_at IS NULL", resident).await
}

#[tokio::test]
async fn a_resident_moved_up_is_on_the_call_list_with_their_phone_until_staff_tell_them() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(&server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    let staff = Browser::staff(&server, "caller", Role::Staff).await;
    let page = staff.page("/console").await;
    assert!(page.contains("没有要通知的居民"), "nobody yet: {page}");

    push_ok(&server, &kiosk, &[record(3, cancel("resident-0001", &activity))]).await;
    let (name, phone): (String, String) =
        sqlx::query_as("SELECT full_name, phone FROM residents WHERE id = 'resident-0002'")
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    let page = staff.page("/console").await;
    let list = &page[page.find("id=\"to-call\"").unwrap()..];
    let list = &list[..list.find("</section>").unwrap()];
    assert!(list.contains(&name) && list.contains(&phone), "who and their whole phone: {list}");
    assert!(list.contains("从候补报上了"), "{list}");
    let resident_0001: String = sqlx::query_scalar("SELECT full_name FROM residents WHERE id = 'resident-0001'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert!(!list.contains(&resident_0001), "their own cancellation is not on the list");
    let notice: String = sqlx::query_scalar("SELECT id FROM notices WHERE resident_id = 'resident-0002'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();

    let no_answer = staff.post(&format!("/console/notices/{notice}/no-answer"), &[]).await;
    assert_eq!(no_answer.status(), 303);
    let page = staff.page("/console").await;
    assert!(page.contains("上次没人接"), "the call is noted and they stay on the list");
    assert_eq!(untold(&server, "resident-0002").await, 1);

    let other = Browser::staff_of(&server, "other-caller", Role::Staff, &["site-other"]).await;
    assert_eq!(other.post(&format!("/console/notices/{notice}/told"), &[]).await.status(), 404);
    assert!(!other.page("/console").await.contains(&phone), "another site's list never shows them");
    assert_eq!(untold(&server, "resident-0002").await, 1);

    assert_eq!(staff.post(&format!("/console/notices/{notice}/told"), &[]).await.status(), 303);
    assert_eq!(untold(&server, "resident-0002").await, 0);
    assert!(staff.page("/console").await.contains("没有要通知的居民"));
    let their_page = staff.page("/console/residents/resident-0002").await;
    assert!(their_page.contains("已电话告知 · caller"), "who told them, and how: {their_page}");
    assert_eq!(staff.post(&format!("/console/notices/{notice}/told"), &[]).await.status(), 404, "told already");
    for act in ["notice.told", "notice.no_answer"] {
        let sql = "SELECT COUNT(*) FROM action_log WHERE action = $1 AND actor = 'caller'";
        assert_eq!(scalar(&server, sql, act).await, 1, "{act} in the action log");
    }
    // Told by phone: the kiosks pull the resident again with nothing to tell.
    let pulled = pull(&server, &kiosk, None).await;
    let entry = pulled["residents"].as_array().unwrap().iter().find(|r| r["id"] == "resident-0002").unwrap();
    assert!(entry.get("to_tell").is_none(), "{entry}");
    assert!(!pulled.to_string().contains(&phone), "the whole phone never goes to kiosks");
}

#[tokio::test]
async fn a_whole_phone_is_kept_from_the_console_shown_on_the_residents_page_and_masked_in_lists() {
    let server = spawn_with_demo().await;
    let staff = Browser::staff(&server, "roster-keeper", Role::Staff).await;
    let page = staff.page("/console/residents/resident-0007").await;
    let revision = page.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let name: String = sqlx::query_scalar("SELECT full_name FROM residents WHERE id = 'resident-0007'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let saved = staff
        .post(
            "/console/residents/resident-0007",
            &[("revision", &revision), ("full_name", &name), ("phone", "138 0013 8000"), ("phone_last4", "")],
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let (phone, last4): (String, String) =
        sqlx::query_as("SELECT phone, phone_last4 FROM residents WHERE id = 'resident-0007'")
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    assert_eq!((phone.as_str(), last4.as_str()), ("13800138000", "8000"));
    assert!(staff.page("/console/residents/resident-0007").await.contains("13800138000"));
    let list = staff.page("/console/residents?q=8000").await;
    assert!(list.contains(&name) && !list.contains("13800138000"), "lists show the last four only");
    let bad = staff
        .post(
            "/console/residents/resident-0007",
            &[
                ("revision", &(revision.parse::<i64>().unwrap() + 1).to_string()),
                ("full_name", &name),
                ("phone", "=1+2"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("要填整个电话号码"));
}
