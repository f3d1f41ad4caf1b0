//! Children in after-school care (托管) handed over safely: a grandmother drops two children
//! off at one kiosk and picks one up at another; a second pick-up counts once; a neighbour who
//! is not a guardian is refused with their own reason; a pick-up that reaches the server before
//! its drop-off still pairs; staff check a child out with a reason; the office is alerted when a
//! child is not collected. Runs against SQLite and PostgreSQL.

use jiayuan_community::action_log::Actor;
use jiayuan_community::import::{ImportFiles, import};
use jiayuan_community::office::accounts::Role;
use jiayuan_community::office::guardians;
use jiayuan_community::office::handover as in_the_room;
use jiayuan_community::schedule::format_day;
use jiayuan_domain::sync::{Action, Person};
use serde_json::Value;
use time::{Date, Duration, PrimitiveDateTime, Time};

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn};

const SITE: &str = "site-care";

fn today() -> Date {
    jiayuan_community::community_time::today(OFFSET)
}

fn at(day: Date, hour: u8, minute: u8) -> i64 {
    PrimitiveDateTime::new(day, Time::from_hms(hour, minute, 0).unwrap()).assume_offset(OFFSET).unix_timestamp() * 1000
}

/// One room; two children (小明, 小红), their grandmother (王奶奶) and 小明's father as
/// guardians, and a neighbour; after-school care today (all day, so it is on whenever the test
/// runs) and yesterday 16:30–18:00; chess today, not care.
async fn community() -> TestServer {
    let server = spawn(false).await;
    let (day, yesterday) = (format_day(today()), format_day(today() - Duration::days(1)));
    let activities = format!(
        "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity,after_school\n\
         care-today,room-a,{day},00:00,23:59,小饭桌,社区,,是\n\
         care-yesterday,room-a,{yesterday},16:30,18:00,小饭桌,社区,,是\n\
         chess,room-a,{day},14:00,16:00,象棋,老王,,否\n"
    );
    let residents = "id,full_name,card_number,phone,birth_year\n\
                     kid-1,李小明,6300000001,,2017\n\
                     kid-2,李小红,6300000002,,2019\n\
                     gran,王桂兰,6300000010,13900000010,1952\n\
                     dad,李建国,6300000011,13900000011,1985\n\
                     neighbour,张秀英,6300000020,13900000020,1950\n";
    let files = ImportFiles {
        rooms: Some(("rooms.csv".to_owned(), "id,name_zh_hans\nroom-a,托管室\n".as_bytes())),
        residents: Some(("residents.csv".to_owned(), residents.as_bytes())),
        activities: Some(("activities.csv".to_owned(), activities.as_bytes())),
        recurring: None,
    };
    import(&server.db, &Actor::CommandLine, SITE, files, today()).await.expect("the community");
    for (child, guardian) in [("kid-1", "gran"), ("kid-2", "gran"), ("kid-1", "6300000011")] {
        guardians::add(&server.db, &Actor::CommandLine, SITE, child, guardian).await.unwrap();
    }
    server
}

fn drop_off(child: &str, activity: &str) -> Action {
    Action::CheckIn { person: Person::Resident { resident_id: child.into() }, activity_id: activity.into() }
}

fn pick_up(child: &str, activity: &str, by: &str) -> Action {
    Action::PickUp { resident_id: child.into(), activity_id: activity.into(), guardian_id: by.into() }
}

fn outcome(body: &Value, index: usize) -> &Value {
    &body["results"][index]["outcome"]
}

async fn pick_ups(server: &TestServer, child: &str) -> i64 {
    scalar(server, "SELECT COUNT(*) FROM pick_ups WHERE child_id = $1", child).await
}

