//! YAML syntax errors in plain words, at the place where the mistake is.
//!
//! The parser stops where it notices a problem, which is often far from its cause: a
//! quoted string left open on line 22 runs on to the next quote, and the parser
//! complains about "trailing content" on line 27. When a parse fails, [`explain_syntax`]
//! reads the source up to that point (`syntax/scan.rs`: quotes, `[…]`/`{…}`
//! collections and block scalars, nothing more) to find a quote or bracket left open,
//! and rewords the common mistakes (a tab, an indent, `: ` inside a value, a value
//! starting with `*` or `@`).
//! `yaml.rs` falls back to the parser's own words for everything else.

mod scan;

use scan::{Opening, scan};

/// A syntax error, reworded: where to point, what is wrong, and how to fix it.
#[derive(Debug, PartialEq)]
pub(crate) struct Explained {
    pub line: usize,
    pub column: usize,
    pub width: usize,
    pub message: String,
    pub hint: String,
}

/// Rewords the parser's `message` about `line:column` of `source`, when it is a syntax
/// error that errbook knows how to explain.
pub(crate) fn explain_syntax(
    message: &str,
    source: &str,
    line: usize,
    column: usize,
) -> Option<Explained> {
    let open = scan(source, line);
    if let Some((quote, closed)) = open.quote {
        let runs_to_error = closed.is_none_or(|closed| closed >= line);
        if quote.line < line && runs_to_error {
            return Some(unclosed_quote(quote, closed));
        }
    }
    if let Some(flow) = open.flows.last().filter(|f| f.line < line) {
        return Some(unclosed_flow(*flow));
    }
    // The parser may stop on the opening line itself (a list where a string was
    // expected): what is still open at the end of the file was never closed.
    let whole = scan(source, usize::MAX);
    if let Some((quote, None)) = whole.quote.filter(|(q, _)| q.line <= line) {
        return Some(unclosed_quote(quote, None));
    }
    if let Some(flow) = whole.flows.iter().rev().find(|f| f.line <= line) {
        return Some(unclosed_flow(*flow));
    }
    if let Some(tab) = indenting_tab(message, source, line) {
        return Some(tab);
    }
    let text = source
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or_default();
    reword(message, text, line, column)
}

/// A tab in the indentation of the error's line, or of the line after it (the parser
/// names the start of a text it was reading when it met the tab on the next line).
fn indenting_tab(message: &str, source: &str, line: usize) -> Option<Explained> {
    let indent = |text: &str| text.len() - text.trim_start().len();
    let (index, text) = source
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(if message.contains("found a tab") {
            2
        } else {
            1
        })
        .find(|(_, text)| text[..indent(text)].contains('\t'))?;
    let column = text.find('\t').map_or(1, |b| text[..b].chars().count() + 1);
    Some(Explained {
        line: index + 1,
        column,
        width: 1,
        message: "this line is indented with a tab".into(),
        hint: "YAML indents with spaces only: replace the tab with spaces".into(),
    })
}

fn unclosed_quote(quote: Opening, closed: Option<usize>) -> Explained {
    let mark = quote.mark;
    let until = match closed {
        Some(closed) => format!(" (as written, it runs on to the next `{mark}`, on line {closed})"),
        None => String::new(),
    };
    Explained {
        line: quote.line,
        column: quote.column,
        width: 1,
        message: "this quoted string is never closed".into(),
        hint: format!("end it with `{mark}` on this line{until}"),
    }
}

fn unclosed_flow(flow: Opening) -> Explained {
    let (what, close) = match flow.mark {
        '[' => ("list", ']'),
        _ => ("mapping", '}'),
    };
    Explained {
        line: flow.line,
        column: flow.column,
        width: 1,
        message: format!("this `{}…{close}` {what} is never closed", flow.mark),
        hint: format!("end it with `{close}` after its last item"),
    }
}

/// The line the parser names, and where on it.
struct Line<'a> {
    text: &'a str,
    number: usize,
    column: usize,
    indent: usize,
}

impl Line<'_> {
    fn at(&self, column: usize, message: String, hint: String) -> Option<Explained> {
        Some(Explained {
            line: self.number,
            column,
            width: 1,
            message,
            hint,
        })
    }

    fn char_at_error(&self) -> Option<char> {
        self.text.chars().nth(self.column.saturating_sub(1))
    }
}

/// The common mistakes whose cause is on the line the parser names.
fn reword(message: &str, text: &str, number: usize, column: usize) -> Option<Explained> {
    let indent = text.len() - text.trim_start().len();
    let line = Line {
        text,
        number,
        column,
        indent,
    };
    reword_layout(message, &line).or_else(|| reword_value(message, &line))
}

