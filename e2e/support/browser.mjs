// Debian's Chromium, headless, driven by playwright-core (no browser download).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const executablePath = process.env.JIAYUAN_CHROMIUM ?? "/usr/bin/chromium";
// Without the networking flags Chromium floods a closed network with background requests.
export const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A kiosk-sized screen; the browser's own language is English, as on a vendor's image. */
export const KIOSK = { viewport: { width: 1920, height: 1080 }, locale: "en-US" };

export async function launchBrowser() {
  return chromium.launch({ executablePath, args, headless: true });
}

/** A browser profile on disk, so a test can close the browser and start it again. */
export function newProfileDir() {
  const dir = mkdtempSync(join(tmpdir(), "jiayuan-profile-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function launchWithProfile(profileDir) {
  return chromium.launchPersistentContext(profileDir, { executablePath, args, headless: true, ...KIOSK });
}

/** Waits until the service worker controls the page and has its cache ready. */
export async function waitForOfflineShell(page) {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return Boolean(registration.active && navigator.serviceWorker.controller);
  }, null, { timeout: 20_000 });
}
