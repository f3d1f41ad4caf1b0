// The kiosk's staff PIN cannot be guessed on the keypad: five wrong PINs lock the staff panel
// for five minutes, a reload does not unlock it, and residents see nothing of it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { heading, openKiosk, pairKiosk, tap, typeOnKeypad } from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

async function openPinScreen(page) {
  const brand = page.locator(".brand");
  for (let i = 0; i < 5; i++) await brand.click();
  await page.locator(".staff-pin").waitFor();
}

describe("staff PIN", () => {
  const running = withServerAndBrowser();

  test("five wrong PINs lock the staff panel; a reload does not unlock it; the home screen shows nothing", async () => {
    const { context, page } = await openKiosk(running.browser, running.server);
    await pairKiosk(page, running.server);
    await openPinScreen(page);
    for (let i = 0; i < 4; i++) {
      await typeOnKeypad(page, "1357");
      await page.locator(".staff-pin .prompt", { hasText: "密码不对，请再输一次。" }).waitFor();
    }
    await typeOnKeypad(page, "1357");
    await page.locator(".staff-pin .prompt", { hasText: "密码输错太多次。请 5 分钟后再试。" }).waitFor();
    assert.equal(await page.locator(".staff-pin .key").count(), 0, "no keypad while locked");

    await tap(page, "返回");
    await heading(page, "欢迎来到活动室");
    assert.equal(await page.locator(".alert").count(), 0, "residents see nothing of it");
    await page.reload();
    await heading(page, "欢迎来到活动室");
    await openPinScreen(page);
    await page.locator(".staff-pin .prompt", { hasText: /密码输错太多次。请 \d 分钟后再试。/ }).waitFor();
    assert.equal(await page.locator(".staff-pin .key").count(), 0, "still locked after a reload");
    await context.close();
  });
});
