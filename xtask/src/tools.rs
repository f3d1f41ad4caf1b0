//! Installs what the two README commands need, at pinned versions, from the package
//! registries only: crates.io (Trunk, wasm-bindgen-cli), npm (binaryen, Playwright, axe-core)
//! and Debian (Chromium, ChromeDriver, fonts, PostgreSQL).

use std::path::Path;
use std::process::Command;

use crate::cmd::{Result, output_of, repo_root, run};

/// Trunk's version; Trunk.toml's `trunk-version` must agree (checked by `check_pins`).
/// 0.22 declares rust-version 1.96 and is refused by our 1.95 toolchain.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// A Debian package and how to tell it is installed.
type Package = (&'static str, fn() -> bool);

/// Debian packages the test command needs, with a check that each is present.
const TEST_PACKAGES: &[Package] = &[
    ("chromium", || Path::new("/usr/bin/chromium").exists()),
    ("chromium-driver", || Path::new("/usr/bin/chromedriver").exists()),
    // Chinese screens render as boxes without a CJK font; axe and screenshots need real glyphs.
    ("fonts-noto-cjk", || Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists()),
    // The server itself: pg_virtualenv (postgresql-common) is often there without one.
    ("postgresql", postgres_server_installed),
    // certutil: the HTTPS test trusts the community's certificate authority in the test
    // browser's NSS database, as a Debian kiosk does.
    ("libnss3-tools", || Path::new("/usr/bin/certutil").exists()),
];

fn postgres_server_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql")
        .map(|mut versions| versions.any(|v| v.is_ok_and(|v| v.path().join("bin/postgres").exists())))
        .unwrap_or(false)
}

/// Everything needed to build the kiosk: the wasm target, Trunk, wasm-bindgen, wasm-opt.
pub fn ensure_build_tools() -> Result<()> {
    check_pins()?;
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION)?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &wasm_bindgen_version()?)?;
    ensure_node()?;
    ensure_npm_packages()
}

/// Everything the test command needs on top of the build tools.
pub fn ensure_test_tools() -> Result<()> {
    ensure_build_tools()?;
    ensure_components(&["rustfmt", "clippy"])?;
    let missing: Vec<&str> =
        TEST_PACKAGES.iter().filter(|(_, present)| !present()).map(|(package, _)| *package).collect();
    ensure_debian_packages(&missing)
}

/// The wasm-bindgen version Cargo.lock resolved: the CLI must be exactly this one.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock_path = repo_root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_owned())
}

/// Finds `version = "…"` of package `name` in a Cargo.lock's text.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let marker = format!("name = \"{name}\"\n");
    let after = &lock[lock.find(&marker)? + marker.len()..];
    let line = after.lines().next()?;
    let version = line.strip_prefix("version = \"")?.strip_suffix('"')?;
    Some(version.to_owned())
}

/// The tool versions written in Trunk.toml, package.json and here must agree with Cargo.lock;
/// a drift fails before anything is built, naming the file to fix.
pub fn check_pins() -> Result<()> {
    let root = repo_root();
    let trunk_toml =
        std::fs::read_to_string(root.join("Trunk.toml")).map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let wasm_bindgen = wasm_bindgen_version()?;
    let expectations = [
        (format!("wasm_bindgen = \"{wasm_bindgen}\""), "the wasm-bindgen version in Cargo.lock"),
        (format!("trunk-version = \"={TRUNK_VERSION}\""), "xtask's TRUNK_VERSION"),
        (format!("wasm_opt = \"version_{}\"", binaryen_major()?), "binaryen in package.json"),
    ];
    for (line, source) in expectations {
        if !trunk_toml.contains(&line) {
            return Err(format!("Trunk.toml must say `{line}` to match {source}"));
        }
    }
    Ok(())
}

/// The major version of the binaryen npm package pinned in package.json (wasm-opt's version).
pub fn binaryen_major() -> Result<String> {
    let package_json = std::fs::read_to_string(repo_root().join("package.json"))
        .map_err(|e| format!("cannot read package.json: {e}"))?;
    let start =
        package_json.find("\"binaryen\": \"").ok_or("package.json must pin binaryen")? + "\"binaryen\": \"".len();
    let version = &package_json[start..];
    let major = version.split(['.', '"']).next().unwrap_or_default();
    if major.is_empty() || !major.chars().all(|c| c.is_ascii_digit()) {
        return Err("package.json must pin binaryen to an exact version".into());
    }
    Ok(major.to_owned())
}

/// The toolchain's own components (rustup's default profile has them; a minimal one may not).
fn ensure_components(components: &[&str]) -> Result<()> {
    let installed = output_of("rustup", ["component", "list", "--installed"]).unwrap_or_default();
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| !installed.lines().any(|line| line.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    run(Command::new("rustup").arg("component").arg("add").args(&missing))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output_of("rustup", ["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Installs a crates.io tool unless `binary --version` already reports exactly `version`.
fn ensure_cargo_tool(krate: &str, binary: &str, version: &str) -> Result<()> {
    let wanted = format!("{binary} {version}");
    let found = output_of(binary, ["--version"]).unwrap_or_default();
    if found.split_whitespace().take(2).collect::<Vec<_>>().join(" ") == wanted {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} {version} from crates.io (found: {found:?}); this takes minutes once");
    let locked = run(Command::new("cargo").args(["install", krate, "--version", version, "--locked"]));
    if locked.is_err() {
        // A published lock file can name a dependency version the registry no longer
        // serves (seen with wasm-bindgen-cli's webpki-roots); let cargo resolve afresh.
        eprintln!("xtask: retrying {krate} without --locked");
        run(Command::new("cargo").args(["install", krate, "--version", version]))?;
    }
    Ok(())
}

fn ensure_node() -> Result<()> {
    if output_of("node", ["--version"]).is_some() && output_of("npm", ["--version"]).is_some() {
        return Ok(());
    }
    ensure_debian_packages(&["nodejs", "npm"])
}

/// `npm ci` from the committed lock file, when node_modules is missing or older than it.
fn ensure_npm_packages() -> Result<()> {
    let root = repo_root();
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(lock_time), Some(installed_time)) => installed_time >= lock_time,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn ensure_debian_packages(packages: &[&str]) -> Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", packages.join(" "));
    let as_root = output_of("id", ["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if as_root { Command::new("apt-get") } else { Command::new("sudo") };
        if !as_root {
            command.arg("apt-get");
        }
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    run(&mut install)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-bindgen-futures").as_deref(), Some("0.4.1"));
        assert_eq!(locked_version(lock, "leptos"), None);
    }

    /// The repository's own pins agree: Trunk will use the installed tools, not download.
    #[test]
    fn repository_tool_pins_agree() {
        check_pins().unwrap();
    }
}
