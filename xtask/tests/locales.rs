//! Every screen text exists in every language, with the same placeholders.
//!
//! build.rs refuses a missing key; here an empty text or a mismatched placeholder fails too.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LOCALES: [&str; 3] = ["zh-Hans", "zh-Hant", "en"];

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, value, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.as_str().unwrap_or_default().to_owned());
        }
    }
}

fn texts(locale: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales").join(format!("{locale}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{locale}.json: {e}"));
    let mut out = BTreeMap::new();
    flatten("", &json, &mut out);
    out
}

fn placeholders(text: &str) -> BTreeSet<String> {
    // `{{ name }}` is filled by the i18n library in views, `{name}` by the kiosk's `fill`.
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .filter(|name| !name.is_empty())
        .map(|name| name.trim().to_owned())
        .collect()
}

#[test]
fn every_locale_has_every_key_and_no_empty_text() {
    let reference = texts(LOCALES[0]);
    for locale in LOCALES {
        let texts = texts(locale);
        let missing: Vec<_> = reference.keys().filter(|key| !texts.contains_key(*key)).collect();
        let extra: Vec<_> = texts.keys().filter(|key| !reference.contains_key(*key)).collect();
        let empty: Vec<_> = texts.iter().filter(|(_, text)| text.trim().is_empty()).map(|(key, _)| key).collect();
        assert!(missing.is_empty(), "{locale}.json is missing {missing:?}");
        assert!(extra.is_empty(), "{locale}.json has keys no other locale has: {extra:?}");
        assert!(empty.is_empty(), "{locale}.json has empty texts: {empty:?}");
    }
}

#[test]
fn placeholders_match_across_locales() {
    let reference = texts(LOCALES[0]);
    for locale in &LOCALES[1..] {
        for (key, text) in texts(locale) {
            let expected = placeholders(&reference[&key]);
            assert_eq!(placeholders(&text), expected, "{locale}.json `{key}`");
        }
    }
}

#[test]
fn the_locales_folder_holds_exactly_the_languages_the_kiosk_builds() {
    // build.rs turns each listed language's file into the kiosk's table of words; a file
    // added beside them would be silently left out, a file missing stops the build.
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    let found: BTreeSet<String> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = LOCALES.iter().map(|l| (*l).to_owned()).collect();
    assert_eq!(found, expected, "locales/ must hold exactly {expected:?}");
    let build = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../build.rs")).unwrap();
    let declared = format!("[{}]", LOCALES.map(|l| format!("\"{l}\"")).join(", "));
    assert!(build.contains(&declared), "build.rs must list the languages {declared}");
}
