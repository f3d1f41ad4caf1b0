//! Counts passed and failed tests from each test runner's own summary lines.

/// Passed and failed tests across every layer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// Reads one line of a runner's output: cargo test and wasm-bindgen-test print
    /// `test result: ok. 3 passed; 0 failed; …`; node's TAP reporter prints `# pass 3`.
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(summary) = line.strip_prefix("test result: ") {
            self.passed += count_before(summary, " passed");
            self.failed += count_before(summary, " failed");
        } else if let Some(n) = line.strip_prefix("# pass ") {
            self.passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            self.failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }

    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

fn count_before(text: &str, label: &str) -> u64 {
    text.split(';')
        .find_map(|part| part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(label))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_test_summaries() {
        let mut tally = Tally::default();
        tally.read_line(
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
        );
        tally.read_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out");
        assert_eq!(tally, Tally { passed: 15, failed: 2 });
    }

    #[test]
    fn reads_node_tap_summaries() {
        let mut tally = Tally::default();
        for line in ["# tests 5", "# pass 4", "# fail 1", "ok 1 - home screen"] {
            tally.read_line(line);
        }
        assert_eq!(tally, Tally { passed: 4, failed: 1 });
    }
}
