// Told once (待通知): a resident waiting for the last seat is moved up by a cancellation at
// another kiosk. At the next kiosk they use, with the network down after its last pull, the
// first thing they see and hear is that they have the seat, in the language they choose; one
// tap goes on to their menu, and they are never told it again, at this kiosk or on the call
// list, once the network is back.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meetsTheRules } from "./support/checks.mjs";
import { DEMO_RESIDENT, dateFromToday, heading, openActivityTitled, openKiosk, pairKiosk, scanCard, tap, waitForSynced } from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

/** The demo's second resident (crates/community/src/demo.rs). */
const SECOND_CARD = "6201100037";
const TITLE = "书法";
const MENU = "您要做什么？请点一下。";

describe("told once", () => {
  const running = withServerAndBrowser();

  test("moved up by a cancellation elsewhere: told first, offline, spoken, in their language, once", async () => {
    const { server } = running;
    server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,host_zh_hant,host_en,capacity,companions_allowed\n" +
        `e2e-calligraphy,room-seniors,${dateFromToday(2)},09:00,10:30,${TITLE},書法,Calligraphy,王老师,,,1,0\n`,
    );
    const here = await openKiosk(running.browser, server);
    const there = await openKiosk(running.browser, server);
    await there.context.addInitScript(() => {
      window.spoken = [];
      speechSynthesis.speak = (utterance) => window.spoken.push({ text: utterance.text, lang: utterance.lang });
    });
    await pairKiosk(here.page, server);
    await pairKiosk(there.page, server);
    const page = here.page;
    const openIt = async (card) => {
      await scanCard(page, card);
      await tap(page, "看活动、报名");
      await openActivityTitled(page, 2, TITLE);
    };
    await openIt(DEMO_RESIDENT.card);
    await tap(page, "报名");
    await heading(page, "报名成功");
    await tap(page, "完成");
    await openIt(SECOND_CARD);
    await tap(page, "排候补");
    await heading(page, "已排候补第1位");
    await tap(page, "完成");
    // Joining the line is their own doing: nothing to tell them.
    await waitForSynced(page);
    await scanCard(page, SECOND_CARD);
    await heading(page, MENU);
    await tap(page, "完成");

    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    await page.waitForTimeout(450);
    await page.locator(".my-sign-ups .card", { hasText: TITLE }).click();
    await tap(page, "是，取消报名");
    await heading(page, "已取消报名");
    await tap(page, "完成");
    await waitForSynced(page);
    // The one who cancelled is not told of their own cancellation.
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, MENU);
    await tap(page, "完成");

    // The other kiosk pulls (it pulls at start), then the network goes.
    const other = there.page;
    await other.reload();
    await other.locator("h1").waitFor();
    await waitForSynced(other);
    await other.waitForFunction(() => navigator.onLine);
    await other.waitForTimeout(1500);
    await there.context.setOffline(true);

    await scanCard(other, SECOND_CARD);
    const told = await heading(other, /^好消息：您报上了《书法》，/);
    assert.match(told, /好消息：您报上了《书法》，\d+月\d+日 ?星期.+ 09:00。/);
    await other.waitForFunction(() => window.spoken.at(-1)?.text.startsWith("好消息：您报上了《书法》"));
    assert.equal((await other.evaluate(() => window.spoken.at(-1))).lang, "zh-CN");
    await meetsTheRules(other, "told");
    for (const [language, words, lang] of [
      ["English", /^Good news: you have a seat at Calligraphy, /, "en-GB"],
      ["繁體中文", /^好消息：您報上了《書法》，/, "zh-TW"],
    ]) {
      await tap(other, language);
      await heading(other, words);
      await other.waitForFunction((lang) => window.spoken.at(-1)?.lang === lang, lang);
      await meetsTheRules(other, `told, in ${language}`);
    }
    await tap(other, "大字");
    await meetsTheRules(other, "told, in large text");
    await tap(other, "知道了");
    await heading(other, "您要做什麼？請點一下。");
    await tap(other, "完成");

    // Once: the next time they come there is only their menu, offline or not.
    await scanCard(other, SECOND_CARD);
    await heading(other, MENU);
    await tap(other, "完成");
    await there.context.setOffline(false);
    await waitForSynced(other);
    const today = await server.staffPage();
    const list = today.slice(today.indexOf('id="to-call"'), today.indexOf("</section>", today.indexOf('id="to-call"')));
    assert.match(list, /没有要通知的居民/, "told at the kiosk, so off the call list");
    // And the kiosk that cancelled, pulling again, does not tell them either.
    await page.reload();
    await page.locator("h1").waitFor();
    await waitForSynced(page);
    await scanCard(page, SECOND_CARD);
    await heading(page, MENU);
    // Only the fetches the dropped network refused.
    assert.deepEqual(other.errors.filter((error) => !error.includes("ERR_INTERNET_DISCONNECTED")), []);
    await here.context.close();
    await there.context.close();
  });
});
