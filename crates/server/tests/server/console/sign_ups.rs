//! Staff sign residents up by phone through the same seat rules as the kiosks, cancel for
//! them, and move them in the waiting line with a reason the action log keeps.

use jiayuan_community::office::accounts::Role;

use crate::support::console::{Browser, location};
use crate::support::kiosk::*;
use crate::support::spawn_with_demo;

/// Posts a form on the session's page and reads the notice it comes back with.
async fn notice_after(browser: &Browser, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let page = browser.page(&location(&response)).await;
    page.split("class=\"notice\" role=\"status\">").nth(1).unwrap_or_default().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn phone_sign_ups_take_seats_first_come_and_the_line_moves_only_with_a_reason() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let activity = activity_with_capacity(&server, 1).await;
    let start = pull(&server, &kiosk, None).await["cursor"].as_u64().unwrap();
    let session = format!("/console/schedule/sessions/{activity}");
    let sign_ups = format!("{session}/sign-ups");

    assert_eq!(
        notice_after(&desk, desk.post(&sign_ups, &[("resident_id", "resident-0001")]).await).await,
        "已报名成功。"
    );
    // A resident at the kiosk comes between two phone calls: first come, first served.
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0002", &activity, 0))]).await;
    assert_eq!(
        notice_after(&desk, desk.post(&sign_ups, &[("resident_id", "resident-0003")]).await).await,
        "名额已满，已排上候补。"
    );
    assert_eq!(seats_taken(&server, &activity).await, 1, "one seat, one resident");
    assert_eq!(in_line(&server, &activity).await, 2, "two in line");

    let seen = decisions(&pull(&server, &kiosk, Some(start)).await);
    assert_eq!(seen["resident-0001"]["status"], "confirmed", "the kiosk knows the phone sign-up");
    assert_eq!(
        (seen["resident-0002"]["position"].as_u64(), seen["resident-0003"]["position"].as_u64()),
        (Some(1), Some(2))
    );

    let page = desk.page(&session).await;
    let at = |resident: &str| page.find(&format!("/console/residents/{resident}\"")).unwrap();
    assert!(
        at("resident-0001") < at("resident-0002") && at("resident-0002") < at("resident-0003"),
        "the line in order"
    );

    // Moving up without a reason changes nothing; with one, the line changes and the reason is kept.
    let up = format!("{session}/sign-ups/resident-0003/move");
    let refused = notice_after(&desk, desk.post(&up, &[("direction", "up"), ("reason", "")]).await).await;
    assert!(refused.contains("请写下调整的原因"), "{refused}");
    assert_eq!(decisions(&pull(&server, &kiosk, Some(start)).await)["resident-0003"]["position"], 2);
    let moved =
        notice_after(&desk, desk.post(&up, &[("direction", "up"), ("reason", "腿脚不便，家属来电")]).await).await;
    assert!(moved.contains("原因已记下"), "{moved}");
    let seen = decisions(&pull(&server, &kiosk, Some(start)).await);
    assert_eq!(
        (seen["resident-0003"]["position"].as_u64(), seen["resident-0002"]["position"].as_u64()),
        (Some(1), Some(2))
    );

    // Cancelling for the confirmed resident gives the seat to the first in line.
    let cancelled =
        notice_after(&desk, desk.post(&format!("{session}/sign-ups/resident-0001/cancel"), &[]).await).await;
    assert!(cancelled.contains("已取消报名"), "{cancelled}");
    let seen = decisions(&pull(&server, &kiosk, Some(start)).await);
    assert_eq!(seen["resident-0001"]["status"], "cancelled");
    assert_eq!(seen["resident-0003"]["status"], "confirmed");
    assert_eq!(seen["resident-0002"]["position"], 1);
    assert_eq!(seats_taken(&server, &activity).await, 1);
    assert_eq!(in_line(&server, &activity).await, 1, "one left in line");

    let admin = Browser::staff(&server, "head", Role::Administrator).await;
    let log = admin.page("/console/log").await;
    for words in ["替居民报名", "调整候补顺序", "腿脚不便，家属来电", "替居民取消报名"] {
        assert!(log.contains(words), "the action log has {words}");
    }
}

#[tokio::test]
async fn a_viewer_sees_the_lists_but_no_forms_and_cannot_post_them() {
    let server = spawn_with_demo().await;
    let viewer = Browser::staff(&server, "volunteer", Role::Viewer).await;
    let activity = activity_with_capacity(&server, 2).await;
    let session = format!("/console/schedule/sessions/{activity}");
    let page = viewer.page(&session).await;
    assert!(!page.contains("/sign-ups\"") && !page.contains("/cancel\""), "no forms to change it for a viewer");
    let response = viewer.post(&format!("{session}/sign-ups"), &[("resident_id", "resident-0001")]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(seats_taken(&server, &activity).await, 0);
}

#[tokio::test]
async fn ticks_from_a_paper_sheet_count_once_beside_the_kiosks_check_ins() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let activity = activity_with_capacity(&server, 3).await;
    let check_in = jiayuan_domain::sync::Action::CheckIn {
        person: jiayuan_domain::sync::Person::Resident { resident_id: "resident-0001".into() },
        activity_id: activity.clone(),
    };
    push_ok(
        &server,
        &kiosk,
        &[
            record(1, sign_up("resident-0001", &activity, 0)),
            record(2, sign_up("resident-0002", &activity, 0)),
            record(3, sign_up("resident-0003", &activity, 0)),
            record(4, check_in),
        ],
    )
    .await;
    let paper = format!("/console/schedule/sessions/{activity}/paper");
    let ticks = [("resident_id", "resident-0001"), ("resident_id", "resident-0002")];
    assert!(notice_after(&desk, desk.post(&paper, &ticks).await).await.contains("已录入"));
    assert!(notice_after(&desk, desk.post(&paper, &ticks[1..]).await).await.contains("已录入"), "again");
    let refused = notice_after(&desk, desk.post(&paper, &[("resident_id", "resident-0009")]).await).await;
    assert!(refused.contains("没有录入"), "a resident without a seat is not ticked: {refused}");

    let date: String = sqlx::query_scalar("SELECT day FROM activities WHERE id = $1")
        .bind(&activity)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let day = jiayuan_community::schedule::parse_day(&date).unwrap();
    let period = jiayuan_domain::reports::Period::day(day);
    let now = jiayuan_community::clock::now_ms();
    let scope = jiayuan_community::reports::Scope {
        site_id: "site-xingfuli",
        room_id: "",
        period,
        offset: crate::support::OFFSET,
        now_ms: now,
    };
    let figures = jiayuan_community::reports::activities::sessions(&server.db, scope).await.unwrap();
    let session = figures.iter().find(|f| f.session.activity.id == activity).unwrap();
    assert_eq!(session.checked_in, 2, "resident 1 at the kiosk and on paper counts once; resident 2 from paper");
    assert_eq!(session.walk_ins, 0);
    let page = desk.page(&format!("/console/schedule/sessions/{activity}")).await;
    assert!(page.contains("/console/residents/resident-0002\""));
    let admin = Browser::staff(&server, "head", Role::Administrator).await;
    assert!(admin.page("/console/log").await.contains("录入纸质签到表"));
}
