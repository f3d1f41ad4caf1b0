// The Debian package as a community installs it: built from what the test command built,
// installed with dpkg (its own user, its unit, its settings), the unit file checked by
// systemd, the server started the way the unit starts it, the kiosk and the API reached, and
// the package purged again. Needs root (or sudo), as installing does.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:https";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";

const asRoot = process.getuid() === 0 ? [] : ["sudo"];
const root = (command, args, options = {}) => execFileSync(asRoot[0] ?? command, asRoot.length ? [command, ...args] : args, { encoding: "utf8", ...options });

/** The unit's settings, as systemd would read them. */
function unitSettings(unit) {
  const value = (key) => unit.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];
  // Every EnvironmentFile, in order (a later one wins); "-" marks one that may be missing.
  const environmentFiles = [...unit.matchAll(/^EnvironmentFile=(.*)$/gm)].map((m) => m[1]);
  return { user: value("User"), environmentFiles, execStart: value("ExecStart") };
}

/** GET `url` over HTTPS, trusting only the community authority `ca` (PEM). */
function getTrusting(url, ca) {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Debian package", () => {
  test("installs with dpkg, the unit passes systemd's check, and starts as the unit would", async () => {
    const out = mkdtempSync(join(tmpdir(), "jiayuan-deb-"));
    try {
      const deb = execFileSync(
        "cargo",
        ["xtask", "package", "--server-bin", process.env.JIAYUAN_SERVER_BIN, "--kiosk-dir", process.env.JIAYUAN_KIOSK_DIR, "--out", out],
        { encoding: "utf8" },
      ).trim().split("\n").pop();
      assert.match(deb, /jiayuan_.*\.deb$/);
      const installed = root("dpkg", ["-i", deb]);
      // The kiosks' staff panel is never open to anyone: the install made a PIN, shown once.
      const shownPin = installed.match(/staff PIN is (\d{6})/)?.[1];
      assert.ok(shownPin, `the install shows the PIN it made: ${installed}`);
      assert.match(root("cat", ["/etc/jiayuan/staff-pin.env"]), new RegExp(`^JIAYUAN_STAFF_PIN=${shownPin}$`, "m"));
      const unitFile = "/lib/systemd/system/jiayuan.service";
      assert.ok(existsSync(unitFile));
      assert.ok(existsSync("/usr/share/jiayuan/kiosk/index.html"), "the kiosk's build is installed");
      assert.match(root("getent", ["passwd", "jiayuan"]), /^jiayuan:/, "a user of its own");
      if (existsSync("/usr/bin/systemd-analyze")) root("systemd-analyze", ["verify", unitFile]);
      const unit = unitSettings(readFileSync(unitFile, "utf8"));
      assert.equal(unit.user, "jiayuan");
      assert.match(readFileSync(unitFile, "utf8"), /ProtectSystem=strict/);

      // Started the way systemd starts it: its user, its environment file, its command; on a
      // free port, so the test does not clash with anything on 8080.
      const settings = {};
      for (const file of unit.environmentFiles) {
        const path = file.replace(/^-/, "");
        if (file.startsWith("-") && !existsSync(path)) continue;
        const lines = root("cat", [path]).split("\n").filter((line) => /^[A-Z_]+=/.test(line));
        Object.assign(settings, Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2))));
      }
      assert.equal(settings.JIAYUAN_TLS_AUTO, "true", "installed, it serves HTTPS");
      assert.equal(settings.JIAYUAN_STAFF_PIN, shownPin);
      const env = Object.entries({ ...settings, JIAYUAN_ADDR: "127.0.0.1:0", JIAYUAN_DEMO_DATA: "true" }).map(([k, v]) => `${k}=${v}`);
      const command = [...asRoot, "runuser", "-u", unit.user, "--", "env", ...env, unit.execStart];
      const server = spawn(command[0], command.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
      try {
        const url = await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("the installed server did not start in 20 s")), 20_000);
          server.once("exit", (code) => reject(new Error(`the installed server exited (${code})`)));
          createInterface({ input: server.stdout }).on("line", (line) => {
            const match = line.match(/Kiosk:\s+(https:\S+)/);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
        });
        // Its own certificates, made at the first start; a kiosk trusts the community's authority.
        const ca = root("cat", ["/var/lib/jiayuan/tls/ca.crt"]);
        const page = await getTrusting(url, ca);
        assert.match(page.body, /<title>家园<\/title>/, "the kiosk is served from the package");
        assert.equal(page.headers["strict-transport-security"], "max-age=31536000");
        const health = JSON.parse((await getTrusting(`${url}api/health`, ca)).body);
        assert.equal(health.status, "ok");
        assert.equal(health.database, "sqlite");
        assert.ok(existsSync("/var/lib/jiayuan/jiayuan.sqlite3"), "state in /var/lib/jiayuan");
      } finally {
        server.kill("SIGTERM");
        await new Promise((resolve) => server.once("exit", resolve));
      }
    } finally {
      try {
        root("dpkg", ["--purge", "jiayuan"]);
      } catch {}
      root("rm", ["-rf", "/var/lib/jiayuan", "/etc/jiayuan/staff-pin.env"]);
      rmSync(out, { recursive: true, force: true });
    }
  });
});
