//! Children in after-school care (托管, 小饭桌) handed over safely. At a care session a child's
//! check-in is their drop-off (送来); their pick-up (接走) is a record of its own, by a guardian
//! staff listed, or by staff in the console with a reason. Records reach the server in any
//! order (a kiosk offline for a day, two kiosks in one room), so where a child stands is worked
//! out from what arrived, never from the order it arrived in.

use crate::sync::pull::HandedOver;
use crate::sync::{Action, Person};

/// Minutes after a care session's end before staff are alerted to a child still in the room.
pub const ALERT_MINUTES: std::ops::RangeInclusive<u32> = 0..=240;
/// The site setting's first value: a quarter of an hour, then the office calls.
pub const DEFAULT_ALERT_MINUTES: u32 = 15;

/// Whether `by` may take `guardians`' child home: only a guardian staff listed. A neighbour
/// who offers is sent to staff, who check the child out with a reason.
pub fn may_pick_up<'a>(mut guardians: impl Iterator<Item = &'a str>, by: &str) -> bool {
    guardians.any(|guardian| guardian == by)
}

/// What arrived for one child at one care session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// A check-in (by the child's own card, or a guardian at the kiosk), at the kiosk's time.
    DropOff { at_ms: i64 },
    /// A pick-up, by a guardian at a kiosk or by staff in the console.
    PickUp { at_ms: i64, by_staff: bool },
}

/// Where a child stands at one care session, from its hand-overs in whatever order they came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AtSession {
    /// The first drop-off (a second check-in changes nothing).
    pub dropped_off_at: Option<i64>,
    /// The pick-up that counts: the first to reach the server. A second is answered "already
    /// picked up" and not kept, so it is counted once.
    pub picked_up: Option<PickedUp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickedUp {
    pub at_ms: i64,
    pub by_staff: bool,
}

impl AtSession {
    /// From the hand-overs as the server received them (first received first).
    pub fn from_handovers(handovers: impl IntoIterator<Item = Handover>) -> AtSession {
        let mut at = AtSession::default();
        for handover in handovers {
            match handover {
                Handover::DropOff { at_ms } => {
                    at.dropped_off_at = Some(at.dropped_off_at.map_or(at_ms, |first| first.min(at_ms)));
                }
                Handover::PickUp { at_ms, by_staff } => {
                    at.picked_up.get_or_insert(PickedUp { at_ms, by_staff });
                }
            }
        }
        at
    }

    /// Dropped off and not picked up: still in the room, as far as the server knows. A pick-up
    /// that arrived before its drop-off already took the child home.
    pub fn in_the_room(&self) -> bool {
        self.dropped_off_at.is_some() && self.picked_up.is_none()
    }

    /// In the room at `at_ms` by the records' times: dropped off by then and not picked up
    /// before it.
    pub fn in_the_room_at(&self, at_ms: i64) -> bool {
        self.dropped_off_at.is_some_and(|dropped| dropped <= at_ms) && self.picked_up.is_none_or(|p| p.at_ms > at_ms)
    }

    /// Picked up after the session ended.
    pub fn picked_up_late(&self, ends_ms: i64) -> bool {
        self.picked_up.is_some_and(|p| p.at_ms > ends_ms)
    }

    /// Staff should be alerted: still in the room `alert_minutes` after the end.
    pub fn alert_due(&self, ends_ms: i64, alert_minutes: u32, now_ms: i64) -> bool {
        self.in_the_room() && now_ms >= alert_from(ends_ms, alert_minutes)
    }
}

/// When the alert for a child still in the room starts: the end plus the site's minutes.
pub fn alert_from(ends_ms: i64, alert_minutes: u32) -> i64 {
    ends_ms.saturating_add(i64::from(alert_minutes).saturating_mul(60_000))
}

/// How long after a child's alert began a text message still goes to their guardians: later,
/// staff see to it (a child left on the list overnight is not texted about in the morning).
pub const ALERT_MESSAGE_WITHIN_MS: i64 = 3 * 60 * 60 * 1000;

/// The pick-up alert's text message to a guardian (where a gateway is configured): the
/// community first, as Chinese messages are signed; the child by the masked name kiosks show.
pub fn alert_message_words(community: &str, child: &str, title: &str, ends: &str) -> String {
    format!("【{community}】{title}{ends}已经结束，{child}还在活动室，请您尽快来接。来不了请给社区打个电话。")
}

