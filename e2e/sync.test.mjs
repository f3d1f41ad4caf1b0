// Records made offline reach the server exactly once: through a reload while offline, and
// through the server dying in the middle of a sync. The kiosk then shows the server's decisions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { waitForOfflineShell } from "./support/browser.mjs";
import {
  DEMO_RESIDENT,
  attendance,
  heading,
  openActivityWithSeats,
  openKiosk,
  openStaffPanel,
  pairKiosk,
  queueState,
  queueVisitorSignIns,
  scanCard,
  tap,
  typeOnKeypad,
  waitForSynced,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

describe("sync", () => {
  const running = withServerAndBrowser();

  test("offline: residents sign in and sign up, the page reloads, the network returns: each record once", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    await waitForOfflineShell(page);
    await waitForSynced(page);
    const applied = server.appliedRecords();
    const seen = attendance(await server.staffPage());

    await context.setOffline(true);
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "签到");
    await heading(page, "签到成功");
    await tap(page, "还要办别的事");
    await tap(page, "看活动、报名");
    await openActivityWithSeats(page, "剩余名额");
    const title = await page.locator("h1").textContent();
    await tap(page, "报名");
    if (await page.locator(".companions").count()) await tap(page, "就我一个");
    await heading(page, "报名已记下，等待确认");
    await tap(page, "完成");
    for (let i = 0; i < 2; i++) {
      await tap(page, "我是访客");
      await heading(page, "欢迎您！");
      await tap(page, "完成");
    }
    await page.reload();
    await heading(page, "欢迎来到活动室");
    const queued = await queueState(page);
    assert.equal(queued.next - 1 - queued.answered, 4, "four records wait, none lost in the reload");

    await context.setOffline(false);
    await waitForSynced(page);
    assert.equal(server.appliedRecords() - applied, 4, "the server applied each record once");
    const now = attendance(await server.staffPage());
    assert.equal(now.visitors - seen.visitors, 2);
    assert.equal(now.residents - seen.residents, 1);

    // The server's decision is what the resident sees now.
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    const card = page.locator(".my-sign-ups .card", { hasText: title });
    await card.locator(".card-seats", { hasText: /^(已报名|候补第\d+位)$/ }).waitFor();
    await context.close();
  });

  test("the server is killed in the middle of a sync and restarted: nothing lost, nothing twice", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    await waitForSynced(page);
    const applied = server.appliedRecords();
    const seen = attendance(await server.staffPage());

    const count = 3000;
    await context.setOffline(true);
    await queueVisitorSignIns(page, count);
    const cut0 = (await queueState(page)).answered;
    await openStaffPanel(page);
    await context.setOffline(false);
    while (((await queueState(page))?.answered ?? 0) <= cut0) await page.waitForTimeout(20);
    await server.kill();
    const cut = await queueState(page);
    assert.ok(cut.next - 1 - cut.answered > 0, "the sync was cut with records still to send");
    await server.restart();

    await waitForSynced(page, 90_000);
    assert.equal(server.appliedRecords() - applied, count);
    assert.equal(attendance(await server.staffPage()).visitors - seen.visitors, count);
    await page.locator(".staff .queued td", { hasText: /^0$/ }).waitFor();
    await context.close();
  });

  test("a revoked kiosk says so on its staff panel, keeps its records, and sends them once paired again", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    await waitForSynced(page);
    await openStaffPanel(page);
    const kioskId = (await page.locator(".kiosk-id td").textContent()).trim();
    server.revokeKiosk(kioskId);
    await tap(page, "返回");
    await tap(page, "我是访客");
    await heading(page, "欢迎您！");
    await tap(page, "完成");
    await openStaffPanel(page);
    await page.locator(".last-error td", { hasText: "服务器不认这台机器，请重新配对" }).waitFor();
    await page.locator(".kiosk-id td", { hasText: "已被停用" }).waitFor();
    assert.equal((await page.locator(".queued td").textContent()).trim(), "1", "the record is kept");

    const applied = server.appliedRecords();
    await tap(page, "重新配对");
    await typeOnKeypad(page, server.pairingCode());
    await page.locator(".kiosk-id td").filter({ hasNotText: kioskId }).filter({ hasText: /^kiosk-/ }).waitFor();
    await waitForSynced(page);
    assert.equal(server.appliedRecords() - applied, 1);
    await context.close();
  });
});
