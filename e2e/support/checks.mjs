// What every resident screen must meet, checked on the live page.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's WCAG 2.2 A and AA rules plus enhanced (7:1) contrast; returns the violations. */
export async function accessibilityViolations(page) {
  // evaluate, not a script tag: works under any Content-Security-Policy.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
    const standard = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    const contrast = await window.axe.run(document, { runOnly: { type: "rule", values: ["color-contrast-enhanced"] } });
    return [...standard.violations, ...contrast.violations].map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/** Every tappable thing: at least 96×96 CSS px, and at least 16 px from its neighbours. What a
 *  screen-filling dialog covers (the idle warning over the menu's tiles) cannot be tapped and
 *  is no target. */
export async function touchTargetProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const reachable = (el) => {
      const box = el.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return top === null || el.contains(top);
    };
    const targets = [...document.querySelectorAll("button, a[href], input, select, [role=button], [onclick]")]
      .filter((el) => el.getClientRects().length > 0 && reachable(el));
    const boxes = targets.map((el) => ({ el, box: el.getBoundingClientRect(), name: el.textContent.trim() }));
    for (const { box, name } of boxes) {
      if (box.width < 96 || box.height < 96) problems.push(`${name}: ${box.width}×${box.height}px`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box;
        const b = boxes[j].box;
        const dx = Math.max(0, Math.max(a.left, b.left) - Math.min(a.right, b.right));
        const dy = Math.max(0, Math.max(a.top, b.top) - Math.min(a.bottom, b.bottom));
        if (Math.max(dx, dy) < 16) problems.push(`${boxes[i].name} / ${boxes[j].name}: ${Math.max(dx, dy)}px apart`);
      }
    }
    return problems;
  });
}

/** Text smaller than `minimum` px (32 by default) anywhere a resident reads; staff's notes and
 *  the staff panel's table may be 28 px. */
export async function smallTextProblems(page, minimum = 32) {
  return page.evaluate((minimum) => {
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(".visually-hidden") || el.getClientRects().length === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      const least = el.closest(".staff-note, .staff-status") ? Math.min(minimum, 28) : minimum;
      if (size < least) problems.push(`"${text}" at ${size}px`);
    }
    return problems;
  }, minimum);
}

/** Every screen a resident sees must pass these: axe (WCAG 2.2 AA and 7:1), our target and
 *  text sizes, and the whole screen without scrolling. */
export async function meetsTheRules(page, where) {
  assert.deepEqual(await accessibilityViolations(page), [], `${where}: axe`);
  assert.deepEqual(await touchTargetProblems(page), [], `${where}: 96 px targets 16 px apart`);
  assert.deepEqual(await smallTextProblems(page), [], `${where}: text at least 32 px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(overflow <= 0, `${where}: fits the screen without scrolling (${overflow}px over)`);
}
