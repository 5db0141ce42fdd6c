//! French typography for the interface: the UI strings as the HTML pages show them.
//!
//! French sets a narrow no-break space before `:`, `;`, `!` and `?`, and writes months
//! in lowercase ("4 décembre 2026"). The HTML pages follow these rules; the Markdown
//! export keeps the UI strings as written, since it reproduces a document that has its
//! own conventions (`**Date:** 17 Janvier 2026`). The renderer keeps both versions.

use super::theme::Strings;

/// The narrow no-break space (U+202F) that French sets before high punctuation.
const NARROW_NBSP: char = '\u{202f}';

/// `strings` as the interface of language `code` shows them: for French, high
/// punctuation after a narrow no-break space and months in lowercase; other languages
/// unchanged.
pub(crate) fn typeset_strings(code: &str, strings: &Strings) -> Strings {
    if code != "fr" && !code.starts_with("fr-") {
        return strings.clone();
    }
    strings
        .iter()
        .map(|(key, text)| {
            let text = if key.starts_with("month_") {
                text.to_lowercase()
            } else {
                typeset_french(text)
            };
            (key.clone(), text)
        })
        .collect()
}

/// `text` with every space before `:`, `;`, `!` or `?` made a narrow no-break space;
/// a mark right after a letter gets one too ("Email:" becomes "Email :"), but not
/// one inside a word or a URL (`https://`), where no space or letter precedes it
/// followed by a space or the end.
fn typeset_french(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let high = matches!(c, ':' | ';' | '!' | '?');
        let ends_clause = chars.get(i + 1).is_none_or(|next| next.is_whitespace());
        if high && ends_clause {
            match out.pop() {
                Some(' ' | '\u{a0}' | NARROW_NBSP) => out.push(NARROW_NBSP),
                Some(prev) if prev.is_alphanumeric() || prev == '»' => {
                    out.push(prev);
                    out.push(NARROW_NBSP);
                }
                Some(prev) => out.push(prev),
                None => {}
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_interface_strings_follow_french_rules_and_others_stay() {
        let strings: Strings = [
            ("colon", " : "),
            ("checklist_intro", "Cochez ce que vous avez fait :"),
            ("email", "Email:"),
            ("question", "Vraiment ?"),
            ("link", "Voir https://example.org/a:b"),
            ("month_1", "Janvier"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let fr = typeset_strings("fr", &strings);
        assert_eq!(fr["colon"], "\u{202f}: ");
        assert_eq!(
            fr["checklist_intro"],
            "Cochez ce que vous avez fait\u{202f}:"
        );
        assert_eq!(fr["email"], "Email\u{202f}:");
        assert_eq!(fr["question"], "Vraiment\u{202f}?");
        assert_eq!(fr["link"], "Voir https://example.org/a:b");
        assert_eq!(fr["month_1"], "janvier");
        assert_eq!(typeset_strings("en", &strings), strings);
    }
}
