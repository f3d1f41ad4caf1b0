//! Residents are told when someone else changes their place (待通知): a notice is made in the
//! transaction that changes it, reaches every kiosk of the site with the resident's roster
//! entry, and is told once, wherever it is told. Runs against SQLite and PostgreSQL.

use jiayuan_domain::sync::Action;
use serde_json::Value;

use crate::support::kiosk::*;
use crate::support::{TestServer, spawn_with_demo};

const ROOM: &str = "room-seniors";

/// What `resident` is to be told, as the pull's roster entry for them says; None when the
/// pull did not send the resident at all.
fn to_tell(pull: &Value, resident: &str) -> Option<Vec<Value>> {
    let entry = pull["residents"].as_array()?.iter().find(|r| r["id"] == resident)?;
    Some(entry["to_tell"].as_array().cloned().unwrap_or_default())
}

fn cursor(pull: &Value) -> u64 {
    pull["cursor"].as_u64().unwrap()
}

async fn notices(server: &TestServer, resident: &str, condition: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM notices WHERE resident_id = $1 AND {condition}");
    scalar(server, &sql, resident).await
}

fn told(resident: &str, notice: &Value) -> Action {
    Action::Told { resident_id: resident.into(), notice_id: notice["id"].as_str().unwrap().into() }
}

#[tokio::test]
async fn a_resident_moved_up_is_told_once_at_any_kiosk_and_the_one_who_cancelled_is_not() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let (here, there) = (pair(&server, ROOM).await, pair(&server, "room-hall").await);
    push_ok(&server, &here, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(&server, &here, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    let before = pull(&server, &there, None).await;
    assert_eq!(to_tell(&before, "resident-0002"), Some(vec![]), "waiting is nothing to tell");

    push_ok(&server, &here, &[record(3, cancel("resident-0001", &activity))]).await;
    let after = pull(&server, &there, Some(cursor(&before))).await;
    let notices_sent = to_tell(&after, "resident-0002").expect("the resident moved up is sent again");
    assert_eq!(notices_sent.len(), 1, "{after}");
    assert_eq!(notices_sent[0]["change"], "moved_up");
    assert_eq!(notices_sent[0]["activity_id"], activity.as_str());
    assert!(notices_sent[0]["title"]["zh_hans"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(to_tell(&after, "resident-0001").unwrap_or_default(), Vec::<Value>::new(), "their own cancellation");

    let body = push_ok(&server, &there, &[record(1, told("resident-0002", &notices_sent[0]))]).await;
    assert_eq!(body["results"][0]["outcome"]["status"], "accepted");
    // The kiosk that cancelled pulls the resident again, with nothing left to tell.
    let here_now = pull(&server, &here, Some(cursor(&before))).await;
    assert_eq!(to_tell(&here_now, "resident-0002"), Some(vec![]), "{here_now}");
    // Told again from the other kiosk (it pulled before hearing): still one notice told.
    push_ok(&server, &here, &[record(4, told("resident-0002", &notices_sent[0]))]).await;
    assert_eq!(notices(&server, "resident-0002", "told_how = 'kiosk'").await, 1);
    assert_eq!(notices(&server, "resident-0002", "told_at IS NULL").await, 0);
    assert_eq!(notices(&server, "resident-0001", "1 = 1").await, 0);
}

#[tokio::test]
async fn a_told_record_naming_someone_elses_notice_is_refused_and_tells_nothing() {
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(&server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    push_ok(&server, &kiosk, &[record(3, cancel("resident-0001", &activity))]).await;
    let pulled = pull(&server, &kiosk, None).await;
    let notice = to_tell(&pulled, "resident-0002").unwrap().remove(0);
    let body = push_ok(
        &server,
        &kiosk,
        &[
            record(4, told("resident-0003", &notice)),
            record(5, Action::Told { resident_id: "resident-0002".into(), notice_id: "n-nothing".into() }),
        ],
    )
    .await;
    for result in 0..2 {
        assert_eq!(body["results"][result]["outcome"]["reason"], "unknown_notice", "{body}");
    }
    assert_eq!(notices(&server, "resident-0002", "told_at IS NULL").await, 1, "still to be told");
}

#[tokio::test]
async fn staff_cancelling_a_session_tells_everyone_holding_a_place_and_restoring_it_untold_tells_nothing() {
    use jiayuan_community::action_log::Actor;
    use jiayuan_community::office::schedule;
    let server = spawn_with_demo().await;
    let activity = activity_with_capacity(&server, 1).await;
    let kiosk = pair(&server, ROOM).await;
    push_ok(&server, &kiosk, &[record(1, sign_up("resident-0001", &activity, 0))]).await;
    push_ok(&server, &kiosk, &[record(2, sign_up("resident-0002", &activity, 0))]).await;
    let site = crate::support::console::SITE;
    schedule::cancel_session(&server.db, &Actor::CommandLine, site, &activity, "老师生病").await.unwrap();
    let pulled = pull(&server, &kiosk, None).await;
    for resident in ["resident-0001", "resident-0002"] {
        let notices_sent = to_tell(&pulled, resident).unwrap();
        assert_eq!(notices_sent.len(), 1, "{resident}: {pulled}");
        assert_eq!(notices_sent[0]["change"], "cancelled");
    }
    assert_eq!(to_tell(&pulled, "resident-0003"), Some(vec![]), "no place, nothing to tell");

    // resident-0001 heard at the kiosk; then staff restore the session.
    let notice = to_tell(&pulled, "resident-0001").unwrap().remove(0);
    push_ok(&server, &kiosk, &[record(3, told("resident-0001", &notice))]).await;
    schedule::restore_session(&server.db, &Actor::CommandLine, site, &activity).await.unwrap();
    let pulled = pull(&server, &kiosk, Some(cursor(&pulled))).await;
    let told_of_cancel = to_tell(&pulled, "resident-0001").unwrap();
    assert_eq!(told_of_cancel.len(), 1);
    assert_eq!(told_of_cancel[0]["change"], "restored", "told of the cancellation, so told it is back");
    assert_eq!(to_tell(&pulled, "resident-0002"), Some(vec![]), "never heard of the cancellation: nothing to tell");
    assert_eq!(notices(&server, "resident-0002", "told_how = 'undone'").await, 1);
}
