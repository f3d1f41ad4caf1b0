// Residents at a paired kiosk, in each language: identified by card, phone or household, they
// sign in, sign up, see the server's decision and cancel; every screen on the way meets WCAG
// 2.2 AA, 7:1 contrast and our sizes. Then what must never happen: a double tap counted twice,
// a success shown for a record that was not saved, a reload losing a saved record, an idle
// screen keeping a resident's data.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meetsTheRules } from "./support/checks.mjs";
import {
  DEMO_RESIDENT,
  dateFromToday,
  heading,
  openActivityWithSeats,
  openKiosk,
  openStaffPanel,
  pairKiosk,
  queueState,
  scanCard,
  useUpStorageQuota,
  tap,
  typeOnKeypad,
  waitForSynced,
} from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

const WORDS = {
  "简体中文": {
    home: "欢迎来到活动室", menu: "您要做什么？请点一下。", signIn: "签到", signedIn: "签到成功",
    again: "今天已经签过到了", more: "还要办别的事", browse: "看活动、报名", seats: "剩余名额", signUp: "报名",
    justMe: "就我一个", confirmed: "报名成功", pending: "报名已记下，等待确认", mine: "我的报名",
    confirmedMark: "已报名", cancelAsk: "确定要取消报名吗？", yesCancel: "是，取消报名", cancelled: "已取消报名",
    done: "完成", noMatch: "没有找到您", phone: "输入手机号后四位",
    phoneTitle: "请输入手机号后四位", household: "输入门牌号", help: "请工作人员帮忙", helpTitle: "需要帮助", goHome: "回到首页", saveFailed: "对不起，这次没有记下", stillThere: "您还在吗？", moreTime: "我还需要时间", countdown: /\d+ 秒后回到首页/, visitor: "我是访客", welcome: "欢迎您！",
    storageAlert: "请工作人员查看",
  },
  "繁體中文": {
    home: "歡迎來到活動室", menu: "您要做什麼？請點一下。", signIn: "簽到", signedIn: "簽到成功",
    again: "今天已經簽過到了", more: "還要辦別的事", browse: "看活動、報名", seats: "剩餘名額", signUp: "報名",
    justMe: "就我一個", confirmed: "報名成功", pending: "報名已記下，等待確認", mine: "我的報名",
    confirmedMark: "已報名", cancelAsk: "確定要取消報名嗎？", yesCancel: "是，取消報名", cancelled: "已取消報名",
    done: "完成", noMatch: "沒有找到您", phone: "輸入手機號後四位",
    phoneTitle: "請輸入手機號後四位", household: "輸入門牌號", help: "請工作人員幫忙", helpTitle: "需要幫助", goHome: "回到首頁", saveFailed: "對不起，這次沒有記下", stillThere: "您還在嗎？", moreTime: "我還需要時間", countdown: /\d+ 秒後回到首頁/, visitor: "我是訪客", welcome: "歡迎您！",
    storageAlert: "請工作人員查看",
  },
  English: {
    home: "Welcome to the activity room", menu: "What would you like to do? Tap one.", signIn: "Sign in",
    signedIn: "You are signed in", again: "Already signed in today", more: "Do something else",
    browse: "Activities and sign-up", seats: "seats left", signUp: "Sign up", justMe: "Just me",
    confirmed: "You have a seat", pending: "Sign-up saved, waiting to be confirmed", mine: "My sign-ups",
    confirmedMark: "Signed up", cancelAsk: "Cancel this sign-up?", yesCancel: "Yes, cancel it",
    cancelled: "Sign-up cancelled", done: "Done", noMatch: "We could not find you", phone: "Last 4 digits of my phone",
    phoneTitle: "Type the last 4 digits of your phone", household: "My household number", help: "Ask staff for help", helpTitle: "Help needed", goHome: "Back to start", saveFailed: "Sorry, this was not saved", stillThere: "Are you still there?", moreTime: "I need more time", countdown: /Going back to the start in \d+ seconds/, visitor: "I'm a visitor", welcome: "Welcome!",
    storageAlert: "Staff, please check",
  },
};

/** Signs up on the open activity screen, through the companions question if it comes. */
async function signUpHere(page, words) {
  await tap(page, words.signUp);
  await page.locator(".companions, .confirmation").first().waitFor();
  if (await page.locator(".companions").count()) {
    await meetsTheRules(page, "companions");
    await tap(page, words.justMe);
  }
  await page.locator(".confirmation").waitFor();
}

