//! Writes the kiosk page's Content-Security-Policy into the page itself at build time.
//!
//! Trunk starts the wasm with an inline module script; instead of allowing inline scripts in
//! general, the policy allows exactly that script by its SHA-256. Written into the page, the
//! policy always matches the build it ships with, whoever serves it. (The server adds what a
//! `<meta>` policy cannot say, such as `frame-ancestors`, as a header.)

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::cmd::Result;

/// Everything else comes from the kiosk's own origin; wasm compiles ('wasm-unsafe-eval'),
/// but JavaScript `eval` stays forbidden.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

pub fn write_policy(dir: &Path) -> Result<String> {
    let path = dir.join("index.html");
    let page = std::fs::read_to_string(&path).map_err(|e| format!("the build has no index.html: {e}"))?;
    if page.contains("Content-Security-Policy") {
        return Err("index.html already has a Content-Security-Policy; was it written twice?".into());
    }
    let hashes: Vec<String> = inline_scripts(&page)
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    let policy = POLICY.replace("{hashes}", &hashes.join(" "));
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">");
    // Right after the charset, before any script, so the policy covers them all.
    let charset_end = page
        .find("charset")
        .and_then(|at| page[at..].find('>').map(|end| at + end + 1))
        .ok_or("index.html has no <meta charset>")?;
    let written = format!("{}{meta}{}", &page[..charset_end], &page[charset_end..]);
    std::fs::write(&path, written).map_err(|e| format!("cannot write index.html: {e}"))?;
    Ok(policy)
}

/// The text of every `<script>` without a `src`, exactly as the browser will hash it.
fn inline_scripts(page: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else { break };
        let tag = &after_tag[..tag_end];
        let body_and_more = &after_tag[tag_end + 1..];
        let Some(body_end) = body_and_more.find("</script>") else { break };
        if !tag.contains("src=") {
            scripts.push(&body_and_more[..body_end]);
        }
        rest = &body_and_more[body_end..];
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let page = "<meta charset=utf-8><script type=module>import a from '/a.js';</script>\
                    <script src=/b.js></script><script>\nlet x = 1;\n</script>";
        assert_eq!(inline_scripts(page), ["import a from '/a.js';", "\nlet x = 1;\n"]);
    }

    #[test]
    fn the_policy_allows_the_loader_by_hash_and_nothing_inline_else() {
        let dir = std::env::temp_dir().join(format!("jiayuan-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let loader = "import init from '/k.js'; await init();";
        std::fs::write(
            dir.join("index.html"),
            format!("<html><meta charset=utf-8><title>t</title><script type=module>{loader}</script>"),
        )
        .unwrap();
        let policy = write_policy(&dir).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(loader.as_bytes()));
        assert!(policy.contains(&format!("'sha256-{expected}'")));
        assert!(!policy.contains("unsafe-inline"));
        let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let meta_at = page.find("Content-Security-Policy").unwrap();
        assert!(meta_at < page.find("<script").unwrap(), "the policy must come before the script");
        assert!(write_policy(&dir).is_err(), "a second run must not stack policies");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
