use time::macros::{date, time};

use super::*;
use crate::LocalizedText;
use crate::identity::{IdentityKind, digest};
use crate::schedule::Activity;
use crate::sync::pull::{Deleted, SignUpStatus};
use crate::sync::{Action, KioskRecord};

const KEY: &str = "site-key";

fn activity(id: &str, day: time::Date, hour: u8) -> ScheduledActivity {
    ScheduledActivity {
        activity: Activity {
            id: id.into(),
            room_id: "room-1".into(),
            title: LocalizedText::new("书法班", "書法班", "Calligraphy"),
            host: LocalizedText::new("李老师", "李老師", "Teacher Li"),
            date: day,
            starts: time::Time::from_hms(hour, 0, 0).unwrap(),
            ends: time!(23:00),
            capacity: Some(10),
            companions_allowed: 1,
            cancelled: false,
            volunteer_service: false,
            after_school: false,
        },
        seats_left: Some(3),
        draw: None,
        children: Default::default(),
    }
}

#[test]
fn an_entry_to_a_draw_stands_as_entered_and_travels_with_its_window() {
    use crate::sync::pull::{DrawWindow, SignUpDecision, SignUpStatus};
    let decision = SignUpDecision {
        activity_id: "a1".into(),
        resident_id: "r1".into(),
        companions: 1,
        status: SignUpStatus::Entered,
    };
    let text = serde_json::to_string(&decision).unwrap();
    assert!(text.contains(r#""status":"entered""#), "{text}");
    assert_eq!(serde_json::from_str::<SignUpDecision>(&text).unwrap(), decision);
    assert_eq!(
        crate::catalog::standing::standing(Some(&decision), &[], "r1", "a1"),
        crate::catalog::Standing::Entered { companions: 1 }
    );
    let mut drawn = activity("a1", time::macros::date!(2026 - 12 - 09), 9);
    drawn.draw = Some(DrawWindow { closes_at: 1_000, draws_at: 2_000 });
    let text = serde_json::to_string(&drawn).unwrap();
    assert_eq!(serde_json::from_str::<ScheduledActivity>(&text).unwrap(), drawn);
    assert!(drawn.draw.unwrap().takes_entries(999));
    assert!(!drawn.draw.unwrap().takes_entries(1_000), "closed at the close");
    let plain = serde_json::to_string(&activity("a2", time::macros::date!(2026 - 12 - 09), 9)).unwrap();
    assert!(!plain.contains("draw"), "first come, first served sends nothing new: {plain}");
}

fn resident(id: &str, card: &str, phone: &str, household: &str) -> RosterEntry {
    RosterEntry {
        id: id.into(),
        display_name: "张*华".into(),
        card: digest(KEY, IdentityKind::Card, card),
        phone_last4: digest(KEY, IdentityKind::PhoneLast4, phone),
        household: digest(KEY, IdentityKind::Household, household),
        served: None,
        to_rate: Vec::new(),
        to_tell: Vec::new(),
        children: Vec::new(),
    }
}

fn pull(cursor: u64, reset: bool) -> PullResponse {
    PullResponse {
        cursor,
        reset,
        server_time: 0,
        identity_key: KEY.into(),
        staff_pin: crate::staff_pin::digest(KEY, "2468"),
        utc_offset_minutes: Some(480),
        rooms: vec![],
        activities: vec![],
        residents: vec![],
        sign_ups: vec![],
        deleted: Deleted::default(),
    }
}

fn decision(activity: &str, resident: &str, status: SignUpStatus) -> SignUpDecision {
    SignUpDecision { activity_id: activity.into(), resident_id: resident.into(), companions: 0, status }
}

#[test]
fn changes_update_in_place_and_deletions_remove() {
    let mut catalog = Catalog::default();
    let mut first = pull(5, true);
    first.activities = vec![activity("b", date!(2026 - 11 - 22), 9), activity("a", date!(2026 - 11 - 21), 9)];
    first.residents = vec![resident("r1", "620001", "1234", "3-2-501")];
    first.sign_ups = vec![decision("a", "r1", SignUpStatus::Waitlisted { position: 2 })];
    catalog.apply(first);
    assert_eq!(catalog.activities[0].activity.id, "a", "earliest first");

    let mut later = pull(9, false);
    later.sign_ups = vec![decision("a", "r1", SignUpStatus::Confirmed)];
    later.deleted.activities = vec!["b".into()];
    catalog.apply(later);
    assert_eq!(catalog.cursor, 9);
    assert_eq!(catalog.activities.len(), 1);
    assert_eq!(catalog.sign_ups.len(), 1, "updated, not added");
    assert_eq!(catalog.decision("r1", "a").unwrap().status, SignUpStatus::Confirmed);
    assert_eq!(catalog.residents.len(), 1, "kept from before");

    catalog.apply(pull(10, true));
    assert!(catalog.residents.is_empty(), "a reset replaces everything");
}

#[test]
fn residents_are_found_by_card_phone_or_household_without_numbers_in_clear() {
    let mut catalog = Catalog::default();
    let mut first = pull(1, true);
    first.residents = vec![resident("r1", "620001", "1234", "3-2-501"), resident("r2", "620002", "1234", "3-2-502")];
    catalog.apply(first);
    let ids = |found: Identification| match found {
        Identification::Found(list) => list.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ids(catalog.identify(IdentityKind::Card, "620002")), ["r2"]);
    assert_eq!(ids(catalog.identify(IdentityKind::PhoneLast4, "1234")), ["r1", "r2"]);
    assert_eq!(ids(catalog.identify(IdentityKind::Household, "3 2 501")), ["r1"]);
    assert_eq!(catalog.identify(IdentityKind::Card, "999999"), Identification::NoMatch);
    assert_eq!(catalog.identify(IdentityKind::PhoneLast4, "12"), Identification::NotANumber);
    let stored = serde_json::to_string(&catalog).unwrap();
    assert!(!stored.contains("620001") && !stored.contains("3-2-501"));
}

#[test]
fn the_staff_pin_is_checked_by_digest() {
    let mut catalog = Catalog::default();
    assert!(!catalog.is_staff_pin("2468"), "no PIN known: refused");
    catalog.apply(pull(1, true));
    assert!(catalog.is_staff_pin("2468"));
    assert!(!catalog.is_staff_pin("1357"));
}

#[test]
fn past_days_are_dropped() {
    let mut catalog = Catalog::default();
    let mut first = pull(1, true);
    first.activities = vec![activity("old", date!(2026 - 11 - 20), 9), activity("new", date!(2026 - 11 - 21), 9)];
    first.sign_ups = vec![decision("old", "r1", SignUpStatus::Confirmed)];
    catalog.apply(first);
    catalog.drop_days_before(date!(2026 - 11 - 21));
    assert_eq!(catalog.activities.len(), 1);
    assert!(catalog.sign_ups.is_empty());
}

fn record(seq: u64, action: Action) -> KioskRecord {
    KioskRecord { seq, id: format!("k-{seq}"), happened_at: 0, action }
}

#[test]
fn what_a_resident_did_here_overtakes_the_last_decision_until_answered() {
    let sign_up = |companions| Action::SignUp { resident_id: "r1".into(), activity_id: "a".into(), companions };
    let cancel = Action::Cancel { resident_id: "r1".into(), activity_id: "a".into() };
    assert_eq!(standing(None, &[], "r1", "a"), Standing::NotSignedUp);
    assert_eq!(standing(None, &[record(1, sign_up(1))], "r1", "a"), Standing::WaitingToBeConfirmed { companions: 1 });
    let confirmed = decision("a", "r1", SignUpStatus::Confirmed);
    assert_eq!(standing(Some(&confirmed), &[record(1, cancel.clone())], "r1", "a"), Standing::NotSignedUp);
    assert_eq!(
        standing(Some(&confirmed), &[record(1, sign_up(0))], "r1", "a"),
        Standing::Confirmed { companions: 0 },
        "signing up again keeps the seat"
    );
    let other = Action::SignUp { resident_id: "r2".into(), activity_id: "a".into(), companions: 0 };
    assert_eq!(standing(None, &[record(1, other)], "r1", "a"), Standing::NotSignedUp);
    let waitlisted = decision("a", "r1", SignUpStatus::Waitlisted { position: 3 });
    assert_eq!(standing(Some(&waitlisted), &[], "r1", "a"), Standing::Waitlisted { position: 3, companions: 0 });
}

#[test]
fn check_in_opens_half_an_hour_before_and_closes_at_the_end() {
    let mut catalog = Catalog::default();
    let mut first = pull(1, true);
    let today = date!(2026 - 11 - 21);
    let mut class = activity("class", today, 9);
    class.activity.ends = time!(10:30);
    let mut elsewhere = activity("elsewhere", today, 9);
    elsewhere.activity.room_id = "room-2".into();
    first.activities = vec![class, elsewhere];
    catalog.apply(first);
    let on = |at| catalog.on_now("room-1", today, at).map(|a| a.activity.id.clone()).collect::<Vec<_>>();
    assert!(on(time!(8:29)).is_empty());
    assert_eq!(on(time!(8:30)), ["class"]);
    assert_eq!(on(time!(10:29)), ["class"]);
    assert!(on(time!(10:30)).is_empty());
}

#[test]
fn children_are_handed_over_at_the_care_session_on_now_and_picked_up_after_it_ends() {
    let mut catalog = Catalog::default();
    let mut first = pull(1, true);
    let today = date!(2026 - 11 - 21);
    let care = |id: &str, hour: u8, ends| {
        let mut a = activity(id, today, hour);
        a.activity.after_school = true;
        a.activity.ends = ends;
        a
    };
    let chess = activity("chess", today, 9);
    first.activities = vec![care("lunch", 11, time!(13:00)), care("after-class", 16, time!(18:00)), chess];
    catalog.apply(first);
    let here = |at| catalog.after_school_here("room-1", today, at).map(|(a, on)| (a.activity.id.clone(), on));
    assert_eq!(here(time!(10:00)), None, "nothing before the first");
    assert_eq!(here(time!(12:00)), Some(("lunch".into(), true)));
    assert_eq!(here(time!(14:00)), Some(("lunch".into(), false)), "late: pick-ups only");
    assert_eq!(here(time!(17:00)), Some(("after-class".into(), true)));
    assert_eq!(here(time!(20:00)), Some(("after-class".into(), false)), "the last that ended");
}

/// What a big site's catalog may take of localStorage's 5,242,262 units (Chromium): half,
/// leaving room for a site twice as big. Records are in the journal (IndexedDB), not here.
const CACHE_BUDGET_UNITS: usize = 2_600_000;

#[test]
fn a_big_communitys_catalog_fits_the_planned_cache_budget() {
    let mut pull = pull(1, true);
    pull.residents = (0..5_000)
        .map(|i| {
            resident(
                &format!("resident-{i:05}"),
                &format!("6201{i:06}"),
                &format!("{:04}", i % 10_000),
                &format!("{}-{}-{}", i % 30, i % 4, i % 600),
            )
        })
        .collect();
    pull.activities = (0..500)
        .map(|i| {
            let mut a = activity(&format!("2026-11-{:02}-activity-{i:03}", 1 + i % 28), date!(2026 - 11 - 21), 9);
            a.activity.title = LocalizedText::new(
                "老年大学：智能手机课",
                "老年大學：智能手機課",
                "Senior university: using a smartphone",
            );
            a.activity.host = LocalizedText::new("社区卫生站", "社區衛生站", "Community clinic");
            a
        })
        .collect();
    pull.sign_ups = (0..5_000)
        .map(|i| {
            decision(
                &pull.activities[i % 500].activity.id.clone(),
                &format!("resident-{i:05}"),
                SignUpStatus::Waitlisted { position: 12 },
            )
        })
        .collect();
    let mut catalog = Catalog::default();
    catalog.apply(pull);
    let stored = serde_json::to_string(&catalog).unwrap();
    assert_eq!(serde_json::from_str::<Catalog>(&stored).unwrap(), catalog, "kept and read back whole");
    let units = stored.encode_utf16().count();
    eprintln!("catalog of 5,000 residents, 500 activities, 5,000 sign-ups: {units} UTF-16 units");
    assert!(units <= CACHE_BUDGET_UNITS, "{units} units");
}

#[test]
fn the_communitys_offset_is_kept_and_an_older_server_that_does_not_say_it_leaves_it() {
    let mut catalog = Catalog::default();
    catalog.apply(pull(1, true));
    assert_eq!(catalog.utc_offset_minutes, Some(480));
    let mut older = pull(2, false);
    older.utc_offset_minutes = None;
    catalog.apply(older);
    assert_eq!(catalog.utc_offset_minutes, Some(480));
}
