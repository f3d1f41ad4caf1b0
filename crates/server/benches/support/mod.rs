//! What the report benches share: p50/p95 of repeated runs, and a fresh PostgreSQL database.

use std::time::{Duration, Instant};

use jiayuan_community::db::Database;

pub fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let at = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[at]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `run` once to warm the cache (as a page viewed twice would), then `rounds` times: p50, p95.
pub async fn time<F, Fut>(rounds: usize, mut run: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    run().await;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    (percentile(&mut times, 0.5), percentile(&mut times, 0.95))
}

/// A fresh database named `name` and this process's id on the PostgreSQL server at `admin_url`.
pub async fn postgres(admin_url: &str, name: &str, dir: &std::path::Path) -> Database {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(admin_url).await.unwrap();
    let name = format!("{name}_{}", std::process::id());
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(admin_url);
    Database::open(Some(&format!("{base}/{name}")), dir).await.unwrap()
}

/// The baseline: how long the database takes to read every kiosk record once (p50 of `rounds`).
pub async fn read_every_record(db: &Database, rounds: usize) -> Duration {
    let (p50, _) = time(rounds, || async {
        let _: (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), CAST(SUM(happened_at % 1000) AS BIGINT) FROM kiosk_records")
                .fetch_one(&db.pool)
                .await
                .unwrap();
    })
    .await;
    p50
}
