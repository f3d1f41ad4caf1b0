//! Text that staff write once and residents read in their own language.

use serde::{Deserialize, Serialize};

use crate::Language;

/// A title or name in simplified Chinese, with optional traditional Chinese and English.
///
/// Staff publish the schedule in simplified Chinese; the other languages are optional and fall
/// back to it, so a resident never sees an empty card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub zh_hans: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    /// The same text in all three languages.
    pub fn new(zh_hans: &str, zh_hant: &str, en: &str) -> Self {
        LocalizedText {
            zh_hans: zh_hans.to_owned(),
            zh_hant: Some(zh_hant.to_owned()).filter(|s| !s.is_empty()),
            en: Some(en.to_owned()).filter(|s| !s.is_empty()),
        }
    }

    /// The text in `language`, or in simplified Chinese where that language is missing.
    pub fn get(&self, language: Language) -> &str {
        let translated = match language {
            Language::ZhHans => None,
            Language::ZhHant => self.zh_hant.as_deref(),
            Language::En => self.en.as_deref(),
        };
        translated.filter(|s| !s.trim().is_empty()).unwrap_or(&self.zh_hans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_reads_its_own_text() {
        let text = LocalizedText::new("太极拳", "太極拳", "Tai chi");
        assert_eq!(text.get(Language::ZhHans), "太极拳");
        assert_eq!(text.get(Language::ZhHant), "太極拳");
        assert_eq!(text.get(Language::En), "Tai chi");
    }

    #[test]
    fn a_missing_translation_falls_back_to_simplified_chinese() {
        let text = LocalizedText::new("剪窗花", "", "  ");
        assert_eq!(text.get(Language::ZhHant), "剪窗花");
        assert_eq!(text.get(Language::En), "剪窗花");
    }
}
