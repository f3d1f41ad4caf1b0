//! `cargo xtask test`: the README's second command. Runs every layer, even after a failure,
//! and ends with one line `N passed, N failed`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::cmd::{Result, describe, path_with, repo_root};
use crate::tally::Tally;
use crate::{kiosk_build, tools};

pub fn run() -> Result<()> {
    let started = Instant::now();
    tools::ensure_test_tools()?;
    let root = repo_root();
    let mut total = Tally::default();

    total.add(checks(
        "habits: cargo fmt --check, clippy with warnings as errors (native and wasm)",
        &root,
        &[
            &["fmt", "--all", "--check"],
            &[
                "clippy",
                "--locked",
                "--workspace",
                "--exclude",
                "jiayuan-kiosk",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            &[
                "clippy",
                "--locked",
                "--target",
                tools::WASM_TARGET,
                "--package",
                "jiayuan-kiosk",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ],
    ));

    total.add(layer(
        "native: domain, build glue, server over real HTTP (SQLite file)",
        Command::new("cargo")
            .args(["test", "--locked", "--workspace", "--exclude", "jiayuan-kiosk"])
            .current_dir(&root),
    ));
    total.add(postgres_layer(&root));
    total.add(layer(
        "kiosk: wasm-bindgen-test in headless Chromium",
        Command::new("cargo")
            .args(["test", "--locked", "--target", tools::WASM_TARGET, "--package", "jiayuan-kiosk"])
            .current_dir(&root)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
    ));

    // End to end needs the release kiosk and the server binary; a failed build is a failure.
    let built = kiosk_build::build_release().and_then(|()| {
        crate::cmd::run(
            Command::new("cargo").args(["build", "--locked", "--package", "jiayuan-server"]).current_dir(&root),
        )
    });
    match built.and_then(|()| e2e_files(&root.join("e2e"))) {
        Ok(files) => total.add(layer(
            "end to end: Playwright and axe-core in headless Chromium, real server",
            Command::new("node")
                .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
                .args(files)
                .current_dir(&root)
                .env("PATH", path_with(&root.join("node_modules/.bin")))
                .env("JIAYUAN_SERVER_BIN", root.join("target/debug/jiayuan-server"))
                .env("JIAYUAN_KIOSK_DIR", kiosk_build::dist_dir()),
        )),
        Err(message) => {
            eprintln!("xtask: end-to-end tests not run: {message}");
            total.failed += 1;
        }
    }

    eprintln!("\nxtask: each layer's time");
    TIMES.with(|times| {
        for (name, seconds) in times.borrow().iter() {
            eprintln!("  {seconds:>5.0} s  {name}");
        }
    });
    eprintln!("xtask: all layers took {:.0} s", started.elapsed().as_secs_f64());
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        return Err(format!("{} failed", total.failed));
    }
    Ok(())
}

/// The server's HTTP tests again, against a throwaway PostgreSQL cluster that Debian's
/// `pg_virtualenv` creates, serves on loopback and removes afterwards.
fn postgres_layer(root: &std::path::Path) -> Tally {
    const NAME: &str = "server over real HTTP (throwaway PostgreSQL)";
    if !std::path::Path::new(PG_VIRTUALENV).exists() {
        eprintln!("xtask: CANNOT TEST POSTGRESQL: {PG_VIRTUALENV} is missing (Debian package postgresql)");
        return Tally { passed: 0, failed: 1 };
    }
    // Each test makes its own database on this server (crates/server/tests/support).
    let script = "exec env JIAYUAN_TEST_POSTGRES_URL=\"postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres\" \
                  cargo test --locked --package jiayuan-server --test server";
    layer(NAME, Command::new(PG_VIRTUALENV).args(["sh", "-c", script]).current_dir(root))
}

const PG_VIRTUALENV: &str = "/usr/bin/pg_virtualenv";

/// The Playwright suites (`e2e/*.test.mjs`), named one by one: Node 20's `--test` takes no globs.
fn e2e_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    Ok(files)
}

/// Runs commands that pass or fail as a whole (formatting, lints): each counts as one test.
fn checks(name: &str, root: &std::path::Path, commands: &[&[&str]]) -> Tally {
    eprintln!("\n== {name}");
    let started = Instant::now();
    let mut tally = Tally::default();
    for args in commands {
        let passed = crate::cmd::run(Command::new("cargo").args(*args).current_dir(root)).is_ok();
        if passed {
            tally.passed += 1;
        } else {
            eprintln!("xtask: `cargo {}` failed", args.join(" "));
            tally.failed += 1;
        }
    }
    finished(name, &tally, started);
    tally
}

/// Says how a layer went and how long it took, and keeps the time for the summary.
fn finished(name: &str, tally: &Tally, started: Instant) {
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("== {name}: {} passed, {} failed, {seconds:.0} s", tally.passed, tally.failed);
    TIMES.with(|times| times.borrow_mut().push((name.to_owned(), seconds)));
}

thread_local! {
    /// Each layer's name and seconds, in the order they ran.
    static TIMES: std::cell::RefCell<Vec<(String, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs one layer, echoing its output and counting its results. A layer that fails without
/// reporting a failed test (a build error, a crash) counts as one failure.
fn layer(name: &str, command: &mut Command) -> Tally {
    eprintln!("\n== {name}\nxtask> {}", describe(command));
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("xtask: could not start {name}: {error}");
            return Tally { passed: 0, failed: 1 };
        }
    };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
            println!("{line}");
            tally.read_line(&line);
        }
    }
    let succeeded = child.wait().map(|status| status.success()).unwrap_or(false);
    if !succeeded && tally.failed == 0 {
        eprintln!("xtask: {name} failed before reporting a failed test");
        tally.failed += 1;
    }
    if succeeded && tally.passed == 0 {
        eprintln!("xtask: {name} ran no test");
        tally.failed += 1;
    }
    finished(name, &tally, started);
    tally
}
