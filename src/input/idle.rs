//! Idle screens go home, but never by surprise (WCAG 2.2.1): after a minute without a touch a
//! full-screen "Are you still there?" counts down at least 20 seconds, and "I need more time"
//! starts the minute again, as often as the resident needs.

pub const QUIET_BEFORE_WARNING_MS: f64 = 60_000.0;
pub const COUNTDOWN_MS: f64 = 20_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlePhase {
    Active,
    /// Show the warning with this many whole seconds left.
    Warning {
        seconds_left: u32,
    },
    /// Go home and forget the resident.
    TimedOut,
}

#[derive(Debug, Clone)]
pub struct IdleTimer {
    last_touch_ms: f64,
}

impl IdleTimer {
    pub fn new(now_ms: f64) -> Self {
        IdleTimer { last_touch_ms: now_ms }
    }

    /// Any touch, and "I need more time", start the quiet minute again.
    pub fn touch(&mut self, now_ms: f64) {
        self.last_touch_ms = now_ms;
    }

    pub fn phase(&self, now_ms: f64) -> IdlePhase {
        let quiet = now_ms - self.last_touch_ms;
        if quiet < QUIET_BEFORE_WARNING_MS {
            return IdlePhase::Active;
        }
        let left = QUIET_BEFORE_WARNING_MS + COUNTDOWN_MS - quiet;
        if left <= 0.0 {
            IdlePhase::TimedOut
        } else {
            IdlePhase::Warning { seconds_left: (left / 1000.0).ceil() as u32 }
        }
    }
}