/// Mistakes in the shape of the file: tabs, indents, a colon or a dash without a space.
fn reword_layout(message: &str, line: &Line<'_>) -> Option<Explained> {
    let (text, trimmed) = (line.text, line.text.trim());
    let key_width = trimmed.find(':').unwrap_or(1).max(1);
    // The column counts characters, not bytes (`réponses` must not be cut inside `é`).
    let end = text
        .char_indices()
        .nth(line.column)
        .map_or(text.len(), |(i, _)| i);
    let value_before_error = text[..end].contains(": ");
    if message.contains("mapping values are not allowed") && !value_before_error {
        let hint =
            "the keys of one mapping start in the same column: line it up with its neighbours";
        let message = "this key is indented more than the line above it";
        return line
            .at(line.indent + 1, message.into(), hint.into())
            .map(|e| Explained {
                width: key_width,
                ..e
            });
    }
    if message.contains("did not find expected key") {
        let hint = "indent it like the other keys of the mapping it belongs to";
        let message = "this line's indentation matches no mapping above it";
        return line
            .at(line.indent + 1, message.into(), hint.into())
            .map(|e| Explained {
                width: key_width,
                ..e
            });
    }
    if message.contains("simple key expected ':'") || message == "expected mapping start" {
        let (key, value) = trimmed.split_once(':')?;
        let value = value.trim_start();
        if trimmed.contains(": ") || value.is_empty() {
            return None;
        }
        let message = "a key's colon must be followed by a space";
        let column = line.indent + key.chars().count() + 1;
        return line.at(column, message.into(), format!("write `{key}: {value}`"));
    }
    if message == "expected sequence start" {
        let item = trimmed.strip_prefix('-').filter(|rest| {
            rest.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '\'')
        })?;
        let message = "a list item's dash must be followed by a space";
        return line.at(line.indent + 1, message.into(), format!("write `- {item}`"));
    }
    None
}

/// Mistakes inside one value: quotes, `: `, a character that cannot start a value.
fn reword_value(message: &str, line: &Line<'_>) -> Option<Explained> {
    let value = value_of(line.text);
    if message == "unclosed quote" {
        let mark = line.char_at_error().unwrap_or('"');
        let hint = format!("end it with `{mark}` on this line");
        return line.at(
            line.column,
            "this quoted string is never closed".into(),
            hint,
        );
    }
    if message.starts_with("invalid trailing content after") {
        let hint = if message.contains("single-quoted") {
            "inside '…', write a quote as two (`can''t`), or quote the whole value with \"…\""
                .into()
        } else {
            format!("quote the whole value: {}", quoted(value))
        };
        let message = "text follows the closing quote of this string";
        return line.at(line.column, message.into(), hint);
    }
    if message.contains("mapping values are not allowed") {
        let hint = format!("quote the value: {}", quoted(value));
        return line.at(line.column, "`: ` inside a value".into(), hint);
    }
    if message.contains("did not find expected ',' or") {
        let message =
            "this `{…}` or `[…]` collection is not written `{key: value, …}` or `[item, …]`";
        let hint = "quote any value that holds `:`, `,`, `[`, `]`, `{` or `}`: `{fr: \"Attendez : …\", en: …}`";
        return line.at(line.column, message.into(), hint.into());
    }
    if message.contains("unknown anchor") || message.starts_with("unexpected character") {
        let mark = match line.char_at_error().unwrap_or('*') {
            '`' => "a backquote".to_string(),
            mark => format!("`{mark}`"),
        };
        let hint = format!("quote the value: {}", quoted(value));
        return line.at(
            line.column,
            format!("a value cannot start with {mark}"),
            hint,
        );
    }
    None
}

/// The value written on `text`, after its key or its list dash.
fn value_of(text: &str) -> &str {
    let trimmed = text.trim_start().trim_start_matches("- ");
    trimmed
        .find(": ")
        .map_or(trimmed, |b| &trimmed[b + 2..])
        .trim()
}

