//! Tells a card reader from a person. A USB card reader "types" the card number as keystrokes
//! a few milliseconds apart and ends with Enter; a person, even a fast one, leaves 80 ms or
//! more between keys. Only a fast burst of at least six characters ending in Enter is a scan.

/// The longest gap between a reader's keystrokes (readers: 2-20 ms; people: 80 ms and up).
pub const MAX_GAP_MS: f64 = 40.0;
/// Card numbers are longer than anything a reader would be confused with.
pub const MIN_LENGTH: usize = 6;
pub const MAX_LENGTH: usize = 32;

#[derive(Debug, Default, Clone)]
pub struct CardScanDetector {
    burst: String,
    last_key_at: Option<f64>,
}

impl CardScanDetector {
    /// Feeds one keydown (`KeyboardEvent.key`) at `at_ms`; returns the card number when this
    /// key completes a scan.
    pub fn key(&mut self, key: &str, at_ms: f64) -> Option<String> {
        let fast = self.last_key_at.is_some_and(|last| at_ms - last <= MAX_GAP_MS);
        if key == "Enter" {
            let scanned = (fast && (MIN_LENGTH..=MAX_LENGTH).contains(&self.burst.len()))
                .then(|| std::mem::take(&mut self.burst));
            self.reset();
            return scanned;
        }
        let mut chars = key.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphanumeric() => {
                if !fast {
                    // A slow key starts a new burst: what came before was a person typing.
                    self.burst.clear();
                }
                if self.burst.len() < MAX_LENGTH {
                    self.burst.push(c);
                }
                self.last_key_at = Some(at_ms);
                None
            }
            _ => {
                self.reset();
                None
            }
        }
    }

    fn reset(&mut self) {
        self.burst.clear();
        self.last_key_at = None;
    }
}
