//! Staff sign residents up by phone through the same seat rules as the kiosks, cancel for
//! them, and move them in the waiting line with a reason the action log keeps.

use jiayuan_server::console::auth::Role;

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
