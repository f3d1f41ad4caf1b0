// One real server and one browser shared by a suite's tests, started before and stopped after.
import { after, before } from "node:test";

import { launchBrowser } from "./browser.mjs";
import { startServer } from "./server.mjs";

/** Call inside `describe`; the returned object's `server` and `browser` are set before tests run. */
export function withServerAndBrowser(serverOptions = {}) {
  const running = { server: undefined, browser: undefined };
  before(async () => {
    running.server = await startServer(serverOptions);
    running.browser = await launchBrowser();
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.cleanUp();
  });
  return running;
}
