//! What a paired kiosk keeps to prove itself: its id and secret from the server.
//!
//! Kept in IndexedDB beside the journal, flushed before the staff panel says "paired": a power
//! cut right after pairing must not leave a kiosk that takes residents' records and can never
//! send them. localStorage (which Chromium writes seconds later) holds a copy for a quick start;
//! the journal's copy wins when they differ.

use serde::{Deserialize, Serialize};

use crate::state::LocalData;
use crate::storage::{StorageError, key_value};

const KEY: &str = "jy/kiosk";
/// Its key in the journal's meta store.
const DURABLE_KEY: &str = "kiosk";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub kiosk_id: String,
    pub secret: String,
    pub room_id: String,
    pub site_id: String,
    /// The server refused this kiosk (revoked): kept, so the staff panel can say so after a
    /// reload, until staff pair it again.
    #[serde(default)]
    pub refused: bool,
}

impl Credentials {
    /// The quick copy, for the first moments of a start.
    pub fn load() -> Option<Credentials> {
        key_value::load(KEY)
    }

    /// The durable copy, once the journal is open.
    pub async fn load_durable(data: &LocalData) -> Result<Option<Credentials>, StorageError> {
        Ok(data.kept_text(DURABLE_KEY).await?.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Keeps the credentials on the disk (the journal's durability), then the quick copy.
    pub async fn save(&self, data: &LocalData) -> Result<(), StorageError> {
        let text = serde_json::to_string(self).map_err(|e| StorageError::Unavailable(e.to_string()))?;
        data.keep(DURABLE_KEY, &text).await?;
        key_value::save(KEY, self)
    }

    pub fn authorization(&self) -> String {
        format!("Bearer {}.{}", self.kiosk_id, self.secret)
    }
}
