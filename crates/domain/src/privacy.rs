//! What the kiosk may show of a resident to whoever stands at the screen.

/// Masks a name for display: 张建华 → 张*华, 李明 → 李*, Wang Fang → W*** F***.
///
/// Residents choose themselves from a list that others can read over their shoulder, so a
/// full name is never shown; the first and last characters are enough for them to recognise
/// themselves.
pub fn mask_name(full_name: &str) -> String {
    let name = full_name.trim();
    if name.contains(' ') {
        return name
            .split_whitespace()
            .map(|word| {
                let mut chars = word.chars();
                let first = chars.next().map(String::from).unwrap_or_default();
                first + &"*".repeat(chars.count())
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let chars: Vec<char> = name.chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [only] => only.to_string(),
        [first, _] => format!("{first}*"),
        [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_keep_only_first_and_last_character() {
        assert_eq!(mask_name("张建华"), "张*华");
        assert_eq!(mask_name("欧阳明月"), "欧**月");
        assert_eq!(mask_name("李明"), "李*");
        assert_eq!(mask_name(" 王 "), "王");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn latin_names_keep_initials() {
        assert_eq!(mask_name("Wang Fang"), "W*** F***");
    }

    #[test]
    fn a_masked_name_never_contains_the_hidden_characters() {
        let masked = mask_name("张建华");
        assert!(!masked.contains('建'));
    }
}
