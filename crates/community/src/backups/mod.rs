//! Backups of the embedded database: a consistent copy taken while the server runs
//! (`VACUUM INTO`), one a day into the data folder (7 daily and 4 weekly kept), on demand
//! (`jiayuan-server backup`), and put back with the server stopped (`jiayuan-server restore`).
//!
//! Kiosks refill what a restore forgot: they keep answered records a week, and when the server
//! asks for numbers it had already answered, they send them again (`crates/domain/src/journal`).
//! PostgreSQL deployments back up with `pg_dump` and point-in-time recovery instead (README).

mod retention;

pub use retention::to_remove;

use std::path::{Path, PathBuf};
use std::time::Duration;

use time::{Date, OffsetDateTime, UtcOffset};

use crate::community_time;
use crate::db::{Backend, Database, SQLITE_FILE};

/// The folder in the data folder backups go to.
pub const FOLDER: &str = "backups";
/// The nightly backup is taken once the community's clock has passed this hour.
const NIGHTLY_FROM_HOUR: u8 = 2;
const CHECK_EVERY: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this server uses PostgreSQL: back it up with pg_dump and point-in-time recovery (see README)")]
    NotSqlite,
    #[error("cannot write the backup {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the database could not copy itself to {path}: {source}")]
    Copy {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("the server is running on {0}: stop it first (systemctl stop jiayuan), then restore")]
    ServerRunning(PathBuf),
    #[error("{0} is not a Jiayuan backup (not an SQLite database)")]
    NotABackup(PathBuf),
    #[error("cannot restore from {path}: {source}")]
    Restore {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The file a backup taken on `day` at `at` goes to.
pub fn file_for(data_dir: &Path, day: Date, at: OffsetDateTime) -> PathBuf {
    data_dir.join(FOLDER).join(format!(
        "jiayuan-{}-{:02}{:02}{:02}.sqlite3",
        crate::schedule::format_day(day),
        at.hour(),
        at.minute(),
        at.second()
    ))
}

/// Copies the whole database, consistently, to `path` while the server goes on serving.
pub async fn backup_to(db: &Database, path: &Path) -> Result<(), BackupError> {
    if db.backend != Backend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| BackupError::Write { path: path.to_path_buf(), source })?;
    }
    let target = path.to_string_lossy().into_owned();
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .map_err(|source| BackupError::Copy { path: path.to_path_buf(), source })?;
    tracing::info!(backup = %path.display(), "database backed up");
    Ok(())
}

/// The backups in the data folder, newest last: (the day it was taken, its file).
pub fn list(data_dir: &Path) -> Vec<(Date, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(FOLDER)) else { return Vec::new() };
    let mut found: Vec<(Date, PathBuf)> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            let day = name.strip_prefix("jiayuan-")?.get(..10)?;
            Some((jiayuan_domain::civil::parse_date(day)?, path))
        })
        .collect();
    found.sort();
    found
}

/// When the newest backup was written (server clock, ms), if there is one.
pub fn last_backup_at(data_dir: &Path) -> Option<i64> {
    let (_, newest) = list(data_dir).pop()?;
    let modified = std::fs::metadata(newest).and_then(|m| m.modified()).ok()?;
    let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since_epoch.as_millis()).ok()
}

/// Takes today's backup if there is none yet and the night has passed, then forgets old ones.
pub async fn nightly_once(db: &Database, data_dir: &Path, offset: UtcOffset) -> Result<bool, BackupError> {
    let now = OffsetDateTime::now_utc().to_offset(offset);
    let today = community_time::today(offset);
    if now.hour() < NIGHTLY_FROM_HOUR || list(data_dir).iter().any(|(day, _)| *day == today) {
        return Ok(false);
    }
    backup_to(db, &file_for(data_dir, today, now)).await?;
    for path in to_remove(&list(data_dir)) {
        if let Err(error) = std::fs::remove_file(&path) {
            tracing::warn!(backup = %path.display(), "could not remove an old backup: {error}");
        }
    }
    Ok(true)
}

/// Backs up every night while the server runs (SQLite only).
pub fn keep_nightly(db: Database, data_dir: PathBuf, offset: UtcOffset) {
    if db.backend != Backend::Sqlite {
        return;
    }
    tokio::spawn(async move {
        loop {
            if let Err(error) = nightly_once(&db, &data_dir, offset).await {
                tracing::error!("the nightly backup failed: {error}");
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Holds the data folder while a server runs in it, so a restore cannot pull the database
/// from under it, nor a second server start on the same file.
pub struct RunningLock {
    _file: std::fs::File,
}

/// The lock file's name in the data folder.
pub const LOCK_FILE: &str = "server.lock";

impl RunningLock {
    /// Takes the data folder's lock, or says who holds it.
    pub fn take(data_dir: &Path) -> Result<RunningLock, BackupError> {
        let path = data_dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| BackupError::Restore { path: path.clone(), source })?;
        match file.try_lock() {
            Ok(()) => Ok(RunningLock { _file: file }),
            Err(_) => Err(BackupError::ServerRunning(data_dir.to_path_buf())),
        }
    }
}

/// Puts `backup` back as the database in `data_dir` (the server stopped). The database it
/// replaces is kept beside it, named for the moment it was replaced.
pub fn restore(data_dir: &Path, backup: &Path) -> Result<PathBuf, BackupError> {
    let _lock = RunningLock::take(data_dir)?;
    let mut header = [0u8; 16];
    let readable = std::fs::File::open(backup).and_then(|mut file| std::io::Read::read_exact(&mut file, &mut header));
    if readable.is_err() || &header != b"SQLite format 3\0" {
        return Err(BackupError::NotABackup(backup.to_path_buf()));
    }
    let database = data_dir.join(SQLITE_FILE);
    let failed = |source| BackupError::Restore { path: backup.to_path_buf(), source };
    let mut kept = database.clone();
    if database.exists() {
        let stamp = OffsetDateTime::now_utc().unix_timestamp();
        kept = data_dir.join(format!("{SQLITE_FILE}.before-restore-{stamp}"));
        std::fs::rename(&database, &kept).map_err(failed)?;
    }
    for suffix in ["-wal", "-shm"] {
        let leftover = data_dir.join(format!("{SQLITE_FILE}{suffix}"));
        if leftover.exists() {
            std::fs::remove_file(&leftover).map_err(failed)?;
        }
    }
    std::fs::copy(backup, &database).map_err(failed)?;
    tracing::info!(backup = %backup.display(), kept = %kept.display(), "database restored");
    Ok(kept)
}
