//! Regulars not seen (关爱提醒) against a small hand-made community whose right answer is known:
//! who is listed and in which order, a follow-up that quiets, one that takes a resident off the
//! roster, the month's count, and another site's staff kept out.

use jiayuan_community::office::accounts::Role;
use jiayuan_domain::sync::KioskRecord;

use crate::support::console::Browser;
use crate::support::kiosk::*;
use crate::support::{OFFSET, TestServer, spawn_with_demo};

/// 10:00 in the community `days_ago` days before today.
fn at(days_ago: i64) -> i64 {
    let today = jiayuan_community::community_time::today(OFFSET);
    let day = today - time::Duration::days(days_ago);
    day.with_hms(10, 0, 0).unwrap().assume_offset(OFFSET).unix_timestamp() * 1000
}

struct Visits<'a> {
    server: &'a TestServer,
    kiosks: [TestKiosk; 2],
    next: [u64; 2],
}

impl Visits<'_> {
    /// `resident` signs in at room `room` (0 or 1) `days_ago` days ago.
    async fn sign_in(&mut self, room: usize, resident: &str, days_ago: i64) {
        let seq = self.next[room];
        self.next[room] += 1;
        let record = KioskRecord { happened_at: at(days_ago), ..record(seq, sign_in(resident)) };
        let body = push_ok(self.server, &self.kiosks[room], &[record]).await;
        assert_eq!(body["results"][0]["outcome"]["status"], "accepted", "{body}");
    }
}

async fn name_of(server: &TestServer, id: &str) -> String {
    sqlx::query_scalar("SELECT full_name FROM residents WHERE id = $1")
        .bind(id)
        .fetch_one(&server.db.pool)
        .await
        .unwrap()
}

/// Where `name` first appears in the not-seen list of `page`, if it does.
fn place(page: &str, name: &str) -> Option<usize> {
    let start = page.find("id=\"not-seen-list\"")?;
    let end = page[start..].find("</table>")? + start;
    page[start..end].find(name)
}

