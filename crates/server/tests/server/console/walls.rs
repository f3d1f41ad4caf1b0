//! Communities are walls: staff of one site never reach, read or take over what belongs to
//! another, whatever id they put in a URL, a form or a file.

use jiayuan_community::office::accounts::Role;

use crate::support::console::{Browser, SITE, add_staff, post_sign_in};
use crate::support::sites::{
    OTHER_ACTIVITY, OTHER_NAME, OTHER_RESIDENT, OTHER_ROOM, OTHER_SITE, OTHER_TITLE, other_community,
};
use crate::support::spawn_with_demo;

#[tokio::test]
async fn an_administrator_of_one_site_cannot_take_over_an_account_that_also_works_for_another() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let admin = Browser::staff_of(&server, "admin-here", Role::Administrator, &[SITE]).await;
    let shared = add_staff(&server, "shared", Role::Administrator, &[SITE, OTHER_SITE]).await;

    let reset = admin.post("/console/staff/shared/reset-password", &[]).await;
    assert_eq!(reset.status(), 404, "no one-time password for an account of another site");
    let change = admin.post("/console/staff/shared", &[("display_name", "x"), ("role", "viewer"), ("sites", SITE)]);
    assert_eq!(change.await.status(), 404);
    assert_eq!(admin.post("/console/staff/shared/remove", &[]).await.status(), 404);
    assert_eq!(post_sign_in(&server, "shared", &shared).await.status(), 303, "its password still works");
    let account = jiayuan_community::office::staff::find(&server.db, "shared").await.unwrap().unwrap();
    assert_eq!((account.role, account.sites.len(), account.removed), (Role::Administrator, 2, false));

    // Listed, because it works here too, but without the forms, and the other site unnamed.
    let page = admin.page("/console/staff").await;
    assert!(page.contains("id=\"staff-shared\""), "{page}");
    assert!(!page.contains("/console/staff/shared/reset-password"), "no forms for it");
    assert!(!page.contains(OTHER_SITE) && page.contains("另有 1 个社区"), "the other site is only counted");

    // Nor may an administrator give a site they do not hold.
    let mine = [("id", "new.one"), ("display_name", "新人"), ("role", "staff"), ("sites", OTHER_SITE)];
    assert_eq!(admin.post("/console/staff", &mine).await.status(), 422);

    // An administrator of both sites manages it as before.
    let both = Browser::staff_of(&server, "admin-both", Role::Administrator, &[SITE, OTHER_SITE]).await;
    let both_sites = [("display_name", "共用"), ("role", "staff"), ("sites", SITE), ("sites", OTHER_SITE)];
    assert_eq!(both.post("/console/staff/shared", &both_sites).await.status(), 303);
    assert_eq!(both.post("/console/staff/shared/reset-password", &[]).await.status(), 200);
}

#[tokio::test]
async fn an_account_of_no_site_is_managed_only_by_an_administrator_of_every_site() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    add_staff(&server, "drifter", Role::Staff, &[SITE]).await;
    // No service leaves an account without a site; one whose sites were all deleted is what
    // an operator's hand in the database could leave.
    sqlx::query("DELETE FROM staff_sites WHERE staff_id = 'drifter'").execute(&server.db.pool).await.unwrap();
    let one_site = Browser::staff_of(&server, "admin-here", Role::Administrator, &[SITE]).await;
    assert_eq!(one_site.post("/console/staff/drifter/reset-password", &[]).await.status(), 404);
    assert!(!one_site.page("/console/staff").await.contains("staff-drifter"));
    let every = Browser::staff_of(&server, "admin-all", Role::Administrator, &[SITE, OTHER_SITE]).await;
    assert_eq!(every.post("/console/staff/drifter/reset-password", &[]).await.status(), 200);
}

#[tokio::test]
async fn a_paper_tick_for_a_resident_of_another_site_or_of_none_is_not_found_and_names_nobody() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    // A drop-in session (no seats to hold), where any resident of the site may be ticked.
    let drop_in: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let paper = format!("/console/schedule/sessions/{drop_in}/paper");
    for id in [OTHER_RESIDENT, "resident-nobody"] {
        let ticked = desk.post(&paper, &[("resident_id", "resident-0001"), ("resident_id", id)]).await;
        assert_eq!(ticked.status(), 404, "{id}");
    }
    let session = desk.page(&format!("/console/schedule/sessions/{drop_in}")).await;
    assert!(!session.contains(OTHER_NAME), "{session}");
    let ticks: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM paper_check_ins").fetch_one(&server.db.pool).await.unwrap();
    assert_eq!(ticks, 0, "nothing of a refused sheet was entered");
    assert_eq!(desk.post(&paper, &[("resident_id", "resident-0001")]).await.status(), 303, "a resident of here");
}

#[tokio::test]
async fn a_weekly_file_whose_sessions_share_an_id_with_another_sites_activity_leaves_that_activity_alone() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let today =
        jiayuan_community::schedule::format_day(jiayuan_community::community_time::today(crate::support::OFFSET));
    // The other site's session has the id a weekly activity "walk" would give today's session.
    let taken = format!("walk-{today}");
    sqlx::query("UPDATE activities SET id = $1 WHERE id = $2")
        .bind(&taken)
        .bind(OTHER_ACTIVITY)
        .execute(&server.db.pool)
        .await
        .unwrap();
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let file = format!(
        "id,room_id,weekdays,starts,ends,first_date,last_date,title_zh_hans,host_zh_hans,capacity\n\
         walk,room-seniors,每天,07:00,08:00,{today},,晨间散步,王老师,10\n"
    );
    let preview = desk.upload("recurring", "weekly.csv", file.into_bytes()).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    let upload = page.split("/console/uploads/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    desk.post(&format!("/console/uploads/{upload}/apply"), &[]).await;
    let (room, title): (String, String) = sqlx::query_as("SELECT room_id, title_zh_hans FROM activities WHERE id = $1")
        .bind(&taken)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!((room.as_str(), title.as_str()), (OTHER_ROOM, OTHER_TITLE), "still the other site's, unchanged");
    assert!(!desk.page("/console/schedule").await.contains(OTHER_TITLE));
}

#[tokio::test]
async fn a_session_somebody_came_to_is_not_removed_and_a_card_of_someone_else_is_a_named_problem() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let drop_in: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let session = format!("/console/schedule/sessions/{drop_in}");
    assert_eq!(desk.post(&format!("{session}/paper"), &[("resident_id", "resident-0001")]).await.status(), 303);
    let removed = desk.post(&format!("{session}/remove"), &[]).await;
    assert_eq!(removed.status(), 422, "refused with a reason, not a failed delete");
    assert!(removed.text().await.unwrap().contains("已经有人报名或来过了"));

    let card: String = sqlx::query_scalar("SELECT card_number FROM residents WHERE id = 'resident-0001'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let file = format!("id,full_name,card_number,phone_last4,household\nresident-new,新居民,{card},1234,1-1-101\n");
    let refused = desk.upload("residents", "roster.csv", file.into_bytes()).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("这张卡已经给了另一位居民"));
}
