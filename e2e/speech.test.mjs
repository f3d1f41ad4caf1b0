// Every prompt is spoken in the screen's language; residents can hear it again or turn sound
// off. Chromium here has no voices, so the page's speechSynthesis.speak is replaced by a
// recorder of what would have been said.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { KIOSK } from "./support/browser.mjs";
import { DEMO_RESIDENT, heading, pairKiosk, scanCard, tap } from "./support/kiosk.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

describe("speech", () => {
  const running = withServerAndBrowser();

  async function openKiosk() {
    const context = await running.browser.newContext(KIOSK);
    await context.addInitScript(() => {
      window.spoken = [];
      speechSynthesis.speak = (utterance) => window.spoken.push({ text: utterance.text, lang: utterance.lang });
    });
    const page = await context.newPage();
    await page.goto(running.server.url);
    await page.getByRole("heading", { level: 1 }).waitFor();
    return { context, page };
  }

  const spoken = (page) => page.evaluate(() => window.spoken);
  const lastSaid = async (page) => (await spoken(page)).at(-1);

  test("the home screen's prompt is spoken in simplified Chinese, then in each chosen language", async () => {
    const { context, page } = await openKiosk();
    await page.waitForFunction(() => window.spoken.length > 0);
    assert.deepEqual(await lastSaid(page), {
      text: "欢迎来到活动室。请刷便民卡。没带卡，请点下面的按钮。",
      lang: "zh-CN",
    });
    await page.getByRole("button", { name: "繁體中文" }).click();
    await page.waitForFunction(() => window.spoken.at(-1).lang === "zh-TW");
    assert.match((await lastSaid(page)).text, /^歡迎來到活動室。/);
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => window.spoken.at(-1).lang === "en-GB");
    assert.match((await lastSaid(page)).text, /^Welcome to the activity room\. /);
    await context.close();
  });

  test("say it again repeats the prompt; sound off stops speech until it is turned on", async () => {
    const { context, page } = await openKiosk();
    await page.waitForFunction(() => window.spoken.length > 0);
    const before = (await spoken(page)).length;
    await page.getByRole("button", { name: "再说一遍" }).click();
    assert.equal((await spoken(page)).length, before + 1);
    assert.equal((await lastSaid(page)).lang, "zh-CN");

    await page.getByRole("button", { name: "关闭声音" }).click();
    await page.getByRole("button", { name: "打开声音" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "再说一遍" }).isDisabled(), true);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Welcome to the activity room" }).waitFor();
    assert.equal((await spoken(page)).length, before + 1, "nothing is said while sound is off");

    await page.getByRole("button", { name: "Turn sound on" }).click();
    await page.getByRole("button", { name: "Say it again" }).click();
    assert.equal((await lastSaid(page)).lang, "en-GB");
    await context.close();
  });

  test("every resident screen says its prompt and every result, in the screen's language", async () => {
    const { context, page } = await openKiosk();
    await pairKiosk(page, running.server);
    await tap(page, "English");
    await scanCard(page, DEMO_RESIDENT.card);
    await heading(page, "What would you like to do? Tap one.");
    await page.waitForFunction(() => window.spoken.at(-1).text === "What would you like to do? Tap one.");
    await tap(page, "Sign in");
    await heading(page, "You are signed in");
    await page.waitForFunction(() => /^You are signed in\. Signed in at \d\d:\d\d\. Welcome!$/.test(window.spoken.at(-1).text));
    assert.equal((await lastSaid(page)).lang, "en-GB");
    await tap(page, "简体中文");
    await page.waitForFunction(() => window.spoken.at(-1).lang === "zh-CN");
    assert.match((await lastSaid(page)).text, /^签到成功。\d\d:\d\d 签到。欢迎您！$/);
    await context.close();
  });
});
