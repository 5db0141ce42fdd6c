//! Plain text made inert inside the Markdown export (`index.md`): the template filters
//! `md_text`, `md_code` and `md_url`.
//!
//! Markdown texts of an entry are Markdown on purpose and go into `index.md` as
//! written; titles, names, labels and URLs are plain text. Copied verbatim, a title
//! holding `<script>` or `[x](javascript:…)` would become live HTML or a link in any
//! renderer that allows them. So the characters that start HTML, links, emphasis or
//! code are backslash-escaped, which every CommonMark renderer shows as the character
//! itself; text without them (the seed document's) comes out unchanged.

use tera::{Kwargs, State};

/// `md_text`: `text` shown as itself by a Markdown renderer, on one line.
pub(crate) fn markdown_text(text: &str, _: Kwargs, _: &State) -> String {
    escape_text(text)
}

/// `md_code`: `text` as an inline code span that it cannot close.
pub(crate) fn markdown_code(text: &str, _: Kwargs, _: &State) -> String {
    code_span(text)
}

/// `md_url`: a URL that cannot end its link early or start HTML.
pub(crate) fn markdown_url(url: &str, _: Kwargs, _: &State) -> String {
    escape_url(url)
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown text read back as plain text: `\\` before ASCII punctuation (CommonMark's
/// backslash escape, which `md_text` writes) is dropped. `import` reads headings so.
pub(crate) fn unescape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn code_span(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space inside its fence.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '[' | ']' | '"' | '`' | '\\' => {
                out.push_str(&format!("%{:02X}", u32::from(c)));
            }
            c if c.is_whitespace() || c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_cannot_become_html_links_or_emphasis() {
        let cases = [
            (
                "Erreur OpenAI \"Insufficient Quota\"",
                "Erreur OpenAI \"Insufficient Quota\"",
            ),
            (
                "ÉTAPE 2 : Ajouter (SI PAS DÉJÀ FAIT)",
                "ÉTAPE 2 : Ajouter (SI PAS DÉJÀ FAIT)",
            ),
            (
                "<script>alert(1)</script>",
                "\\<script\\>alert(1)\\</script\\>",
            ),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            (
                "**bold** _it_ `code`",
                "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`",
            ),
            ("&lt;b&gt; a\\b", "\\&lt;b\\&gt; a\\\\b"),
            ("two\n# lines", "two # lines"),
        ];
        for (text, escaped) in cases {
            assert_eq!(escape_text(text), escaped, "{text:?}");
            if !text.contains('\n') {
                assert_eq!(unescape_text(escaped), text, "{escaped:?}");
            }
        }
    }

    #[test]
    fn a_code_span_is_fenced_longer_than_any_backticks_inside() {
        let cases = [
            (
                "Error code: 429 - insufficient_quota",
                "`Error code: 429 - insufficient_quota`",
            ),
            ("a ` b", "``a ` b``"),
            ("`x``", "``` `x`` ```"),
            ("a\nb", "`a b`"),
        ];
        for (text, span) in cases {
            assert_eq!(code_span(text), span, "{text:?}");
        }
    }

    #[test]
    fn a_url_cannot_close_its_link_or_open_a_tag() {
        let cases = [
            (
                "https://platform.openai.com/account/billing",
                "https://platform.openai.com/account/billing",
            ),
            (
                "https://a.example/x) <script>",
                "https://a.example/x%29%20%3Cscript%3E",
            ),
            ("https://a.example/\u{a0}", "https://a.example/%C2%A0"),
        ];
        for (url, escaped) in cases {
            assert_eq!(escape_url(url), escaped, "{url:?}");
        }
    }
}
