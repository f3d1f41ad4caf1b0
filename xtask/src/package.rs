//! `cargo xtask package`: a Debian package of the server, as communities install it — the
//! binary, the kiosk's build, a hardened systemd unit (its own user, state in
//! /var/lib/jiayuan, settings in /etc/jiayuan/jiayuan.env, restarted on failure, logs in the
//! journal). Built with Debian's own `dpkg-deb` from `packaging/debian/`, so no packaging tool
//! is compiled.
//!
//! Without arguments it builds the release server and kiosk first; the test command passes
//! `--server-bin` and `--kiosk-dir` to package what it already built.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{Result, output_of, repo_root, run};
use crate::kiosk_build;

const PACKAGE: &str = "jiayuan";

pub fn run_package(args: &[String]) -> Result<()> {
    let root = repo_root();
    let mut server_bin = None;
    let mut kiosk_dir = None;
    let mut out = root.join("target/deb");
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = || rest.clone().next().map(PathBuf::from).ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--server-bin" => server_bin = Some(value()?),
            "--kiosk-dir" => kiosk_dir = Some(value()?),
            "--out" => out = value()?,
            other => return Err(format!("unknown option {other}")),
        }
        rest.next();
    }
    let server_bin = match server_bin {
        Some(bin) => bin,
        None => {
            run(Command::new("cargo")
                .args(["build", "--locked", "--release", "--package", "jiayuan-server"])
                .current_dir(&root))?;
            root.join("target/release/jiayuan-server")
        }
    };
    let kiosk_dir = match kiosk_dir {
        Some(dir) => dir,
        None => {
            kiosk_build::build_release()?;
            kiosk_build::dist_dir()
        }
    };
    let deb = build(&server_bin, &kiosk_dir, &out)?;
    println!("{}", deb.display());
    Ok(())
}

/// Stages the package's files and builds it into `out`; the .deb's path.
pub fn build(server_bin: &Path, kiosk_dir: &Path, out: &Path) -> Result<PathBuf> {
    let root = repo_root();
    let packaging = root.join("packaging/debian");
    let version = env!("CARGO_PKG_VERSION");
    let arch =
        output_of("dpkg", ["--print-architecture"]).ok_or("dpkg is needed to build the package (Debian's dpkg)")?;
    let stage = out.join(format!("{PACKAGE}_{version}_{arch}"));
    let _ = std::fs::remove_dir_all(&stage);
    let io = |what: String| move |e: std::io::Error| format!("{what}: {e}");
    let copy = |from: &Path, to: &str, mode: u32| -> Result<()> {
        let target = stage.join(to);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
        }
        std::fs::copy(from, &target).map_err(io(format!("cannot copy {} to {}", from.display(), target.display())))?;
        set_mode(&target, mode)
    };
    copy(server_bin, "usr/bin/jiayuan-server", 0o755)?;
    copy_tree(kiosk_dir, &stage.join("usr/share/jiayuan/kiosk"))?;
    copy(&packaging.join("jiayuan.service"), "lib/systemd/system/jiayuan.service", 0o644)?;
    copy(&packaging.join("jiayuan.env"), "etc/jiayuan/jiayuan.env", 0o640)?;
    copy(&root.join("README.md"), "usr/share/doc/jiayuan/README.md", 0o644)?;
    copy(&root.join("docs/kiosk-setup.md"), "usr/share/doc/jiayuan/kiosk-setup.md", 0o644)?;
    for script in ["postinst", "prerm", "postrm"] {
        copy(&packaging.join(script), &format!("DEBIAN/{script}"), 0o755)?;
    }
    copy(&packaging.join("conffiles"), "DEBIAN/conffiles", 0o644)?;
    let size_kb = tree_size(&stage) / 1024 + 1;
    let control = std::fs::read_to_string(packaging.join("control"))
        .map_err(io("cannot read packaging/debian/control".into()))?
        .replace("@VERSION@", version)
        .replace("@ARCH@", &arch)
        .replace("@SIZE_KB@", &size_kb.to_string());
    std::fs::write(stage.join("DEBIAN/control"), control).map_err(io("cannot write the control file".into()))?;
    let deb = out.join(format!("{PACKAGE}_{version}_{arch}.deb"));
    // zstd: as small as xz here, and fast (dpkg reads it since Debian 12).
    run(Command::new("dpkg-deb").args(["--build", "--root-owner-group", "-Zzstd"]).arg(&stage).arg(&deb))?;
    Ok(deb)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot list {}: {e}", from.display()))?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
            set_mode(&target, 0o644)?;
        }
    }
    Ok(())
}

fn tree_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .map(|path| {
                    if path.is_dir() {
                        tree_size(&path)
                    } else {
                        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("cannot set the mode of {}: {e}", path.display()))
}
