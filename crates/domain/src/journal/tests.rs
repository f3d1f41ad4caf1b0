use super::*;
use crate::sync::{Action, KioskRecord, Outcome, Person, PushRequest, Rating, RecordResult, RejectReason, VoidReason};

fn meta() -> JournalMeta {
    JournalMeta::new("k3x9q2".to_owned())
}

fn sign_in(resident: &str) -> Action {
    Action::SignIn { person: Person::Resident { resident_id: resident.to_owned() } }
}

/// Entries as the store would hold them: number and text.
fn entries(meta: &mut JournalMeta, count: u64) -> Vec<(u64, String)> {
    (0..count)
        .map(|n| {
            let seq = meta.take_number().unwrap();
            (seq, encode(1_000 + n as i64, &sign_in(&format!("resident-{n:04}"))))
        })
        .collect()
}

fn answers(records: &[KioskRecord], outcome: Outcome) -> Vec<RecordResult> {
    records
        .iter()
        .map(|r| RecordResult { seq: r.seq, id: r.id.clone(), applied_at: 9, outcome: outcome.clone() })
        .collect()
}

/// The server's side of numbering, as `crates/server` keeps it: a push must start at or before
/// the next number it expects and be numbered one after another.
struct Server {
    applied: u64,
    counted: Vec<Action>,
}

impl Server {
    fn push(&mut self, records: &[KioskRecord]) -> Result<Vec<RecordResult>, u64> {
        PushRequest { records: records.to_vec() }.check().map_err(|_| self.applied + 1)?;
        if records.first().is_some_and(|r| r.seq > self.applied + 1) {
            return Err(self.applied + 1);
        }
        for record in records {
            if record.seq <= self.applied {
                continue;
            }
            if !matches!(record.action, Action::Void { .. }) {
                self.counted.push(record.action.clone());
            }
            self.applied = record.seq;
        }
        let void =
            |r: &KioskRecord| if matches!(r.action, Action::Void { .. }) { Outcome::Void } else { Outcome::Accepted };
        Ok(records
            .iter()
            .map(|r| RecordResult { seq: r.seq, id: r.id.clone(), applied_at: 9, outcome: void(r) })
            .collect())
    }
}

