// A full class drawn fairly (摇号): two residents enter a one-seat class at a kiosk with the
// network down; the network returns, the draw comes at its time, and at the kiosk each is told
// their own result first, spoken: one has the seat, the other waits in drawn order.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meetsTheRules } from "./support/checks.mjs";
import {
  DEMO_RESIDENT,
  captureSpeech,
  clockOf,
  dateFromToday,
  dayOf,
  heading,
  meetsTheRulesLargeAndInEnglish,
  openActivityTitled,
  openKiosk,
  pairKiosk,
  scanCard,
  tap,
  waitForSynced,
  wholeMinuteAfter,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

/** The demo's second resident (crates/community/src/demo.rs). */
const SECOND_CARD = "6201100037";
const TITLE = "钢琴";
const ID = "e2e-piano";
const MENU = "您要做什么？请点一下。";

describe("draws", () => {
  const running = withServerAndBrowser();

  test("entered offline, drawn at its time, each told their own result at the kiosk", async () => {
    const { server } = running;
    server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,host_zh_hant,host_en,capacity,companions_allowed\n" +
        `${ID},room-seniors,${dateFromToday(2)},09:00,10:30,${TITLE},鋼琴,Piano,李老师,,,1,0\n`,
    );
    const sessionPage = `console/schedule/sessions/${ID}`;
    // Entries close at the next whole minute at least 55 s away (both entries take about 30 s);
    // with no grace the draw comes within seconds of it.
    const close = wholeMinuteAfter(55_000);
    const when = { close, day: dayOf(close), time: clockOf(close) };
    const set = await server.staffForm(sessionPage, `${sessionPage}/draw`, {
      closes_day: when.day,
      closes_time: when.time,
      grace_minutes: "0",
    });
    assert.equal(set.status, 303, "staff set the draw");
    const seed = (await server.staffPage(sessionPage)).match(/id="draw-seed">([^<]+)</)[1];
    assert.match(seed, /^\S{16,}$/, "the seed is public as soon as entries open");

    const kiosk = await openKiosk(running.browser, server);
    await captureSpeech(kiosk.context);
    const page = kiosk.page;
    await pairKiosk(page, server);
    await page.reload();
    await page.locator("h1").waitFor();
    await waitForSynced(page);
    await page.waitForTimeout(1500);
    await kiosk.context.setOffline(true);

    for (const card of [DEMO_RESIDENT.card, SECOND_CARD]) {
      await scanCard(page, card);
      await tap(page, "看活动、报名");
      await openActivityTitled(page, 2, TITLE);
      // No race for the one seat: the button enters the draw.
      assert.equal(await page.getByRole("button", { name: "报名", exact: true }).count(), 0);
      await tap(page, "参加抽签");
      await heading(page, "已参加抽签");
      const [, month, day] = when.day.split("-").map(Number);
      assert.match(
        await page.locator("main").innerText(),
        new RegExp(`《${TITLE}》${month}月${day}日.* ${when.time}抽签，结果会告诉您。`),
        "the confirmation says when the result comes",
      );
      await page.waitForFunction(() => window.spoken.at(-1)?.text.includes("抽签"));
      if (card === SECOND_CARD) await meetsTheRulesLargeAndInEnglish(page, "entered", "You are in the draw");
      await tap(page, "完成");
    }
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    await page.locator(".my-sign-ups .card", { hasText: TITLE }).filter({ hasText: "已参加抽签" }).waitFor();
    await tap(page, "完成");

    // The network returns before the close; the entries reach the server, no seat taken yet.
    await kiosk.context.setOffline(false);
    await waitForSynced(page);
    const before = await server.staffPage(sessionPage);
    assert.match(before, /id="draw-entries">2 /, "two entries, one per resident");
    assert.doesNotMatch(before, /id="draw-drawn"/);

    // The draw at its time (the server looks every few seconds).
    const deadline = when.close.getTime() + 60_000;
    let after = before;
    while (!after.includes('id="draw-drawn"')) {
      assert.ok(Date.now() < deadline, "drawn within a minute of the close");
      await page.waitForTimeout(2000);
      after = await server.staffPage(sessionPage);
    }
    assert.equal(after.match(/id="draw-seed">([^<]+)</)[1], seed, "the seed never changes");

    // The kiosk's next pull brings the result; each resident is told theirs first, once.
    await page.reload();
    await page.locator("h1").waitFor();
    await waitForSynced(page);
    await page.waitForTimeout(1500);
    const told = [];
    for (const card of [DEMO_RESIDENT.card, SECOND_CARD]) {
      await scanCard(page, card);
      const words = await heading(page, /抽签/);
      await page.waitForFunction((words) => window.spoken.at(-1)?.text.startsWith(words.slice(0, 8)), words);
      told.push(words);
      await meetsTheRules(page, "told the draw's result");
      await tap(page, "知道了");
      await heading(page, MENU);
      await tap(page, "完成");
    }
    told.sort();
    assert.match(told[0], new RegExp(`^《${TITLE}》抽签，这次没有抽中。`));
    assert.match(told[1], new RegExp(`^好消息：《${TITLE}》抽签，您抽中了，\\d+月\\d+日 ?星期.+ 09:00。`));
    // One seat taken, the other resident first on the waiting list.
    assert.match(after, /已报名（1 人）/);
    assert.match(after, /候补（1 人，按先后）/);
    assert.deepEqual(page.errors.filter((error) => !error.includes("ERR_INTERNET_DISCONNECTED")), []);
    await kiosk.context.close();
  });
});
