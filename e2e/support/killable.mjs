// A Chromium the test starts and kills itself, as a crash, an out-of-memory kill or pulling the
// plug would: its own process group, a profile on disk, driven over the DevTools protocol.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

import { args, executablePath } from "./browser.mjs";

export async function startKillableChromium(profileDir) {
  const child = spawn(
    executablePath,
    [...args, "--headless", `--user-data-dir=${profileDir}`, "--remote-debugging-port=0", "--window-size=1920,1080", "about:blank"],
    { detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Chromium did not start in 20 s")), 20_000);
    child.once("exit", (code) => reject(new Error(`Chromium exited at start (${code})`)));
    createInterface({ input: child.stderr }).on("line", (line) => {
      const match = line.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    /** SIGKILL to the whole process group: nothing gets to flush or say goodbye. */
    async kill() {
      process.kill(-child.pid, "SIGKILL");
      await exited;
      await browser.close().catch(() => {});
    },
    /** Closes Chromium the way a person would: it shuts down cleanly, writing what it holds. */
    async close() {
      const cdp = await browser.newBrowserCDPSession();
      await cdp.send("Browser.close").catch(() => {});
      await exited;
      await browser.close().catch(() => {});
    },
  };
}
