//! The console's words in 简体中文 (the default) and English, from `locales/console.yml`
//! (rust-i18n embeds it at compile time). Templates ask for words by key through `Words`;
//! a test checks that every key they use exists in both languages.

use std::borrow::Cow;
use std::fmt::Display;

use axum::http::HeaderMap;

/// The cookie that keeps a browser's console language (before and after signing in).
pub const LANGUAGE_COOKIE: &str = "jiayuan_console_language";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhHans,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhHans, Lang::En];

    /// The BCP 47 tag: the locale's name in the words file and the page's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The language its own speakers call it by, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::ZhHans => "简体中文",
            Lang::En => "English",
        }
    }

    /// The browser's chosen language, or 简体中文.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        crate::console::cookies::cookie_value(headers, LANGUAGE_COOKIE)
            .and_then(|value| Lang::from_tag(&value))
            .unwrap_or_default()
    }
}

/// Looks words up in one language.
#[derive(Debug, Clone, Copy, Default)]
pub struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn new(lang: Lang) -> Words {
        Words { lang }
    }

    /// The words for `key`; a missing key shows as itself (and the words test fails).
    pub fn t<'k>(&self, key: &'k str) -> Cow<'k, str> {
        crate::_rust_i18n_try_translate(self.lang.tag(), key).unwrap_or_else(|| {
            tracing::warn!(key, lang = self.lang.tag(), "console words missing");
            Cow::Borrowed(key)
        })
    }

    /// The words for `key` with `%{n}` replaced.
    pub fn t_n(&self, key: &str, n: impl Display) -> String {
        rust_i18n::replace_patterns(&self.t(key), &["n"], &[n.to_string()])
    }

    /// The words for `key` with `%{a}` and `%{b}` replaced.
    pub fn t_ab(&self, key: &str, a: impl Display, b: impl Display) -> String {
        rust_i18n::replace_patterns(&self.t(key), &["a", "b"], &[a.to_string(), b.to_string()])
    }

    /// Localized text from the schedule in this language, or in 简体中文 when it has none.
    pub fn pick<'a>(&self, text: &'a jiayuan_domain::LocalizedText) -> &'a str {
        match self.lang {
            Lang::ZhHans => text.get(jiayuan_domain::Language::ZhHans),
            Lang::En => text.get(jiayuan_domain::Language::En),
        }
    }
}

/// The records' report puts rows into these words.
impl jiayuan_community::reports::records::Words for Words {
    fn t(&self, key: &str) -> String {
        Words::t(self, key).into_owned()
    }

    fn language(&self) -> jiayuan_domain::Language {
        match self.lang {
            Lang::ZhHans => jiayuan_domain::Language::ZhHans,
            Lang::En => jiayuan_domain::Language::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;

    /// The sections words keys start with; a string like `"today.title"` in the console's code
    /// or templates is a key.
    const SECTIONS: &[&str] = &[
        "app",
        "nav",
        "role",
        "sign_in",
        "password",
        "done",
        "today",
        "session",
        "staff",
        "schedule",
        "recurring",
        "resident",
        "residents",
        "kiosk",
        "kiosks",
        "log",
        "act",
        "upload",
        "field",
        "problem",
        "sign_ups",
        "week",
        "form",
        "activity",
    ];

    /// Every key the templates and the console's code name exists in both languages.
    #[test]
    fn every_key_used_exists_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = Vec::new();
        for dir in [root.join("templates/console"), root.join("src/console")] {
            collect_keys(&dir, &mut keys);
        }
        keys.sort();
        keys.dedup();
        assert!(keys.len() > 40, "found only {} keys: is the scan broken?", keys.len());
        let mut missing = Vec::new();
        for key in &keys {
            for lang in Lang::ALL {
                if crate::_rust_i18n_try_translate(lang.tag(), key).is_none() {
                    missing.push(format!("{}: {key}", lang.tag()));
                }
            }
        }
        assert!(missing.is_empty(), "missing console words:\n{}", missing.join("\n"));
    }

    fn looks_like_key(text: &str) -> bool {
        let mut parts = text.split('.');
        let first = parts.next().unwrap_or_default();
        SECTIONS.contains(&first)
            && text.contains('.')
            && text.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    }

    fn collect_keys(path: &std::path::Path, keys: &mut Vec<String>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap().flatten() {
                collect_keys(&entry.path(), keys);
            }
            return;
        }
        let Ok(text) = std::fs::read_to_string(path) else { return };
        // Every text between two double quotes on a line.
        for line in text.lines() {
            let pieces: Vec<&str> = line.split('"').collect();
            for piece in pieces.iter().skip(1).step_by(2) {
                if looks_like_key(piece) {
                    keys.push((*piece).to_owned());
                }
            }
        }
    }

    #[test]
    fn the_language_comes_from_its_cookie_or_is_simplified_chinese() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of_request(&headers), Lang::ZhHans);
        headers.insert(COOKIE, format!("other=1; {LANGUAGE_COOKIE}=en").parse().unwrap());
        assert_eq!(Lang::of_request(&headers), Lang::En);
        assert_eq!(Words::new(Lang::En).t("nav.today"), "Today");
        assert_eq!(Words::new(Lang::ZhHans).t("nav.today"), "今天");
    }
}