/// A drop-off or a pick-up a kiosk saved: what it shows before the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandedHere {
    pub activity_id: String,
    pub child_id: String,
    pub picked_up: bool,
}

impl HandedHere {
    /// The hand-over `action` is, at a session `is_care` says is after-school care: a
    /// resident's check-in there is a drop-off.
    pub fn of(action: &Action, is_care: impl Fn(&str) -> bool) -> Option<HandedHere> {
        let (child, activity_id, picked_up) = match action {
            Action::CheckIn { person: Person::Resident { resident_id }, activity_id } => {
                (resident_id, activity_id, false)
            }
            Action::PickUp { resident_id, activity_id, .. } => (resident_id, activity_id, true),
            _ => return None,
        };
        is_care(activity_id).then(|| HandedHere {
            activity_id: activity_id.clone(),
            child_id: child.clone(),
            picked_up,
        })
    }
}

/// Where a session's children stand as a kiosk knows it: the server's lists as last pulled,
/// with the kiosk's own records since. A pick-up anywhere takes the child out of the room; a
/// child picked up is never in it again that session (the server keeps one pick-up).
pub fn seen_here(activity_id: &str, server: &HandedOver, here: &[HandedHere]) -> HandedOver {
    let mut seen = server.clone();
    for handed in here.iter().filter(|h| h.activity_id == activity_id) {
        let list = if handed.picked_up { &mut seen.picked_up } else { &mut seen.in_the_room };
        if !list.contains(&handed.child_id) {
            list.push(handed.child_id.clone());
        }
    }
    let HandedOver { in_the_room, picked_up } = &mut seen;
    in_the_room.retain(|child| !picked_up.contains(child));
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000;

    fn every_order(handovers: &[Handover]) -> Vec<Vec<Handover>> {
        if handovers.len() <= 1 {
            return vec![handovers.to_vec()];
        }
        let mut orders = Vec::new();
        for i in 0..handovers.len() {
            let mut rest = handovers.to_vec();
            let first = rest.remove(i);
            for mut order in every_order(&rest) {
                order.insert(0, first);
                orders.push(order);
            }
        }
        orders
    }

    #[test]
    fn a_drop_off_and_a_pick_up_pair_up_in_whatever_order_they_arrive() {
        let handovers =
            [Handover::DropOff { at_ms: 10 * MINUTE }, Handover::PickUp { at_ms: 70 * MINUTE, by_staff: false }];
        for order in every_order(&handovers) {
            let at = AtSession::from_handovers(order.clone());
            assert_eq!(at.dropped_off_at, Some(10 * MINUTE), "{order:?}");
            assert_eq!(at.picked_up, Some(PickedUp { at_ms: 70 * MINUTE, by_staff: false }), "{order:?}");
            assert!(!at.in_the_room(), "{order:?}");
        }
    }

    #[test]
    fn drop_offs_at_two_kiosks_count_from_the_first_and_a_second_pick_up_is_not_another() {
        let handovers = [
            Handover::DropOff { at_ms: 12 * MINUTE },
            Handover::DropOff { at_ms: 10 * MINUTE },
            Handover::PickUp { at_ms: 60 * MINUTE, by_staff: false },
            Handover::PickUp { at_ms: 61 * MINUTE, by_staff: true },
        ];
        let at = AtSession::from_handovers(handovers);
        assert_eq!(at.dropped_off_at, Some(10 * MINUTE));
        assert_eq!(at.picked_up, Some(PickedUp { at_ms: 60 * MINUTE, by_staff: false }), "the first received counts");
    }

    #[test]
    fn a_child_is_in_the_room_from_the_drop_off_until_the_pick_up() {
        let dropped = AtSession::from_handovers([Handover::DropOff { at_ms: 10 * MINUTE }]);
        assert!(dropped.in_the_room());
        assert!(!dropped.in_the_room_at(9 * MINUTE));
        assert!(dropped.in_the_room_at(10 * MINUTE));
        let picked = AtSession::from_handovers([
            Handover::DropOff { at_ms: 10 * MINUTE },
            Handover::PickUp { at_ms: 50 * MINUTE, by_staff: false },
        ]);
        assert!(picked.in_the_room_at(49 * MINUTE));
        assert!(!picked.in_the_room_at(50 * MINUTE));
        // Never dropped off: never in the room, even with a pick-up on its way.
        assert!(!AtSession::default().in_the_room());
        assert!(!AtSession::from_handovers([Handover::PickUp { at_ms: 5, by_staff: false }]).in_the_room());
    }

    #[test]
    fn late_pick_ups_and_the_alert_start_after_the_end() {
        let ends = 90 * MINUTE;
        let still_in = AtSession::from_handovers([Handover::DropOff { at_ms: 10 * MINUTE }]);
        assert!(!still_in.alert_due(ends, 15, ends + 14 * MINUTE));
        assert!(still_in.alert_due(ends, 15, ends + 15 * MINUTE));
        assert!(still_in.alert_due(ends, 0, ends));
        let on_time = AtSession::from_handovers([
            Handover::DropOff { at_ms: 10 * MINUTE },
            Handover::PickUp { at_ms: ends, by_staff: false },
        ]);
        assert!(!on_time.picked_up_late(ends));
        assert!(!on_time.alert_due(ends, 15, ends + 60 * MINUTE), "picked up: no alert");
        let late = AtSession::from_handovers([
            Handover::DropOff { at_ms: 10 * MINUTE },
            Handover::PickUp { at_ms: ends + MINUTE, by_staff: true },
        ]);
        assert!(late.picked_up_late(ends));
    }

    #[test]
    fn the_alert_message_names_the_community_first_and_the_child_masked() {
        let words = alert_message_words("幸福里社区", "张*明", "小饭桌", "17:30");
        assert_eq!(words, "【幸福里社区】小饭桌17:30已经结束，张*明还在活动室，请您尽快来接。来不了请给社区打个电话。");
    }

    #[test]
    fn only_a_listed_guardian_may_pick_up() {
        let guardians = ["grandma", "dad"];
        assert!(may_pick_up(guardians.iter().copied(), "grandma"));
        assert!(!may_pick_up(guardians.iter().copied(), "neighbour"));
        assert!(!may_pick_up(std::iter::empty(), "grandma"));
    }

    fn handed(child: &str, picked_up: bool) -> HandedHere {
        HandedHere { activity_id: "care".into(), child_id: child.into(), picked_up }
    }

    #[test]
    fn a_kiosk_sees_the_room_as_the_server_had_it_with_its_own_records_since() {
        let server = HandedOver { in_the_room: vec!["ming".into(), "hua".into()], picked_up: vec!["li".into()] };
        let here = [
            handed("ming", true),
            handed("fang", false),
            // Another session's records are not this one's.
            HandedHere { activity_id: "other".into(), child_id: "hua".into(), picked_up: true },
        ];
        let seen = seen_here("care", &server, &here);
        assert_eq!(seen.in_the_room, ["hua", "fang"], "ming went home from here; fang came here");
        assert_eq!(seen.picked_up, ["li", "ming"]);
        // A drop-off here after the server had the pick-up (a kiosk that was offline): home.
        let seen = seen_here("care", &server, &[handed("li", false)]);
        assert_eq!(seen.in_the_room, ["ming", "hua"]);
    }

    #[test]
    fn a_check_in_at_a_care_session_is_a_drop_off_and_elsewhere_nothing() {
        let check_in = |activity: &str| Action::CheckIn {
            person: Person::Resident { resident_id: "ming".into() },
            activity_id: activity.into(),
        };
        let is_care = |id: &str| id == "care";
        assert_eq!(HandedHere::of(&check_in("care"), is_care), Some(handed("ming", false)));
        assert_eq!(HandedHere::of(&check_in("calligraphy"), is_care), None);
        let pick_up =
            Action::PickUp { resident_id: "ming".into(), activity_id: "care".into(), guardian_id: "grandma".into() };
        assert_eq!(HandedHere::of(&pick_up, is_care), Some(handed("ming", true)));
        let visitor = Action::CheckIn { person: Person::Visitor, activity_id: "care".into() };
        assert_eq!(HandedHere::of(&visitor, is_care), None);
    }
}
