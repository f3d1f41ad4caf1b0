// A server restored from last night's backup has forgotten records it had already answered;
// kiosks had let them go as sent. The kiosk keeps answered records a week, and when the
// restored server asks for numbers it answered before, sends them again: the server ends with
// every record exactly once.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { launchBrowser } from "./support/browser.mjs";
import { heading, openKiosk, openStaffPanel, pairKiosk, tap, waitForSynced } from "./support/kiosk.mjs";
import { startServer } from "./support/server.mjs";

async function visitors(page, count) {
  for (let i = 0; i < count; i++) {
    await tap(page, "我是访客");
    await heading(page, "欢迎您！");
    await tap(page, "完成");
  }
}

describe("restore", () => {
  test("records answered after the backup come back from the kiosk, once", async () => {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const { page } = await openKiosk(browser, server);
      await pairKiosk(page, server);
      await openStaffPanel(page);
      const kioskId = (await page.locator(".kiosk-id td").textContent()).trim();
      await tap(page, "返回");
      await visitors(page, 3);
      await waitForSynced(page);
      const backup = server.backup();
      await visitors(page, 4);
      await waitForSynced(page);
      assert.equal(server.records(kioskId).length, 7);

      await server.stop();
      server.restore(backup);
      await server.restart();
      assert.equal(server.records(kioskId).length, 3, "the restored server forgot four answered records");

      await visitors(page, 1);
      await waitForSynced(page);
      const records = server.records(kioskId);
      assert.deepEqual(records.map((r) => Number(r.seq)), [1, 2, 3, 4, 5, 6, 7, 8], "each number once, none missing");
      assert.ok(records.every((r) => r.action === "sign_in"), "the kiosk held them all: no number given up");
      assert.equal(new Set(records.map((r) => r.record_id)).size, 8);
      const staffPage = await server.staffPage();
      assert.match(staffPage, /最近一次备份/);
    } finally {
      await browser.close();
      await server.cleanUp();
    }
  });
});