/// The room's list on a console page: the rows' children.
fn in_room(page: &str) -> Vec<&str> {
    page.split("<tr id=\"in-room-").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

#[tokio::test]
async fn a_grandmother_drops_off_two_picks_up_one_elsewhere_and_only_a_guardian_or_staff_take_the_other() {
    let server = community().await;
    let (here, there) = (pair(&server, "room-a").await, pair(&server, "room-a").await);
    let staff = Browser::staff_of(&server, "care-desk", Role::Staff, &[SITE]).await;

    // Kiosks know whom a guardian collects: ids only.
    let pulled = pull(&server, &here, None).await;
    let gran = pulled["residents"].as_array().unwrap().iter().find(|r| r["id"] == "gran").unwrap();
    assert_eq!(gran["children"], serde_json::json!(["kid-1", "kid-2"]), "{gran}");
    assert!(!pulled.to_string().contains("13900000010"), "no phone numbers go to kiosks");
    let care = pulled["activities"].as_array().unwrap().iter().find(|a| a["id"] == "care-today").unwrap();
    assert_eq!(care["after_school"], true);

    let body = push_ok(
        &server,
        &here,
        &[record(1, drop_off("kid-1", "care-today")), record(2, drop_off("kid-2", "care-today"))],
    )
    .await;
    assert_eq!(outcome(&body, 0)["status"], "accepted");
    let page = staff.page("/console").await;
    assert_eq!(in_room(&page), ["kid-1", "kid-2"], "two in the room");
    assert!(page.contains("王桂兰") && page.contains("13900000010"), "with their guardian to call");
    // Kiosks pull the session again with who is in the room (their staff panel counts them).
    let cursor = pulled["cursor"].as_u64();
    let care = |pulled: &Value| {
        let care = pulled["activities"].as_array().unwrap().iter().find(|a| a["id"] == "care-today").cloned().unwrap();
        (care["in_the_room"].clone(), care["picked_up"].clone())
    };
    let changed = pull(&server, &there, cursor).await;
    assert_eq!(care(&changed), (serde_json::json!(["kid-1", "kid-2"]), Value::Null), "nobody picked up yet");
    let cursor = changed["cursor"].as_u64();

    // She picks up 小明 at the other kiosk; his father's tap a moment later counts for nothing.
    let grandmas = record(1, pick_up("kid-1", "care-today", "gran"));
    let picked = push_ok(&server, &there, std::slice::from_ref(&grandmas)).await;
    assert_eq!(outcome(&picked, 0)["status"], "accepted", "{picked}");
    let changed = pull(&server, &here, cursor).await;
    let expected = (serde_json::json!(["kid-2"]), serde_json::json!(["kid-1"]));
    assert_eq!(care(&changed), expected, "the other kiosk hears of it");
    let again = push_ok(&server, &here, &[record(3, pick_up("kid-1", "care-today", "dad"))]).await;
    assert_eq!(outcome(&again, 0)["reason"], "already_picked_up", "{again}");
    assert_eq!(pick_ups(&server, "kid-1").await, 1, "counted once");
    // Sent again after a cut: the same answer, nothing more.
    let resent = push_ok(&server, &there, &[grandmas]).await;
    assert_eq!(outcome(&resent, 0)["status"], "accepted");
    assert_eq!(pick_ups(&server, "kid-1").await, 1);

    // A neighbour is not a guardian: refused with its own reason; 小红 stays in the room.
    let neighbour = push_ok(&server, &there, &[record(2, pick_up("kid-2", "care-today", "neighbour"))]).await;
    assert_eq!(outcome(&neighbour, 0)["reason"], "not_a_guardian", "{neighbour}");
    let page = staff.page("/console").await;
    assert_eq!(in_room(&page), ["kid-2"]);

    // Staff check her out instead, with the reason, kept in the action log.
    let path = "/console/schedule/sessions/care-today/pick-ups/kid-2";
    let no_reason = staff.post(path, &[("reason", " "), ("back", "today")]).await;
    assert_eq!(no_reason.status(), 422);
    let viewer = Browser::staff_of(&server, "care-viewer", Role::Viewer, &[SITE]).await;
    assert_eq!(viewer.post(path, &[("reason", "邻居张秀英接走，奶奶电话同意")]).await.status(), 403);
    let stranger = Browser::staff(&server, "stranger", Role::Staff).await;
    assert_eq!(stranger.post(path, &[("reason", "邻居张秀英接走，奶奶电话同意")]).await.status(), 404);
    let done = staff.post(path, &[("reason", "邻居张秀英接走，奶奶电话同意"), ("back", "today")]).await;
    assert_eq!(done.status(), 303);
    assert!(in_room(&staff.page("/console").await).is_empty());
    let logged: String = sqlx::query_scalar("SELECT reason FROM action_log WHERE action = 'pick_up.by_staff'")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(logged, "邻居张秀英接走，奶奶电话同意");
    assert_eq!(staff.post(path, &[("reason", "again")]).await.status(), 422, "already picked up");
    // And her grandmother, arriving late at a kiosk, is told she is already picked up.
    let late = push_ok(&server, &here, &[record(4, pick_up("kid-2", "care-today", "gran"))]).await;
    assert_eq!(outcome(&late, 0)["reason"], "already_picked_up");
    assert_eq!(pick_ups(&server, "kid-2").await, 1);
}

#[tokio::test]
async fn a_pick_up_before_its_drop_off_still_pairs_and_a_child_not_collected_raises_an_alert() {
    let server = community().await;
    let (offline, online) = (pair(&server, "room-a").await, pair(&server, "room-a").await);
    let yesterday = today() - Duration::days(1);
    // 小明's pick-up reaches the server first: the kiosk that dropped him off was offline.
    let first = push_ok(&server, &online, &[record(1, pick_up("kid-1", "care-yesterday", "dad"))]).await;
    assert_eq!(outcome(&first, 0)["status"], "accepted");
    push_ok(
        &server,
        &offline,
        &[record(1, drop_off("kid-1", "care-yesterday")), record(2, drop_off("kid-2", "care-yesterday"))],
    )
    .await;
    let ends = at(yesterday, 18, 0);
    let room = |now| in_the_room::of_day(&server.db, SITE, yesterday, now, OFFSET);
    let before = room(ends + 14 * 60_000).await.unwrap();
    let children: Vec<&str> = before.iter().map(|c| c.child_id.as_str()).collect();
    assert_eq!(children, ["kid-2"], "小明 went home; 小红 is still there");
    assert!(!before[0].alert, "not yet: the site waits 15 minutes");
    assert_eq!(before[0].who_to_call.guardians.len(), 1);
    let after = room(ends + 15 * 60_000).await.unwrap();
    assert!(after[0].alert, "15 minutes after the end: an alert");
    // A site that waits longer.
    in_the_room::set_alert_minutes(&server.db, &Actor::CommandLine, SITE, 30).await.unwrap();
    assert!(!room(ends + 15 * 60_000).await.unwrap()[0].alert);
    assert!(in_the_room::set_alert_minutes(&server.db, &Actor::CommandLine, SITE, 241).await.is_err());

    // A pick-up at an activity that is not after-school care is not kept.
    let chess = push_ok(&server, &online, &[record(2, pick_up("kid-1", "chess", "gran"))]).await;
    assert_eq!(outcome(&chess, 0)["reason"], "not_after_school");
}

#[tokio::test]
async fn a_child_not_collected_is_texted_to_each_guardian_with_a_phone_once_and_not_after_the_pick_up() {
    let server = community().await;
    let kiosk = pair(&server, "room-a").await;
    push_ok(
        &server,
        &kiosk,
        &[record(1, drop_off("kid-1", "care-yesterday")), record(2, drop_off("kid-2", "care-yesterday"))],
    )
    .await;
    let ends = at(today() - Duration::days(1), 18, 0);
    let queue = |now| in_the_room::queue_alert_messages(&server.db, now, OFFSET);
    // Hours after the alert, a child still listed is for staff to see to, not a late text.
    assert_eq!(queue(ends + 4 * 60 * 60_000).await.unwrap(), 0);
    assert_eq!(queue(ends + 14 * 60_000).await.unwrap(), 0, "the site waits 15 minutes");
    // 小明: his grandmother and his father; 小红: her grandmother.
    assert_eq!(queue(ends + 15 * 60_000).await.unwrap(), 3);
    assert_eq!(queue(ends + 16 * 60_000).await.unwrap(), 0, "each once");

    // His grandmother comes: his messages are no longer news and are not sent.
    push_ok(&server, &kiosk, &[record(3, pick_up("kid-1", "care-yesterday", "gran"))]).await;
    let due = jiayuan_community::outgoing::claim(&server.db, "sender", ends + 16 * 60_000, 50).await.unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].phone, "13900000010");
    assert_eq!(due[0].key, "pick-up/care-yesterday/kid-2/gran");
    assert_eq!(
        due[0].words,
        "【site-care】小饭桌18:00已经结束，李*红还在活动室，请您尽快来接。来不了请给社区打个电话。"
    );
}

