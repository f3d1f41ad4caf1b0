//! `cargo xtask chaos [kiosks] [records]`: the chaos test at size (50 kiosks × 2,000 records by
//! default), on SQLite with one server process, then on a throwaway PostgreSQL with two, server
//! processes SIGKILLed about every half second. It prints the counts
//! (crates/server/tests/server/chaos.rs).

use std::process::Command;

use crate::cmd::{Result, repo_root, run};

pub fn run_chaos(args: &[String]) -> Result<()> {
    let number = |index: usize, default: u32| -> Result<u32> {
        match args.get(index) {
            Some(text) => text.parse().map_err(|_| format!("`{text}` is not a number")),
            None => Ok(default),
        }
    };
    let (kiosks, records) = (number(0, 50)?, number(1, 2_000)?);
    let root = repo_root();
    let test = "cargo test --locked --release --package jiayuan-server --test server chaos -- --nocapture";
    run(Command::new("sh")
        .args(["-c", test])
        .current_dir(&root)
        .env("JIAYUAN_CHAOS_KIOSKS", kiosks.to_string())
        .env("JIAYUAN_CHAOS_RECORDS", records.to_string()))?;
    let on_postgres =
        format!("export JIAYUAN_TEST_POSTGRES_URL=\"postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres\"; {test}");
    run(Command::new("/usr/bin/pg_virtualenv")
        .args(["sh", "-c", &on_postgres])
        .current_dir(&root)
        .env("JIAYUAN_CHAOS_KIOSKS", kiosks.to_string())
        .env("JIAYUAN_CHAOS_RECORDS", records.to_string()))
}