/// `value` as a quoted YAML string: in double quotes, or in single quotes when it holds
/// double quotes.
fn quoted(value: &str) -> String {
    if value.contains('"') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::{RawEntry, parse_yaml};

    #[test]
    fn an_error_column_inside_accented_text_is_read_as_characters() {
        let messages = [
            "mapping values are not allowed in this context",
            "did not find expected key",
        ];
        for message in messages {
            for column in 0..12 {
                // Must not cut `é` in two, whatever the column.
                let _ = super::reword(message, "éponses en erreur: a: b", 3, column);
            }
        }
    }

    const ENTRY: &str = "\
code: rate_limit_exceeded
provider: groq
http_status: 429
retryable: true
updated: 2026-02-01
title:
  fr: Limite de débit atteinte
  en: Rate limit reached
summary:
  fr: Trop de requêtes en peu de temps.
  en: Too many requests in a short time.
steps:
  - id: wait
    title: {fr: Attendre, en: Wait}
    body: {fr: \"Attendez quelques secondes.\", en: Wait a few seconds.}
";

    #[test]
    fn the_most_common_yaml_mistakes_are_reported_where_they_are_in_plain_words() {
        // (mistake, text replaced, replacement, line, column, message, hint)
        let cases: &[(&str, &str, &str, usize, usize, &str, &str)] = &[
            (
                "a quote left open, closed by the next quote further down",
                "title:\n",
                "message: \"You exceeded your quota\ntitle:\n",
                6,
                10,
                "this quoted string is never closed",
                "end it with `\"` on this line (as written, it runs on to the next `\"`, on line 16)",
            ),
            (
                "a quote left open to the end of the file",
                "title:\n",
                "message: 'You exceeded your quota\ntitle:\n",
                6,
                10,
                "this quoted string is never closed",
                "end it with `'` on this line",
            ),
            (
                "an apostrophe inside single quotes",
                "title:\n",
                "message: 'You can't do that'\ntitle:\n",
                6,
                19,
                "text follows the closing quote of this string",
                "write a quote as two (`can''t`)",
            ),
            (
                "a value that starts with a quoted word",
                "en: Too many requests in a short time.",
                "en: \"Wait\" a bit.",
                11,
                14,
                "text follows the closing quote of this string",
                "quote the whole value: '\"Wait\" a bit.'",
            ),
            (
                "a list in brackets left open",
                "retryable: true\n",
                "aliases: [too-many, slow-down\nretryable: true\n",
                4,
                10,
                "this `[…]` list is never closed",
                "end it with `]`",
            ),
            (
                "a mapping in braces left open",
                "en: Wait}",
                "en: Wait",
                14,
                12,
                "this `{…}` mapping is never closed",
                "end it with `}`",
            ),
            (
                "a tab in the indentation",
                "  en: Rate limit reached",
                "\ten: Rate limit reached",
                8,
                1,
                "this line is indented with a tab",
                "spaces only",
            ),
            (
                "a key indented more than its neighbour",
                "  en: Rate limit reached",
                "   en: Rate limit reached",
                8,
                4,
                "this key is indented more than the line above it",
                "line it up with its neighbours",
            ),
            (
                "a key indented less than its neighbour",
                "  en: Rate limit reached",
                " en: Rate limit reached",
                8,
                2,
                "this line's indentation matches no mapping above it",
                "indent it like the other keys",
            ),
            (
                "`: ` inside an unquoted value",
                "en: Too many requests in a short time.",
                "en: Note: too many requests.",
                11,
                11,
                "`: ` inside a value",
                "quote the value: \"Note: too many requests.\"",
            ),
            (
                "Markdown bold at the start of a value",
                "en: Too many requests in a short time.",
                "en: **Wait** a bit.",
                11,
                7,
                "a value cannot start with `*`",
                "quote the value: \"**Wait** a bit.\"",
            ),
            (
                "Markdown code at the start of a value",
                "en: Too many requests in a short time.",
                "en: `wait` a bit.",
                11,
                7,
                "a value cannot start with a backquote",
                "quote the value: \"`wait` a bit.\"",
            ),
            (
                "a colon without a space",
                "retryable: true",
                "retryable:true",
                4,
                10,
                "a key's colon must be followed by a space",
                "write `retryable: true`",
            ),
            (
                "a list dash without a space",
                "  - id: wait",
                "  -id: wait",
                13,
                3,
                "a list item's dash must be followed by a space",
                "write `- id: wait`",
            ),
        ];
        // Unedited, the entry parses: each mistake below is the one thing wrong.
        let entry =
            parse_yaml::<RawEntry>(ENTRY, Path::new("e.yaml")).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(entry.code.value, "rate_limit_exceeded");
        for &(mistake, from, to, line, column, message, hint) in cases {
            assert!(ENTRY.contains(from), "{mistake}: {from:?}");
            let source = ENTRY.replacen(from, to, 1);
            let d = parse_yaml::<RawEntry>(&source, Path::new("e.yaml")).unwrap_err();
            let p = d.position.as_ref().expect("a position");
            assert_eq!(
                (p.line, p.column, d.message.as_str()),
                (line, column, message),
                "{mistake}"
            );
            let given = d.hint.as_deref().unwrap_or_default();
            assert!(given.contains(hint), "{mistake}: {given}");
        }
    }

    #[test]
    fn quotes_and_brackets_inside_block_scalars_and_plain_text_are_not_openings() {
        let source = ENTRY.replace(
            "summary:\n",
            "meaning: |\n  Don't \"quote\" [this {\n  L'API\nsummary:\n",
        );
        let broken = source.replace("retryable: true", "retryable:true");
        let d = parse_yaml::<RawEntry>(&broken, Path::new("e.yaml")).unwrap_err();
        assert_eq!(d.message, "a key's colon must be followed by a space");
        let late = source.replace("  en: Too many", "   en: Too many");
        let d = parse_yaml::<RawEntry>(&late, Path::new("e.yaml")).unwrap_err();
        assert_eq!(
            d.message,
            "this key is indented more than the line above it"
        );
    }
}
