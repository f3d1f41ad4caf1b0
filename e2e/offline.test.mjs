// After one online visit the kiosk starts with the network down, also after the browser
// restarts; a new build takes over from the old one and leaves one cache behind.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { KIOSK, launchBrowser, launchWithProfile, newProfileDir, waitForOfflineShell } from "./support/browser.mjs";
import { startServer } from "./support/server.mjs";

async function homeWorks(page) {
  await page.getByRole("heading", { level: 1, name: "欢迎来到活动室" }).waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { level: 1, name: "Welcome to the activity room" }).waitFor();
}

describe("offline app shell", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test("reloads and works with the network down and the server gone", async () => {
    const server = await startServer();
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      await waitForOfflineShell(page);
      await server.stop();
      await context.setOffline(true);
      await page.reload();
      await homeWorks(page);
      // The network really is down: nothing reaches the server (navigator.onLine is not asked:
      // the kiosk never trusts it, and Chromium 148 leaves it true in a page the shell served).
      const reached = await page.evaluate(() => fetch("/api/health", { cache: "no-store" }).then(() => true, () => false));
      assert.equal(reached, false);
    } finally {
      await context.close();
      await server.cleanUp();
    }
  });

  test("starts with the network down after the browser itself restarts", async () => {
    const server = await startServer();
    const profile = newProfileDir();
    try {
      const first = await launchWithProfile(profile.dir);
      const page = first.pages()[0] ?? (await first.newPage());
      await page.goto(server.url);
      await waitForOfflineShell(page);
      await first.close();
      await server.stop();

      const second = await launchWithProfile(profile.dir);
      await second.setOffline(true);
      const again = second.pages()[0] ?? (await second.newPage());
      await again.goto(server.url);
      await homeWorks(again);
      await second.close();
    } finally {
      await server.cleanUp();
      profile.remove();
    }
  });

  test("a new build takes over at the home screen and replaces the old cache", async () => {
    const server = await startServer({ copyKiosk: true });
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    // What the page said, printed only if the test fails.
    const consoleLines = [];
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    try {
      await page.goto(server.url);
      await waitForOfflineShell(page);
      const oldCaches = await page.evaluate(() => caches.keys());
      assert.equal(oldCaches.length, 1);

      // Play a new release: same hashed assets, a changed page and a new service worker.
      const swPath = join(server.kioskDir, "sw.js");
      const sw = readFileSync(swPath, "utf8");
      writeFileSync(swPath, sw.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1next"'));
      const indexPath = join(server.kioskDir, "index.html");
      const index = readFileSync(indexPath, "utf8");
      writeFileSync(indexPath, index.replace("<title>", '<meta name="jiayuan-build" content="next"><title>'));

      // Chromium takes about 2 s to fetch and compare a new worker; generous for a busy CI.
      const reloaded = page.waitForEvent("load", { timeout: 30_000 });
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await reloaded;
      await page.waitForSelector('meta[name="jiayuan-build"]', { state: "attached", timeout: 30_000 });
      const newCaches = await page.evaluate(() => caches.keys());
      assert.equal(newCaches.length, 1, `caches: ${newCaches}`);
      assert.notEqual(newCaches[0], oldCaches[0]);
      assert.match(newCaches[0], /next$/);

      // The new build's shell is what starts offline now.
      await server.stop();
      await context.setOffline(true);
      await page.reload();
      await page.waitForSelector('meta[name="jiayuan-build"]', { state: "attached" });
      await homeWorks(page);
    } catch (error) {
      console.log(`page console:\n${consoleLines.join("\n")}`);
      throw error;
    } finally {
      await context.close();
      await server.cleanUp();
    }
  });
});
