//! What a kiosk says of itself with each pull, for staff watching the kiosks: records still
//! queued, storage used, its clock, its version and its last problem. It travels in the pull's
//! query (`GET /api/sync/pull?cursor=…&queued=…`), so it costs no request of its own, and every
//! part is optional: an older kiosk sends only its cursor.

use serde::Deserialize;

/// The pull's query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PullQuery {
    /// The cursor from the last pull; absent or 0 for everything.
    #[serde(default)]
    pub cursor: u64,
    /// Records kept on the kiosk that the server has not answered yet.
    pub queued: Option<u64>,
    /// Bytes the kiosk's storage holds, and may hold (the browser's estimate).
    pub storage_used: Option<u64>,
    pub storage_quota: Option<u64>,
    /// The kiosk's clock when it sent this (ms since 1970): the server tells staff how far it
    /// is off.
    pub clock: Option<i64>,
    /// The kiosk's version.
    pub version: Option<String>,
    /// Why its last sync failed, one of `problem::ALL`; absent when it went well.
    pub problem: Option<String>,
}

/// Why a kiosk's last sync failed, by name; the console says each in words.
pub mod problem {
    pub const OFFLINE: &str = "offline";
    pub const TIMEOUT: &str = "timeout";
    pub const SERVER: &str = "server";
    pub const REFUSED: &str = "refused";
    pub const NUMBERING_CLASH: &str = "numbering_clash";
    pub const GAP: &str = "gap";
    pub const STORAGE: &str = "storage";
    pub const BAD_ANSWER: &str = "bad_answer";
    pub const ALL: [&str; 8] = [OFFLINE, TIMEOUT, SERVER, REFUSED, NUMBERING_CLASH, GAP, STORAGE, BAD_ANSWER];
}

/// The longest version text kept.
pub const MAX_VERSION_LEN: usize = 32;

impl PullQuery {
    /// The path and query a kiosk pulls with.
    pub fn path(&self) -> String {
        let mut path = format!("/api/sync/pull?cursor={}", self.cursor);
        let mut add = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                path.push('&');
                path.push_str(name);
                path.push('=');
                path.push_str(&value);
            }
        };
        add("queued", self.queued.map(|n| n.to_string()));
        add("storage_used", self.storage_used.map(|n| n.to_string()));
        add("storage_quota", self.storage_quota.map(|n| n.to_string()));
        add("clock", self.clock.map(|n| n.to_string()));
        add("version", self.version.as_deref().filter(|v| is_plain(v)).map(str::to_owned));
        add("problem", self.problem.as_deref().filter(|p| problem::ALL.contains(p)).map(str::to_owned));
        path
    }

    /// The version, if it is plain enough to show (letters, digits, '.', '-', '+').
    pub fn plain_version(&self) -> Option<&str> {
        self.version.as_deref().filter(|v| is_plain(v))
    }

    /// The problem, if it is one this server knows.
    pub fn known_problem(&self) -> Option<&'static str> {
        let sent = self.problem.as_deref()?;
        problem::ALL.into_iter().find(|known| *known == sent)
    }
}

fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_VERSION_LEN
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_report_reads_back_from_its_path() {
        let report = PullQuery {
            cursor: 42,
            queued: Some(3),
            storage_used: Some(1_500_000),
            storage_quota: Some(10_000_000_000),
            clock: Some(1_764_547_200_000),
            version: Some("0.1.0".into()),
            problem: Some(problem::OFFLINE.into()),
        };
        let path = report.path();
        assert_eq!(
            path,
            "/api/sync/pull?cursor=42&queued=3&storage_used=1500000&storage_quota=10000000000\
             &clock=1764547200000&version=0.1.0&problem=offline"
        );
        let query = path.split_once('?').unwrap().1;
        let back: PullQuery = serde_urlencoded::from_str(query).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn an_older_kiosk_sends_only_its_cursor_and_odd_text_is_left_out() {
        let back: PullQuery = serde_urlencoded::from_str("cursor=7").unwrap();
        assert_eq!(back, PullQuery { cursor: 7, ..PullQuery::default() });
        let odd = PullQuery { version: Some("<b>".into()), problem: Some("made up".into()), ..PullQuery::default() };
        assert_eq!(odd.path(), "/api/sync/pull?cursor=0");
        assert_eq!(odd.known_problem(), None);
        assert_eq!(odd.plain_version(), None);
    }
}
