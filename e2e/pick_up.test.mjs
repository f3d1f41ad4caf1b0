// Children handed over safely at after-school care (托管): a grandmother drops off two
// grandchildren at a kiosk with the network down (its staff panel counts two in the room);
// when it returns the office sees two in the room; she picks up one at another kiosk, which
// then counts one, and coming back she is told he is already picked up; a neighbour who is not
// a guardian is sent to staff; after the end the office is alerted for the child still there.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meetsTheRules } from "./support/checks.mjs";
import {
  captureSpeech,
  clockOf,
  dayOf,
  heading,
  meetsTheRulesLargeAndInEnglish,
  openKiosk,
  openStaffPanel,
  pairKiosk,
  scanCard,
  tap,
  waitForSynced,
  wholeMinuteAfter,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

/** The demo's resident-0002 (crates/community/src/demo.rs), who already collects resident-0001. */
const GRANDMOTHER = "6201100037";
/** resident-0007, who lives alone and collects nobody. */
const NEIGHBOUR = "6201100222";
const ID = "e2e-lunch-table";
const MENU = "您要做什么？请点一下。";

/** Started a while ago (today); ends at a whole minute at least 100 s away. */
function lunchTable(now = new Date()) {
  const ends = wholeMinuteAfter(100_000);
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const starts = new Date(Math.max(now.getTime() - 20 * 60_000, midnight.getTime()));
  return { day: dayOf(now), starts, ends, sameDay: dayOf(ends) === dayOf(now) };
}

/** The count of children in the room on the kiosk's staff panel, once it reads `count`; then
 *  back to the welcome screen. With `syncFirst`, the panel's "sync now" pulls first. */
async function panelCounts(page, count, syncFirst = false) {
  await openStaffPanel(page);
  if (syncFirst) {
    await page.waitForTimeout(450);
    await page.getByRole("button", { name: "立即同步" }).click();
  }
  await page.locator(".staff .children-in-room td").filter({ hasText: new RegExp(`^${count}$`) }).waitFor();
  await page.getByRole("button", { name: "返回" }).click();
  await heading(page, "欢迎来到活动室");
}

/** The children in the room on the Today page. */
async function inTheRoom(server) {
  const page = await server.staffPage();
  return { page, children: [...page.matchAll(/<tr id="in-room-([^"]+)"/g)].map((m) => m[1]) };
}

describe("children's pick-up", () => {
  const running = withServerAndBrowser();

  test("dropped off offline, picked up elsewhere, a neighbour sent to staff, the office alerted", async (t) => {
    const { server } = running;
    const session = lunchTable();
    if (!session.sameDay) return t.skip("too close to midnight for a session today");
    server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,capacity,after_school\n" +
        `${ID},room-seniors,${session.day},${clockOf(session.starts)},${clockOf(session.ends)},小饭桌,小飯桌,Lunch table,社区,,是\n`,
    );
    // Staff list her as the guardian of a second grandchild, and want an alert at the end.
    const child = "console/residents/resident-0004";
    assert.equal((await server.staffForm(child, `${child}/guardians`, { guardian: GRANDMOTHER })).status, 303);
    const alert = await server.staffForm("console/care", "console/care/pick-up-alert", { pick_up_alert_minutes: "0" });
    assert.equal(alert.status, 303);

    const here = await openKiosk(running.browser, server);
    const there = await openKiosk(running.browser, server);
    for (const kiosk of [here, there]) {
      await captureSpeech(kiosk.context);
      await pairKiosk(kiosk.page, server);
      await kiosk.page.reload();
      await kiosk.page.locator("h1").waitFor();
      await waitForSynced(kiosk.page);
    }
    await here.page.waitForTimeout(1500);
    await here.context.setOffline(true);

    // Both grandchildren, one tap: they are chosen to begin with.
    const page = here.page;
    await scanCard(page, GRANDMOTHER);
    await heading(page, MENU);
    await tap(page, "送孩子来");
    await heading(page, "送哪个孩子来？");
    const names = await page.locator(".children .resident-name").allTextContents();
    assert.equal(names.length, 2, `her two grandchildren: ${names}`);
    assert.ok(names.every((name) => name.includes("*")), "masked names only");
    await page.waitForFunction(() => window.spoken.at(-1)?.text.includes("送哪个孩子来"));
    await meetsTheRulesLargeAndInEnglish(page, "choosing children", "Who are you dropping off?");
    await tap(page, "好了");
    const dropped = await heading(page, /送来了$/);
    for (const name of names) assert.ok(dropped.includes(name), dropped);
    await page.waitForFunction(() => window.spoken.at(-1)?.text.includes("送来了"));
    await tap(page, "完成");
    await panelCounts(page, 2);

    await here.context.setOffline(false);
    await waitForSynced(page);
    assert.equal((await inTheRoom(server)).children.length, 2, "the office sees two in the room");

    // She picks up one at the other kiosk, which has pulled the two in the room.
    const other = there.page;
    await panelCounts(other, 2, true);
    await scanCard(other, GRANDMOTHER);
    await tap(other, "接孩子走");
    await heading(other, "接哪个孩子走？");
    await tap(other, names[1]);
    assert.equal(await other.getByRole("button", { name: names[1], exact: true }).getAttribute("aria-pressed"), "false");
    await tap(other, "好了");
    const picked = await heading(other, /接走了$/);
    assert.ok(picked.includes(names[0]) && !picked.includes(names[1]), picked);
    await tap(other, "完成");
    await panelCounts(other, 1);
    await waitForSynced(other);
    const after = await inTheRoom(server);
    assert.equal(after.children.length, 1, "one still in the room");

    // Back for the other, she is told the first is already picked up, and only he is offered.
    await scanCard(other, GRANDMOTHER);
    await tap(other, "接孩子走");
    await heading(other, "接哪个孩子走？");
    const gone = `${names[0]}已经接走了。`;
    await other.locator(".prompt").filter({ hasText: gone }).waitFor();
    assert.deepEqual(await other.locator(".children .resident-name").allTextContents(), [names[1]]);
    await other.waitForFunction((gone) => window.spoken.at(-1)?.text.includes(gone), gone);
    await tap(other, "完成");

    // A neighbour offers to take the other: not recorded, sent to staff, spoken.
    await other.reload();
    await other.locator("h1").waitFor();
    await scanCard(other, NEIGHBOUR);
    await tap(other, "接孩子走");
    await heading(other, "请找工作人员");
    await other.waitForFunction(() => window.spoken.at(-1)?.text.includes("工作人员"));
    await meetsTheRules(other, "a neighbour sent to staff");
    assert.equal((await inTheRoom(server)).children.length, 1);

    // After the end (and the site's minutes, none here) the office is alerted.
    const deadline = session.ends.getTime() + 60_000;
    let room = await inTheRoom(server);
    while (!room.page.includes("还没人接")) {
      assert.ok(Date.now() < deadline, "alerted within a minute of the end");
      await other.waitForTimeout(3000);
      room = await inTheRoom(server);
    }
    assert.equal(room.children.length, 1);
    assert.match(room.page, new RegExp(`过了 ${clockOf(session.ends)} 还没人接`));
    assert.deepEqual(page.errors.filter((error) => !error.includes("ERR_INTERNET_DISCONNECTED")), []);
    await here.context.close();
    await there.context.close();
  });
});
