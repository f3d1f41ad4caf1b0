//! A company town at its size: many communities on one database (30 by default, each the
//! sample year's community with its own ids and seed, smaller than the one-site bench's so a
//! 2-core machine makes them in minutes: `JIAYUAN_BENCH_SITES`, `JIAYUAN_BENCH_SITE_SIGN_INS`).
//! Times the head office's communities side by side — the figures of its page and of the
//! monthly report upward for all sites — for a month and for the year, p50 and p95, next to
//! one community's, against the time the database takes to read all the records once,
//! measured in the same run. Goals: the year of all sites within 1 s p95, a month within
//! 300 ms. Run by `cargo xtask bench --company`, on PostgreSQL when
//! `JIAYUAN_BENCH_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used)] // a benchmark: a panic is its failure message

mod support;

use std::time::{Duration, Instant};

use jiayuan_community::db::Database;
use jiayuan_community::reports::Scope;
use jiayuan_community::reports::communities::side_by_side;
use jiayuan_community::sample_year::{self, SampleSite, YearSize};
use jiayuan_domain::reports::Period;
use support::{ms, postgres, read_every_record, time};

const ROUNDS: usize = 8;

fn env_number(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let offset = time::macros::offset!(+8);
    let dir = std::env::temp_dir().join(format!("jiayuan-bench-company-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (db, backend) = match std::env::var("JIAYUAN_BENCH_POSTGRES_URL") {
        Ok(admin_url) => (postgres(&admin_url, "jiayuan_bench_company", &dir).await, "PostgreSQL"),
        Err(_) => (Database::open(None, &dir).await.unwrap(), "SQLite"),
    };
    let count = env_number("JIAYUAN_BENCH_SITES", 30);
    let size = YearSize {
        residents: env_number("JIAYUAN_BENCH_SITE_RESIDENTS", 2_000),
        activities: env_number("JIAYUAN_BENCH_SITE_ACTIVITIES", 10),
        sign_ins: env_number("JIAYUAN_BENCH_SITE_SIGN_INS", 40_000),
    };
    let last_day = jiayuan_community::community_time::today(offset);
    let started = Instant::now();
    let mut sites = Vec::new();
    for n in 0..count {
        let (id, prefix) = (format!("site-{n:02}"), format!("c{n:02}-"));
        let site = SampleSite { site_id: &id, prefix: &prefix, seed: n * 7_919 };
        sample_year::fill_site(&db, site, last_day, offset, size).await.unwrap();
        sqlx::query("UPDATE sites SET name = $2 WHERE id = $1")
            .bind(&id)
            .bind(format!("第{}社区", n + 1))
            .execute(&db.pool)
            .await
            .unwrap();
        sites.push((id, format!("第{}社区", n + 1)));
    }
    // A kiosk's full pull of a big community: 10,000 residents (not among the 30 compared).
    let big = SampleSite { site_id: "site-big", prefix: "big-", seed: 1 };
    let big_size = YearSize { residents: 10_000, ..size };
    sample_year::fill_site(&db, big, last_day, offset, big_size).await.unwrap();
    // As a server that took them in would have numbered them for kiosks' pulls.
    for statement in [
        "UPDATE sites SET version = 1 WHERE id = 'site-big'",
        "UPDATE rooms SET version = 1 WHERE site_id = 'site-big'",
        "UPDATE residents SET version = 1 WHERE site_id = 'site-big'",
        "UPDATE activities SET version = 1 WHERE room_id LIKE 'big-%'",
    ] {
        sqlx::query(statement).execute(&db.pool).await.unwrap();
    }
    jiayuan_community::reports::presence::make_again(&db, offset).await.unwrap();
    let settle = if backend == "SQLite" { "PRAGMA wal_checkpoint(TRUNCATE)" } else { "VACUUM ANALYZE" };
    sqlx::query(settle).execute(&db.pool).await.unwrap();
    let (residents, records): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM residents), (SELECT COUNT(*) FROM kiosk_records)")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    println!(
        "a company of {count} communities ({backend}): {residents} residents, {records} kiosk records, \
         made in {:.0} s ({} residents, {} weekly activities, {} sign-ins a community)",
        started.elapsed().as_secs_f64(),
        size.residents,
        size.activities,
        size.sign_ins
    );
    let scan = read_every_record(&db, 3).await;
    println!("  baseline: the database reads every community's records once in {:.0} ms (p50)", ms(scan));

    let now = jiayuan_community::clock::now_ms();
    let scope = |period| Scope { site_id: "", room_id: "", period, offset, now_ms: now };
    let year = Period { from: last_day - time::Duration::days(364), to: last_day };
    let month = Period::month_of(last_day).previous();
    let one = &sites[..1];
    for (label, period, goal) in [("a month", month, 300), ("the year", year, 1_000)] {
        let (one_p50, one_p95) = time(ROUNDS, || async {
            side_by_side(&db, one, scope(period)).await.unwrap();
        })
        .await;
        let (p50, p95) = time(ROUNDS, || async {
            side_by_side(&db, &sites, scope(period)).await.unwrap();
        })
        .await;
        println!(
            "  side by side and the monthly report, {label:<9}: one community p50 {:>6.1} ms p95 {:>6.1} ms; \
             all {count}: p50 {:>7.1} ms p95 {:>7.1} ms = {:.1} × one community, {:.2} × one read of all records{}",
            ms(one_p50),
            ms(one_p95),
            ms(p50),
            ms(p95),
            p95.as_secs_f64() / one_p95.as_secs_f64(),
            p95.as_secs_f64() / scan.as_secs_f64(),
            if p95 <= Duration::from_millis(goal) {
                format!(" (goal: within {goal} ms)")
            } else {
                format!("  (over the {goal} ms goal)")
            }
        );
    }
    let kiosk = jiayuan_community::kiosks::Kiosk {
        id: "yk-big-yr-room-1".into(),
        room_id: "big-yr-room-1".into(),
        site_id: "site-big".into(),
        applied_through: 0,
    };
    let pulled = jiayuan_community::sync::pull::pull(&db, &kiosk, 0, last_day, offset).await.unwrap();
    let bytes = serde_json::to_vec(&pulled).unwrap().len();
    let (p50, p95) = time(ROUNDS, || async {
        jiayuan_community::sync::pull::pull(&db, &kiosk, 0, last_day, offset).await.unwrap();
    })
    .await;
    println!(
        "  a kiosk's full pull of a {}-resident community: p50 {:.0} ms, p95 {:.0} ms, {} KB of JSON before compression",
        pulled.residents.len(),
        ms(p50),
        ms(p95),
        bytes / 1024
    );

    // Where one community's year goes: the reports the figures come from.
    let site = Scope { site_id: &sites[0].0, ..scope(year) };
    let (visits, _) = time(ROUNDS, || async {
        jiayuan_community::reports::visits::visits(&db, site).await.unwrap();
    })
    .await;
    let (sessions, _) = time(ROUNDS, || async {
        jiayuan_community::reports::activities::sessions(&db, site).await.unwrap();
    })
    .await;
    let (ratings, _) = time(ROUNDS, || async {
        jiayuan_community::reports::satisfaction::satisfaction(&db, site).await.unwrap();
    })
    .await;
    let (hours, _) = time(ROUNDS, || async {
        jiayuan_community::time_bank::counted_in_period(&db, site.site_id, year.from, year.to).await.unwrap();
    })
    .await;
    println!(
        "  one community's year, p50: visits {:.1} ms, sessions {:.1} ms, satisfaction {:.1} ms, volunteer hours {:.1} ms",
        ms(visits),
        ms(sessions),
        ms(ratings),
        ms(hours)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
