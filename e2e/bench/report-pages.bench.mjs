// The report pages as staff get them (`cargo xtask bench`): the release server on the sample
// year the reports benchmark kept (crates/server/benches/reports.rs with JIAYUAN_BENCH_KEEP),
// each page for the last month and for the whole year over real HTTP, p50 and p95, against the
// console's sign-in page (no database) measured in the same run. It prints; it never fails on time.
//
//   JIAYUAN_SERVER_BIN=target/release/jiayuan-server JIAYUAN_KIOSK_DIR=dist \
//     node e2e/bench/report-pages.bench.mjs <folder of the kept year, or the folder holding it>
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { listening, signInForTests } from "../support/server.mjs";

const serverBin = process.env.JIAYUAN_SERVER_BIN;
const SITE = "site-year";
const ROUNDS = 12;

function yearFolder(given) {
  if (existsSync(join(given, "jiayuan.sqlite3"))) return given;
  const kept = readdirSync(given).map((name) => join(given, name)).filter((dir) => existsSync(join(dir, "jiayuan.sqlite3")));
  if (kept.length !== 1) throw new Error(`no single kept year in ${given}`);
  return kept[0];
}

const day = (date) => date.toISOString().slice(0, 10);
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.round((values.length - 1) * p))];

async function startServer(dataDir) {
  // The bench's community is at +08:00, as the sample year was cut.
  const env = { ...process.env, JIAYUAN_DATA_DIR: dataDir, JIAYUAN_ADDR: "127.0.0.1:0", JIAYUAN_UTC_OFFSET: "+08:00" };
  const child = spawn(serverBin, ["serve"], { env, stdio: ["ignore", "pipe", "ignore"] });
  // A first start on a year may take a while (its first nightly backup copies the file).
  const url = await listening(child, 120);
  return { url, env, stop: () => child.kill("SIGTERM") };
}

/** A viewer's session cookie: an account made by `add-staff`, signed in the first time. */
async function signIn({ url, env }) {
  const id = `bench-${Date.now()}`;
  const out = execFileSync(serverBin, ["add-staff", "--id", id, "--name", "Bench", "--role", "viewer", "--site", SITE], { env, encoding: "utf8" });
  return signInForTests(url, id, out.match(/One-time password: (\S+)/)[1]);
}

async function times(url, cookie) {
  const taken = [];
  let bytes = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    const response = await fetch(url, { headers: cookie ? { cookie } : {} });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    bytes = body.length;
    if (round > 0) taken.push(performance.now() - started); // the first warms the cache
  }
  return { p50: percentile(taken, 0.5), p95: percentile(taken, 0.95), bytes };
}

const server = await startServer(yearFolder(process.argv[2] ?? "."));
try {
  const cookie = await signIn(server);
  const baseline = await times(`${server.url}console/sign-in`, null);
  console.log(`report pages over HTTP on the sample year (SQLite, release server, ${ROUNDS} rounds each)`);
  console.log(`  baseline: the sign-in page (no database) p50 ${baseline.p50.toFixed(1)} ms`);
  const today = new Date(Date.now() + 8 * 3600_000);
  const lastMonthEnd = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
  const lastMonthStart = new Date(Date.UTC(lastMonthEnd.getUTCFullYear(), lastMonthEnd.getUTCMonth(), 1));
  const yearStart = new Date(today.getTime() - 364 * 86_400_000);
  const pages = ["", "/sessions", "/demand", "/kiosks", "/summary", "/satisfaction"];
  for (const [label, from, to] of [["a month", lastMonthStart, lastMonthEnd], ["the year", yearStart, today]]) {
    for (const page of pages) {
      const { p50, p95, bytes } = await times(`${server.url}console/reports${page}?from=${day(from)}&to=${day(to)}`, cookie);
      const name = `/console/reports${page}`.padEnd(29);
      const over = p95 > 300 ? "  (over the 300 ms goal)" : "";
      console.log(
        `  ${name} for ${label.padEnd(9)}: p50 ${p50.toFixed(0).padStart(4)} ms, p95 ${p95.toFixed(0).padStart(4)} ms = ${(p95 / baseline.p50).toFixed(0)} × the baseline, ${(bytes / 1e6).toFixed(2)} MB${over}`,
      );
    }
  }
} finally {
  server.stop();
}
