// A kiosk as staff set it up and residents use it: open, pair, scan a card, tap.
import { KIOSK } from "./browser.mjs";

/** The demo community's first resident (crates/server/src/demo.rs): card, phone, household. */
export const DEMO_RESIDENT = { card: "6201100000", phoneLast4: "1234", household: "1-1-101", masked: "王*华" };

/** A fresh browser context on the kiosk page, with console errors collected. */
export async function openKiosk(browser, server, options = {}) {
  const context = await browser.newContext({ ...KIOSK, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (message) => message.type() === "error" && page.errors.push(message.text()));
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(server.url);
  await page.locator("h1").waitFor();
  return { context, page };
}

/** The screen's heading, once it reads `text` (a string or RegExp). */
export async function heading(page, text) {
  const h1 = page.locator("h1");
  await h1.filter({ hasText: text }).waitFor();
  return h1.textContent();
}

/** Staff's way in: five taps on the kiosk's name, then the staff PIN once the kiosk knows it
 *  (the demo server's is 2468). */
export async function openStaffPanel(page) {
  const brand = page.locator(".brand");
  for (let i = 0; i < 5; i++) await brand.click();
  await page.locator(".staff, .staff-pin").first().waitFor();
  if (await page.locator(".staff-pin").count()) await typeOnKeypad(page, "2468");
  await page.locator(".staff").waitFor();
}

/** Taps digits on the on-screen keypad, then OK; the same key twice is spaced past the 400 ms
 *  tremor guard, as a person's deliberate second tap would be. */
export async function typeOnKeypad(page, digits) {
  // A tap within 400 ms of a new screen is taken for the tail of a double tap and ignored.
  await page.waitForTimeout(450);
  let last = "";
  for (const digit of digits) {
    if (digit === last) await page.waitForTimeout(420);
    await page.locator(".key").filter({ hasText: new RegExp(`^${digit === "-" ? "\\-" : digit}$`) }).click();
    last = digit;
  }
  await page.locator(".key-ok").click();
}

/** Pairs the kiosk through its staff panel with a code from the server, then goes home. */
export async function pairKiosk(page, server) {
  await openStaffPanel(page);
  await page.getByRole("button", { name: /^(配对|重新配对)$/ }).click();
  await typeOnKeypad(page, server.pairingCode());
  await page.locator(".staff .kiosk-id td").filter({ hasText: /^kiosk-/ }).waitFor();
  // The first pull brings the roster and the schedule.
  await page.locator(".staff .last-sync td").filter({ hasText: /\d\d:\d\d/ }).waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "返回" }).click();
  await heading(page, "欢迎来到活动室");
}

/**
 * A card reader: the number as keystrokes in one fast burst, then Enter. Dispatched inside the
 * page in one go, as a reader's USB keystrokes arrive: Playwright's own typing goes through the
 * DevTools protocol, and on a busy two-core machine its gaps can exceed the 40 ms that tell a
 * reader from a person.
 */
export async function scanCard(page, card) {
  await page.waitForTimeout(450);
  await page.evaluate((card) => {
    for (const key of [...card, "Enter"]) {
      document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    }
  }, card);
}

/** Taps a button by its visible name (which is its accessible name). */
export async function tap(page, name) {
  // Past the guard that ignores a tap right after the screen changed (tremor double taps).
  await page.waitForTimeout(450);
  await page.getByRole("button", { name, exact: true }).click();
}

/** The kiosk's record queue as saved: next number, and how many are answered. */
export async function queueState(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("jy/queue")));
}

/** Waits until every saved record has the server's answer. */
export async function waitForSynced(page, timeout = 30_000) {
  await page.waitForFunction(() => {
    const queue = JSON.parse(localStorage.getItem("jy/queue") ?? "null");
    return queue && queue.answered === queue.next - 1;
  }, null, { timeout });
}

/**
 * On the browse screen: shows day `dayIndex` (0 = today) and opens the first card `matching`
 * (a locator filter) on any of its pages; false when the day has none.
 */
async function openCardOnDay(page, dayIndex, matching) {
  await page.waitForTimeout(450);
  await page.locator(".day").nth(dayIndex).click();
  await page.locator(".browse").waitFor();
  for (;;) {
    const card = page.locator(".card").filter(matching);
    if (await card.count()) {
      await page.waitForTimeout(450);
      await card.first().click();
      await page.locator(".activity").waitFor();
      return true;
    }
    const next = page.getByRole("button", { name: /^(下一页|下一頁|Next page)$/ });
    if ((await next.count()) === 0) return false;
    await page.waitForTimeout(450);
    await next.click();
  }
}

/** On the browse screen: opens the first activity (today, or a later day) with seats left. */
export async function openActivityWithSeats(page, seatsWord) {
  for (let day = 0; day < 8; day++) {
    if (await openCardOnDay(page, day, { has: page.locator(".card-seats", { hasText: seatsWord }) })) return;
  }
  throw new Error("no activity with seats in the coming week");
}

/**
 * Queues `count` visitor sign-ins the way the kiosk itself saves records (one key per record,
 * crates/domain/src/queue), as days offline in a busy room would; the kiosk takes them in at
 * its next start. Visitors, because the server counts each of their records: a duplicate or a
 * loss shows in the staff page's count.
 */
export async function queueVisitorSignIns(page, count) {
  await page.evaluate((count) => {
    const meta = JSON.parse(localStorage.getItem("jy/queue"));
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      localStorage.setItem(`jy/r/${meta.next + i}`, JSON.stringify({ t: now + i, a: { k: "i" } }));
    }
    meta.next += count;
    localStorage.setItem("jy/queue", JSON.stringify(meta));
  }, count);
  await page.reload();
  await page.locator("h1").waitFor();
}

/** Residents and visitors signed in today in `room`, from the staff page. */
export function attendance(staffPage, room = "老年活动室") {
  const match = staffPage.match(new RegExp(`${room}</td><td>(\\d+) 人</td><td>(\\d+) 人`));
  return match ? { residents: Number(match[1]), visitors: Number(match[2]) } : { residents: 0, visitors: 0 };
}

/** On the browse screen: opens the activity titled `title` on the day `dayIndex` (0 = today). */
export async function openActivityTitled(page, dayIndex, title) {
  if (!(await openCardOnDay(page, dayIndex, { hasText: title }))) throw new Error(`no activity titled ${title}`);
}

/** A date `days` from today on this machine (the kiosk's clock), as 2026-11-23. */
export function dateFromToday(days) {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
