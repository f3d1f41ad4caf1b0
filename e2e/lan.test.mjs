// A kiosk reaches the server by a LAN name, as in a real community (Chromium's
// --host-resolver-rules maps the name to loopback). Over HTTPS, with the community's authority
// trusted the way a Debian kiosk trusts it (its NSS database), the kiosk is a secure context,
// its service worker takes control, and it starts with the network down after the browser
// restarts. Over plain HTTP it cannot, and says so to staff.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { chromium } from "playwright-core";

import { KIOSK, args, executablePath, waitForOfflineShell } from "./support/browser.mjs";
import { heading, openStaffPanel, pairKiosk } from "./support/kiosk.mjs";
import { startServer } from "./support/server.mjs";

const NAME = "jiayuan.lan";

/** A kiosk machine: its own home (NSS database) and browser profile, the LAN name resolved. */
function kioskMachine(caFile) {
  const home = mkdtempSync(join(tmpdir(), "jiayuan-kiosk-home-"));
  if (caFile) {
    const nssdb = join(home, ".pki", "nssdb");
    mkdirSync(nssdb, { recursive: true });
    execFileSync("certutil", ["-d", `sql:${nssdb}`, "-N", "--empty-password"]);
    execFileSync("certutil", ["-d", `sql:${nssdb}`, "-A", "-t", "C,,", "-n", "Jiayuan community", "-i", caFile]);
  }
  return {
    home,
    launch: () =>
      chromium.launchPersistentContext(join(home, "profile"), {
        executablePath,
        args: [...args, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`],
        env: { ...process.env, HOME: home },
        headless: true,
        ...KIOSK,
      }),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

function lanUrl(server, scheme) {
  return `${scheme}://${NAME}:${new URL(server.url).port}/`;
}

describe("a kiosk on the LAN", () => {
  test("over HTTPS by a LAN name: a secure context, the service worker in control, and it starts offline after a restart", async () => {
    const server = await startServer({ tlsName: NAME });
    const machine = kioskMachine(server.caFile);
    try {
      assert.match(server.url, /^https:/);
      let browser = await machine.launch();
      let page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(lanUrl(server, "https"));
      await heading(page, "欢迎来到活动室");
      assert.equal(await page.evaluate(() => window.isSecureContext), true);
      await waitForOfflineShell(page);
      await page.locator(".staff-note").waitFor({ state: "detached" });
      await pairKiosk(page, server);
      await openStaffPanel(page);
      await page.locator(".offline-start td", { hasText: "可以" }).waitFor();
      await browser.close();

      await server.stop();
      browser = await machine.launch();
      await browser.setOffline(true);
      page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(lanUrl(server, "https"));
      await heading(page, "欢迎来到活动室");
      assert.equal(await page.locator(".staff-note").count(), 0);
      await browser.close();
    } finally {
      machine.remove();
      await server.cleanUp();
    }
  });

  test("over plain HTTP by a LAN name: no offline start, and the kiosk says so to staff", async () => {
    const server = await startServer();
    const machine = kioskMachine();
    try {
      const browser = await machine.launch();
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(lanUrl(server, "http"));
      await heading(page, "欢迎来到活动室");
      assert.equal(await page.evaluate(() => window.isSecureContext), false);
      await page.locator(".staff-note", { hasText: "本机还不能离线启动" }).waitFor();
      await pairKiosk(page, server);
      await openStaffPanel(page);
      await page.locator(".offline-start td", { hasText: "网址不是 HTTPS" }).waitFor();
      await browser.close();
    } finally {
      machine.remove();
      await server.cleanUp();
    }
  });
});
