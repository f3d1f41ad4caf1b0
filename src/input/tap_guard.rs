//! A trembling hand taps twice; the kiosk must act once. Repeated taps on the same control
//! within 400 ms count as one, so a double tap never signs a resident up twice.

pub const REPEAT_WINDOW_MS: f64 = 400.0;

#[derive(Debug, Default, Clone)]
pub struct TapGuard {
    last: Option<(String, f64)>,
}

impl TapGuard {
    /// Whether a tap on `control` at `at_ms` should act.
    pub fn accept(&mut self, control: &str, at_ms: f64) -> bool {
        let repeat = self
            .last
            .as_ref()
            .is_some_and(|(last, last_at)| last == control && at_ms - last_at < REPEAT_WINDOW_MS);
        if repeat {
            return false;
        }
        self.last = Some((control.to_owned(), at_ms));
        true
    }
}
