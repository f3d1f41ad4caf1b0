// A kiosk as staff set it up and residents use it: open, pair, scan a card, tap.
import { KIOSK } from "./browser.mjs";
import { meetsTheRules } from "./checks.mjs";

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
  // Past the guard that ignores a tap right after the screen changed.
  await page.waitForTimeout(450);
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

/**
 * Runs in the page: the kiosk's journal as saved in IndexedDB (src/storage/journal.rs), as
 * `{ next, answered, held }`, or null before the kiosk made it. Never creates the database.
 */
async function readJournal() {
  if (!(await indexedDB.databases()).some((db) => db.name === "jiayuan")) return null;
  const db = await new Promise((ok, fail) => {
    const request = indexedDB.open("jiayuan");
    request.onsuccess = () => ok(request.result);
    request.onerror = () => fail(request.error);
  });
  try {
    if (!db.objectStoreNames.contains("meta")) return null;
    const tx = db.transaction(["meta", "records"]);
    const read = (request) => new Promise((ok) => (request.onsuccess = () => ok(request.result)));
    const meta = await read(tx.objectStore("meta").get("journal"));
    const newest = await read(tx.objectStore("records").openKeyCursor(null, "prev"));
    const held = await read(tx.objectStore("records").count());
    if (!meta) return null;
    const { next, answered } = JSON.parse(meta);
    return { next: Math.max(next, newest ? newest.key + 1 : 1), answered, held };
  } finally {
    db.close();
  }
}

/** The kiosk's journal as saved: next number, how many are answered, how many are held. */
export async function queueState(page) {
  return page.evaluate(readJournal);
}

/**
 * From now on the browser refuses to store anything more for the kiosk, as when its quota is
 * used up: every IndexedDB write and localStorage write fails with QuotaExceededError. (The
 * real quota here is gigabytes, and Chromium's quota override does not reach a test's browser
 * context, so the refusal is made in the page.)
 */
export async function useUpStorageQuota(page) {
  await page.evaluate(() => {
    const full = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    IDBObjectStore.prototype.put = full;
    IDBObjectStore.prototype.add = full;
    Storage.prototype.setItem = full;
  });
}

/** Waits until every saved record has the server's answer. */
export async function waitForSynced(page, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const journal = await queueState(page);
    if (journal && journal.answered === journal.next - 1) return;
    if (Date.now() > deadline) throw new Error(`not synced in ${timeout} ms: ${JSON.stringify(journal)}`);
    await page.waitForTimeout(100);
  }
}

/** Writes `entries` (number → text) straight into the journal's records, as damage or days
 *  of records would leave them; the kiosk reads them at its next start or sync. */
export async function writeJournalEntries(page, entries) {
  await page.evaluate(async (entries) => {
    const db = await new Promise((ok) => {
      const request = indexedDB.open("jiayuan");
      request.onsuccess = () => ok(request.result);
    });
    const tx = db.transaction("records", "readwrite");
    for (const [seq, text] of entries) tx.objectStore("records").put(text, seq);
    await new Promise((ok) => (tx.oncomplete = ok));
    db.close();
  }, entries);
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
 * Queues `count` visitor sign-ins the way the kiosk itself saves records (one entry per
 * number in its journal, crates/domain/src/journal), as days offline in a busy room would; the
 * kiosk numbers on after them at its next start. Visitors, because the server counts each of
 * their records: a duplicate or a loss shows in the staff page's count.
 */
export async function queueVisitorSignIns(page, count) {
  const { next } = await queueState(page);
  const now = Date.now();
  const entries = Array.from({ length: count }, (_, i) => [next + i, JSON.stringify({ t: now + i, a: { k: "i" } })]);
  await writeJournalEntries(page, entries);
  await page.reload();
  await page.locator("h1").waitFor();
}

/** Residents and visitors signed in today in `room`, from the staff page. */
export function attendance(staffPage, room = "老年活动室") {
  const section = staffPage.split(`>${room}</h2>`)[1] ?? "";
  const match = section.match(/今天签到：居民 (\d+) 人，访客 (\d+) 人/);
  return match ? { residents: Number(match[1]), visitors: Number(match[2]) } : { residents: 0, visitors: 0 };
}

/** On the browse screen: opens the activity titled `title` on the day `dayIndex` (0 = today). */
export async function openActivityTitled(page, dayIndex, title) {
  // The whole title: the demo's 书法班 must not stand in for a test's 书法 on days both are on.
  const exactly = { has: page.locator(".card-title", { hasText: new RegExp(`^${title}$`) }) };
  if (!(await openCardOnDay(page, dayIndex, exactly))) throw new Error(`no activity titled ${title}`);
}

const pad = (n) => String(n).padStart(2, "0");

/** A date `days` from today on this machine (the kiosk's clock), as 2026-11-23. */
export function dateFromToday(days) {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return dayOf(date);
}

/** `date`'s day on this machine's clock, as 2026-11-23. */
export function dayOf(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `date`'s time on this machine's clock, as 09:05. */
export function clockOf(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The first whole minute at least `ms` from now (a time a console form can name). */
export function wholeMinuteAfter(ms) {
  const at = new Date(Date.now() + ms);
  at.setSeconds(0, 0);
  at.setMinutes(at.getMinutes() + 1);
  return at;
}

/** Captures what the kiosk says (`window.spoken`: text and language) in every page of `context`. */
export async function captureSpeech(context) {
  await context.addInitScript(() => {
    window.spoken = [];
    speechSynthesis.speak = (utterance) => window.spoken.push({ text: utterance.text, lang: utterance.lang });
  });
}

/** The screen meets the rules as it is, in large text, and in English (its heading then
 *  `englishHeading`); it is left in large text and 简体中文. */
export async function meetsTheRulesLargeAndInEnglish(page, where, englishHeading) {
  await meetsTheRules(page, where);
  await tap(page, "大字");
  await meetsTheRules(page, `${where}, in large text`);
  await tap(page, "English");
  await heading(page, englishHeading);
  await meetsTheRules(page, `${where}, in English`);
  await tap(page, "简体中文");
}