#[tokio::test]
async fn staff_list_guardians_of_this_community_only_and_contacts_with_a_phone() {
    let server = community().await;
    crate::support::sites::other_community(&server).await;
    let staff = Browser::staff_of(&server, "care-desk", Role::Staff, &[SITE]).await;
    let child = "/console/residents/kid-2";
    let page = staff.page(child).await;
    assert!(page.contains("王桂兰"), "her grandmother is listed");

    // Someone of another community, by id or card, is not found, and not named.
    let foreign =
        staff.post(&format!("{child}/guardians"), &[("guardian", crate::support::sites::OTHER_RESIDENT)]).await;
    assert_eq!(foreign.status(), 422);
    assert!(!foreign.text().await.unwrap().contains(crate::support::sites::OTHER_NAME));
    // Her father, by card number.
    assert_eq!(staff.post(&format!("{child}/guardians"), &[("guardian", "6300000011")]).await.status(), 303);
    assert!(staff.page(child).await.contains("李建国"));
    let kiosk = pair(&server, "room-a").await;
    let pulled = pull(&server, &kiosk, None).await;
    let dad = pulled["residents"].as_array().unwrap().iter().find(|r| r["id"] == "dad").unwrap();
    assert_eq!(dad["children"], serde_json::json!(["kid-1", "kid-2"]));
    let cursor = pulled["cursor"].as_u64();
    // Taken off: the kiosks' next pull says so.
    assert_eq!(staff.post(&format!("{child}/guardians/dad/remove"), &[]).await.status(), 303);
    let changed = pull(&server, &kiosk, cursor).await;
    let dad = changed["residents"].as_array().unwrap().iter().find(|r| r["id"] == "dad").unwrap();
    assert_eq!(dad["children"], serde_json::json!(["kid-1"]), "{changed}");

    // A contact who is not a resident: a name and a phone, for staff only.
    let bad =
        staff.post(&format!("{child}/pick-up-contacts"), &[("contact_name", "李姑姑"), ("contact_phone", "abc")]).await;
    assert_eq!(bad.status(), 422);
    let fields = [("contact_name", "李姑姑"), ("contact_phone", "139 0000 0099"), ("contact_relation", "姑姑")];
    assert_eq!(staff.post(&format!("{child}/pick-up-contacts"), &fields).await.status(), 303);
    let page = staff.page(child).await;
    assert!(page.contains("李姑姑") && page.contains("13900000099"), "kept as its digits: {page}");
    assert!(!pull(&server, &kiosk, None).await.to_string().contains("0099"), "never sent to kiosks");

    // Another community's staff cannot touch them.
    let other = Browser::staff_of(&server, "other-desk", Role::Staff, &[crate::support::sites::OTHER_SITE]).await;
    assert_eq!(other.post(&format!("{child}/guardians"), &[("guardian", "gran")]).await.status(), 404);
    assert_eq!(other.post(&format!("{child}/guardians/gran/remove"), &[]).await.status(), 404);
    let still = guardians::of_child(&server.db, SITE, "kid-2").await.unwrap();
    assert_eq!(still.guardians.len(), 1);
    assert_eq!(still.contacts.len(), 1);
}

