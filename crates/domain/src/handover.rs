//! Children in after-school care (托管, 小饭桌) handed over safely. At a care session a child's
//! check-in is their drop-off (送来); their pick-up (接走) is a record of its own, by a guardian
//! staff listed, or by staff in the console with a reason. Records reach the server in any
//! order (a kiosk offline for a day, two kiosks in one room), so where a child stands is worked
//! out from what arrived, never from the order it arrived in.

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
    fn only_a_listed_guardian_may_pick_up() {
        let guardians = ["grandma", "dad"];
        assert!(may_pick_up(guardians.iter().copied(), "grandma"));
        assert!(!may_pick_up(guardians.iter().copied(), "neighbour"));
        assert!(!may_pick_up(std::iter::empty(), "grandma"));
    }
}
