//! Secrets out of pasted errors, before anything else looks at them.
//!
//! People paste whole error messages, and those may hold an API key or an organisation
//! id. Lookup redacts them first, so that they never reach a URL (the browser redacts
//! before writing `?q=` into the address bar), a log, an index or `--json` output.
//! `static/search/evidence.js` applies the same rules (its prefixes come from here); `tests/fixtures/lookup/redact.json` is the
//! table both are checked against.

/// What a secret is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Prefixes of provider keys and ids (OpenAI, Google, Groq, xAI…): the prefix and the
/// run of key characters after it are a secret when that run is long enough.
pub(crate) const SECRET_PREFIXES: &[&str] = &[
    "sk-", "sk_", "AIza", "gsk_", "xai-", "org-", "org_", "proj_",
];

/// A key is at least this many characters after its prefix; shorter runs are words
/// (`org-wide`) or keys already masked by the provider (`sk-abc1****`).
pub(crate) const MIN_SECRET_LEN: usize = 8;

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '+' | '/' | '=' | '-')
}

/// `text` with every key, organisation id and bearer token replaced by `[REDACTED]`.
pub(crate) fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let at_boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if at_boundary && let Some(end) = secret_end(&chars, i) {
            out.push_str(REDACTED);
            i = end;
            continue;
        }
        if at_boundary && let Some((token_start, end)) = bearer_token(&chars, i) {
            out.extend(&chars[i..token_start]);
            out.push_str(REDACTED);
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], at: usize, prefix: &str) -> bool {
    let mut rest = chars.get(at..).unwrap_or_default().iter();
    prefix.chars().all(|p| rest.next() == Some(&p))
}

/// The end of a prefixed key starting at `at`.
fn secret_end(chars: &[char], at: usize) -> Option<usize> {
    let prefix = SECRET_PREFIXES.iter().find(|p| starts_with(chars, at, p))?;
    let start = at + prefix.chars().count();
    let mut end = start;
    while end < chars.len() && is_key_char(chars[end]) {
        end += 1;
    }
    (end - start >= MIN_SECRET_LEN).then_some(end)
}

/// `Bearer <token>` (any case) at `at`: where the token starts and ends.
fn bearer_token(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let word: String = chars.get(at..at + 6)?.iter().collect();
    if !word.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut start = at + 6;
    if !chars.get(start).is_some_and(|c| c.is_whitespace()) {
        return None;
    }
    while chars.get(start).is_some_and(|c| c.is_whitespace()) {
        start += 1;
    }
    let mut end = start;
    while end < chars.len() && is_token_char(chars[end]) {
        end += 1;
    }
    (end - start >= MIN_SECRET_LEN).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_follow_the_shared_table() {
        let table: Vec<(String, String)> =
            serde_json::from_str(include_str!("../../tests/fixtures/lookup/redact.json"))
                .expect("the redaction table is JSON");
        assert!(table.len() >= 8);
        for (text, expected) in table {
            assert_eq!(redact(&text), expected, "{text:?}");
        }
    }
}
