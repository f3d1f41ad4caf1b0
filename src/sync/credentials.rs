//! What a paired kiosk keeps to prove itself: its id and secret from the server.

use serde::{Deserialize, Serialize};

use crate::storage::{StorageError, key_value};

const KEY: &str = "jy/kiosk";

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
    pub fn load() -> Option<Credentials> {
        key_value::load(KEY)
    }

    pub fn save(&self) -> Result<(), StorageError> {
        key_value::save(KEY, self)
    }

    pub fn authorization(&self) -> String {
        format!("Bearer {}.{}", self.kiosk_id, self.secret)
    }
}
