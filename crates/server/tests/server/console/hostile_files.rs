//! Files a hostile hand crafts for the upload form: each is refused with a plain message, in
//! a moment and within memory, and the server goes on serving every community.

use jiayuan_community::office::accounts::Role;

use crate::support::console::Browser;
use crate::support::kiosk::{pair, push_ok, record, sign_in};
use crate::support::sites::{OTHER_NAME, OTHER_RESIDENT, other_community};
use crate::support::spawn_with_demo;
use crate::support::xlsx::package;

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

fn text_cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Refused, named as too large or unreadable, with nothing changed.
async fn refused(desk: &Browser, file_name: &str, bytes: Vec<u8>) {
    let response = desk.upload("residents", file_name, bytes).await;
    assert_eq!(response.status(), 422, "{file_name}");
    let page = response.text().await.unwrap();
    assert!(page.contains("文件太大或格式异常") || page.contains("这个文件打不开"), "{file_name}: {page}");
}

#[tokio::test]
async fn crafted_spreadsheets_are_refused_and_the_kiosks_go_on_syncing() {
    let server = spawn_with_demo().await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;

    // Two kilobytes, stored unpacked: the first cell and the last one Excel allows, a sheet "as big as
    // Excel" to any reader that makes a grid from the corners.
    let corners = format!(
        r#"{SHEET_START}<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}</row><row r="1048576">{}</row></sheetData></worksheet>"#,
        text_cell("A1", "id"),
        text_cell("XFD1048576", "x")
    );
    let corners = package(corners, Vec::new());
    assert!(corners.len() < 4_096, "{} bytes", corners.len());
    refused(&desk, "corners.xlsx", corners).await;

    // A shared-string table that announces two billion strings, for a reader to make room for.
    let sheet =
        format!(r#"{SHEET_START}<sheetData><row r="1">{}</row></sheetData></worksheet>"#, text_cell("A1", "id"));
    let announced = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000000" uniqueCount="2000000000"><si><t>id</t></si></sst>"#;
    refused(&desk, "strings.xlsx", package(sheet, vec![("xl/sharedStrings.xml", announced.to_owned())])).await;

    // Not a workbook at all, and a CSV of more rows than any community has.
    refused(&desk, "fake.xlsx", b"PK\x03\x04 and nothing a zip has".to_vec()).await;
    let mut long = String::from("id,full_name,card_number,phone_last4,household\n");
    for n in 0..50_001 {
        long.push_str(&format!("r-{n},居民,,1234,1-1-101\n"));
    }
    refused(&desk, "long.csv", long.into_bytes()).await;

    // Meanwhile and after, a resident signs in at a kiosk as on any day.
    let kiosk = pair(&server, "room-seniors").await;
    push_ok(&server, &kiosk, &[record(1, sign_in("resident-0001"))]).await;
    assert_eq!(server.get("/api/health").await.status(), 200);
}

#[tokio::test]
async fn a_roster_naming_a_resident_of_another_community_is_refused_without_their_name() {
    let server = spawn_with_demo().await;
    other_community(&server).await;
    let desk = Browser::staff(&server, "desk", Role::Staff).await;
    let file = format!("id,full_name,card_number,phone_last4,household\n{OTHER_RESIDENT},改掉的名字,,1111,1-1-101\n");
    let response = desk.upload("residents", "roster.csv", file.into_bytes()).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("这个编号不能用"), "{page}");
    assert!(!page.contains(OTHER_NAME), "{page}");
    let name: String = sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1")
        .bind(OTHER_RESIDENT)
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(name, OTHER_NAME, "the other community's resident is untouched");
}
