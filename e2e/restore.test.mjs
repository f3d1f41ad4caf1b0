// A server restored from last night's backup has forgotten records it had already answered;
// kiosks had let them go as sent. The kiosk keeps answered records a week, and when the
// restored server asks for numbers it answered before, sends them again: the server ends with
// every record exactly once.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { launchBrowser } from "./support/browser.mjs";
import {
  heading,
  openKiosk,
  openStaffPanel,
  pairKiosk,
  queueState,
  queueVisitorSignIns,
  tap,
  waitForSynced,
} from "./support/kiosk.mjs";
import { startServer } from "./support/server.mjs";

async function visitors(page, count) {
  for (let i = 0; i < count; i++) {
    await tap(page, "我是访客");
    await heading(page, "欢迎您！");
    await tap(page, "完成");
  }
}

describe("restore", () => {
  test("a backup taken while the kiosk pushes, restored: the kiosk sends again what it forgot, each once", async () => {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const { context, page } = await openKiosk(browser, server);
      await pairKiosk(page, server);
      await openStaffPanel(page);
      const kioskId = (await page.locator(".kiosk-id td").textContent()).trim();
      await tap(page, "返回");
      const count = 2000;
      await context.setOffline(true);
      await queueVisitorSignIns(page, count);
      await context.setOffline(false);
      // The nightly backup happens to run while the kiosk catches up.
      while (((await queueState(page))?.answered ?? 0) === 0) await page.waitForTimeout(10);
      const backup = server.backup();
      await waitForSynced(page, 90_000);
      await visitors(page, 2);
      await waitForSynced(page);
      const all = count + 2;
      assert.equal(server.records(kioskId).length, all);

      await server.stop();
      server.restore(backup);
      await server.restart();
      const kept = server.records(kioskId).length;
      assert.ok(kept < all, `the restored server forgot records it had answered (${kept} of ${all})`);

      await visitors(page, 1);
      await waitForSynced(page, 90_000);
      const records = server.records(kioskId);
      assert.deepEqual(records.map((r) => Number(r.seq)), Array.from({ length: all + 1 }, (_, i) => i + 1), "each number once, none missing");
      assert.ok(records.every((r) => r.action === "sign_in"), "the kiosk held them all: no number given up");
      assert.equal(new Set(records.map((r) => r.record_id)).size, all + 1);
      const staffPage = await server.staffPage();
      assert.match(staffPage, /最近一次备份/);
    } finally {
      await browser.close();
      await server.cleanUp();
    }
  });
});