#[tokio::test]
async fn the_after_school_report_counts_each_child_late_pick_ups_and_pick_ups_by_staff() {
    let server = community().await;
    let kiosk = pair(&server, "room-a").await;
    let yesterday = today() - Duration::days(1);
    let at_kiosk = |seq, when, action| jiayuan_domain::sync::KioskRecord { happened_at: when, ..record(seq, action) };
    push_ok(
        &server,
        &kiosk,
        &[
            at_kiosk(1, at(yesterday, 16, 25), drop_off("kid-1", "care-yesterday")),
            at_kiosk(2, at(yesterday, 16, 28), drop_off("kid-2", "care-yesterday")),
            // Ten minutes after the end: late.
            at_kiosk(3, at(yesterday, 18, 10), pick_up("kid-1", "care-yesterday", "gran")),
            // Today's session is still on: not counted yet.
            at_kiosk(4, at(today(), 8, 0), drop_off("kid-1", "care-today")),
        ],
    )
    .await;
    let desk = Actor::Staff("care-desk".into());
    jiayuan_community::office::handover::check_out_by_staff(
        &server.db,
        &desk,
        SITE,
        "care-yesterday",
        "kid-2",
        "老师送回家",
    )
    .await
    .unwrap();
    let reader = Browser::staff_of(&server, "care-reader", Role::Viewer, &[SITE]).await;
    let period = format!("from={}&to={}", format_day(yesterday), format_day(today()));
    let page = reader.page(&format!("/console/reports/after-school?{period}")).await;
    let table = |id: &str| -> String {
        let start = page.find(&format!("id=\"{id}\"")).unwrap();
        page[start..start + page[start..].find("</table>").unwrap()].to_owned()
    };
    let numbers = |row: &str| -> Vec<String> {
        row.split("<td class=\"number\">")
            .skip(1)
            .map(|cell| {
                cell.split("</td>").next().unwrap().replace("<span class=\"badge bad\">", "").replace("</span>", "")
            })
            .collect()
    };
    let activities = table("after-school-activities");
    assert_eq!(activities.matches("<tr><td>").count(), 1, "one care activity is over: {activities}");
    // Sessions, children, drop-offs, late, by staff, no pick-up.
    assert_eq!(numbers(&activities), ["1", "2", "2", "2", "1", "0"], "{activities}");
    let children = table("after-school-children");
    let row = |child: &str| {
        let start = children.find(&format!("id=\"child-{child}\"")).unwrap();
        numbers(&children[start..start + children[start..].find("</tr>").unwrap()])
    };
    assert_eq!(row("kid-1"), ["1", "1", "0", "0"]);
    assert_eq!(row("kid-2"), ["1", "1", "1", "0"], "checked out by staff, after the end");

    // The file is the table on the page.
    let csv = reader.get(&format!("/console/reports/after-school?{period}&format=csv&table=children")).await;
    let bytes = csv.bytes().await.unwrap();
    let mut file = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = file.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), 2);
    let kid_2 = rows.iter().find(|r| r[7] == "kid-2").unwrap();
    assert_eq!((kid_2[0].as_str(), &kid_2[3..7]), ("李小红", &["1", "1", "1", "0"].map(String::from)[..]));
}