#[tokio::test]
async fn regulars_not_seen_are_listed_living_alone_first_and_a_follow_up_quiets_or_deactivates() {
    let server = spawn_with_demo().await;
    let kiosks = [pair(&server, "room-seniors").await, pair(&server, "room-hall").await];
    let mut visits = Visits { server: &server, kiosks, next: [1, 1] };
    // resident-0006 lives alone (the demo marks every ninth from the sixth): away nine days.
    for day in [20, 15, 12, 9] {
        visits.sign_in(0, "resident-0006", day).await;
    }
    // resident-0002: away ten days; one of their days in both rooms.
    for day in [25, 18, 14, 10] {
        visits.sign_in(0, "resident-0002", day).await;
    }
    visits.sign_in(1, "resident-0002", 10).await;
    // resident-0003: a regular back yesterday.
    for day in [20, 15, 12, 1] {
        visits.sign_in(0, "resident-0003", day).await;
    }
    // resident-0004: four sign-ins but three days (one day in two rooms): not a regular.
    visits.sign_in(0, "resident-0004", 20).await;
    visits.sign_in(1, "resident-0004", 20).await;
    visits.sign_in(0, "resident-0004", 15).await;
    visits.sign_in(0, "resident-0004", 12).await;
    // resident-0007: a regular, off the roster.
    for day in [20, 15, 12, 9] {
        visits.sign_in(1, "resident-0007", day).await;
    }
    let staff = Browser::staff(&server, "carer", Role::Staff).await;
    assert_eq!(staff.post("/console/residents/resident-0007/deactivate", &[("reason", "搬走")]).await.status(), 303);

    let names = [
        name_of(&server, "resident-0006").await,
        name_of(&server, "resident-0002").await,
        name_of(&server, "resident-0003").await,
        name_of(&server, "resident-0004").await,
        name_of(&server, "resident-0007").await,
    ];
    let page = staff.page("/console/care").await;
    let (alone, away) = (place(&page, &names[0]), place(&page, &names[1]));
    assert!(alone.is_some() && away.is_some(), "both regulars not seen are listed: {page}");
    assert!(alone < away, "living alone first, though away one day less");
    for not_listed in &names[2..] {
        assert_eq!(place(&page, not_listed), None, "{not_listed} is not listed");
    }
    assert!(page.contains("独居"), "the mark shows");

    // All well: quiet until they miss a week again.
    let done =
        staff.post("/console/care/resident-0002/follow-up", &[("outcome", "all_well"), ("note", "去女儿家了")]).await;
    assert_eq!(done.status(), 303);
    let page = staff.page("/console/care").await;
    assert_eq!(place(&page, &names[1]), None, "quiet after the follow-up");
    assert!(place(&page, &names[0]).is_some());

    // Another site's staff reach none of it.
    let other = Browser::staff_of(&server, "other-carer", Role::Staff, &["site-other"]).await;
    let refused = other.post("/console/care/resident-0006/follow-up", &[("outcome", "passed_away")]).await;
    assert_eq!(refused.status(), 404);
    assert_eq!(place(&other.page("/console/care").await, &names[0]), None);
    assert_eq!(
        scalar(&server, "SELECT COUNT(*) FROM residents WHERE id = $1 AND deactivated_at IS NULL", "resident-0006")
            .await,
        1
    );
    let nonsense = staff.post("/console/care/resident-0006/follow-up", &[("outcome", "fine-ish")]).await;
    assert_eq!(nonsense.status(), 422);

    // Passed away: off the roster, with that reason, and off the list.
    assert_eq!(staff.post("/console/care/resident-0006/follow-up", &[("outcome", "passed_away")]).await.status(), 303);
    assert_eq!(
        scalar(&server, "SELECT COUNT(*) FROM residents WHERE id = $1 AND deactivated_at IS NULL", "resident-0006")
            .await,
        0
    );
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM action_log WHERE action = 'resident.deactivate' AND subject = 'resident-0006'",
    )
    .fetch_one(&server.db.pool)
    .await
    .unwrap();
    assert_eq!(reason, "passed_away");
    let page = staff.page("/console/care").await;
    assert!(page.contains("常来的居民最近都来过"), "nobody left: {page}");
    let sql = "SELECT COUNT(*) FROM action_log WHERE action = $1 AND actor = 'carer'";
    assert_eq!(scalar(&server, sql, "care.follow_up").await, 2, "each follow-up in the action log");
    // The month's count: two residents checked on, one all well, one passed away.
    let csv = staff.get("/console/care?format=csv").await.text().await.unwrap();
    let month = jiayuan_community::community_time::today(OFFSET);
    let row = format!("{:04}-{:02},2,1,0,0,0,0,1", month.year(), u8::from(month.month()));
    assert!(csv.lines().any(|line| line.trim() == row), "{csv}");
    // And the month's summary report says the same.
    let summary = staff.page("/console/reports/summary").await;
    assert!(summary.contains("<span id=\"checked-on\">2</span>"), "{summary}");
}

#[tokio::test]
async fn the_rule_is_the_sites_and_staff_change_it_within_bounds() {
    let server = spawn_with_demo().await;
    let staff = Browser::staff(&server, "rule-keeper", Role::Staff).await;
    let saved = staff.post("/console/care/settings", &[("regular_days", "3"), ("absent_days", "14")]).await;
    assert_eq!(saved.status(), 303);
    assert!(staff.page("/console/care").await.contains("四周里来过至少 3 天、已经 14 天没来"));
    let refused = staff.post("/console/care/settings", &[("regular_days", "0"), ("absent_days", "14")]).await;
    assert_eq!(refused.status(), 422);
    let viewer = Browser::staff(&server, "rule-reader", Role::Viewer).await;
    assert_eq!(
        viewer.post("/console/care/settings", &[("regular_days", "5"), ("absent_days", "7")]).await.status(),
        403
    );
}