#[test]
fn entries_keep_what_happened_and_read_the_old_queues_form() {
    let action = Action::SignUp { resident_id: "resident-0001".into(), activity_id: "act-1".into(), companions: 2 };
    assert_eq!(decode(&encode(42, &action)), Some((42, action)));
    assert_eq!(decode(r#"{"t":2,"a":{"k":"i"}}"#), Some((2, Action::SignIn { person: Person::Visitor })));
    assert_eq!(decode(r#"{"t":2,"a":{"k":"i","r":"resident-0002"}}"#), Some((2, sign_in("resident-0002"))));
    assert_eq!(decode("{not json"), None);
    let (resident_id, activity_id) = ("resident-0003".to_owned(), "taiji-1".to_owned());
    for action in [
        Action::Rate { resident_id: resident_id.clone(), activity_id: activity_id.clone(), rating: Rating::SoSo },
        Action::ServiceStart { resident_id: resident_id.clone(), activity_id: activity_id.clone() },
        Action::ServiceEnd { resident_id: resident_id.clone(), activity_id: activity_id.clone() },
        Action::PickUp { resident_id: resident_id.clone(), activity_id, guardian_id: "resident-0004".into() },
        Action::Told { resident_id, notice_id: "notice-1".into() },
    ] {
        assert_eq!(decode(&encode(7, &action)), Some((7, action)));
    }
    assert_eq!(decode(r#"{"t":2,"a":{"k":"r","r":"resident-0003","v":"taiji-1"}}"#), None, "a rating needs its answer");
    assert_eq!(
        decode(r#"{"t":2,"a":{"k":"p","r":"resident-0003","v":"care-1"}}"#),
        None,
        "a pick-up needs its guardian"
    );
}

#[test]
fn numbers_are_never_reused_after_a_restart() {
    let mut meta = meta();
    let held = entries(&mut meta, 3);
    meta.take_answers(
        &[],
        &[RecordResult { seq: 1, id: meta.record_id(1), applied_at: 0, outcome: Outcome::Accepted }],
    );
    // The saved meta may lag what was written: a record went in, then the power went.
    let stale = JournalMeta { next: 2, ..meta.clone() };
    assert_eq!(stale.resumed(held.last().map(|(seq, _)| *seq)).next, 4);
    // Every record forgotten: the answered mark alone keeps numbering going.
    let forgotten = JournalMeta { next: 1, answered: 3, ..meta };
    assert_eq!(forgotten.resumed(None).next, 4);
}

#[test]
fn a_number_taken_for_a_record_that_was_not_written_is_given_back() {
    let mut meta = meta();
    let seq = meta.take_number().unwrap();
    meta.give_back(seq);
    assert_eq!(meta.take_number(), Some(seq));
    let later = meta.take_number().unwrap();
    meta.give_back(seq);
    assert_eq!(meta.next, later + 1, "a number with a later one taken is not given back");
}

#[test]
fn numbering_ends_before_the_servers_largest_number() {
    let mut meta = JournalMeta { next: crate::sync::record::MAX_SEQ, ..meta() };
    assert_eq!(meta.take_number(), Some(crate::sync::record::MAX_SEQ));
    assert_eq!(meta.take_number(), None);
}

#[test]
fn a_damaged_entry_in_the_middle_still_lets_every_later_record_reach_the_server() {
    let mut meta = meta();
    let mut held = entries(&mut meta, 10);
    held[3].1 = "{\"t\":5,\"a\":{\"k\":".to_owned();
    held.remove(6);
    let mut server = Server { applied: 0, counted: Vec::new() };
    let mut sent = 0;
    loop {
        let batch = outbox(&meta, meta.answered + 1, &held, 4, 77);
        if batch.is_empty() {
            break;
        }
        let results = server.push(&batch).expect("the server takes every batch the journal makes");
        meta.take_answers(&batch, &results);
        sent += batch.len();
    }
    assert_eq!(sent, 10, "every number went, the damaged and the missing ones too");
    assert_eq!(server.applied, 10);
    assert_eq!(server.counted.len(), 8, "nothing counted for the numbers given up");
    assert_eq!(meta.answered, 10);
    assert_eq!(meta.given_up, Tally { count: 2, latest: vec![4, 7] });
    let voids: Vec<_> = (1..=10).map(|seq| outbox(&meta, seq, &held, 1, 0)[0].action.clone()).collect();
    assert_eq!(voids[3], Action::Void { reason: VoidReason::Unreadable });
    assert_eq!(voids[6], Action::Void { reason: VoidReason::NotKept });
}

#[test]
fn the_outbox_stops_at_the_newest_record_and_at_its_limit() {
    let mut meta = meta();
    let held = entries(&mut meta, 5);
    let batch = outbox(&meta, 2, &held, 2, 0);
    assert_eq!(batch.iter().map(|r| r.seq).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(batch[0].id, "k3x9q2-2");
    assert_eq!(batch[0].happened_at, 1_001);
    assert!(outbox(&meta, 6, &held, 10, 0).is_empty());
    assert_eq!(outbox(&meta, 4, &held, usize::MAX, 0).len(), 2);
}

#[test]
fn a_restored_server_gets_again_what_the_kiosk_still_holds() {
    let mut meta = meta();
    let held = entries(&mut meta, 6);
    let first = outbox(&meta, 1, &held, 10, 0);
    meta.take_answers(&first, &answers(&first, Outcome::Accepted));
    assert_eq!(meta.unanswered(), 0);
    // Records 1 and 2 were forgotten after a week; the server, restored, expects 1 again.
    let still_held = &held[2..];
    let again = outbox(&meta, 1, still_held, 10, 5);
    assert_eq!(again.len(), 6);
    assert_eq!(again[0].action, Action::Void { reason: VoidReason::NotKept });
    assert_eq!(again[1].action, Action::Void { reason: VoidReason::NotKept });
    assert_eq!(again[2].action, sign_in("resident-0002"));
    assert_eq!(again[2].id, first[2].id, "the same record, recognised by its id");
}

#[test]
fn answers_move_the_mark_and_note_what_staff_must_see() {
    let mut meta = meta();
    let held = entries(&mut meta, 3);
    let batch = outbox(&meta, 1, &held, 10, 0);
    let mut results = answers(&batch, Outcome::Accepted);
    results[1].outcome = Outcome::rejected(RejectReason::OtherSite);
    meta.take_answers(&batch, &results[..2]);
    assert_eq!((meta.answered, meta.unanswered()), (2, 1));
    assert_eq!(meta.refused, Tally { count: 1, latest: vec![2] });
    meta.take_answers(&batch, &results[1..2]);
    assert_eq!(meta.refused.count, 1, "an answer taken twice is counted once");
    // An answer that does not follow on from the mark does not move it.
    meta.take_answers(&[], &[RecordResult { seq: 9, id: "x".into(), applied_at: 0, outcome: Outcome::Accepted }]);
    assert_eq!(meta.answered, 2);
}

#[test]
fn answered_records_are_forgotten_after_a_week_in_order() {
    let week = KEEP_ANSWERED_MS;
    let now = 10 * week;
    let oldest = [
        (1, Some(now - 2 * week)),
        (2, None),
        (3, Some(now - week - 1)),
        (4, Some(now - 10)),
        (5, Some(now - 2 * week)),
    ];
    assert_eq!(forget_through(5, &oldest, now, week), Some(3), "stops at the first young record");
    assert_eq!(forget_through(2, &oldest, now, week), Some(2), "never an unanswered record");
    assert_eq!(forget_through(0, &oldest, now, week), None);
    assert_eq!(forget_through(5, &[], now, week), None);
}

fn local_storage(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn the_old_queue_moves_in_with_its_numbers_and_install_id() {
    let old = local_storage(&[
        ("jy/queue", r#"{"install":"oldkiosk","next":8,"answered":4}"#),
        ("jy/r/3", r#"{"t":3,"a":{"k":"i"}}"#),
        ("jy/r/5", r#"{"t":5,"a":{"k":"i"}}"#),
        ("jy/r/7", r#"{"t":7,"a":{"k":"u","r":"resident-0001","v":"act-1","n":0}}"#),
        ("jy/aside/jy/r/6", "{broken"),
        ("jy/a/4", r#"{"applied_at":1,"outcome":{"status":"accepted"}}"#),
        ("jy/catalog", "{}"),
        ("jy/kiosk", "{}"),
    ]);
    let migration = migrate_local_storage(&old, || panic!("the old install id is kept")).unwrap();
    assert_eq!(migration.meta.install, "oldkiosk");
    assert_eq!((migration.meta.next, migration.meta.answered), (8, 4));
    let numbers: Vec<u64> = migration.records.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(numbers, [5, 6, 7], "answered records stay behind; the damaged one comes to be given up");
    let batch = outbox(&migration.meta, 5, &migration.records, 10, 0);
    assert_eq!(batch[0].id, "oldkiosk-5");
    assert_eq!(batch[1].action, Action::Void { reason: VoidReason::Unreadable });
    let kept: Vec<&str> = old.iter().map(|(k, _)| k.as_str()).filter(|k| !is_legacy_key(k)).collect();
    assert_eq!(kept, ["jy/catalog", "jy/kiosk"], "the old queue's keys are removed after the move, nothing else");
}

#[test]
fn a_record_written_after_the_old_counter_still_moves_and_numbering_goes_on_after_it() {
    let old = local_storage(&[
        ("jy/queue", r#"{"install":"oldkiosk","next":2,"answered":0}"#),
        ("jy/r/1", r#"{"t":1,"a":{"k":"i"}}"#),
        ("jy/r/2", r#"{"t":2,"a":{"k":"i"}}"#),
        ("jy/aside/jy/r/2", "{broken copy"),
    ]);
    let migration = migrate_local_storage(&old, || unreachable!()).unwrap();
    assert_eq!(migration.meta.next, 3);
    assert_eq!(
        migration.records,
        vec![(1, r#"{"t":1,"a":{"k":"i"}}"#.to_owned()), (2, r#"{"t":2,"a":{"k":"i"}}"#.to_owned())]
    );
}

#[test]
fn a_new_kiosk_or_a_damaged_counter() {
    assert_eq!(migrate_local_storage(&local_storage(&[("jy/catalog", "{}")]), || unreachable!()), None);
    let damaged = local_storage(&[("jy/queue", "garbage"), ("jy/r/5", r#"{"t":5,"a":{"k":"i"}}"#)]);
    let migration = migrate_local_storage(&damaged, || "fresh".into()).unwrap();
    assert_eq!((migration.meta.install.as_str(), migration.meta.next), ("fresh", 6));
    assert_eq!(migration.records.len(), 1);
}
