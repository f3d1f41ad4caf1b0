// Satisfaction (满意度) and the time bank (爱心银行) at a real kiosk: a resident who checked in
// is asked once how it was when they come back after it ended, and the console counts the
// answer; a volunteer starts and ends service with the network down, sees the hours marked as
// not yet counted, and once the network returns the console and the kiosk count them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meetsTheRules } from "./support/checks.mjs";
import { DEMO_RESIDENT, dateFromToday, heading, openKiosk, pairKiosk, scanCard, tap, waitForSynced } from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

/** The demo's fourth resident, a volunteer (crates/server/src/demo.rs). */
const VOLUNTEER = { card: "6201100111", id: "resident-0004" };

/** When `hhmm` is today, by the community's clock (the machine's: see support/server.mjs). */
function todayAt(hhmm) {
  const [hours, minutes] = hhmm.split(":").map(Number);
  const at = new Date();
  at.setHours(hours, minutes, 0, 0);
  return at.getTime();
}

/** A session in the kiosk's room today (at fixed hours, whatever the hour the test runs). */
function session(id, starts, ends, titles, volunteerService = "") {
  return (
    "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,capacity,volunteer_service\n" +
    `${id},room-seniors,${dateFromToday(0)},${starts},${ends},${titles},社区,,${volunteerService}\n`
  );
}

/** A kiosk with its clock at 10:00 today, paired to the seniors' room. */
async function communityKiosk(running) {
  const kiosk = await openKiosk(running.browser, running.server);
  await kiosk.page.clock.setSystemTime(todayAt("10:00"));
  await pairKiosk(kiosk.page, running.server);
  return kiosk;
}

/** The hours said on a service confirmation: the volunteer's total, and what is not yet counted. */
async function hoursSaid(page) {
  const prompt = await page.locator(".prompt").textContent();
  const total = prompt.match(/我的服务时长：([\d.]+) 小时。/);
  assert.ok(total, `the hours are said: ${prompt}`);
  const later = prompt.match(/其中 ([\d.]+) 小时，还没算进去。/);
  return { total: Number(total[1]), notYetCounted: later ? Number(later[1]) : 0 };
}

describe("satisfaction and the time bank at the kiosk", () => {
  const running = withServerAndBrowser();

  test("checked in, back after the end: asked once, one tap, the console counts it", async () => {
    const { server } = running;
    server.importActivities(session("e2e-fan-dance", "09:50", "10:20", "木兰扇,木蘭扇,Mulan fan dance"));
    const { context, page } = await communityKiosk(running);
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "您要做什么？请点一下。");
    await tap(page, "活动签到：木兰扇");
    await heading(page, "活动签到成功");
    await tap(page, "完成");
    await waitForSynced(page);

    // Before it ends there is nothing to ask.
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "您要做什么？请点一下。");
    await tap(page, "完成");

    // The session is over (the kiosk's clock moves on): they come back and are asked first.
    await page.clock.setSystemTime(todayAt("10:40"));
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "今天的《木兰扇》您满意吗？");
    await meetsTheRules(page, "how was it");
    for (const [language, question] of [
      ["English", "Today: were you satisfied with Mulan fan dance?"],
      ["繁體中文", "今天的《木蘭扇》您滿意嗎？"],
    ]) {
      await tap(page, language);
      await heading(page, question);
      await meetsTheRules(page, `how was it, in ${language}`);
    }
    await tap(page, "大字");
    await meetsTheRules(page, "how was it, in large text");
    await tap(page, "滿意");
    await heading(page, "您要做什麼？請點一下。");
    assert.match(await page.locator(".prompt").textContent(), /^謝謝您！/);
    await tap(page, "完成");
    await waitForSynced(page);

    // Asked once: the next visit goes straight to the menu.
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "您要做什么？请点一下。");
    await tap(page, "完成");

    const report = await server.staffPage("console/reports/satisfaction");
    const row = report.match(/<tr><td>木兰扇<\/td><td>[^<]*<\/td><td class="number">([^<]*)<\/td><td class="number">(\d+)<\/td><td class="number">(\d+)<\/td>/);
    assert.ok(row, "the fan dance is in the satisfaction report");
    assert.deepEqual([row[2], row[3]], ["1", "1"], "one answer, satisfied");
    assert.match(row[1], /100/);
    await context.close();
  });

  test("a volunteer serves with the network down: hours not yet counted, then counted", async () => {
    const { server } = running;
    const helpDesk = "爱心银行志愿服务,愛心銀行志願服務,Time bank volunteering";
    server.importActivities(session("e2e-help-desk", "09:50", "11:50", helpDesk, "是"));
    const { context, page } = await communityKiosk(running);
    await context.setOffline(true);

    await scanCard(page, VOLUNTEER.card);
    await tap(page, "开始服务");
    await heading(page, "开始服务了");
    const before = await hoursSaid(page);
    await meetsTheRules(page, "service started");
    await tap(page, "English");
    await heading(page, "You have started volunteering");
    await meetsTheRules(page, "service started, in English");
    await tap(page, "Done");

    // 65 minutes later by the kiosk's clock: 1 hour.
    await page.clock.setSystemTime(todayAt("11:05"));
    await scanCard(page, VOLUNTEER.card);
    await heading(page, "您要做什么？请点一下。");
    await meetsTheRules(page, "a volunteer's menu");
    await tap(page, "结束服务");
    await heading(page, "服务结束，谢谢您！");
    assert.match(await page.locator(".prompt").textContent(), /^这次服务 1 小时。/);
    assert.deepEqual(await hoursSaid(page), { total: before.total + 1, notYetCounted: 1 });
    await meetsTheRules(page, "service ended");
    await tap(page, "繁體中文");
    await heading(page, "服務結束，謝謝您！");
    await tap(page, "大字");
    await meetsTheRules(page, "service ended, in 繁體中文 and large text");
    await tap(page, "完成");

    await context.setOffline(false);
    await waitForSynced(page);
    const timeBank = await server.staffPage("console/time-bank");
    const row = timeBank.match(
      new RegExp(`<td class="number">([\\d.]+)</td><td><a href="/console/time-bank/${VOLUNTEER.id}/certificate"`),
    );
    assert.ok(row, "the volunteer is on the time bank page");
    assert.equal(Number(row[1]), before.total + 1, "the console counts the hour");

    // The kiosk shows the server's count now, nothing left "not yet counted".
    await page.reload();
    await page.locator("h1").waitFor();
    await scanCard(page, VOLUNTEER.card);
    await tap(page, "开始服务");
    await heading(page, "开始服务了");
    assert.deepEqual(await hoursSaid(page), { total: before.total + 1, notYetCounted: 0 });
    await context.close();
  });
});
