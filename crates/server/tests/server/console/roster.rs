//! The roster from the office: finding a resident however they are known, adding and changing
//! them, handing out a card, deactivating (the card stops at kiosks after their next pull), and
//! files from the office's spreadsheets checked whole before anything changes.

use jiayuan_community::office::accounts::Role;
use jiayuan_domain::identity::{IdentityKind, digest};
use serde_json::Value;

use crate::support::console::{Browser, location};
use crate::support::kiosk::*;
use crate::support::xlsx::workbook;
use crate::support::{TestServer, spawn_with_demo};

async fn resident_column(server: &TestServer, column: &str, id: &str) -> Option<String> {
    sqlx::query_scalar(&format!("SELECT {column} FROM residents WHERE id = $1"))
        .bind(id)
        .fetch_one(&server.db.pool)
        .await
        .unwrap()
}

fn roster_ids(pull: &Value) -> Vec<String> {
    pull["residents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn staff_find_a_resident_by_name_card_phone_or_household() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Viewer).await;
    let name = resident_column(&server, "full_name", "resident-0007").await.unwrap();
    let card = resident_column(&server, "card_number", "resident-0007").await.unwrap();
    let household = resident_column(&server, "household", "resident-0007").await.unwrap();
    for typed in [name.as_str(), card.as_str(), household.as_str()] {
        let page = desk.page(&format!("/console/residents?q={}", urlencode(typed))).await;
        assert!(page.contains("/console/residents/resident-0007\""), "found by {typed}");
    }
    let phone = resident_column(&server, "phone_last4", "resident-0007").await.unwrap();
    let page = desk.page(&format!("/console/residents?q={phone}")).await;
    assert!(page.contains("/console/residents/resident-0007\""), "found by the phone's last digits");
    let page = desk.page("/console/residents?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E4%BA%BA").await;
    assert!(page.contains("没有找到"));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn a_new_resident_and_a_card_reach_kiosks_and_a_deactivated_residents_card_stops() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let kiosk = pair(&server, "room-seniors").await;
    let first = pull(&server, &kiosk, None).await;
    let (start, key) = (first["cursor"].as_u64().unwrap(), first["identity_key"].as_str().unwrap().to_owned());

    // A bad phone number and birth year are named beside their fields and nothing is saved.
    let fields = [
        ("id", ""),
        ("full_name", "孙桂兰"),
        ("card_number", ""),
        ("phone_last4", "12a"),
        ("household", "5-1-302"),
        ("birth_year", "48"),
    ];
    let refused = desk.post("/console/residents", &fields).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("要填手机号的最后四位数字") && page.contains("孙桂兰"), "{page}");
    assert!(page.contains("出生年份要像 1948 这样写"), "{page}");
    let fields = [
        ("id", ""),
        ("full_name", "孙桂兰"),
        ("card_number", ""),
        ("phone_last4", "1234"),
        ("household", "5-1-302"),
        ("birth_year", "1948"),
    ];
    let added = desk.post("/console/residents", &fields).await;
    assert_eq!(added.status(), 303);
    let at = location(&added);
    let id = at.trim_start_matches("/console/residents/").split('?').next().unwrap().to_owned();
    assert!(desk.page(&at).await.contains("居民已添加"));
    assert_eq!(scalar(&server, "SELECT birth_year FROM residents WHERE id = $1", &id).await, 1948);
    assert_eq!(
        roster_ids(&pull(&server, &kiosk, Some(start)).await),
        std::slice::from_ref(&id),
        "kiosks know her at their next pull"
    );

    // A card scanned at the office: the reader types it; a card another resident holds is refused.
    let page = desk.page(&format!("/console/residents/{id}")).await;
    let revision = page.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let taken = resident_column(&server, "card_number", "resident-0001").await.unwrap();
    let card_form =
        |card: &str| vec![("revision".to_owned(), revision.clone()), ("card_number".to_owned(), card.to_owned())];
    let refused = desk.post_owned(&format!("/console/residents/{id}/card"), &card_form(&taken)).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("这张卡已经给了另一位居民"));
    let given = desk.post_owned(&format!("/console/residents/{id}/card"), &card_form("6201234567")).await;
    assert_eq!(given.status(), 303);
    let pulled = pull(&server, &kiosk, Some(start)).await;
    let entry = pulled["residents"].as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap().clone();
    assert_eq!(
        entry["card"],
        digest(&key, IdentityKind::Card, "6201234567").unwrap().as_str(),
        "the card works at kiosks"
    );

    // Deactivating needs a reason; then kiosks drop her, and she is still on the roster, marked.
    let no_reason = desk.post(&format!("/console/residents/{id}/deactivate"), &[("reason", "")]).await;
    assert_eq!(no_reason.status(), 422);
    let cursor = pulled["cursor"].as_u64().unwrap();
    let done = desk.post(&format!("/console/residents/{id}/deactivate"), &[("reason", "搬走了")]).await;
    assert_eq!(done.status(), 303);
    let after = pull(&server, &kiosk, Some(cursor)).await;
    let deleted: Vec<&str> =
        after["deleted"]["residents"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(deleted, [id.as_str()], "kiosks forget her card at their next pull");
    assert!(!roster_ids(&pull(&server, &kiosk, None).await).contains(&id), "a new kiosk never gets her");
    let page = desk.page("/console/residents?q=%E5%AD%99%E6%A1%82%E5%85%B0").await;
    assert!(page.contains(&format!("/console/residents/{id}\"")), "history kept: still found");
    let back = desk.post(&format!("/console/residents/{id}/reactivate"), &[("reason", "又搬回来了")]).await;
    assert_eq!(back.status(), 303);
    assert!(roster_ids(&pull(&server, &kiosk, Some(after["cursor"].as_u64().unwrap())).await).contains(&id));
}

