use super::*;
use crate::sync::{Outcome, Person};

fn install() -> String {
    "k3x9q2".to_owned()
}

fn sign_in(resident: &str) -> Action {
    Action::SignIn { person: Person::Resident { resident_id: resident.to_owned() } }
}

fn sign_up(resident: &str, activity: &str) -> Action {
    Action::SignUp { resident_id: resident.to_owned(), activity_id: activity.to_owned(), companions: 1 }
}

fn answered(record: &KioskRecord) -> RecordResult {
    RecordResult { seq: record.seq, id: record.id.clone(), applied_at: 1_000, outcome: Outcome::Accepted }
}

#[test]
fn records_are_numbered_in_order_and_kept_until_answered() {
    let (mut queue, report) = RecordQueue::open(MemoryStore::default(), install).unwrap();
    assert!(report.moved_aside.is_empty());
    let first = queue.append(10, sign_in("resident-0001")).unwrap();
    let second = queue.append(11, sign_up("resident-0002", "act-1")).unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    assert_eq!(first.id, "k3x9q2-1");
    assert_eq!(queue.pending(10).unwrap(), vec![first.clone(), second.clone()]);
    assert_eq!(queue.pending(1).unwrap(), vec![first.clone()]);

    queue.save_answers(&[answered(&first)]).unwrap();
    assert_eq!(queue.pending(10).unwrap(), vec![second]);
    assert_eq!(queue.pending_count(), 1);
    assert_eq!(queue.answer(1).unwrap().unwrap().outcome, Outcome::Accepted);
}

#[test]
fn numbers_are_never_reused_across_restarts() {
    let (mut queue, _) = RecordQueue::open(MemoryStore::default(), install).unwrap();
    let records: Vec<_> = (0..3).map(|i| queue.append(i, sign_in("resident-0001")).unwrap()).collect();
    queue.save_answers(&records.iter().map(answered).collect::<Vec<_>>()).unwrap();
    let store = queue.store().clone();
    let (mut reopened, _) = RecordQueue::open(store, || panic!("the install id is kept")).unwrap();
    assert_eq!(reopened.pending_count(), 0);
    assert_eq!(reopened.append(9, sign_in("resident-0001")).unwrap().seq, 4);
}

#[test]
fn a_record_saved_just_before_a_crash_is_kept_and_numbering_goes_on_after_it() {
    let (mut queue, _) = RecordQueue::open(MemoryStore::default(), install).unwrap();
    queue.append(1, sign_in("resident-0001")).unwrap();
    let mut store = queue.store().clone();
    // The record of number 2 was written, then the power went before the counter was.
    store.force("jy/r/2", r#"{"t":2,"a":{"k":"i","r":"resident-0002"}}"#);
    let (mut reopened, _) = RecordQueue::open(store, install).unwrap();
    assert_eq!(reopened.pending(10).unwrap().len(), 2);
    assert_eq!(reopened.append(3, sign_in("resident-0003")).unwrap().seq, 3);
}

#[test]
fn unreadable_entries_are_moved_aside_and_reported_not_crashed_on() {
    let (mut queue, _) = RecordQueue::open(MemoryStore::default(), install).unwrap();
    queue.append(1, sign_in("resident-0001")).unwrap();
    let mut store = queue.store().clone();
    store.force("jy/r/2", "{not json");
    store.force("jy/r/oops", r#"{"t":2,"a":{"k":"i"}}"#);
    let (reopened, report) = RecordQueue::open(store, install).unwrap();
    assert_eq!(report.moved_aside, ["jy/r/2", "jy/r/oops"]);
    assert_eq!(reopened.pending(10).unwrap().len(), 1);
    assert_eq!(reopened.store().get("jy/aside/jy/r/2").unwrap().as_deref(), Some("{not json"));

    let mut broken_meta = MemoryStore::default();
    broken_meta.force("jy/queue", "garbage");
    broken_meta.force("jy/r/5", r#"{"t":5,"a":{"k":"i"}}"#);
    let (mut queue, report) = RecordQueue::open(broken_meta, install).unwrap();
    assert_eq!(report.moved_aside, ["jy/queue"]);
    assert_eq!(queue.append(6, sign_in("resident-0001")).unwrap().seq, 6, "numbering resumes after what is there");
}

#[test]
fn a_full_store_first_gives_up_answers_the_server_already_has() {
    let (mut queue, _) = RecordQueue::open(MemoryStore::default(), install).unwrap();
    let records: Vec<_> = (0..20).map(|i| queue.append(i, sign_up("resident-0001", "act-1")).unwrap()).collect();
    queue.save_answers(&records.iter().map(answered).collect::<Vec<_>>()).unwrap();
    // Now the store is as full as it is.
    let used = queue.store().used();
    let mut store = queue.store().clone();
    store = {
        let mut limited = MemoryStore::with_quota(used + 10);
        for key in store.keys_with_prefix("jy/").unwrap() {
            limited.force(&key, &store.get(&key).unwrap().unwrap());
        }
        limited
    };
    let (mut queue, _) = RecordQueue::open(store, install).unwrap();
    let saved = queue.append(99, sign_up("resident-0002", "act-2")).unwrap();
    assert_eq!(saved.seq, 21);
    assert_eq!(queue.answer(1).unwrap(), None, "old answers made room");
}

#[test]
fn when_nothing_can_be_saved_the_caller_is_told_and_nothing_is_counted() {
    let (mut queue, _) = RecordQueue::open(MemoryStore::with_quota(200), install).unwrap();
    let mut saved = 0;
    let error = loop {
        match queue.append(1, sign_up("resident-0001", "activity-with-a-long-id")) {
            Ok(_) => saved += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(error, SaveError::Full);
    assert_eq!(queue.pending_count(), saved);
    assert_eq!(queue.pending(usize::MAX).unwrap().len() as u64, saved);
}

/// The budget: the roster of 5,000 residents and 500 activities take their share of
/// localStorage, and what is left must still hold 50,000 queued records.
#[test]
fn fifty_thousand_records_fit_beside_the_cached_roster_and_schedule() {
    const CACHE_BUDGET: usize = 1_200_000;
    let (mut queue, _) = RecordQueue::open(MemoryStore::with_quota(BROWSER_QUOTA - CACHE_BUDGET), install).unwrap();
    let mut count = 0u64;
    loop {
        // A realistic day: mostly sign-ins, some check-ins, sign-ups and cancellations.
        let resident = format!("resident-{:04}", count % 5000);
        let activity = format!("2026-11-{:02}-after-school", 1 + count % 28);
        let action = match count % 10 {
            0 | 1 => sign_up(&resident, &activity),
            2 => Action::CheckIn { person: Person::Resident { resident_id: resident }, activity_id: activity },
            3 => Action::Cancel { resident_id: resident, activity_id: activity },
            _ => sign_in(&resident),
        };
        if queue.append(1_763_700_000_000 + count as i64, action).is_err() {
            break;
        }
        count += 1;
    }
    eprintln!("{count} records fit in {} code units", BROWSER_QUOTA - CACHE_BUDGET);
    assert!(count >= 50_000, "only {count} records fit");
}
