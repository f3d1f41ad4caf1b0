//! `cargo xtask run`: the README's first command.

use std::process::Command;

use crate::cmd::{self, Result, repo_root};
use crate::{kiosk_build, tools};

/// Builds everything and runs the server in the foreground with demo data on an embedded
/// database under `./data` (unless flags or JIAYUAN_* variables say otherwise).
pub fn run(server_args: &[String]) -> Result<()> {
    tools::ensure_build_tools()?;
    kiosk_build::build_release()?;
    let root = repo_root();
    let mut server = Command::new("cargo");
    server
        .args(["run", "--release", "--locked", "--package", "jiayuan-server", "--", "serve"])
        .arg("--demo-data")
        .arg("--kiosk-dir")
        .arg(kiosk_build::dist_dir())
        .args(server_args)
        .current_dir(&root);
    if std::env::var_os("JIAYUAN_DATA_DIR").is_none() && !server_args.iter().any(|a| a.starts_with("--data-dir")) {
        server.arg("--data-dir").arg(root.join("data"));
    }
    cmd::run(&mut server)
}
