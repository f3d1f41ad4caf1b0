//! Administrators keep the staff accounts of their sites from the console; the action log
//! they read cannot be edited, not even with the database's own statements.

use jiayuan_community::office::accounts::Role;

use crate::support::console::{Browser, SITE, location, post_sign_in};
use crate::support::spawn_with_demo;

fn one_time_in(page: &str) -> String {
    page.split("<p class=\"pairing-code\">").nth(1).unwrap().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_administrator_makes_an_account_shown_once_and_changes_roles_that_end_sessions() {
    let server = spawn_with_demo().await;
    let admin = Browser::staff(&server, "head", Role::Administrator).await;
    let fields = [("id", "li.volunteer"), ("display_name", "李志愿者"), ("role", "viewer"), ("sites", SITE)];
    let made = admin.post("/console/staff", &fields).await;
    assert_eq!(made.status(), 200);
    let page = made.text().await.unwrap();
    let one_time = one_time_in(&page);
    assert!(one_time.len() >= 12, "a one-time password long enough: {one_time}");
    assert!(!admin.page("/console/staff").await.contains(&one_time), "shown once");
    let taken = admin.post("/console/staff", &fields).await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("这个账号已经有人用了"));

    let first = post_sign_in(&server, "li.volunteer", &one_time).await;
    assert_eq!(first.status(), 303);
    let cookie = crate::support::console::session_cookie(&first).unwrap();
    let next = admin.client.get(admin.url("/console")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(location(&next), "/console/password", "asked to choose a password first");
    assert_eq!(post_sign_in(&server, "li.volunteer", &one_time).await.status(), 303, "until then it still works");

    // A changed role ends the account's sessions: the next page asks them to sign in again.
    let volunteer = Browser::staff(&server, "wang.desk", Role::Viewer).await;
    let promoted = [("display_name", "王前台"), ("role", "staff"), ("sites", SITE)];
    assert_eq!(admin.post("/console/staff/wang.desk", &promoted).await.status(), 303);
    assert_eq!(volunteer.get("/console").await.status(), 303, "signed out after the change");

    // The last administrator stays; one cannot remove oneself.
    let demoted = [("display_name", "Head"), ("role", "staff"), ("sites", SITE)];
    let only_admin = Browser::staff(&server, "only", Role::Administrator).await;
    let refused = only_admin.post("/console/staff/only/remove", &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("不能删除自己的账号"));
    let demo_admins: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'administrator' AND removed_at IS NULL")
            .fetch_one(&server.db.pool)
            .await
            .unwrap();
    assert!(demo_admins >= 2);
    assert_eq!(admin.post("/console/staff/only", &demoted).await.status(), 303);

    let log = admin.page("/console/log").await;
    for words in ["添加工作人员账号", "修改工作人员账号", "li.volunteer"] {
        assert!(log.contains(words), "the log has {words}");
    }
}

#[tokio::test]
async fn the_action_log_refuses_updates_and_deletes_from_anyone() {
    let server = spawn_with_demo().await;
    let admin = Browser::staff(&server, "head", Role::Administrator).await;
    let made = admin
        .post("/console/staff", &[("id", "tmp"), ("display_name", "临时"), ("role", "viewer"), ("sites", SITE)])
        .await;
    assert_eq!(made.status(), 200);
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM action_log").fetch_one(&server.db.pool).await.unwrap()
    };
    let before = count().await;
    assert!(before > 0);
    let update = sqlx::query("UPDATE action_log SET actor = 'someone else'").execute(&server.db.pool).await;
    assert!(update.is_err(), "an UPDATE is refused");
    let delete = sqlx::query("DELETE FROM action_log").execute(&server.db.pool).await;
    assert!(delete.is_err(), "a DELETE is refused");
    assert_eq!(count().await, before);
    let actors: Vec<String> =
        sqlx::query_scalar("SELECT actor FROM action_log").fetch_all(&server.db.pool).await.unwrap();
    assert!(!actors.iter().any(|a| a == "someone else"));
}