#[tokio::test]
async fn a_guardians_file_is_checked_whole_and_names_nobody_of_another_community() {
    let server = community().await;
    crate::support::sites::other_community(&server).await;
    let desk = Browser::staff_of(&server, "care-desk", Role::Staff, &[SITE]).await;
    let header = "child_id,guardian_id,contact_name,contact_phone,contact_relation\n";
    // One good row, then one naming another community's resident: the whole file is refused.
    let foreign = format!("{header}kid-2,dad,,,\nkid-2,{},,,\n", crate::support::sites::OTHER_RESIDENT);
    let refused = desk.upload("guardians", "接送.csv", foreign.into_bytes()).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("第 3 行有问题"), "the line of the foreign id: {page}");
    assert!(!page.contains(crate::support::sites::OTHER_NAME));
    let bad_phone = format!("{header}kid-2,,李姑姑,not a phone,姑姑\n");
    assert_eq!(desk.upload("guardians", "接送.csv", bad_phone.into_bytes()).await.status(), 422);
    assert_eq!(guardians::of_child(&server.db, SITE, "kid-2").await.unwrap().guardians.len(), 1, "nothing written");

    let good = format!("{header}kid-2,dad,,,\nkid-2,,李姑姑,139 0000 0099,姑姑\nkid-2,gran,,,\n");
    let preview = desk.upload("guardians", "接送.csv", good.into_bytes()).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.unwrap();
    assert!(page.contains("李小红 ← 李建国") && page.contains("李小红 ← 李姑姑"), "{page}");
    let upload = page.split("/console/uploads/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    assert_eq!(desk.post(&format!("/console/uploads/{upload}/apply"), &[]).await.status(), 303);
    let now = guardians::of_child(&server.db, SITE, "kid-2").await.unwrap();
    let ids: Vec<&str> = now.guardians.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["dad", "gran"], "her grandmother kept once");
    assert_eq!(now.contacts.len(), 1);
    assert_eq!(now.contacts[0].phone, "13900000099");
}
