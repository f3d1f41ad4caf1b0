//! Writes the build's exact file list and a version taken from the files' contents into
//! `sw.js`, so the service worker precaches exactly this build.
//!
//! Trunk names files by a hash taken *before* wasm-opt runs, so the names alone do not prove
//! the bytes changed: the version is a SHA-256 over every file's path and bytes.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cmd::Result;

const SERVICE_WORKER: &str = "sw.js";
const VERSION_PLACEHOLDER: &str = "__JIAYUAN_BUILD_VERSION__";
const FILES_PLACEHOLDER: &str = "__JIAYUAN_PRECACHE_FILES__";

/// Trunk's post_build hook: the page's Content-Security-Policy first (it changes the page),
/// the scripts minified, then the service worker's file list and version over the finished
/// files.
pub fn run() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("post-build runs as Trunk's post_build hook, which sets TRUNK_STAGING_DIR")?;
    crate::csp::write_policy(&staging)?;
    crate::minify::minify_scripts(&staging)?;
    let (version, files) = write_service_worker(&staging)?;
    eprintln!("xtask: service worker precaches {} files, build {version}", files.len());
    Ok(())
}

/// Rewrites `dir/sw.js` in place; returns the build version and the precached URLs.
pub fn write_service_worker(dir: &Path) -> Result<(String, Vec<String>)> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.retain(|relative| relative != SERVICE_WORKER);
    files.sort();

    let mut hasher = Sha256::new();
    for relative in &files {
        let bytes =
            std::fs::read(dir.join(relative)).map_err(|e| format!("cannot read {relative} in the build: {e}"))?;
        hasher.update(relative.as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
    }
    let digest = hasher.finalize();
    let version: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();

    // The page itself is cached as "/" (what the kiosk opens), not as /index.html.
    let mut urls: Vec<String> = files
        .iter()
        .map(|relative| match relative.as_str() {
            "index.html" => "/".to_owned(),
            other => format!("/{other}"),
        })
        .collect();
    urls.sort();

    let sw_path = dir.join(SERVICE_WORKER);
    let template = std::fs::read_to_string(&sw_path).map_err(|e| format!("the build has no {SERVICE_WORKER}: {e}"))?;
    if !template.contains(VERSION_PLACEHOLDER) || !template.contains(FILES_PLACEHOLDER) {
        return Err(format!("{SERVICE_WORKER} lacks its placeholders; was it rewritten twice?"));
    }
    let list = format!("[{}]", urls.iter().map(|url| format!("{url:?}")).collect::<Vec<_>>().join(", "));
    let written = template.replace(VERSION_PLACEHOLDER, &version).replace(FILES_PLACEHOLDER, &list);
    std::fs::write(&sw_path, written).map_err(|e| format!("cannot write {SERVICE_WORKER}: {e}"))?;
    Ok((version, urls))
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_dir(name: &str, wasm: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jiayuan-precache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("icons")).unwrap();
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.join("app-1234.wasm"), wasm).unwrap();
        std::fs::write(dir.join("icons/icon.svg"), "<svg/>").unwrap();
        let template = std::fs::read_to_string(crate::cmd::repo_root().join("public/sw.js")).unwrap();
        std::fs::write(dir.join("sw.js"), template).unwrap();
        dir
    }

    #[test]
    fn lists_every_built_file_and_the_page_itself() {
        let dir = build_dir("list", b"wasm");
        let (_, urls) = write_service_worker(&dir).unwrap();
        assert_eq!(urls, ["/", "/app-1234.wasm", "/icons/icon.svg"]);
        let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(sw.contains(r#"const PRECACHE = ["/", "/app-1234.wasm", "/icons/icon.svg"];"#));
    }

    #[test]
    fn new_bytes_under_the_same_names_make_a_new_version() {
        let (before, _) = write_service_worker(&build_dir("v1", b"old")).unwrap();
        let (after, _) = write_service_worker(&build_dir("v2", b"new")).unwrap();
        let (again, _) = write_service_worker(&build_dir("v3", b"old")).unwrap();
        assert_ne!(before, after);
        assert_eq!(before, again);
    }

    #[test]
    fn refuses_to_rewrite_a_finished_worker() {
        let dir = build_dir("twice", b"wasm");
        write_service_worker(&dir).unwrap();
        assert!(write_service_worker(&dir).is_err());
    }
}
