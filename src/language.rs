//! The bridge between the domain's languages and the i18n library's locales.

use jiayuan_domain::Language;

use crate::i18n::Locale;

pub fn to_locale(language: Language) -> Locale {
    match language {
        Language::ZhHans => Locale::zh_Hans,
        Language::ZhHant => Locale::zh_Hant,
        Language::En => Locale::en,
    }
}

pub fn from_locale(locale: Locale) -> Language {
    match locale {
        Locale::zh_Hans => Language::ZhHans,
        Locale::zh_Hant => Language::ZhHant,
        Locale::en => Language::En,
    }
}
