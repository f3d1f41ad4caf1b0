// A power cut right after pairing: the kiosk must come back paired, or it would take residents'
// records that could never reach the server. Chromium is SIGKILLed the moment the staff panel
// shows the kiosk's id, started again, and what residents do next reaches the server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { newProfileDir } from "./support/browser.mjs";
import { startKillableChromium } from "./support/killable.mjs";
import { heading, openStaffPanel, tap, typeOnKeypad } from "./support/kiosk.mjs";
import { startServer } from "./support/server.mjs";

const HOME = "欢迎来到活动室";
const SAVED = "欢迎您！";

describe("pairing and the power", () => {
  test("the power is cut the moment the kiosk says it is paired: after the restart it is still paired and its records reach the server", { timeout: 120_000 }, async () => {
    const server = await startServer();
    const profile = newProfileDir();
    try {
      let chrome = await startKillableChromium(profile.dir);
      await chrome.page.goto(server.url);
      await openStaffPanel(chrome.page);
      await chrome.page.waitForTimeout(450);
      await chrome.page.getByRole("button", { name: /^(配对|重新配对)$/ }).click();
      await typeOnKeypad(chrome.page, server.pairingCode());
      const id = chrome.page.locator(".staff .kiosk-id td").filter({ hasText: /^kiosk-/ });
      await id.waitFor();
      const kioskId = (await id.textContent()).trim();
      await chrome.kill();

      chrome = await startKillableChromium(profile.dir);
      const page = chrome.page;
      await page.goto(server.url);
      await heading(page, HOME);
      for (let i = 0; i < 3; i++) {
        await tap(page, "我是访客");
        await heading(page, SAVED);
        await tap(page, "完成");
        await heading(page, HOME);
      }
      // The staff panel names the kiosk it was paired as.
      await openStaffPanel(page);
      assert.equal((await page.locator(".staff .kiosk-id td").textContent()).trim(), kioskId);
      const deadline = Date.now() + 30_000;
      while (server.records(kioskId).length < 3 && Date.now() < deadline) await sleep(200);
      const visitors = server.records(kioskId).filter((r) => r.action === "sign_in");
      assert.equal(visitors.length, 3, "each visitor's sign-in reached the server once");
      await chrome.close();
    } finally {
      await server.cleanUp();
      profile.remove();
    }
  });
});
