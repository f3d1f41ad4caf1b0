//! The server's database: SQLite in the data folder by default, PostgreSQL when the configured
//! URL says so. Queries are written once in portable SQL with `$1` placeholders, which both
//! drivers accept, through sqlx's `Any` driver.

use crate::error::Tx;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{AnyPool, Executor};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The file in the data folder that holds the embedded database.
pub const SQLITE_FILE: &str = "jiayuan.sqlite3";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// SQL for one text value: a JSON object of `columns` (name, SQL expression), each an
    /// array of its values over the rows the query picks, in the same order for every column
    /// (`[]` for no rows; the order of the rows is not defined). `column_rows!` reads it.
    ///
    /// Why: sqlx's `Any` driver costs about a microsecond for each value it hands over, and a
    /// report over a year reads twelve thousand sessions of twenty values; the database builds
    /// them as one text value in a fraction of the time. By column rather than an object per
    /// row: PostgreSQL's `json_build_object` looks up its arguments' types on every call, an
    /// aggregate once (a year's sessions: 33–40 ms instead of 211 in psql).
    pub fn json_columns(self, columns: &[(&str, &str)]) -> String {
        let fields: Vec<String> = columns
            .iter()
            .map(|(name, value)| match self {
                Backend::Sqlite => format!("'{name}', json_group_array({value})"),
                Backend::Postgres => format!("'{name}', COALESCE(json_agg({value}), '[]')"),
            })
            .collect();
        let object = match self {
            Backend::Sqlite => "json_object",
            Backend::Postgres => "json_build_object",
        };
        format!("CAST({object}({}) AS TEXT)", fields.join(", "))
    }

    /// The VALUES of a multi-row INSERT whose values are all bound in order, `columns` a row:
    /// `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL.
    ///
    /// Why not `$n` on SQLite too: sqlx asks SQLite each parameter's name, and SQLite finds it
    /// by walking the statement's list of names, so binding costs the square of the count: a
    /// hundred records of eleven values spent a fifth of the writer's time there (perf, `cargo
    /// xtask bench`'s ingest). Unnamed parameters have no list to walk.
    pub fn value_rows(self, rows: usize, columns: usize) -> String {
        let row = |r: usize| -> String {
            let values = match self {
                Backend::Sqlite => vec!["?"; columns].join(", "),
                Backend::Postgres => placeholders(r.saturating_mul(columns).saturating_add(1), columns),
            };
            format!("({values})")
        };
        (0..rows).map(row).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Clone, Debug)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time. Writers take turns here, in the process, instead of in
    /// SQLite's busy handler, which sleeps in growing steps and wastes most of the time under
    /// load (measured by `cargo xtask bench`). None for PostgreSQL, which locks rows.
    write_turn: Option<Arc<Mutex<()>>>,
}

/// A write transaction; on SQLite it also holds the writers' turn until it ends.
pub struct WriteTx {
    tx: Tx,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = Tx;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use postgres://… or leave it unset for SQLite")]
    Unsupported(String),
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The URL of the embedded database inside `data_dir`, creating the folder if needed.
pub fn sqlite_url(data_dir: &Path) -> Result<String, DbError> {
    let data_error = |source| DbError::DataDir { path: data_dir.to_path_buf(), source };
    std::fs::create_dir_all(data_dir).map_err(data_error)?;
    let dir = std::path::absolute(data_dir).map_err(data_error)?;
    Ok(format!("sqlite://{}?mode=rwc", dir.join(SQLITE_FILE).display()))
}

impl Database {
    /// Opens `database_url`, or SQLite in `data_dir` when it is None, and migrates it.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Database, DbError> {
        let url = match database_url {
            Some(url) => url.to_owned(),
            None => sqlite_url(data_dir)?,
        };
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(DbError::Unsupported(url));
        };
        install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while one writer commits; a writer waits
                        // for the lock instead of failing at once. Reads through a memory
                        // map of the file (up to 2 GiB, a few years) skip a copy of every
                        // page: a month's records for a report read in two thirds the time.
                        connection
                            .execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                                 PRAGMA mmap_size = 2147483648;",
                            )
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(DbError::Connect)?;
        MIGRATOR.run(&pool).await.map_err(DbError::Migrate)?;
        let write_turn = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        let db = Database { pool, backend, write_turn };
        protect_action_log(&db).await.map_err(DbError::Connect)?;
        Ok(db)
    }

    /// A transaction that will write. On SQLite it waits for the writers' turn, then takes
    /// the write lock at once (BEGIN IMMEDIATE), so it never fails upgrading a read lock; other
    /// processes on the same file still queue in SQLite's busy handler.
    /// Whether the database answers (the health check).
    pub async fn answers(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }

    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = match &self.write_turn {
            Some(turn) => Some(turn.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }
}

/// `$first, $first+1, …` for an IN list of `n` values bound from position `first`.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Makes the database refuse to change or remove lines of the action log (once per start; harmless
/// when they exist). Not in a migration: SQLite and PostgreSQL write triggers differently.
async fn protect_action_log(db: &Database) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    match db.backend {
        Backend::Sqlite => {
            tx.execute(
                "CREATE TRIGGER IF NOT EXISTS action_log_rows_stay BEFORE DELETE ON action_log \
                 BEGIN SELECT RAISE(ABORT, 'the action log cannot be changed'); END; \
                 CREATE TRIGGER IF NOT EXISTS action_log_rows_unchanged BEFORE UPDATE ON action_log \
                 BEGIN SELECT RAISE(ABORT, 'the action log cannot be changed'); END;",
            )
            .await?;
        }
        Backend::Postgres => {
            // Several processes may start at once; one makes the triggers at a time.
            tx.execute(
                "SELECT pg_advisory_xact_lock(7305316455); \
                 CREATE OR REPLACE FUNCTION jiayuan_action_log_unchangeable() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the action log cannot be changed'; END $$; \
                 CREATE OR REPLACE TRIGGER action_log_rows_unchanged BEFORE UPDATE OR DELETE ON action_log \
                 FOR EACH ROW EXECUTE FUNCTION jiayuan_action_log_unchangeable(); \
                 CREATE OR REPLACE TRIGGER action_log_not_truncated BEFORE TRUNCATE ON action_log \
                 FOR EACH STATEMENT EXECUTE FUNCTION jiayuan_action_log_unchangeable();",
            )
            .await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn value_rows_number_postgresql_parameters_in_order_and_leave_sqlite_ones_unnamed() {
        assert_eq!(Backend::Postgres.value_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(Backend::Sqlite.value_rows(2, 3), "(?, ?, ?), (?, ?, ?)");
    }
}