const HEADER: [&str; 5] = ["id", "full_name", "card_number", "phone_last4", "household"];

#[tokio::test]
async fn an_xlsx_roster_with_a_bad_row_changes_nothing_and_a_good_one_is_previewed_then_applied() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let residents_before = scalar(&server, "SELECT COUNT(*) FROM residents WHERE site_id = $1", "site-xingfuli").await;
    let bad = workbook(&[
        HEADER.to_vec(),
        vec!["resident-0001", "张建华", "", "1111", "9-9-909"],
        vec!["resident-x1", "周玉珍", "", "12", "8-1-101"],
    ]);
    let refused = desk.upload("residents", "名册.xlsx", bad).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("第 3 行有问题"), "the row is named as the spreadsheet numbers it: {page}");
    assert!(page.contains("phone_last4: 要填手机号的最后四位数字"), "{page}");
    assert!(page.contains("什么都没有改"));
    assert_ne!(resident_column(&server, "household", "resident-0001").await.as_deref(), Some("9-9-909"));

    let good = workbook(&[
        HEADER.to_vec(),
        vec!["resident-0001", "张建华", "", "1111", "9-9-909"],
        vec!["resident-x1", "周玉珍", "", "1212", "8-1-101"],
    ]);
    let preview = desk.upload("residents", "名册.xlsx", good).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    assert!(page.contains("新增 1 条") && page.contains("更新 1 条"), "{page}");
    assert!(page.contains("周玉珍"));
    assert_eq!(
        scalar(&server, "SELECT COUNT(*) FROM residents WHERE site_id = $1", "site-xingfuli").await,
        residents_before,
        "a preview changes nothing"
    );
    let upload = page.split("/console/uploads/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let applied = desk.post(&format!("/console/uploads/{upload}/apply"), &[]).await;
    assert_eq!(applied.status(), 303);
    assert!(desk.page(&location(&applied)).await.contains("文件已导入"));
    assert_eq!(resident_column(&server, "household", "resident-0001").await.as_deref(), Some("9-9-909"));
    assert_eq!(resident_column(&server, "full_name", "resident-x1").await.as_deref(), Some("周玉珍"));
    let again = desk.post(&format!("/console/uploads/{upload}/apply"), &[]).await;
    assert_ne!(again.status(), 303, "a file is applied once");
}

#[tokio::test]
async fn a_csv_saved_by_an_older_excel_in_gb18030_reads_as_chinese() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let csv = "id,full_name,card_number,phone_last4,household\nresident-gb,欧阳秀英,,3344,2-2-202\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(csv);
    let preview = desk.upload("residents", "roster.csv", bytes.into_owned()).await;
    assert_eq!(preview.status(), 200);
    assert!(preview.text().await.unwrap().contains("欧阳秀英"));
}

#[tokio::test]
async fn a_roster_file_brings_whole_phones_living_alone_and_emergency_contacts_that_kiosks_never_get() {
    let server = spawn_with_demo().await;
    let kiosk = pair(&server, "room-seniors").await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let header = ["id", "full_name", "phone", "lives_alone", "emergency_contact", "emergency_phone"];
    let file = workbook(&[
        header.to_vec(),
        vec!["resident-x2", "刘桂芝", "0459-6661234", "是", "刘强（儿子）", "13512345678"],
    ]);
    let preview = desk.upload("residents", "名册.xlsx", file).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    let upload = page.split("/console/uploads/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    assert_eq!(desk.post(&format!("/console/uploads/{upload}/apply"), &[]).await.status(), 303);
    assert_eq!(resident_column(&server, "phone", "resident-x2").await.as_deref(), Some("04596661234"));
    assert_eq!(resident_column(&server, "phone_last4", "resident-x2").await.as_deref(), Some("1234"));
    assert_eq!(resident_column(&server, "emergency_contact", "resident-x2").await.as_deref(), Some("刘强（儿子）"));
    assert_eq!(resident_column(&server, "emergency_phone", "resident-x2").await.as_deref(), Some("13512345678"));
    assert_eq!(scalar(&server, "SELECT lives_alone FROM residents WHERE id = $1", "resident-x2").await, 1);
    let shown = desk.page("/console/residents/resident-x2").await;
    assert!(shown.contains("刘强（儿子）") && shown.contains("13512345678"));
    let pulled = pull(&server, &kiosk, None).await.to_string();
    assert!(pulled.contains("resident-x2"), "the resident reaches kiosks");
    for private in ["04596661234", "刘强", "13512345678", "lives_alone", "emergency"] {
        assert!(!pulled.contains(private), "{private} never reaches a kiosk");
    }
    // The same file again changes nothing.
    let again = workbook(&[
        header.to_vec(),
        vec!["resident-x2", "刘桂芝", "0459-6661234", "是", "刘强（儿子）", "13512345678"],
    ]);
    let preview = desk.upload("residents", "名册.xlsx", again).await.text().await.unwrap();
    assert!(preview.contains("不变 1 条") && !preview.contains("更新 1 条"), "compared whole: {preview}");
}
