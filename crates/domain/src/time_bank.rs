//! Volunteers' hours (爱心银行): a volunteer taps 开始服务 when they start and 结束服务 when
//! they finish; the server turns the two taps into hours by these rules.

mod service_here;

pub use service_here::{MARGIN_MINUTES_HERE, ServiceHere, shown_half_hours};

/// Hours are counted in half hours, rounded down.
pub const HALF_HOUR_MS: i64 = 30 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TapKind {
    Start,
    End,
}

/// One tap, at the server's time: the kiosk's clock corrected by that kiosk's measured
/// difference from the server's (`corrected`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    pub kind: TapKind,
    pub at_ms: i64,
    /// The record it came in, so a held entry names it.
    pub record_id: String,
}

/// A kiosk's clock told in the server's: its time minus how far it runs ahead.
pub fn corrected(kiosk_ms: i64, kiosk_minus_server_ms: i64) -> i64 {
    kiosk_ms.saturating_sub(kiosk_minus_server_ms)
}

/// Half hours served from `start_ms` to `end_ms`, rounded down, and never more than `cap_ms`
/// allows (the activity's length plus the margin staff set).
pub fn half_hours(start_ms: i64, end_ms: i64, cap_ms: i64) -> i64 {
    let served = end_ms.saturating_sub(start_ms).clamp(0, cap_ms.max(0));
    served / HALF_HOUR_MS
}

/// The most a session's service may count: its length and the margin staff set for the site.
pub fn cap_ms(starts: time::Time, ends: time::Time, margin_minutes: i64) -> i64 {
    let of_day = |t: time::Time| {
        i64::from(t.hour()).saturating_mul(3_600_000).saturating_add(i64::from(t.minute()).saturating_mul(60_000))
    };
    of_day(ends).saturating_sub(of_day(starts)).max(0).saturating_add(margin_minutes.max(0).saturating_mul(60_000))
}

/// What a volunteer's taps for one session come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// A start and the end after it: hours counted.
    Counted { start: Tap, end: Tap, half_hours: i64 },
    /// A start without an end (yet): once its day is over, held for staff to confirm.
    StartOnly(Tap),
    /// An end without a start before it: held for staff to confirm.
    EndOnly(Tap),
}

impl Served {
    pub fn half_hours(&self) -> i64 {
        match self {
            Served::Counted { half_hours, .. } => *half_hours,
            _ => 0,
        }
    }
}

/// A volunteer's taps for one session, in time order, whatever order and kiosks they came
/// from: each end closes the latest start before it; a start followed by another start was
/// left open; an end without a start before it stands alone.
pub fn pair(taps: &[Tap], cap_ms: i64) -> Vec<Served> {
    let mut ordered: Vec<&Tap> = taps.iter().collect();
    ordered.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then(a.record_id.cmp(&b.record_id)));
    let mut served = Vec::new();
    let mut open: Option<&Tap> = None;
    for tap in ordered {
        match (tap.kind, open.take()) {
            (TapKind::Start, earlier) => {
                served.extend(earlier.map(|start| Served::StartOnly(start.clone())));
                open = Some(tap);
            }
            (TapKind::End, Some(start)) => served.push(Served::Counted {
                half_hours: half_hours(start.at_ms, tap.at_ms, cap_ms),
                start: start.clone(),
                end: tap.clone(),
            }),
            (TapKind::End, None) => served.push(Served::EndOnly(tap.clone())),
        }
    }
    served.extend(open.map(|start| Served::StartOnly(start.clone())));
    served
}

/// Hours as staff type them (2, 1.5, 0.5): half hours, in half-hour steps, up to a day.
pub fn parse_hours(typed: &str) -> Option<i64> {
    let typed = typed.trim();
    let (whole, half) = match typed.split_once('.') {
        Some((whole, "5")) => (whole, 1),
        Some((whole, "0")) | Some((whole, "")) => (whole, 0),
        Some(_) => return None,
        None => (typed, 0),
    };
    let whole: i64 = whole.parse().ok()?;
    let half_hours = whole.checked_mul(2)?.checked_add(half)?;
    (1..=48).contains(&half_hours).then_some(half_hours)
}

/// 36.5: half hours as hours, the way volunteers say them.
pub fn hours_text(half_hours: i64) -> String {
    if half_hours % 2 == 0 { format!("{}", half_hours / 2) } else { format!("{}.5", half_hours / 2) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60 * 1000;

    fn tap(kind: TapKind, minute: i64, id: &str) -> Tap {
        Tap { kind, at_ms: minute * MINUTE, record_id: id.to_owned() }
    }

    #[test]
    fn hours_are_rounded_down_to_half_hours_and_capped() {
        let cap = 150 * MINUTE; // a two-hour session and half an hour's margin
        assert_eq!(half_hours(0, 89 * MINUTE, cap), 2, "1 h 29 min is 1 hour");
        assert_eq!(half_hours(0, 90 * MINUTE, cap), 3);
        assert_eq!(half_hours(0, 8 * 60 * MINUTE, cap), 5, "forgot to tap the end: at most 2.5 hours");
        assert_eq!(half_hours(10 * MINUTE, 0, cap), 0, "an end before its start counts nothing");
        assert_eq!(hours_text(73), "36.5");
        let (nine, eleven) = (time::macros::time!(9:00), time::macros::time!(11:00));
        assert_eq!(cap_ms(nine, eleven, 30), 150 * MINUTE);
        assert_eq!(cap_ms(eleven, nine, 0), 0, "a session the wrong way round counts nothing");
        assert_eq!(hours_text(4), "2");
        assert_eq!(parse_hours("1.5"), Some(3));
        assert_eq!(parse_hours(" 2 "), Some(4));
        assert_eq!(parse_hours("0.5"), Some(1));
        for bad in ["0", "1.25", "-1", "25", "两小时", ""] {
            assert_eq!(parse_hours(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_kiosk_running_ahead_is_told_in_the_servers_clock() {
        assert_eq!(corrected(10 * MINUTE, 3 * MINUTE), 7 * MINUTE);
        assert_eq!(corrected(10 * MINUTE, -2 * MINUTE), 12 * MINUTE);
    }

    #[test]
    fn taps_pair_in_time_order_whichever_push_or_kiosk_brought_them() {
        let cap = 240 * MINUTE;
        // The end reached the server first (another kiosk synced sooner).
        let taps = [tap(TapKind::End, 130, "b"), tap(TapKind::Start, 10, "a")];
        assert_eq!(pair(&taps, cap)[0].half_hours(), 4);
        // Started twice (forgot the first end), then ended once: the first start is held.
        let taps = [tap(TapKind::Start, 0, "a"), tap(TapKind::Start, 60, "b"), tap(TapKind::End, 120, "c")];
        let served = pair(&taps, cap);
        assert!(matches!(&served[0], Served::StartOnly(start) if start.record_id == "a"));
        assert_eq!(served[1].half_hours(), 2);
        // A start still open, and an end alone.
        assert!(matches!(pair(&[tap(TapKind::Start, 0, "a")], cap)[..], [Served::StartOnly(_)]));
        assert!(matches!(pair(&[tap(TapKind::End, 0, "a")], cap)[..], [Served::EndOnly(_)]));
    }
}
