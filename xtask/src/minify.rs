//! Minifies wasm-bindgen's JavaScript glue with terser (npm, pinned in package-lock.json) and
//! writes the smaller file's integrity into the page. Trunk's own minifier fails on the glue
//! and leaves it whole; the kiosk's first load is on a budget, and this saves about 1.8 KB
//! brotli of it (measured by `cargo xtask size`).

use std::path::Path;
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::cmd::{Result, repo_root, run};

/// Minifies every script of the build but the service worker (kept readable: it is small and
/// operators read it when an update misbehaves).
pub fn minify_scripts(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let scripts: Vec<String> = entries
        .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".js") && name != "sw.js")
        .collect();
    let terser = repo_root().join("node_modules/.bin/terser");
    for name in scripts {
        let path = dir.join(&name);
        run(Command::new(&terser).arg(&path).args(["--module", "--compress", "--mangle", "--output"]).arg(&path))?;
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
        let integrity = format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes)));
        let page_path = dir.join("index.html");
        let page = std::fs::read_to_string(&page_path).map_err(|e| format!("the build has no index.html: {e}"))?;
        let written = with_integrity(&page, &name, &integrity)
            .ok_or_else(|| format!("index.html names {name} without an integrity"))?;
        std::fs::write(&page_path, written).map_err(|e| format!("cannot write index.html: {e}"))?;
    }
    Ok(())
}

/// The page with the `integrity` of the `<link>` to `/name` set to `integrity`.
fn with_integrity(page: &str, name: &str, integrity: &str) -> Option<String> {
    let target = format!("/{name}");
    let (tag_start, tag_end) = page.match_indices(&target).find_map(|(at, _)| {
        let start = page[..at].rfind('<')?;
        let end = at + page[at..].find('>')?;
        page[start..].starts_with("<link").then_some((start, end))
    })?;
    let attribute = tag_start + page[tag_start..tag_end].find("integrity=")? + "integrity=".len();
    let quoted = page[attribute..].starts_with('"');
    let value_start = attribute + usize::from(quoted);
    let value_end = value_start + page[value_start..tag_end].find(['"', ' ', '>']).unwrap_or(tag_end - value_start);
    Some(format!("{}{integrity}{}", &page[..value_start], &page[value_end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_the_integrity_of_the_tag_that_links_the_script() {
        let page = "<script type=module>import init from '/k-1.js';</script><link href=/a.css integrity=sha384-css rel=stylesheet>\
                    <link crossorigin href=/k-1.js integrity=sha384-old rel=modulepreload>";
        assert_eq!(
            with_integrity(page, "k-1.js", "sha384-new").unwrap(),
            "<script type=module>import init from '/k-1.js';</script><link href=/a.css integrity=sha384-css rel=stylesheet>\
             <link crossorigin href=/k-1.js integrity=sha384-new rel=modulepreload>"
        );
        let quoted = r#"<link href="/k-1.js" integrity="sha384-old">"#;
        assert_eq!(
            with_integrity(quoted, "k-1.js", "sha384-new").unwrap(),
            r#"<link href="/k-1.js" integrity="sha384-new">"#
        );
        assert_eq!(with_integrity("<link href=/k-1.js>", "k-1.js", "x"), None);
    }
}
