// The server decides seats and the kiosks show its decisions: the last seat goes to one
// resident, the next joins the waiting list and sees their place; a cancellation moves them
// up, and another kiosk tells them and shows it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  DEMO_RESIDENT,
  dateFromToday,
  heading,
  openActivityTitled,
  openKiosk,
  pairKiosk,
  scanCard,
  tap,
  waitForSynced,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

/** The demo's second resident (crates/server/src/demo.rs). */
const SECOND_CARD = "6201100037";
const TITLE = "一个名额的讲座";

describe("waiting list", () => {
  const running = withServerAndBrowser();

  test("one seat: confirmed, waiting list number 1, moved up after a cancellation, seen on another kiosk", async () => {
    const { server } = running;
    server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,host_zh_hant,host_en,capacity,companions_allowed\n" +
        `e2e-one-seat,room-seniors,${dateFromToday(1)},09:00,10:00,${TITLE},一個名額的講座,A talk with one seat,王老师,,,1,0\n`,
    );
    const first = await openKiosk(running.browser, server);
    const second = await openKiosk(running.browser, server);
    await pairKiosk(first.page, server);
    await pairKiosk(second.page, server);
    const page = first.page;

    const signUp = async (card) => {
      await scanCard(page, card);
      await tap(page, "看活动、报名");
      await openActivityTitled(page, 1, TITLE);
    };
    await signUp(DEMO_RESIDENT.card);
    await tap(page, "报名");
    await heading(page, "报名成功");
    await tap(page, "完成");

    await signUp(SECOND_CARD);
    assert.match(await page.locator(".detail-seats").textContent(), /已满，可以候补/);
    await tap(page, "排候补");
    await heading(page, "已排候补第1位");
    await tap(page, "完成");

    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    await page.waitForTimeout(450);
    await page.locator(".my-sign-ups .card", { hasText: TITLE }).click();
    await tap(page, "是，取消报名");
    await heading(page, "已取消报名");
    await tap(page, "完成");
    await waitForSynced(page);

    // The other kiosk learns the decision at its next pull ("sync now" from its staff panel
    // would do; every 30 s it does anyway). A new record there syncs at once too.
    const other = second.page;
    await other.reload();
    await scanCard(other, SECOND_CARD);
    // Moved up by someone else's cancellation: told first (e2e/told.test.mjs says more).
    await heading(other, new RegExp(`^好消息：您报上了《${TITLE}》`));
    await tap(other, "知道了");
    await tap(other, "我的报名");
    await other.locator(".my-sign-ups .card", { hasText: TITLE }).locator(".card-seats", { hasText: "已报名" }).waitFor();
    await first.context.close();
    await second.context.close();
  });
});
