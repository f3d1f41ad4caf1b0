// Benchmarks on a real headless kiosk (`cargo xtask bench`). They print figures, each next to a
// baseline measured in the same run; they never pass or fail on time.
//
// 1. Tap to next screen, p50/p95, with the CPU slowed 4× (Chrome DevTools Protocol), against
//    the same taps at full speed; and tap to a confirmation, which waits for the record to be
//    on the disk (a flushed IndexedDB transaction) first.
// 2. Syncing 10,000 queued records from the kiosk, against the same records pushed straight to
//    the server from Node in the same batches (no browser, no storage).
import { launchBrowser } from "../support/browser.mjs";
import { openKiosk, openStaffPanel, pairKiosk, queueVisitorSignIns, waitForSynced } from "../support/kiosk.mjs";
import { startServer } from "../support/server.mjs";

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value) => `${value.toFixed(1)} ms`;

/** Taps `count` times between home and the phone keypad; returns each tap's time to the next
 *  screen's heading being in place, as the next frame starts. */
async function tapTimes(page, count) {
  return page.evaluate(async (count) => {
    const times = [];
    const sleep = (t) => new Promise((r) => setTimeout(r, t));
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    for (let i = 0; i < count; i++) {
      const forward = i % 2 === 0;
      await sleep(450); // past the guard against the tail of a double tap
      const button = forward
        ? document.querySelector(".home .choice")
        : document.querySelector(".back-button");
      const expected = forward ? "identify" : "home";
      const start = performance.now();
      button.click();
      while (!document.querySelector(`.screen.${expected}`)) await frame();
      await frame();
      times.push(performance.now() - start);
    }
    return times;
  }, count);
}

/** Taps "I'm a visitor" `count` times; returns each tap's time to the confirmation being in
 *  place, as the next frame starts (the record is saved, durably, before it shows). */
async function confirmationTimes(page, count) {
  return page.evaluate(async (count) => {
    const times = [];
    const sleep = (t) => new Promise((r) => setTimeout(r, t));
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    for (let i = 0; i < count; i++) {
      await sleep(450);
      const visitor = [...document.querySelectorAll(".home .choice")].find((b) => b.textContent === "我是访客");
      const start = performance.now();
      visitor.click();
      while (!document.querySelector(".screen.confirmation")) await frame();
      await frame();
      times.push(performance.now() - start);
      await sleep(450);
      document.querySelector(".confirmation .choice").click();
      while (!document.querySelector(".screen.home")) await frame();
    }
    return times;
  }, count);
}

function report(label, full, slow) {
  console.log(label);
  console.log(`  full speed:      p50 ${ms(percentile(full, 0.5))}  p95 ${ms(percentile(full, 0.95))}`);
  console.log(`  CPU slowed 4×:   p50 ${ms(percentile(slow, 0.5))}  p95 ${ms(percentile(slow, 0.95))}`);
  console.log(`  ratio (p95):     ${(percentile(slow, 0.95) / percentile(full, 0.95)).toFixed(2)}×`);
}

async function tapBenchmark(browser, server) {
  const { context, page } = await openKiosk(browser, server);
  await pairKiosk(page, server);
  const full = await tapTimes(page, 40);
  const fullSaved = await confirmationTimes(page, 40);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const slow = await tapTimes(page, 40);
  const slowSaved = await confirmationTimes(page, 40);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  report("tap to next screen (40 taps, home ⇄ keypad)", full, slow);
  report("tap to confirmation, the record saved durably first (40 visitor sign-ins; goal p95 ≤ 50 ms at 4×)", fullSaved, slowSaved);
  await context.close();
}

async function rawPush(server, count) {
  const pairing = await (
    await fetch(`${server.url}api/kiosks/pair`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: server.pairingCode() }),
    })
  ).json();
  const authorization = `Bearer ${pairing.kiosk_id}.${pairing.secret}`;
  const start = performance.now();
  for (let first = 1; first <= count; first += 500) {
    const records = [];
    for (let seq = first; seq < Math.min(first + 500, count + 1); seq++) {
      records.push({ seq, id: `bench-${seq}`, happened_at: Date.now(), action: { type: "sign_in", person: { kind: "visitor" } } });
    }
    const response = await fetch(`${server.url}api/sync/push`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ records }),
    });
    if (response.status !== 200) throw new Error(`raw push: ${response.status}`);
    await response.json();
  }
  return performance.now() - start;
}

async function syncBenchmark(browser, server) {
  const count = 10_000;
  const { context, page } = await openKiosk(browser, server);
  await pairKiosk(page, server);
  await waitForSynced(page);
  await context.setOffline(true);
  await queueVisitorSignIns(page, count);
  await openStaffPanel(page);
  const start = Date.now();
  await context.setOffline(false);
  await waitForSynced(page, 600_000);
  const kiosk = Date.now() - start;
  await context.close();
  const raw = await rawPush(server, count);
  console.log(`sync ${count.toLocaleString("en")} queued records (batches of 500)`);
  console.log(`  from the kiosk (headless Chromium, IndexedDB journal): ${(kiosk / 1000).toFixed(2)} s, ${Math.round(count / (kiosk / 1000))} records/s`);
  console.log(`  pushed from Node (no browser, no storage):        ${(raw / 1000).toFixed(2)} s, ${Math.round(count / (raw / 1000))} records/s`);
  console.log(`  kiosk / raw throughput: ${((raw / kiosk) * 100).toFixed(0)}%`);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  await tapBenchmark(browser, server);
  console.log();
  await syncBenchmark(browser, server);
} finally {
  await browser.close();
  await server.cleanUp();
}
