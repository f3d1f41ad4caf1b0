//! Builds the kiosk for release with Trunk, using only local tools.

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{Result, path_with, repo_root, run};

/// Where Trunk writes the kiosk (Trunk.toml `dist`), which the server serves.
pub fn dist_dir() -> PathBuf {
    repo_root().join("dist")
}

pub fn build_release() -> Result<()> {
    let root = repo_root();
    // Everything Trunk's own `cargo metadata` and `cargo build` need is fetched first, so
    // they can run offline.
    run(Command::new("cargo").args(["fetch", "--locked"]).current_dir(&root))?;
    run(Command::new("trunk")
        .args(["build", "--release"])
        .current_dir(&root)
        // wasm-opt comes from the binaryen npm package (see README, "wasm-opt").
        .env("PATH", path_with(&root.join("node_modules/.bin")))
        .env("CARGO_NET_OFFLINE", "true")
        .env("TRUNK_OFFLINE", "true"))
}
