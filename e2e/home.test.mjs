// The home screen as a resident meets it, in each language, against the release build
// served by the real server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { KIOSK } from "./support/browser.mjs";
import { accessibilityViolations, smallTextProblems, touchTargetProblems } from "./support/checks.mjs";
import { withServerAndBrowser } from "./support/suite.mjs";

const LANGUAGES = [
  { button: "简体中文", lang: "zh-Hans", heading: "欢迎来到活动室", today: "今天是" },
  { button: "繁體中文", lang: "zh-Hant", heading: "歡迎來到活動室", today: "今天是" },
  { button: "English", lang: "en", heading: "Welcome to the activity room", today: "Today is" },
];

describe("home screen", () => {
  const running = withServerAndBrowser();

  async function openKiosk() {
    const context = await running.browser.newContext(KIOSK);
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));
    page.errors = errors;
    await page.goto(running.server.url);
    await page.getByRole("heading", { level: 1 }).waitFor();
    return { context, page };
  }

  test("greets in simplified Chinese although the browser is set to English", async () => {
    const { context, page } = await openKiosk();
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "欢迎来到活动室");
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-Hans");
    assert.equal(await page.getByRole("button", { name: "简体中文" }).getAttribute("aria-pressed"), "true");
    await context.close();
  });

  test("runs under a strict Content-Security-Policy without a single violation", async () => {
    const { context, page } = await openKiosk();
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Welcome to the activity room" }).waitFor();
    const violations = () => page.errors.filter((e) => /Content Security Policy/i.test(e));
    assert.deepEqual(violations(), [], "the kiosk itself never trips its policy");

    // A script the policy does not name is refused: the policy is really in force.
    const injected = await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true;";
      document.head.append(script);
      return window.injected === true;
    });
    assert.equal(injected, false);
    assert.equal(violations().length, 1);
    await context.close();
  });

  for (const language of LANGUAGES) {
    test(`in ${language.button}: the screen switches and meets WCAG 2.2 AA, 7:1 contrast and our sizes`, async () => {
      const { context, page } = await openKiosk();
      await page.getByRole("button", { name: language.button }).click();
      const heading = page.getByRole("heading", { level: 1 });
      await page.waitForFunction((text) => document.querySelector("h1")?.textContent === text, language.heading);
      assert.equal(await heading.textContent(), language.heading);
      assert.equal(await page.locator("html").getAttribute("lang"), language.lang);
      assert.match(await page.locator(".today").textContent(), new RegExp(`^${language.today}`));
      // The accessible name of each language button is its visible text.
      for (const other of LANGUAGES) {
        await page.getByRole("button", { name: other.button, exact: true }).waitFor();
      }

      assert.deepEqual(await accessibilityViolations(page), []);
      assert.deepEqual(await touchTargetProblems(page), []);
      assert.deepEqual(await smallTextProblems(page), []);
      await context.close();
    });
  }

  test("large text: one tap makes every text at least 34 px, and everything still fits the rules", async () => {
    const { context, page } = await openKiosk();
    const fontSize = (selector) =>
      page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const [promptBefore, buttonBefore] = [await fontSize(".prompt"), await fontSize("button")];
    const button = page.getByRole("button", { name: "大字" });
    await button.click();
    assert.equal(await button.getAttribute("aria-pressed"), "true");
    await page.waitForFunction(() => document.querySelector("main.large-text"));
    assert.ok((await fontSize(".prompt")) > promptBefore, "the prompt grows");
    assert.ok((await fontSize("button")) > buttonBefore, "button labels grow");
    assert.deepEqual(await smallTextProblems(page, 34), []);
    assert.deepEqual(await touchTargetProblems(page), []);
    assert.deepEqual(await accessibilityViolations(page), []);
    // Still large after switching language: the resident's place is kept.
    await page.getByRole("button", { name: "English" }).click();
    assert.equal(await page.getByRole("button", { name: "Large text" }).getAttribute("aria-pressed"), "true");
    assert.deepEqual(await smallTextProblems(page, 34), []);
    await context.close();
  });

  test("the staff page asks staff to sign in, and shows them the demo community", async () => {
    const context = await running.browser.newContext(KIOSK);
    const page = await context.newPage();
    await page.goto(`${running.server.url}staff`);
    assert.equal(new URL(page.url()).pathname, "/console/sign-in");
    assert.doesNotMatch(await page.locator("body").textContent(), /居民 \d+ 人/);
    assert.match(await running.server.staffPage(), /居民 300 人/);
    await context.close();
  });
});
