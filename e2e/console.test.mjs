// The staff console in a real browser, as the community office uses it: an administrator makes
// an account, staff sign in and plan the week, and the kiosk in the room shows what they did.
// Every console page passes axe-core (WCAG 2.2 AA and 7:1 contrast) and fits an office PC's
// 1366×768 screen.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { accessibilityViolations } from "./support/checks.mjs";
import {
  DEMO_RESIDENT,
  dateFromToday,
  heading,
  openActivityTitled,
  openKiosk,
  openStaffPanel,
  scanCard,
  tap,
  typeOnKeypad,
  waitForSynced,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";
import { workbook } from "./support/xlsx.mjs";

const OFFICE_PC = { viewport: { width: 1366, height: 768 }, locale: "zh-CN" };
/** The demo's second resident (crates/server/src/demo.rs). */
const SECOND_CARD = "6201100037";
const TITLE = "晨练八段锦";

/** Signs in at the console's sign-in page; a first sign-in then chooses a password. */
async function signIn(page, server, id, password, chosen = "a long office password 2026") {
  await page.goto(`${server.url}console`);
  assert.equal(new URL(page.url()).pathname, "/console/sign-in");
  await page.fill("#staff_id", id);
  await page.fill("#password", password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator("h1", { hasText: "修改密码" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], "the password page");
  await page.fill("#current", password);
  await page.fill("#new", chosen);
  await page.fill("#again", chosen);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await page.locator("h1", { hasText: "今天" }).waitFor();
}

/** The page passes axe and nothing runs off the side of an office PC's screen. */
async function checkPage(page, path) {
  await page.goto(new URL(path, page.url()).href);
  assert.equal(await page.locator(".problems, .error").count(), 0, `${path} shows no error`);
  assert.deepEqual(await accessibilityViolations(page), [], path);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${path} is ${overflow} px wider than the screen`);
}

/** A kiosk paired with a code staff made on the console's kiosks page. */
async function pairFromConsole(staff, browser, server) {
  await staff.goto(`${server.url}console/kiosks`);
  await staff.selectOption("#room_id", "room-seniors");
  await staff.getByRole("button", { name: "生成配对码" }).click();
  const code = (await staff.locator(".pairing-code").textContent()).trim();
  assert.match(code, /^\d{8}$/);
  const kiosk = await openKiosk(browser, server);
  await openStaffPanel(kiosk.page);
  await kiosk.page.waitForTimeout(450);
  await kiosk.page.getByRole("button", { name: /^(配对|重新配对)$/ }).click();
  await typeOnKeypad(kiosk.page, code);
  await kiosk.page.locator(".staff .last-sync td").filter({ hasText: /\d\d:\d\d/ }).waitFor({ timeout: 15_000 });
  await kiosk.page.getByRole("button", { name: "返回" }).click();
  await heading(kiosk.page, "欢迎来到活动室");
  return kiosk;
}

/** On the kiosk: the resident with `card` opens My sign-ups; the card for TITLE's seats line. */
async function mySignUpLine(page, card) {
  await page.reload();
  await page.locator("h1").waitFor();
  await scanCard(page, card);
  await tap(page, "我的报名");
  const line = page.locator(".my-sign-ups .card", { hasText: TITLE }).locator(".card-seats");
  await line.first().waitFor();
  return line.first();
}

describe("staff console", () => {
  const running = withServerAndBrowser();
  const accounts = {};

  test("an administrator makes a staff account; both sign in; every console page passes axe at 1366×768", async () => {
    const { server, browser } = running;
    const context = await browser.newContext(OFFICE_PC);
    const admin = await context.newPage();
    await admin.goto(`${server.url}console`);
    assert.deepEqual(await accessibilityViolations(admin), [], "the sign-in page");
    await signIn(admin, server, "e2e-head", server.addStaff("e2e-head", "administrator"));

    await admin.goto(`${server.url}console/staff`);
    await admin.fill("#id", "e2e-desk");
    await admin.fill("#display_name", "前台小李");
    await admin.selectOption("#role", "staff");
    await admin.getByRole("button", { name: "添加", exact: true }).click();
    const oneTime = (await admin.locator(".pairing-code").textContent()).trim();
    assert.ok(oneTime.length >= 12, oneTime);
    for (const path of ["/console/staff", "/console/log"]) await checkPage(admin, path);
    assert.match(await admin.locator("main").textContent(), /添加工作人员账号/);

    const deskContext = await browser.newContext(OFFICE_PC);
    const desk = await deskContext.newPage();
    await signIn(desk, server, "e2e-desk", oneTime);
    accounts.desk = deskContext;
    const pages = [
      "/console",
      "/console/schedule",
      `/console/schedule?week=${dateFromToday(7)}`,
      "/console/schedule/recurring",
      "/console/schedule/recurring/new",
      "/console/schedule/sessions/new",
      "/console/residents?q=王",
      "/console/residents/resident-0001",
      "/console/residents/new",
      "/console/uploads",
      "/console/kiosks",
      "/console/password",
      "/console/reports",
      "/console/reports/sessions",
      `/console/reports/demand?from=${dateFromToday(0)}&to=${dateFromToday(28)}`,
      "/console/reports/kiosks",
      "/console/reports/satisfaction",
      "/console/reports/summary",
      "/console/time-bank",
      "/console/time-bank/resident-0004/certificate",
      "/console/care",
    ];
    for (const path of pages) await checkPage(desk, path);
    // One session's page, reached from the week as staff reach it.
    await desk.goto(`${server.url}console/schedule`);
    await desk.locator("a[href^='/console/schedule/sessions/']:not([href$='/new'])").first().click();
    await desk.locator("h1").waitFor();
    await checkPage(desk, desk.url());
    assert.equal((await desk.goto(`${server.url}console/staff`)).status(), 403, "staff do not keep accounts");
    await context.close();
  });

  test("a weekly activity reaches the kiosk; a phone sign-up's decision and a cancelled session are shown there", async () => {
    const { server, browser } = running;
    const staff = await accounts.desk.newPage();
    const { page: kiosk, context: kioskContext } = await pairFromConsole(staff, browser, server);

    await staff.goto(`${server.url}console/schedule/recurring/new`);
    await staff.selectOption("#room_id", "room-seniors");
    for (let day = 0; day < 7; day++) await staff.check(`input[name='day_${day}']`);
    await staff.fill("#starts", "07:00");
    await staff.fill("#ends", "08:00");
    await staff.fill("#first_date", dateFromToday(0));
    await staff.fill("#title_zh_hans", TITLE);
    await staff.fill("#host_zh_hans", "王老师");
    await staff.fill("#capacity", "1");
    await staff.getByRole("button", { name: "保存" }).click();
    await staff.locator(".notice", { hasText: "每周活动已添加" }).waitFor();

    // The kiosk pulls at its next start; the resident signs up for tomorrow's session.
    await kiosk.reload();
    await kiosk.locator("h1").waitFor();
    await scanCard(kiosk, DEMO_RESIDENT.card);
    await tap(kiosk, "看活动、报名");
    await openActivityTitled(kiosk, 1, TITLE);
    await tap(kiosk, "报名");
    await heading(kiosk, "报名成功");
    await tap(kiosk, "完成");
    await waitForSynced(kiosk);

    // A second resident phones the office: the one seat is taken, so the server puts them on the waiting list.
    await staff.goto(`${server.url}console/schedule?week=${dateFromToday(1)}`);
    await staff.locator(`a[href$='-${dateFromToday(1)}']`, { hasText: TITLE }).click();
    await staff.fill("#q", SECOND_CARD);
    await staff.getByRole("button", { name: "查找" }).click();
    await staff.getByRole("button", { name: /^为.+报名$/ }).click();
    await staff.locator(".notice", { hasText: "名额已满，已排上候补" }).waitFor();
    assert.deepEqual(await accessibilityViolations(staff), [], "the session page with its lists");
    assert.match(await (await mySignUpLine(kiosk, SECOND_CARD)).textContent(), /候补/);

    // The teacher is ill: staff cancel the session, and the kiosk tells the resident who signed
    // up, first thing, once; My sign-ups shows it too.
    await tap(kiosk, "返回");
    await staff.fill("#cancel-reason", "老师生病");
    await staff.getByRole("button", { name: "取消这次活动" }).click();
    await staff.locator(".notice", { hasText: "这次活动已取消" }).waitFor();
    await kiosk.reload();
    await kiosk.locator("h1").waitFor();
    await scanCard(kiosk, DEMO_RESIDENT.card);
    await heading(kiosk, new RegExp(`^对不起：.+的《${TITLE}》取消了。$`));
    await tap(kiosk, "知道了");
    await heading(kiosk, "您要做什么？请点一下。");
    await tap(kiosk, "完成");
    const line = await mySignUpLine(kiosk, DEMO_RESIDENT.card);
    await line.filter({ hasText: "本次活动取消了" }).waitFor({ timeout: 10_000 });

    // The resident signs in to the room: the reports draw the day, and count the kiosk's records.
    await kiosk.reload();
    await kiosk.locator("h1").waitFor();
    await scanCard(kiosk, DEMO_RESIDENT.card);
    await tap(kiosk, "签到");
    await heading(kiosk, "签到成功");
    await waitForSynced(kiosk);
    await checkPage(staff, "/console/reports");
    assert.equal(await staff.locator("figure.chart svg").count(), 2, "the days and the months, drawn");
    await checkPage(staff, "/console/reports/kiosks");
    assert.equal(await staff.locator("#kiosk-figures tbody tr").count(), 1, "the kiosk paired today");

    // Staff revoke the kiosk with a reason; its row says so.
    await staff.goto(`${server.url}console/kiosks`);
    const row = staff.locator("tbody tr").filter({ hasText: "老年活动室" }).first();
    await row.locator("input[name='reason']").fill("换新机器");
    await row.getByRole("button", { name: "停用这台终端" }).click();
    await staff.locator(".notice", { hasText: "已停用这台终端" }).waitFor();
    await kioskContext.close();
  });

  test("an XLSX roster with one bad row changes nothing and names the row; the corrected file is previewed, then applied", async () => {
    const { server } = running;
    const staff = await accounts.desk.newPage();
    const header = ["id", "full_name", "card_number", "phone_last4", "household"];
    const upload = async (rows) => {
      await staff.goto(`${server.url}console/uploads`);
      await staff.check("input[name='kind'][value='residents']");
      await staff.setInputFiles("#file", {
        name: "居民名册.xlsx",
        mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        buffer: workbook(rows),
      });
      await staff.getByRole("button", { name: "检查文件" }).click();
      await staff.locator("h1").waitFor();
    };
    await upload([header, ["e2e-new-1", "周玉珍", "", "1212", "8-1-101"], ["e2e-new-2", "吴秀兰", "", "12", "8-1-102"]]);
    const refusal = await staff.locator(".problems").textContent();
    assert.match(refusal, /第 3 行有问题/);
    assert.match(refusal, /什么都没有改/);
    assert.deepEqual(await accessibilityViolations(staff), [], "the refused upload");
    await staff.goto(`${server.url}console/residents?q=周玉珍`);
    assert.equal(await staff.locator("a[href='/console/residents/e2e-new-1']").count(), 0, "nobody was added");

    await upload([header, ["e2e-new-1", "周玉珍", "", "1212", "8-1-101"], ["e2e-new-2", "吴秀兰", "", "3434", "8-1-102"]]);
    assert.match(await staff.locator("main").textContent(), /新增 2 条/);
    assert.deepEqual(await accessibilityViolations(staff), [], "the preview");
    await staff.getByRole("button", { name: "确认导入" }).click();
    await staff.locator(".notice", { hasText: "文件已导入" }).waitFor();
    await staff.goto(`${server.url}console/residents?q=周玉珍`);
    await staff.locator("a[href='/console/residents/e2e-new-1']").waitFor();
  });

  test("a session's sign-in sheet prints on one A4 page with every resident who holds a seat", async () => {
    const { server } = running;
    const day = dateFromToday(2);
    server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,host_zh_hans,capacity,companions_allowed\n" +
        `e2e-sheet,room-seniors,${day},09:00,10:00,剪纸课,孙老师,20,0\n`,
    );
    const { authorization } = await server.pairByApi("room-seniors");
    const now = Date.now();
    const residents = Array.from({ length: 20 }, (_, i) => `resident-${String(i + 1).padStart(4, "0")}`);
    await server.push(
      authorization,
      residents.map((resident, i) => ({
        seq: i + 1,
        id: `sheet-${i + 1}-${now}`,
        happened_at: now,
        action: { type: "sign_up", resident_id: resident, activity_id: "e2e-sheet", companions: 0 },
      })),
    );
    const staff = await accounts.desk.newPage();
    await staff.goto(`${server.url}console/schedule/sessions/e2e-sheet`);
    await staff.getByRole("link", { name: "打印签到表（终端坏了时用）" }).click();
    await staff.locator("h1", { hasText: "签到表" }).waitFor();
    assert.equal(await staff.locator(".sheet-table tbody tr").count(), 28, "20 residents and 8 empty rows");
    assert.deepEqual(await accessibilityViolations(staff), [], "the sheet");
    await staff.emulateMedia({ media: "print" });
    assert.equal(await staff.locator(".top").isVisible(), false, "no navigation on paper");
    const pdf = await staff.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, "one sheet of A4");

    // After the session, staff enter the ticks; those residents count as checked in.
    await staff.emulateMedia({ media: "screen" });
    await staff.goto(`${server.url}console/schedule/sessions/e2e-sheet`);
    const boxes = staff.locator("#paper ~ form input[name='resident_id']");
    assert.equal(await boxes.count(), 20);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await staff.getByRole("button", { name: "保存打勾的人" }).click();
    await staff.locator(".notice", { hasText: "已录入" }).waitFor();
    assert.equal(await staff.locator("#paper ~ form input[name='resident_id']").count(), 18, "two are checked in now");
    assert.deepEqual(await accessibilityViolations(staff), [], "the session page with the paper form");

    // The month's summary for the report upward, on one printed page.
    await checkPage(staff, "/console/reports/summary");
    assert.equal(await staff.locator(".summary h2").count(), 4, "visits, sessions, follow-ups, kiosks");
    await staff.emulateMedia({ media: "print" });
    const summary = await staff.pdf({ format: "A4", printBackground: true });
    const summaryPages = (summary.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(summaryPages, 1, "the summary fits one sheet of A4");
    await staff.emulateMedia({ media: "screen" });

    // The monthly report upward, in the offices' form, on one printed page.
    await checkPage(staff, "/console/reports/upward");
    assert.ok((await staff.locator(".definitions li").count()) >= 8, "each figure defined under the table");
    await staff.emulateMedia({ media: "print" });
    const upward = await staff.pdf({ format: "A4", printBackground: true });
    assert.equal((upward.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "the month on one sheet of A4");
    await staff.emulateMedia({ media: "screen" });

    // A volunteer's certificate of hours, on one printed page.
    await checkPage(staff, "/console/time-bank/resident-0004/certificate");
    await staff.emulateMedia({ media: "print" });
    const certificate = await staff.pdf({ format: "A4", printBackground: true });
    assert.equal((certificate.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "one sheet of A4");
    await staff.emulateMedia({ media: "screen" });
  });
  test("a regular not seen for ten days is on the care page; a follow-up through its form quiets them", async () => {
    const { server, browser } = running;
    // resident-0030 (whom no other test here meets) came on four days, the last ten days ago (by the kiosk's records).
    const { authorization } = await server.pairByApi("room-hall");
    const dayMs = 24 * 60 * 60 * 1000;
    const records = [25, 18, 14, 10].map((daysAgo, i) => ({
      seq: i + 1,
      id: `e2e-care-${i + 1}`,
      happened_at: Date.now() - daysAgo * dayMs,
      action: { type: "sign_in", person: { kind: "resident", resident_id: "resident-0030" } },
    }));
    const answers = await server.push(authorization, records);
    assert.ok(answers.results.every((r) => r.outcome.status === "accepted"), JSON.stringify(answers));

    const context = await browser.newContext(OFFICE_PC);
    const staff = await context.newPage();
    await signIn(staff, server, "e2e-carer", server.addStaff("e2e-carer", "staff"));
    await checkPage(staff, "/console/care");
    const row = staff.locator("#resident-resident-0030");
    await row.waitFor();
    assert.match(await row.textContent(), /10/, "ten days away");
    await row.locator("select").selectOption("visit_needed");
    await row.locator("input[name=note]").fill("电话没人接，明天上门");
    await row.getByRole("button", { name: "记下回访" }).click();
    await staff.locator(".notice", { hasText: "回访已记下" }).waitFor();
    assert.deepEqual(await accessibilityViolations(staff), [], "the care page after a follow-up");
    assert.equal(await staff.locator("#resident-resident-0030").count(), 0, "quiet after the follow-up");
    assert.match(await staff.locator("#follow-ups").textContent(), /要上门看看/);
    await context.close();
  });
});
