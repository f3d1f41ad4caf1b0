//! The languages a resident can choose at the kiosk.

use serde::{Deserialize, Serialize};

/// A language of the kiosk's screens and speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    /// 简体中文: most residents read simplified Chinese, so it is the default.
    #[default]
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// 繁體中文.
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// Every language, in the order the chooser shows them.
    pub const ALL: [Language; 3] = [Language::ZhHans, Language::ZhHant, Language::En];

    /// The BCP 47 tag, as used in `lang` attributes, speech voices and locale files.
    pub const fn tag(self) -> &'static str {
        match self {
            Language::ZhHans => "zh-Hans",
            Language::ZhHant => "zh-Hant",
            Language::En => "en",
        }
    }

    /// The language's name in its own script, so a resident recognises their own language
    /// whatever language the screen is in now.
    pub const fn native_name(self) -> &'static str {
        match self {
            Language::ZhHans => "简体中文",
            Language::ZhHant => "繁體中文",
            Language::En => "English",
        }
    }

    /// Reads a tag leniently: browsers and staff write `zh-CN`, `zh_TW`, `EN-gb` and so on.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Language::En),
            "zh" => {
                let traditional = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
                Some(if traditional { Language::ZhHant } else { Language::ZhHans })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_simplified_chinese() {
        assert_eq!(Language::default(), Language::ZhHans);
    }

    #[test]
    fn tags_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
        }
    }

    #[test]
    fn regional_tags_map_to_the_right_script() {
        assert_eq!(Language::from_tag("zh-CN"), Some(Language::ZhHans));
        assert_eq!(Language::from_tag("zh_TW"), Some(Language::ZhHant));
        assert_eq!(Language::from_tag("zh-Hant-HK"), Some(Language::ZhHant));
        assert_eq!(Language::from_tag("EN-gb"), Some(Language::En));
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn serializes_as_its_tag() {
        let json = serde_json::to_string(&Language::ZhHant).unwrap();
        assert_eq!(json, "\"zh-Hant\"");
    }
}
