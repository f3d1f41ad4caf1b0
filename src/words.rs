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
