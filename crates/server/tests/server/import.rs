//! Importing staff's CSV files with the real binary, then reading the result over HTTP.

use std::process::Command;

use crate::support::TempDir;

const ROOMS: &str = "id,name_zh_hans,name_zh_hant,name_en\n\
room-a,老年活动室,老年活動室,Seniors' Room\n";
const RESIDENTS: &str = "id,full_name,card_number,phone_last4,household\n\
r-1,张建华,6201000001,1234,3-2-501\n\
r-2,李秀英,,5678,\n";
const ACTIVITIES: &str = "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,host_zh_hant,host_en,capacity,companions_allowed\n\
a-1,room-a,2026-11-23,8:30,9:30,太极拳,太極拳,Tai chi,张老师,張老師,Teacher Zhang,,0\n\
a-2,room-a,2026-11-23,10:00,11:30,剪窗花,,,刘阿姨,,,16,1\n";

fn import(data: &TempDir, files: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jiayuan-server"));
    command
        .arg("import")
        .arg("--site")
        .arg("site-b")
        .env("JIAYUAN_DATA_DIR", data.path())
        .env_remove("JIAYUAN_DATABASE_URL");
    for (kind, content) in files {
        let path = data.path().join(format!("{kind}.csv"));
        std::fs::write(&path, content).unwrap();
        command.arg(format!("--{kind}")).arg(path);
    }
    command.output().unwrap()
}

async fn count(data: &TempDir, table: &str) -> i64 {
    let db = jiayuan_community::db::Database::open(None, data.path()).await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn imports_rooms_residents_and_activities_and_again_without_duplicates() {
    let data = TempDir::new("import");
    let files = [("rooms", ROOMS), ("residents", RESIDENTS), ("activities", ACTIVITIES)];
    let output = import(&data, &files);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("1 rooms, 2 residents, 2 activities"), "{said}");
    assert!(import(&data, &files).status.success());
    assert_eq!(count(&data, "rooms").await, 1);
    assert_eq!(count(&data, "residents").await, 2);
    assert_eq!(count(&data, "activities").await, 2);

    let db = jiayuan_community::db::Database::open(None, data.path()).await.unwrap();
    let (display, household): (String, String) =
        sqlx::query_as("SELECT display_name, household FROM residents WHERE id = 'r-1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(display, "张*华");
    assert_eq!(household, "3-2-501");
    let (capacity, starts): (Option<i64>, String) =
        sqlx::query_as("SELECT capacity, starts FROM activities WHERE id = 'a-1'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(capacity, None, "an empty capacity means open to all");
    assert_eq!(starts, "08:30");
}

#[tokio::test]
async fn one_bad_line_changes_nothing_and_is_named() {
    let data = TempDir::new("import-bad");
    let bad_residents = format!("{RESIDENTS}r-3,王桂兰,,12345,\n");
    let output = import(&data, &[("rooms", ROOMS), ("residents", &bad_residents)]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 4") && stderr.contains("phone_last4"), "{stderr}");
    assert_eq!(count(&data, "rooms").await, 0, "nothing of a failed import is written");

    let bad_time = ACTIVITIES.replace("10:00,11:30", "11:30,10:00");
    let output = import(&data, &[("rooms", ROOMS), ("activities", &bad_time)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3") && stderr.contains("ends must be after starts"), "{stderr}");

    let unknown_room = ACTIVITIES.replace("a-2,room-a", "a-2,room-z");
    let output = import(&data, &[("rooms", ROOMS), ("activities", &unknown_room)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has no room room-z"), "{stderr}");
    assert_eq!(count(&data, "activities").await, 0);
}

const RECURRING: &str = "id,room_id,weekdays,starts,ends,first_date,last_date,title_zh_hans,host_zh_hans,capacity\n\
choir,room-a,\"mon, wed, fri\",9:30,11:00,,,合唱团排练,夕阳红合唱团,40\n\
chess,room-a,每天,14:00,17:00,,,象棋,象棋协会,\n";

#[tokio::test]
async fn recurring_activities_are_imported_with_their_sessions_and_bad_days_are_named() {
    let data = TempDir::new("import-recurring");
    let output = import(&data, &[("rooms", ROOMS), ("recurring", RECURRING)]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("2 recurring activities"), "{said}");
    // Chess every day for today and 28 more; choir three days a week, 12 or 13 of them.
    let sessions = count(&data, "activities").await;
    assert!((29 + 12..=29 + 13).contains(&sessions), "{sessions} sessions");

    let bad_days = RECURRING.replace("每天", "周八");
    let output = import(&data, &[("recurring", &bad_days)]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3") && stderr.contains("weekdays \"周八\""), "{stderr}");
}
