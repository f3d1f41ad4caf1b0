// The kiosk's journal as a kiosk in the field meets it: records queued by the version before
// move in once; a damaged entry does not hold back the records after it; storage that refuses
// is told kindly and shown to staff; a resident's fifth sign-up can be seen and cancelled; the
// next person starts with the community's settings.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { accessibilityViolations } from "./support/checks.mjs";
import {
  DEMO_RESIDENT,
  heading,
  openKiosk,
  openStaffPanel,
  pairKiosk,
  queueState,
  scanCard,
  tap,
  waitForSynced,
  writeJournalEntries,
} from "./support/kiosk.mjs";
import { KIOSK } from "./support/browser.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

const visitor = (t) => JSON.stringify({ t, a: { k: "i" } });

async function kioskIdOf(page) {
  await openStaffPanel(page);
  const id = (await page.locator(".kiosk-id td").textContent()).trim();
  await tap(page, "返回");
  return id;
}

describe("journal", () => {
  const running = withServerAndBrowser();

  test("a damaged entry in the middle goes as a number given up, and every record after it reaches the server", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    const kioskId = await kioskIdOf(page);
    await context.setOffline(true);
    for (let i = 0; i < 3; i++) {
      await tap(page, "我是访客");
      await heading(page, "欢迎您！");
      await tap(page, "完成");
    }
    const { next } = await queueState(page);
    // The second of the three comes back from the disk damaged.
    await writeJournalEntries(page, [[next - 2, '{"t":17,"a":{"k":']]);
    for (let i = 0; i < 2; i++) {
      await tap(page, "我是访客");
      await heading(page, "欢迎您！");
      await tap(page, "完成");
    }
    await context.setOffline(false);
    await page.reload();
    await waitForSynced(page);
    const records = server.records(kioskId);
    assert.deepEqual(records.map((r) => r.action), ["sign_in", "void", "sign_in", "sign_in", "sign_in"]);
    assert.equal(records[1].seq, String(next - 2));
    await openStaffPanel(page);
    await page.locator(".given-up td", { hasText: `1 (${next - 2})` }).waitFor();
    await context.close();
  });

  test("a kiosk in the field moves its localStorage queue into the journal once, numbering on, and sends it once", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    const kioskId = await kioskIdOf(page);
    // The version before applied records 1 to 5 of this kiosk, and queued 6 to 8 in localStorage.
    const { authorization } = await page.evaluate(() => {
      const kiosk = JSON.parse(localStorage.getItem("jy/kiosk"));
      return { authorization: `Bearer ${kiosk.kiosk_id}.${kiosk.secret}` };
    });
    const now = Date.now();
    const applied = [1, 2, 3, 4, 5].map((seq) => ({ seq, id: `oldkiosk-${seq}`, happened_at: now, action: { type: "sign_in", person: { kind: "visitor" } } }));
    await server.push(authorization, applied);
    await context.setOffline(true);
    await page.evaluate(
      ({ queued }) => {
        indexedDB.deleteDatabase("jiayuan"); // goes through when this page lets go of it
        localStorage.setItem("jy/queue", JSON.stringify({ install: "oldkiosk", next: 9, answered: 5 }));
        for (const [seq, text] of queued) localStorage.setItem(`jy/r/${seq}`, text);
      },
      { queued: [6, 7, 8].map((seq) => [seq, visitor(now + seq)]) },
    );
    await page.reload();
    await heading(page, "欢迎来到活动室");
    assert.deepEqual(await queueState(page), { next: 9, answered: 5, held: 3 });
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("jy/r/") || k === "jy/queue").length), 0);
    await tap(page, "我是访客");
    await heading(page, "欢迎您！");
    await tap(page, "完成");
    await page.reload();
    await heading(page, "欢迎来到活动室");
    assert.equal((await queueState(page)).next, 10, "moved once, numbering on after the old queue");
    await context.setOffline(false);
    await waitForSynced(page);
    const records = server.records(kioskId);
    assert.deepEqual(records.map((r) => r.record_id).slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => `oldkiosk-${seq}`));
    assert.deepEqual(records.map((r) => Number(r.seq)), [1, 2, 3, 4, 5, 6, 7, 8, 9], "each record once");
    await context.close();
  });

  test("IndexedDB blocked: the kiosk runs, tells the resident kindly, never a false success, and staff see why", async () => {
    const { server } = running;
    const context = await running.browser.newContext(KIOSK);
    await context.addInitScript(() => {
      Object.defineProperty(window, "indexedDB", {
        get() {
          throw new DOMException("IndexedDB is blocked by policy", "SecurityError");
        },
      });
    });
    const page = await context.newPage();
    const panics = [];
    page.on("pageerror", (error) => panics.push(error.message));
    await page.goto(server.url);
    await heading(page, "欢迎来到活动室");
    await page.locator(".alert", { hasText: "请工作人员查看" }).waitFor();
    await tap(page, "我是访客");
    await heading(page, "对不起，这次没有记下");
    assert.deepEqual(await accessibilityViolations(page), []);
    await tap(page, "回到首页");
    await openStaffPanel(page);
    await page.locator(".storage-problem td", { hasText: "IndexedDB" }).waitFor();
    assert.equal(await page.locator(".failed-saves td").textContent(), "1");
    assert.deepEqual(panics, []);
    await context.close();
  });

  test("localStorage switched off: the kiosk still starts, keeps records in its journal, and staff are told", async () => {
    const { server } = running;
    const context = await running.browser.newContext(KIOSK);
    await context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("localStorage is switched off", "SecurityError");
        },
      });
    });
    const page = await context.newPage();
    const panics = [];
    page.on("pageerror", (error) => panics.push(error.message));
    await page.goto(server.url);
    await heading(page, "欢迎来到活动室");
    await page.locator(".alert", { hasText: "请工作人员查看" }).waitFor();
    await tap(page, "我是访客");
    await heading(page, "欢迎您！");
    assert.equal((await queueState(page)).held, 1, "the record is in the journal");
    assert.deepEqual(panics, []);
    await context.close();
  });

  test("a resident with five sign-ups pages to the fifth and cancels it", async () => {
    const { server } = running;
    // Five sign-ups made at another kiosk (or by staff) for the demo resident.
    const other = await server.pairByApi("room-hall");
    const activities = await (await fetch(`${server.url}api/schedule`, { headers: { authorization: other.authorization } })).json();
    const withSeats = activities.activities.filter((a) => a.capacity !== null).slice(0, 5);
    assert.equal(withSeats.length, 5);
    const now = Date.now();
    await server.push(
      other.authorization,
      withSeats.map((a, i) => ({ seq: i + 1, id: `other-${i + 1}-${now}`, happened_at: now, action: { type: "sign_up", resident_id: "resident-0001", activity_id: a.id, companions: 0 } })),
    );
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    await page.locator(".my-sign-ups .card").first().waitFor();
    assert.equal(await page.locator(".my-sign-ups .card").count(), 4, "four a page");
    await tap(page, "下一页");
    await page.locator(".my-sign-ups .card").first().waitFor();
    assert.equal(await page.locator(".my-sign-ups .card").count(), 1, "the fifth on the next page");
    const fifth = (await page.locator(".my-sign-ups .card-title").textContent()).trim();
    await page.waitForTimeout(450);
    await page.locator(".my-sign-ups .card").click();
    await heading(page, "确定要取消报名吗？");
    await tap(page, "是，取消报名");
    await heading(page, "已取消报名");
    assert.match(await page.locator(".prompt").textContent(), new RegExp(fifth));
    await waitForSynced(page);
    await context.close();
  });

  test("the next person starts in 简体中文, with normal text and sound on; a double tap on 大字 counts once", async () => {
    const { server } = running;
    const { context, page } = await openKiosk(running.browser, server);
    await pairKiosk(page, server);
    await page.waitForTimeout(450);
    await page.getByRole("button", { name: "大字" }).dblclick();
    assert.equal(await page.getByRole("button", { name: "大字" }).getAttribute("aria-pressed"), "true", "one tap, not two");
    await tap(page, "关闭声音");
    await tap(page, "English");
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "What would you like to do? Tap one.");
    await tap(page, "Done");
    await heading(page, "欢迎来到活动室");
    assert.equal(await page.getByRole("button", { name: "大字" }).getAttribute("aria-pressed"), "false");
    await page.getByRole("button", { name: "关闭声音" }).waitFor();
    await context.close();
  });
});
