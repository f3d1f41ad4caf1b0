// Starts the real jiayuan-server binary on a free loopback port, with demo data in a fresh
// data folder, serving the release kiosk build (paths come from `cargo xtask test`).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const serverBin = process.env.JIAYUAN_SERVER_BIN;
const kioskBuild = process.env.JIAYUAN_KIOSK_DIR;
if (!serverBin || !kioskBuild) {
  throw new Error("run these tests with `cargo xtask test` (JIAYUAN_SERVER_BIN and JIAYUAN_KIOSK_DIR unset)");
}

/**
 * @param {{ copyKiosk?: boolean, tlsName?: string }} options copyKiosk serves a private copy of
 *   the build that a test may change on disk (to play a new release); tlsName serves HTTPS
 *   with a certificate the server makes for that name (`make-certificates`), its authority in
 *   `caFile`.
 */
/** This machine's offset from UTC now, as "+08:00". */
function localUtcOffset() {
  const minutes = -new Date().getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

export async function startServer({ copyKiosk = false, tlsName, utcOffset } = {}) {
  const root = mkdtempSync(join(tmpdir(), "jiayuan-e2e-"));
  let kioskDir = kioskBuild;
  if (copyKiosk) {
    kioskDir = join(root, "kiosk");
    cpSync(kioskBuild, kioskDir, { recursive: true });
  }
  const env = {
    ...process.env,
    JIAYUAN_ADDR: "127.0.0.1:0",
    JIAYUAN_DATA_DIR: join(root, "data"),
    JIAYUAN_KIOSK_DIR: kioskDir,
    JIAYUAN_DEMO_DATA: "true",
    // The demo without its lived weeks: each test makes the past it checks.
    JIAYUAN_DEMO_WEEKS: "0",
    // The community's clock is the machine's unless a test says otherwise (a kiosk whose device
    // is on another zone follows the community's, which the server sends with each pull).
    JIAYUAN_UTC_OFFSET: utcOffset ?? localUtcOffset(),
    RUST_LOG: "warn",
  };
  let caFile;
  if (tlsName) {
    const tls = join(root, "tls");
    execFileSync(serverBin, ["make-certificates", "--name", tlsName, "--out", tls], { env, encoding: "utf8" });
    env.JIAYUAN_TLS_CERT = join(tls, "server.crt");
    env.JIAYUAN_TLS_KEY = join(tls, "server.key");
    caFile = join(tls, "ca.crt");
  }
  let child;
  const start = () => {
    child = spawn(serverBin, [], { env, stdio: ["ignore", "pipe", "inherit"] });
    return listening(child);
  };
  let url = await start();
  // The same port again after a restart, so the kiosk's page keeps talking to it.
  env.JIAYUAN_ADDR = new URL(url).host;
  let stopped = false;
  let consoleCookie;
  let editorCookie;
  return {
    url,
    caFile,
    kioskDir,
    dataDir: join(root, "data"),
    /** A fresh one-time pairing code for a kiosk in `room`, as staff would make it. */
    pairingCode(room = "room-seniors") {
      const out = execFileSync(serverBin, ["pairing-code", "--room", room], { env, encoding: "utf8" });
      return out.match(/: (\d{8})/)[1];
    },
    /** Imports activities from CSV text, as staff do with `jiayuan-server import`. */
    importActivities(csv) {
      const file = join(root, `activities-${Date.now()}.csv`);
      writeFileSync(file, csv);
      execFileSync(serverBin, ["import", "--site", "site-xingfuli", "--activities", file], { env, encoding: "utf8" });
    },
    /** Revokes a kiosk, as staff do with `jiayuan-server revoke-kiosk`. */
    revokeKiosk(kioskId) {
      execFileSync(serverBin, ["revoke-kiosk", kioskId], { env, encoding: "utf8" });
    },
    /** How many records the server has applied from all kiosks (its `kiosks` command). */
    appliedRecords() {
      const out = execFileSync(serverBin, ["kiosks"], { env, encoding: "utf8" });
      return [...out.matchAll(/records applied: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    },
    /** Pairs a kiosk through the API, as a kiosk does; its id and `Authorization` header. */
    async pairByApi(room = "room-seniors", firstSeq = 1) {
      const response = await fetch(`${url}api/kiosks/pair`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: this.pairingCode(room), first_seq: firstSeq }),
      });
      if (response.status !== 201) throw new Error(`pairing: ${response.status}`);
      const pairing = await response.json();
      return { kioskId: pairing.kiosk_id, authorization: `Bearer ${pairing.kiosk_id}.${pairing.secret}` };
    },
    /** Pushes `records` with a kiosk's `authorization`; the server's answer. */
    async push(authorization, records) {
      const response = await fetch(`${url}api/sync/push`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ records }),
      });
      if (response.status !== 200) throw new Error(`push: ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** The records the server applied from `kioskId` (its `records` command), in order. */
    records(kioskId) {
      const out = execFileSync(serverBin, ["records", "--kiosk", kioskId], { env, encoding: "utf8" });
      const [header, ...lines] = out.trim().split("\n");
      const names = header.split("\t");
      return lines.map((line) => Object.fromEntries(line.split("\t").map((value, i) => [names[i], value])));
    },
    /** A backup of the database taken while serving (`jiayuan-server backup`); its path. */
    backup() {
      const file = join(root, `backup-${Date.now()}.sqlite3`);
      execFileSync(serverBin, ["backup", "--to", file], { env, encoding: "utf8" });
      return file;
    },
    /** Puts a backup back, with the server stopped (`jiayuan-server restore`). */
    restore(file) {
      execFileSync(serverBin, ["restore", file], { env, encoding: "utf8" });
    },
    /** Makes a console account (`jiayuan-server add-staff`): its one-time password. */
    addStaff(id, role = "staff", site = "site-xingfuli") {
      const out = execFileSync(
        serverBin,
        ["add-staff", "--id", id, "--name", `E2E ${id}`, "--role", role, "--site", site],
        { env, encoding: "utf8" },
      );
      return out.match(/One-time password: (\S+)/)[1];
    },
    /** A console page (the first, today, unless told), read by a viewer account made for
     *  the tests. */
    async staffPage(path = "console") {
      if (!consoleCookie) {
        const id = `e2e-viewer-${Date.now()}`;
        consoleCookie = await signInForTests(url, id, this.addStaff(id, "viewer"));
      }
      const response = await fetch(`${url}${path}`, { headers: { cookie: consoleCookie }, redirect: "manual" });
      if (response.status !== 200) throw new Error(`the console answered ${response.status}`);
      return response.text();
    },
    /** Posts a console form as a staff member would from the page at `pagePath` (which holds
     *  the form): the server's answer, not followed. */
    async staffForm(pagePath, action, fields) {
      if (!editorCookie) {
        const id = `e2e-staff-${Date.now()}`;
        editorCookie = await signInForTests(url, id, this.addStaff(id, "staff"));
      }
      const page = await (await fetch(`${url}${pagePath}`, { headers: { cookie: editorCookie } })).text();
      const token = page.match(/name="form_token" value="([^"]+)"/)[1];
      return fetch(`${url}${action}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: url.replace(/\/$/, ""), cookie: editorCookie },
        body: new URLSearchParams({ ...fields, form_token: token }).toString(),
      });
    },
    /** Stops the server (as a power cut or a network failure would make it unreachable). */
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
    /** Kills the server without warning, as a power cut would. */
    async kill() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    /** Starts it again on the same port with the same data. */
    async restart() {
      stopped = false;
      await start();
    },
    async cleanUp() {
      await this.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The URL a starting server prints, once it listens. */
export function listening(child, seconds = 20) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not print its URL in ${seconds} s`)), seconds * 1000);
    child.once("exit", (code) => reject(new Error(`the server exited early (${code})`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = line.match(/Kiosk:\s+(http\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

/** Signs in with a one-time password and chooses a password, as staff do the first time: the
 * session cookie. */
export async function signInForTests(url, id, oneTime) {
  const form = (fields) => new URLSearchParams(fields).toString();
  const post = (path, cookie, fields) =>
    fetch(`${url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: url.replace(/\/$/, ""), ...(cookie ? { cookie } : {}) },
      body: form(fields),
    });
  const cookieOf = (response) => response.headers.get("set-cookie").split(";")[0];
  const signIn = await post("console/sign-in", null, { staff_id: id, password: oneTime });
  const cookie = cookieOf(signIn);
  const page = await (await fetch(`${url}console/password`, { headers: { cookie } })).text();
  const token = page.match(/name="form_token" value="([^"]+)"/)[1];
  const chosen = "e2e chosen password";
  const changed = await post("console/password", cookie, { current: oneTime, new: chosen, again: chosen, form_token: token });
  return cookieOf(changed);
}
