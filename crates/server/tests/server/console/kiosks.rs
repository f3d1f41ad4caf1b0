//! Pairing and watching kiosks from the console.

use jiayuan_community::office::accounts::Role;
use serde_json::{Value, json};

use crate::support::console::{Browser, add_staff, location};
use crate::support::kiosk::next_kiosk_address;
use crate::support::{TestServer, spawn_with_demo};

/// Types `code` on a kiosk, as the kiosk's staff panel does.
async fn pair_with(server: &TestServer, code: &str) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/kiosks/pair"))
        .header("x-forwarded-for", next_kiosk_address())
        .json(&json!({ "code": code, "first_seq": 1 }))
        .send()
        .await
        .unwrap()
}

fn code_in(page: &str) -> String {
    page.split("<p class=\"pairing-code\"")
        .nth(1)
        .unwrap()
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn staff_make_a_pairing_code_that_pairs_once_and_see_the_kiosk_report() {
    let server = spawn_with_demo().await;
    let staff = Browser::staff(&server, "pairer", Role::Staff).await;
    let answer = staff.post("/console/kiosks/pairing-codes", &[("room_id", "room-seniors")]).await;
    assert_eq!(answer.status(), 200);
    let page = answer.text().await.unwrap();
    assert!(page.contains("老年活动室的配对码"), "{page}");
    assert!(page.contains("之前在终端上输入"));
    let code = code_in(&page);
    assert_eq!(code.len(), 8);
    let paired = pair_with(&server, &code).await;
    assert_eq!(paired.status(), 201);
    let pairing: Value = paired.json().await.unwrap();
    assert_eq!(pair_with(&server, &code).await.status(), 401, "a code works once");
    assert!(!staff.page("/console/kiosks").await.contains(&code), "the code is shown only once");

    // The kiosk pulls with its report: 3 records queued, its clock 10 minutes fast, offline before.
    let token = format!("Bearer {}.{}", pairing["kiosk_id"].as_str().unwrap(), pairing["secret"].as_str().unwrap());
    let clock = jiayuan_community::clock::now_ms() + 10 * 60 * 1000;
    let pull = server
        .client
        .get(server.url(&format!(
            "/api/sync/pull?cursor=0&queued=3&storage_used=1500000&storage_quota=10000000000&clock={clock}\
             &version=0.1.0&problem=offline"
        )))
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(pull.status(), 200);
    let page = staff.page("/console/kiosks").await;
    let kiosk_id = pairing["kiosk_id"].as_str().unwrap();
    let row = page.split(&format!("<tr id=\"kiosk-{kiosk_id}\">")).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("<td class=\"number\">3</td>"), "records still queued on it: {row}");
    assert!(row.contains("1.5 MB / 10.0 GB"), "{row}");
    assert!(row.contains("<span class=\"badge bad\">快 10 分钟</span>"), "a clock far off is flagged: {row}");
    assert!(row.contains("0.1.0"));
    assert!(row.contains("连不上服务器（网络断了）"), "the last problem in words: {row}");
    assert!(row.contains("老年活动室"));
}

#[tokio::test]
async fn revoking_needs_a_reason_and_the_kiosk_is_refused_from_then_on() {
    let server = spawn_with_demo().await;
    let kiosk = crate::support::kiosk::pair(&server, "room-seniors").await;
    let staff = Browser::staff(&server, "revoker", Role::Staff).await;
    let path = format!("/console/kiosks/{}/revoke", kiosk.id);
    let no_reason = staff.post(&path, &[("reason", "  ")]).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("请写下停用的原因"));
    let pull = |server: &TestServer| {
        server.client.get(server.url("/api/sync/pull?cursor=0")).header("authorization", kiosk.token()).send()
    };
    assert_eq!(pull(&server).await.unwrap().status(), 200, "not revoked without a reason");

    let revoked = staff.post(&path, &[("reason", "被偷了")]).await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(location(&revoked), "/console/kiosks?done=kiosk_revoked");
    assert_eq!(pull(&server).await.unwrap().status(), 403);
    let page = staff.page("/console/kiosks?done=kiosk_revoked").await;
    assert!(page.contains("已停用这台终端"));
    assert!(page.contains("被偷了"), "the reason stays beside the kiosk: {page}");
    let logged = jiayuan_community::action_log::recent(&server.db, &["site-xingfuli".into()], None, 10).await.unwrap();
    assert!(
        logged
            .iter()
            .any(|l| l.action == "kiosk.revoke" && l.actor == "revoker" && l.reason.as_deref() == Some("被偷了")),
        "{logged:?}"
    );
    assert_eq!(staff.post(&path, &[("reason", "again")]).await.status(), 404, "revoked once");
}

#[tokio::test]
async fn another_sites_rooms_and_kiosks_are_out_of_reach() {
    let server = spawn_with_demo().await;
    let kiosk = crate::support::kiosk::pair(&server, "room-seniors").await;
    add_staff(&server, "elsewhere", Role::Staff, &["site-other"]).await;
    let other = Browser::staff_of(&server, "other-staff", Role::Staff, &["site-other"]).await;
    assert!(!other.page("/console/kiosks").await.contains(&kiosk.id), "kiosks of other sites are not listed");
    let code = other.post("/console/kiosks/pairing-codes", &[("room_id", "room-seniors")]).await;
    assert_eq!(code.status(), 404);
    let revoke = other.post(&format!("/console/kiosks/{}/revoke", kiosk.id), &[("reason", "mine now")]).await;
    assert_eq!(revoke.status(), 404);
    let pull = server.client.get(server.url("/api/sync/pull?cursor=0")).header("authorization", kiosk.token());
    assert_eq!(pull.send().await.unwrap().status(), 200);
}
