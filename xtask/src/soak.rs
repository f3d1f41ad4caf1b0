//! `cargo xtask soak [kills]`: the durability test at length. Chromium is killed 1,000 times
//! (or `kills`) between a tap and 300 ms after "saved"; it prints kills, confirmations shown,
//! records lost and records counted twice (e2e/durability.test.mjs).

use std::process::Command;

use crate::cmd::{Result, path_with, repo_root, run};
use crate::{kiosk_build, tools};

pub fn run_soak(args: &[String]) -> Result<()> {
    let kills: u32 = match args.first() {
        Some(text) => text.parse().map_err(|_| format!("`{text}` is not a number of kills"))?,
        None => 1_000,
    };
    tools::ensure_test_tools()?;
    let root = repo_root();
    kiosk_build::build_release()?;
    run(Command::new("cargo").args(["build", "--locked", "--package", "jiayuan-server"]).current_dir(&root))?;
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec", "e2e/durability.test.mjs"])
        .current_dir(&root)
        .env("PATH", path_with(&root.join("node_modules/.bin")))
        .env("JIAYUAN_KILLS", kills.to_string())
        .env("JIAYUAN_SERVER_BIN", root.join("target/debug/jiayuan-server"))
        .env("JIAYUAN_KIOSK_DIR", kiosk_build::dist_dir()))
}
