//! The server's own secret key: what it hashes pairing codes with (HMAC-SHA256), so a copy of
//! the database alone does not give the codes away by trying all 100 million of them.
//!
//! Kept in a file of its own (by default `secret.key` in the data folder, readable by the
//! server's user only), made on first use. Several server processes on one PostgreSQL must be
//! given the same file (`--secret-file`).

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The file's name in the data folder, unless `--secret-file` names another.
pub const DEFAULT_FILE: &str = "secret.key";

#[derive(Clone)]
pub struct SecretKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretKeyError {
    #[error("cannot read the server's secret key {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write a new secret key to {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the server's secret key {path} is not 64 hexadecimal digits; remove it to make a new one")]
    Malformed { path: PathBuf },
}

impl SecretKey {
    /// The key in `explicit`, or in the data folder's `secret.key`, made there if missing.
    pub fn load_or_create(data_dir: &Path, explicit: Option<&Path>) -> Result<SecretKey, SecretKeyError> {
        let path = explicit.map(Path::to_path_buf).unwrap_or_else(|| data_dir.join(DEFAULT_FILE));
        match std::fs::read_to_string(&path) {
            Ok(text) => SecretKey::from_hex(text.trim()).ok_or(SecretKeyError::Malformed { path }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                let key = SecretKey::random();
                write_private(&path, &key.to_hex()).map_err(|source| SecretKeyError::Write { path, source })?;
                Ok(key)
            }
            Err(source) => Err(SecretKeyError::Read { path, source }),
        }
    }

    /// 256 bits from the operating system's random source.
    pub fn random() -> SecretKey {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        SecretKey { bytes }
    }

    fn from_hex(text: &str) -> Option<SecretKey> {
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(SecretKey { bytes })
    }

    fn to_hex(&self) -> String {
        self.bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// HMAC-SHA256 of `text` under this key, for `purpose` (so one key serves several uses
    /// without one's digests matching another's), as hex.
    pub fn digest(&self, purpose: &str, text: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.bytes).expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(text.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_read_back_the_same() {
        let dir = std::env::temp_dir().join(format!("jiayuan-secret-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let made = SecretKey::load_or_create(&dir, None).unwrap();
        let again = SecretKey::load_or_create(&dir, None).unwrap();
        assert_eq!(made.digest("pairing", "12345678"), again.digest("pairing", "12345678"));
        assert_ne!(made.digest("pairing", "12345678"), SecretKey::random().digest("pairing", "12345678"));
        assert_ne!(made.digest("pairing", "1"), made.digest("session", "1"), "purposes do not mix");
        std::fs::write(dir.join(DEFAULT_FILE), "not hex").unwrap();
        assert!(matches!(SecretKey::load_or_create(&dir, None), Err(SecretKeyError::Malformed { .. })));
        assert!(matches!(
            SecretKey::load_or_create(&dir, Some(&dir.join("missing"))),
            Err(SecretKeyError::Read { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
