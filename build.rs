//! The kiosk's words: `locales/<tag>.json` (one flat object of key → text per language) become
//! one table of `&'static str` and a constant per key (`src/i18n.rs` reads them). A key missing
//! from a language, or one only a language has, does not build: every screen has every word in
//! every language.

use std::collections::BTreeMap;

/// In `jiayuan_domain::Language`'s order (its `ALL`).
const LANGUAGES: [&str; 3] = ["zh-Hans", "zh-Hant", "en"];

fn main() {
    let mut tables: Vec<BTreeMap<String, String>> = Vec::new();
    for tag in LANGUAGES {
        let path = format!("locales/{tag}.json");
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let words: BTreeMap<String, String> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} must be an object of texts: {e}"));
        tables.push(words);
    }
    let keys: Vec<&String> = tables[0].keys().collect();
    for (tag, words) in LANGUAGES.iter().zip(&tables) {
        let theirs: Vec<&String> = words.keys().collect();
        if theirs != keys {
            let missing: Vec<_> = keys.iter().filter(|k| !words.contains_key(k.as_str())).collect();
            let extra: Vec<_> = theirs.iter().filter(|k| !tables[0].contains_key(k.as_str())).collect();
            panic!("locales/{tag}.json: missing {missing:?}, not in zh-Hans {extra:?}");
        }
    }
    let mut out = String::from("/// Each key's row in `WORDS`.\n#[allow(non_upper_case_globals)]\npub mod keys {\n");
    for (row, key) in keys.iter().enumerate() {
        assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "key {key:?}");
        out.push_str(&format!("    pub const {key}: usize = {row};\n"));
    }
    out.push_str("}\n\n/// Every text, a row per key, a column per language.\n");
    out.push_str(&format!("pub static WORDS: [[&str; {}]; {}] = [\n", LANGUAGES.len(), keys.len()));
    for key in &keys {
        let row: Vec<String> = tables.iter().map(|words| format!("{:?}", words[key.as_str()])).collect();
        out.push_str(&format!("    [{}],\n", row.join(", ")));
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/words.rs"), out).expect("write words.rs");
}
