//! The screen's language and its words. The kiosk never guesses a language from the browser:
//! it starts in the community's language (`Language::default()`), and a resident may choose
//! another for their visit. So this is a signal and a table, not an i18n library with locale
//! negotiation, cookies and ICU (about 20 KB of the first load that the kiosk never ran).

use jiayuan_domain::Language;
use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/words.rs"));

/// The language of the screen, for every component below the kiosk's root.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    language: RwSignal<Language>,
}

impl I18n {
    /// The screen's language, tracked: what reads it is redrawn when it changes.
    pub fn get_locale(self) -> Language {
        self.language.get()
    }

    pub fn get_locale_untracked(self) -> Language {
        self.language.get_untracked()
    }

    pub fn set_locale(self, language: Language) {
        self.language.set(language);
    }

    /// The text of `key` (a `keys::` constant) in the screen's language, tracked.
    pub fn word(self, key: usize) -> &'static str {
        word(self.get_locale(), key)
    }
}

/// The text of `key` in `language`.
pub fn word(language: Language, key: usize) -> &'static str {
    let column = match language {
        Language::ZhHans => 0,
        Language::ZhHant => 1,
        Language::En => 2,
    };
    WORDS.get(key).map_or("", |row| row[column])
}

/// Gives the components inside it the screen's language, starting in `initial_locale`.
#[component]
pub fn I18nSubContextProvider(initial_locale: Language, children: Children) -> impl IntoView {
    provide_context(I18n { language: RwSignal::new(initial_locale) });
    children()
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n { language: RwSignal::new(Language::default()) })
}

/// `t_string!(i18n, key)`: the text of `key` in the screen's language, as `&'static str`. A
/// key missing from `locales/*.json` does not build.
#[macro_export]
macro_rules! t_string {
    ($i18n:expr, $key:ident) => {
        $i18n.word($crate::i18n::keys::$key)
    };
}
pub use t_string;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words() {
        assert_eq!(word(Language::ZhHans, keys::app_name), "家园");
        assert_ne!(word(Language::En, keys::back), word(Language::ZhHans, keys::back));
    }
}
