//! Reports on a year of a 10,000-household community (crates/server/src/sample_year.rs):
//! each report for a month and for the whole year, p50 and p95, against the time the database
//! takes to read the year's records once, measured in the same run. The ratio is the figure;
//! the goal is every page within 300 ms p95 for the year.
#![allow(clippy::unwrap_used)] // a benchmark: a panic is its failure message

mod support;

use std::time::{Duration, Instant};

use jiayuan_community::db::Database;
use jiayuan_community::reports::{Scope, activities, kiosks, records, summary, visits};
use jiayuan_community::sample_year::{self, YearSize};
use jiayuan_domain::reports::Period;
use jiayuan_server::console::i18n::{Lang, Words};
use support::{ms, postgres, read_every_record, time};

const SITE: &str = "site-year";
const ROUNDS: usize = 12;

#[tokio::main]
async fn main() {
    let offset = time::macros::offset!(+8);
    // JIAYUAN_BENCH_REUSE=<folder> measures again on a year a run with JIAYUAN_BENCH_KEEP left.
    let reuse = std::env::var_os("JIAYUAN_BENCH_REUSE").map(std::path::PathBuf::from);
    let dir = match &reuse {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("jiayuan-bench-reports-{}", std::process::id())),
    };
    if reuse.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    // `cargo xtask bench` runs this again on a throwaway PostgreSQL (pg_virtualenv) with this set.
    // With JIAYUAN_BENCH_REUSE too, the URL names a database an earlier run filled.
    let (db, backend) = match std::env::var("JIAYUAN_BENCH_POSTGRES_URL") {
        Ok(url) if reuse.is_some() => (Database::open(Some(&url), &dir).await.unwrap(), "PostgreSQL"),
        Ok(admin_url) => (postgres(&admin_url, "jiayuan_bench_reports", &dir).await, "PostgreSQL"),
        Err(_) => (Database::open(None, &dir).await.unwrap(), "SQLite"),
    };
    let last_day = jiayuan_community::community_time::today(offset);
    let started = Instant::now();
    let size = match std::env::var("JIAYUAN_BENCH_SIGN_INS").ok().and_then(|n| n.parse().ok()) {
        Some(sign_ins) => YearSize { sign_ins, ..YearSize::COMMUNITY },
        None => YearSize::COMMUNITY,
    };
    let made = match reuse {
        Some(_) => {
            // As a server starting on it would: summaries a newer version keeps differently
            // are made again.
            jiayuan_community::reports::presence::make_again_unless_current(&db, offset).await.unwrap();
            sample_year::YearMade { sessions: 0, sign_ups: 0, records: 0 }
        }
        None => sample_year::fill(&db, SITE, last_day, offset, size).await.unwrap(),
    };
    // The year is loaded in bulk, as no server ever receives it. A server that ran all year had
    // it checkpointed into the file as it went (SQLite), and vacuumed and analysed by autovacuum
    // (PostgreSQL), which would otherwise be at work on the new rows while the pages are timed.
    let settle = if backend == "SQLite" { "PRAGMA wal_checkpoint(TRUNCATE)" } else { "VACUUM ANALYZE" };
    sqlx::query(settle).execute(&db.pool).await.unwrap();
    println!(
        "reports on a sample year ({backend}): {} residents, {} sessions, {} sign-ups, {} kiosk records, made in {:.1} s",
        size.residents,
        made.sessions,
        made.sign_ups,
        made.records,
        started.elapsed().as_secs_f64()
    );
    let scan = read_every_record(&db, 5).await;
    println!("  baseline: the database reads the year's records once in {:.0} ms (p50)", ms(scan));

    let now = jiayuan_community::clock::now_ms();
    let scope = |period| Scope { site_id: SITE, room_id: "", period, offset, now_ms: now };
    let year = Period { from: last_day - time::Duration::days(364), to: last_day };
    let month = Period::month_of(last_day).previous();
    // The figures of the year's days that are over are made once (the server does it in the
    // background), then kept: a late record makes its day again.
    let started = Instant::now();
    visits::visits(&db, scope(year)).await.unwrap();
    println!("  making the year's days' figures, once: {:.0} ms", ms(started.elapsed()));
    for (label, period) in [("a month", month), ("the year", year)] {
        let rounds = if label == "a month" { ROUNDS * 2 } else { ROUNDS };
        let (p50, p95) = time(rounds, || async {
            visits::visits(&db, scope(period)).await.unwrap();
        })
        .await;
        print_row("room visits", label, p50, p95, scan);
        let (p50, p95) = time(rounds, || async {
            activities::sessions(&db, scope(period)).await.unwrap();
        })
        .await;
        print_row("each session", label, p50, p95, scan);
        let (p50, p95) = time(rounds, || async {
            activities::demand(&db, scope(period), 3).await.unwrap();
        })
        .await;
        print_row("demand", label, p50, p95, scan);
        let (p50, p95) = time(rounds, || async {
            kiosks::kiosks(&db, scope(period)).await.unwrap();
        })
        .await;
        print_row("kiosks", label, p50, p95, scan);
        let (p50, p95) = time(rounds, || async {
            summary::summary(&db, scope(period)).await.unwrap();
        })
        .await;
        print_row("summary", label, p50, p95, scan);
    }
    // Every record of a month as the XLSX file staff download (goal: within 2 s).
    let rooms = jiayuan_community::schedule::rooms_of_site(&db, SITE).await.unwrap();
    let words = Words::new(Lang::ZhHans);
    let rows_written = records::records(&db, scope(month)).await.unwrap().len();
    // Reading alone, to tell the database's part from the writer's.
    let (read, _) = time(3, || async {
        records::records(&db, scope(month)).await.unwrap();
    })
    .await;
    println!("  reading a month's records for the file: p50 {:.0} ms", ms(read));
    let (p50, p95) = time(3, || async {
        records::xlsx(&db, scope(month), &words, rooms.clone()).await.unwrap();
    })
    .await;
    println!(
        "  every record of a month as XLSX ({rows_written} rows): p50 {:.0} ms, p95 {:.0} ms{}",
        ms(p50),
        ms(p95),
        if p95 <= Duration::from_secs(2) { " (goal: within 2 s)" } else { "  (over the 2 s goal)" }
    );
    if std::env::var_os("JIAYUAN_BENCH_KEEP").is_none() && std::env::var_os("JIAYUAN_BENCH_REUSE").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn print_row(report: &str, period: &str, p50: Duration, p95: Duration, scan: Duration) {
    println!(
        "  {report:<13} for {period:<9}: p50 {:>6.1} ms, p95 {:>6.1} ms = {:.2} × one read of the year{}",
        ms(p50),
        ms(p95),
        p95.as_secs_f64() / scan.as_secs_f64(),
        if p95 <= Duration::from_millis(300) { "" } else { "  (over the 300 ms goal)" }
    );
}