describe("residents at the kiosk", () => {
  const running = withServerAndBrowser();

  async function pairedKiosk() {
    const { context, page } = await openKiosk(running.browser, running.server);
    await pairKiosk(page, running.server);
    return { context, page };
  }

  for (const [language, words] of Object.entries(WORDS)) {
    test(`in ${language}: card, sign in (once a day), sign up, the server's decision, cancel`, async () => {
      const { context, page } = await pairedKiosk();
      await tap(page, language);
      await heading(page, words.home);
      await meetsTheRules(page, "home");

      await scanCard(page, DEMO_RESIDENT.card);
      await heading(page, words.menu);
      assert.match(await page.locator(".greeting").textContent(), new RegExp(DEMO_RESIDENT.masked.replace("*", "\\*")));
      await meetsTheRules(page, "menu");

      await tap(page, words.signIn);
      await heading(page, words.signedIn);
      await meetsTheRules(page, "signed in");
      await tap(page, words.more);
      await page.locator(".menu").waitFor();
      await page.waitForTimeout(450);
      await page.locator(".menu .choice").first().click();
      await heading(page, words.again);

      await tap(page, words.more);
      await tap(page, words.browse);
      await page.locator(".browse").waitFor();
      await meetsTheRules(page, "browse");
      await openActivityWithSeats(page, words.seats);
      await meetsTheRules(page, "activity");
      await signUpHere(page, words);
      // Online, the server's answer replaces "waiting to be confirmed" on the same screen.
      await heading(page, words.confirmed);
      await meetsTheRules(page, "confirmed");

      await tap(page, words.more);
      await tap(page, words.mine);
      await page.locator(".my-sign-ups .card-seats", { hasText: words.confirmedMark }).waitFor();
      await meetsTheRules(page, "my sign-ups");
      await page.waitForTimeout(450);
      await page.locator(".my-sign-ups .card").first().click();
      await heading(page, words.cancelAsk);
      await meetsTheRules(page, "cancel?");
      await tap(page, words.yesCancel);
      await heading(page, words.cancelled);

      await tap(page, words.done);
      await heading(page, "欢迎来到活动室");
      assert.equal(await page.locator(".greeting").count(), 0, "the resident is forgotten");
      await waitForSynced(page);
      assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(e)), []);
      await context.close();
    });
  }

  for (const [language, words] of Object.entries(WORDS)) {
    test(`in ${language}: no card, the last four digits of a phone; nobody found gets a kind way on`, async () => {
      const { context, page } = await pairedKiosk();
      await tap(page, language);
      await tap(page, words.phone);
      await heading(page, words.phoneTitle);
      await meetsTheRules(page, "keypad");
      await typeOnKeypad(page, DEMO_RESIDENT.phoneLast4);
      // Several residents may share four digits: then each picks their own masked name.
      await page.locator(".menu, .pick").first().waitFor();
      if (await page.locator(".pick").count()) {
        await meetsTheRules(page, "pick");
        for (const name of await page.locator(".resident-name").allTextContents()) {
          assert.match(name, /^.\*.?$/u, "masked names only, never a full name");
        }
        await tap(page, DEMO_RESIDENT.masked);
      }
      await heading(page, words.menu);
      await tap(page, words.done);
      await tap(page, language);
      await tap(page, words.household);
      await typeOnKeypad(page, "99-9-999");
      await heading(page, words.noMatch);
      await meetsTheRules(page, "not found");
      await tap(page, words.help);
      await heading(page, words.helpTitle);
      await meetsTheRules(page, "help");
      await tap(page, words.goHome);
      await scanCard(page, "6209999999");
      await heading(page, words.noMatch);
      await context.close();
    });

    test(`in ${language}: storage full: no false success, a kind message, and an alert for staff`, async () => {
      const { context, page } = await pairedKiosk();
      await tap(page, language);
      await scanCard(page, DEMO_RESIDENT.card);
      await heading(page, words.menu);
      // The browser's quota for the kiosk used up, as a small disk full of days of records
      // would leave it.
      await useUpStorageQuota(page);
      await tap(page, words.signIn);
      await heading(page, words.saveFailed);
      assert.equal(await page.locator("h1", { hasText: words.signedIn }).count(), 0);
      await meetsTheRules(page, "not saved");
      await tap(page, words.goHome);
      // Back home the same person may try again: their language stays.
      await page.locator(".alert", { hasText: words.storageAlert }).waitFor();
      await openStaffPanel(page);
      assert.equal(await page.locator(".failed-saves td").textContent(), "1");
      await context.close();
    });

    test(`in ${language}: idle, a warning that can be extended, then home with the resident forgotten`, async () => {
      const { context, page } = await pairedKiosk();
      await page.clock.install();
      await tap(page, language);
      await scanCard(page, DEMO_RESIDENT.card);
      await heading(page, words.menu);
      await page.clock.fastForward(61_000);
      await page.getByRole("alertdialog").waitFor();
      assert.equal(await page.locator("#idle-title").textContent(), words.stillThere);
      assert.match(await page.locator("#idle-count").textContent(), words.countdown);
      await meetsTheRules(page, "still there?");
      await page.getByRole("button", { name: words.moreTime }).click();
      await page.getByRole("alertdialog").waitFor({ state: "detached" });
      await heading(page, words.menu);
      await page.clock.fastForward(61_000);
      await page.getByRole("alertdialog").waitFor();
      await page.clock.fastForward(21_000);
      await heading(page, "欢迎来到活动室");
      assert.equal(await page.locator(".greeting").count(), 0, "nothing of the resident is left on screen");
      await context.close();
    });
  }

  test("check in to what is on now in this room: open to all, or with a seat", async () => {
    const pad = (n) => String(n).padStart(2, "0");
    const now = new Date();
    const minutes = now.getHours() * 60 + now.getMinutes();
    const hhmm = (m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
    const [starts, ends] = [hhmm(Math.max(0, minutes - 10)), hhmm(Math.min(23 * 60 + 59, minutes + 60))];
    running.server.importActivities(
      "id,room_id,date,starts,ends,title_zh_hans,title_zh_hant,title_en,host_zh_hans,host_zh_hant,host_en,capacity,companions_allowed\n" +
        `e2e-open-now,room-seniors,${dateFromToday(0)},${starts},${ends},读报会,讀報會,Newspaper reading,志愿者,,,,0\n` +
        `e2e-seats-now,room-seniors,${dateFromToday(0)},${starts},${ends},健身操,健身操,Fitness class,志愿者,,,10,0\n` +
        `e2e-elsewhere-now,room-hall,${dateFromToday(0)},${starts},${ends},评书,評書,Storytelling,志愿者,,,,0\n`,
    );
    const { context, page } = await pairedKiosk();
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "您要做什么？请点一下。");
    assert.equal(await page.getByRole("button", { name: "活动签到：健身操" }).count(), 0, "no seat, no check-in");
    assert.equal(await page.getByRole("button", { name: "活动签到：评书" }).count(), 0, "another room's activity");
    await tap(page, "活动签到：读报会");
    await heading(page, "活动签到成功");
    assert.match(await page.locator(".prompt").textContent(), /读报会，祝您愉快！/);
    await waitForSynced(page);
    await context.close();
  });

  test("a tap that drifts a few pixels still counts", async () => {
    const { context, page } = await pairedKiosk();
    const box = await page.getByRole("button", { name: "我是访客" }).boundingBox();
    await page.waitForTimeout(450);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 6, box.y + box.height / 2 + 5, { steps: 3 });
    await page.mouse.up();
    await heading(page, "欢迎您！");
    await context.close();
  });

  test("a double tap counts once", async () => {
    const { context, page } = await pairedKiosk();
    await waitForSynced(page);
    const before = running.server.appliedRecords();
    await page.waitForTimeout(450);
    await page.getByRole("button", { name: "我是访客" }).dblclick();
    await heading(page, "欢迎您！");
    await tap(page, "完成");
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "看活动、报名");
    await openActivityWithSeats(page, "剩余名额");
    await page.waitForTimeout(450);
    await page.getByRole("button", { name: "报名", exact: true }).dblclick();
    await page.locator(".companions, .confirmation").first().waitFor();
    if (await page.locator(".companions").count()) {
      await page.waitForTimeout(450);
      await page.getByRole("button", { name: "就我一个" }).dblclick();
    }
    await page.locator(".confirmation").waitFor();
    await waitForSynced(page);
    assert.equal(running.server.appliedRecords() - before, 2, "one visitor sign-in and one sign-up");
    await context.close();
  });

  test("a reload in the middle of a flow loses nothing saved", async () => {
    const { context, page } = await pairedKiosk();
    await context.setOffline(true);
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "看活动、报名");
    await openActivityWithSeats(page, "剩余名额");
    await signUpHere(page, WORDS["简体中文"]);
    await heading(page, "报名已记下，等待确认");
    const saved = await queueState(page);
    await page.reload();
    await heading(page, "欢迎来到活动室");
    assert.deepEqual(await queueState(page), saved, "the record is still there, numbered the same");
    await scanCard(page, DEMO_RESIDENT.card);
    await tap(page, "我的报名");
    await page.locator(".my-sign-ups .card-seats", { hasText: "等待确认" }).waitFor();
    await context.setOffline(false);
    await waitForSynced(page);
    await context.close();
  });

});
