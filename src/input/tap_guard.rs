//! A trembling hand taps twice; the kiosk must act once. Repeated taps on the same control
//! within 400 ms count as one, so a double tap never signs a resident up twice.

pub const REPEAT_WINDOW_MS: f64 = 400.0;

/// Whether `now` is less than the window after `then`. A clock that went back (reset, or
/// faked in a test) is never inside it: after a jump, a tap acts rather than being ignored
/// until the clock catches up.
pub fn within_window(then: f64, now: f64) -> bool {
    (0.0..REPEAT_WINDOW_MS).contains(&(now - then))
}

#[derive(Debug, Default, Clone)]
pub struct TapGuard {
    last: Option<(String, f64)>,
}

impl TapGuard {
    /// Whether a tap on `control` at `at_ms` should act.
    pub fn accept(&mut self, control: &str, at_ms: f64) -> bool {
        let repeat =
            self.last.as_ref().is_some_and(|(last, last_at)| last == control && within_window(*last_at, at_ms));
        if repeat {
            return false;
        }
        self.last = Some((control.to_owned(), at_ms));
        true
    }
}
