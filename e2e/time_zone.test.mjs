// A kiosk whose device was left on UTC (as many vendors ship them), in a community whose
// server runs on another offset: the kiosk's "today" is the community's, and its staff panel
// tells the technician that the device's zone differs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { KIOSK } from "./support/browser.mjs";
import { openStaffPanel, pairKiosk } from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

// An offset that puts the community at 18:00 of the day before UTC's, or 06:00 of the day
// after, whatever the hour the test runs: the two calendars always name different days.
const hourUtc = new Date().getUTCHours();
const OFFSET_HOURS = hourUtc < 12 ? -(hourUtc + 6) : 30 - hourUtc;
const OFFSET = `${OFFSET_HOURS < 0 ? "-" : "+"}${String(Math.abs(OFFSET_HOURS)).padStart(2, "0")}:00`;

/** "12月8日" of the date at `ms` plus `hours`, read in UTC. */
function monthDay(ms, hours) {
  const at = new Date(ms + hours * 3_600_000);
  return `${at.getUTCMonth() + 1}月${at.getUTCDate()}日`;
}

describe("the community's calendar on a kiosk set to UTC", () => {
  const running = withServerAndBrowser({ utcOffset: OFFSET });

  test(`the server on ${OFFSET}, the kiosk's device on UTC: today is the community's, and the staff panel says the zones differ`, async () => {
    const context = await running.browser.newContext({ ...KIOSK, timezoneId: "UTC" });
    const page = await context.newPage();
    await page.goto(running.server.url);
    await pairKiosk(page, running.server);
    const today = await page.locator(".today").textContent();
    assert.ok(today.includes(monthDay(Date.now(), OFFSET_HOURS)), `the community's date in "${today}"`);
    assert.ok(!today.includes(monthDay(Date.now(), 0)), `not the device's own date in "${today}"`);
    await openStaffPanel(page);
    const zone = await page.locator(".staff .time-zone td").textContent();
    assert.match(zone, /本机设的是 UTC\+0/);
    assert.ok(zone.includes(`社区是 UTC${OFFSET_HOURS < 0 ? "-" : "+"}${Math.abs(OFFSET_HOURS)}`), zone);
    // The room by its name in the panel's language, not its id.
    assert.equal((await page.locator(".staff .kiosk-room td").textContent()).trim(), "老年活动室");
    await context.close();
  });
});
