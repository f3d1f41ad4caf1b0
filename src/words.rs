//! Fills a screen text's `{name}` placeholders. The i18n library fills its own `{{ name }}`
//! only in views; spoken prompts and headings need plain strings.

use std::fmt::Display;

pub fn fill(template: impl Display, values: &[(&str, String)]) -> String {
    let mut text = template.to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A screen text in the screen's language, as one type of value: every `text!` shares one
/// piece of rendering code, where each `t!` would bring its own (measured: the kiosk's
/// download is on a budget).
#[macro_export]
macro_rules! text {
    ($i18n:expr, $key:ident) => {
        leptos::prelude::Signal::derive(move || $crate::i18n::t_string!($i18n, $key).to_string())
    };
}
