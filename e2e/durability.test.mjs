// A record the kiosk said it saved survives the browser being killed: Chromium SIGKILLed at
// random moments from the tap to 300 ms after the confirmation, started again offline, then
// online. Every record whose confirmation was shown reaches the server, and no tap is
// counted twice. `JIAYUAN_KILLS` sets how many kills (`cargo xtask soak` runs 1,000).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { newProfileDir, waitForOfflineShell } from "./support/browser.mjs";
import { startKillableChromium } from "./support/killable.mjs";
import { heading, openStaffPanel, pairKiosk, queueState, tap, waitForSynced } from "./support/kiosk.mjs";
import { startServer } from "./support/server.mjs";

const KILLS = Number(process.env.JIAYUAN_KILLS ?? 24);
const HOME = "欢迎来到活动室";
const SAVED = "欢迎您！";

/** Each visitor record the server holds, under the tap whose time window it falls in. */
function recordsPerTap(taps, records) {
  const counts = taps.map(() => 0);
  for (const record of records) {
    const at = Number(record.happened_at);
    const index = taps.findLastIndex((tap) => tap.at - 50 <= at);
    if (index >= 0) counts[index] += 1;
  }
  return counts;
}

describe("durability", () => {
  test(`${KILLS} kills between the tap and 300 ms after "saved", then offline, then online: nothing lost, nothing twice`, { timeout: 60_000 + KILLS * 15_000 }, async () => {
    const server = await startServer();
    const profile = newProfileDir();
    try {
      // Set up online, as staff would: paired, the app kept for offline starts, roster pulled.
      let chrome = await startKillableChromium(profile.dir);
      await chrome.page.goto(server.url);
      await pairKiosk(chrome.page, server);
      await waitForOfflineShell(chrome.page);
      await waitForSynced(chrome.page);
      await openStaffPanel(chrome.page);
      const kioskId = (await chrome.page.locator(".kiosk-id td").textContent()).trim();
      const before = server.records(kioskId).length;
      await chrome.close();
      // The network is down from here until the end of the kills.
      await server.stop();

      const taps = [];
      for (let i = 0; i < KILLS; i++) {
        chrome = await startKillableChromium(profile.dir);
        const page = chrome.page;
        await page.goto(server.url);
        await heading(page, HOME);
        const tapAt = Date.now();
        await tap(page, "我是访客");
        const entry = { at: tapAt, confirmed: false };
        taps.push(entry);
        if (i % 2 === 1) {
          // After the confirmation: it was shown, so the record must survive.
          await heading(page, SAVED);
          entry.confirmed = true;
          await sleep(Math.random() * 300);
        } else {
          // Between the tap and the confirmation: the record may or may not be saved yet.
          await sleep(Math.random() * 40);
          entry.confirmed = await page.locator("h1", { hasText: SAVED }).isVisible();
        }
        await chrome.kill();
      }

      // Started again, still offline: the kiosk starts and holds what it was told to keep.
      chrome = await startKillableChromium(profile.dir);
      await chrome.page.goto(server.url);
      await heading(chrome.page, HOME);
      const held = await queueState(chrome.page);
      await chrome.close();

      // The network returns.
      await server.restart();
      chrome = await startKillableChromium(profile.dir);
      await chrome.page.goto(server.url);
      await waitForSynced(chrome.page, 60_000);
      await chrome.close();

      const records = server.records(kioskId).slice(before);
      assert.ok(records.every((r) => r.action === "sign_in" && r.resident_id === ""), "only the visitors' sign-ins");
      const counts = recordsPerTap(taps, records);
      const confirmed = taps.filter((t) => t.confirmed).length;
      const lost = taps.filter((t, i) => t.confirmed && counts[i] === 0).length;
      const twice = counts.filter((n) => n > 1).length;
      console.log(`kills ${KILLS}, confirmations shown ${confirmed}, records kept ${records.length}, lost ${lost}, counted twice ${twice}`);
      assert.equal(held.next - 1 - held.answered, records.length, "what the kiosk held offline is what reached the server");
      assert.equal(lost, 0, "every record shown as saved is on the server");
      assert.equal(twice, 0, "no tap is counted twice");
      assert.ok(records.length <= KILLS);
      assert.ok(confirmed >= KILLS / 2, "at least the half of kills after the confirmation saw it");
    } finally {
      await server.cleanUp();
      profile.remove();
    }
  });
});
