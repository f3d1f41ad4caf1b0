//! The little a record queue needs from a store.

/// A string key-value store like the browser's localStorage.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key starting with `prefix`, in sorted order.
    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The store's quota is used up (localStorage's QuotaExceededError).
    QuotaFull,
    /// Storage is switched off, blocked or broken.
    Unavailable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::QuotaFull => write!(f, "storage is full"),
            StoreError::Unavailable(why) => write!(f, "storage unavailable: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}
