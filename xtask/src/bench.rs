//! `cargo xtask bench`: what a kiosk downloads on its first load, raw and compressed; the
//! kiosk's record queue on real localStorage; the server's ingest against raw SQLite inserts;
//! the reports on a sample year, as functions and as pages over HTTP; tap-to-next-screen at 4×
//! CPU throttling and a 10,000-record sync from a real kiosk.
//! Benchmarks print figures (ratios against baselines measured in the same run); they do not
//! pass or fail on time.

use std::io::Write;

use crate::cmd::Result;
use crate::{kiosk_build, tools};

/// `cargo xtask bench --company`: many communities on one database (crates/server/benches/
/// company.rs), on a throwaway PostgreSQL where Debian's pg_virtualenv can make one, else
/// on SQLite. Apart from `bench`: making the company takes minutes.
pub fn run_company() -> Result<()> {
    let root = crate::cmd::repo_root();
    let bench = "cargo bench --locked --package jiayuan-server --bench company";
    if std::path::Path::new("/usr/bin/pg_virtualenv").exists() {
        let script = format!(
            "exec env JIAYUAN_BENCH_POSTGRES_URL=\"postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres\" {bench}"
        );
        crate::cmd::run(
            std::process::Command::new("/usr/bin/pg_virtualenv").args(["sh", "-c", &script]).current_dir(&root),
        )
    } else {
        crate::cmd::run(std::process::Command::new("sh").args(["-c", bench]).current_dir(&root))
    }
}

/// The finished kiosk's budget for wasm + js + css + html, brotli-compressed.
const BUDGET_BROTLI: usize = 200 * 1024;

#[derive(Debug, Default, Clone, Copy)]
struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub fn run() -> Result<()> {
    // The browser benchmark needs Chromium, like the tests.
    tools::ensure_test_tools()?;
    kiosk_sizes()?;
    println!();
    let root = crate::cmd::repo_root();
    // Appending to the record queue on the real localStorage, and how many records fit
    // (tests/storage_bench.rs, an ignored wasm test that only prints).
    crate::cmd::run(
        std::process::Command::new("cargo")
            .args(["test", "--locked", "--target", tools::WASM_TARGET, "--package", "jiayuan-kiosk"])
            .args(["--test", "storage_bench", "--", "--include-ignored", "--nocapture"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .current_dir(&root),
    )?;
    println!();
    // The server's ingest against raw SQLite inserts (crates/server/benches/ingest.rs), how
    // fast one client can guess pairing codes (crates/server/benches/pairing.rs), and the
    // reports on a sample year against one read of its records (crates/server/benches/reports.rs).
    // The reports' sample year is kept for the report pages over HTTP, below.
    let year = root.join("target/bench-year");
    let _ = std::fs::remove_dir_all(&year);
    std::fs::create_dir_all(&year).map_err(|e| format!("cannot make {}: {e}", year.display()))?;
    for bench in ["ingest", "pairing", "reports"] {
        let mut command = std::process::Command::new("cargo");
        command.args(["bench", "--locked", "--package", "jiayuan-server", "--bench", bench]).current_dir(&root);
        if bench == "reports" {
            command.env("JIAYUAN_BENCH_KEEP", "1").env("TMPDIR", &year);
        }
        crate::cmd::run(&mut command)?;
        println!();
    }
    // The reports again on PostgreSQL, where Debian's pg_virtualenv can make a throwaway server.
    if std::path::Path::new("/usr/bin/pg_virtualenv").exists() {
        let script = "exec env JIAYUAN_BENCH_POSTGRES_URL=\"postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres\" \
                      cargo bench --locked --package jiayuan-server --bench reports";
        crate::cmd::run(
            std::process::Command::new("/usr/bin/pg_virtualenv").args(["sh", "-c", script]).current_dir(&root),
        )?;
    }
    println!();
    // A real headless kiosk against the release server: taps at 4× CPU throttling, and a
    // 10,000-record sync (e2e/bench/kiosk.bench.mjs).
    crate::cmd::run(
        std::process::Command::new("cargo")
            .args(["build", "--locked", "--release", "--package", "jiayuan-server"])
            .current_dir(&root),
    )?;
    // The report pages as staff get them, on the kept year (e2e/bench/report-pages.bench.mjs).
    crate::cmd::run(
        std::process::Command::new("node")
            .arg("e2e/bench/report-pages.bench.mjs")
            .arg(&year)
            .env("JIAYUAN_SERVER_BIN", root.join("target/release/jiayuan-server"))
            .env("JIAYUAN_KIOSK_DIR", kiosk_build::dist_dir())
            .current_dir(&root),
    )?;
    let _ = std::fs::remove_dir_all(&year);
    println!();
    crate::cmd::run(
        std::process::Command::new("node")
            .arg("e2e/bench/kiosk.bench.mjs")
            .env("JIAYUAN_SERVER_BIN", root.join("target/release/jiayuan-server"))
            .env("JIAYUAN_KIOSK_DIR", kiosk_build::dist_dir())
            .current_dir(&root),
    )
}

pub fn kiosk_sizes() -> Result<()> {
    // On a fresh machine too: wasm-opt (from npm) is part of the size measured.
    tools::ensure_build_tools()?;
    kiosk_build::build_release()?;
    let dist = kiosk_build::dist_dir();
    let mut entries: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    entries.sort();

    println!("kiosk first load (dist/), bytes: raw / gzip -9 / brotli -q 11");
    let mut total = Sizes::default();
    let mut budgeted = Sizes::default();
    for path in entries {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let sizes = measure(&bytes)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("  {name:<48} {:>9} {:>9} {:>9}", sizes.raw, sizes.gzip, sizes.brotli);
        add(&mut total, sizes);
        if ["wasm", "js", "css", "html"].iter().any(|ext| name.ends_with(&format!(".{ext}"))) && name != "sw.js" {
            add(&mut budgeted, sizes);
        }
    }
    println!("  {:<48} {:>9} {:>9} {:>9}", "total", total.raw, total.gzip, total.brotli);
    println!(
        "  {:<48} {:>9} {:>9} {:>9}  budget {} brotli: {:.0}% used",
        "wasm + js + css + html",
        budgeted.raw,
        budgeted.gzip,
        budgeted.brotli,
        BUDGET_BROTLI,
        100.0 * budgeted.brotli as f64 / BUDGET_BROTLI as f64
    );
    if budgeted.brotli > BUDGET_BROTLI {
        return Err("the kiosk is over its first-load budget".into());
    }
    Ok(())
}

fn add(total: &mut Sizes, sizes: Sizes) {
    total.raw += sizes.raw;
    total.gzip += sizes.gzip;
    total.brotli += sizes.brotli;
}

fn measure(bytes: &[u8]) -> Result<Sizes> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).map_err(|e| e.to_string())?;
    let gzip = gzip.finish().map_err(|e| e.to_string())?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &params).map_err(|e| e.to_string())?;
    Ok(Sizes { raw: bytes.len(), gzip: gzip.len(), brotli: brotli.len() })
}
