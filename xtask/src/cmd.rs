//! Running other programs, with errors that say what was being run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

pub type Result<T> = std::result::Result<T, String>;

/// The repository's root (the folder holding the workspace's Cargo.toml).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Prints and runs a command, inheriting stdout and stderr; fails on a non-zero exit.
pub fn run(command: &mut Command) -> Result<()> {
    let status = status(command)?;
    if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", describe(command))) }
}

/// Prints and runs a command, returning its exit status whatever it is.
pub fn status(command: &mut Command) -> Result<ExitStatus> {
    eprintln!("xtask> {}", describe(command));
    command.status().map_err(|error| format!("could not start `{}`: {error}", describe(command)))
}

/// Runs a command quietly and returns its trimmed stdout, or None if it cannot run or fails.
pub fn output_of<I, S>(program: &str, args: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(program).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// PATH with `dir` in front, for tools installed inside the repository (node_modules/.bin).
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).unwrap_or_default()
}
