//! The one place that parses YAML.
//!
//! errbook reads YAML with serde-saphyr (pure Rust, precise locations, duplicate keys
//! rejected) using strict YAML 1.2 booleans, so that `no` or `on` stay strings. Parse
//! errors become [`Diagnostic`]s with the file, line and column, and a hint where the
//! fix is guessable (a misspelt field name, a duplicate key, an empty file); syntax
//! errors are first put into plain words where they open, by `syntax.rs`.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Options};

use super::syntax::explain_syntax;
use crate::diagnostic::{Diagnostic, Position};

/// Parses one YAML document into `T`, or explains why it could not.
pub(crate) fn parse_yaml<T: DeserializeOwned>(source: &str, file: &Path) -> Result<T, Diagnostic> {
    if source.trim().is_empty() || only_comments(source) {
        return Err(Diagnostic::error(file, "the file is empty")
            .at(Position::in_source(source, 1, 1, 1))
            .with_hint("fill it in (`errbook new` writes a skeleton), or delete it"));
    }
    let options: Options = serde_saphyr::options! { strict_booleans: true, reject_unsupported_tags: true, reject_tagged_field_names: true };
    serde_saphyr::from_str_with_options(source, options)
        .map_err(|error| diagnostic_from(&error, source, file))
}

fn only_comments(source: &str) -> bool {
    source
        .lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#') || line == "---")
}

fn diagnostic_from(error: &serde_saphyr::Error, source: &str, file: &Path) -> Diagnostic {
    let raw = error.without_snippet().to_string();
    let message = strip_location_suffix(&raw);
    let (line, column) = error
        .location()
        .filter(|l| *l != Location::UNKNOWN)
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    // serde reports a missing field at the mapping's last key; at the top level,
    // the start of the file is where an author looks for the entry's fields.
    let (line, column) = if message.starts_with("missing field") && column == 1 {
        (1, 1)
    } else {
        (line, column)
    };
    if let Some(syntax) = explain_syntax(message, source, line, column) {
        let at = Position::in_source(source, syntax.line, syntax.column, syntax.width);
        return Diagnostic::error(file, syntax.message)
            .at(at)
            .with_hint(syntax.hint);
    }
    let (message, hint, width) = explain(message, source, line, column);
    let diagnostic =
        Diagnostic::error(file, message).at(Position::in_source(source, line, column, width));
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// serde-saphyr appends " at line L, column C" to its messages; the diagnostic has its own.
fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

/// Rewords the parser's message for an author and guesses a hint.
/// Returns the message, the hint, and how many characters to highlight.
fn explain(
    message: &str,
    source: &str,
    line: usize,
    column: usize,
) -> (String, Option<String>, usize) {
    let word_width = word_at(source, line, column).chars().count().max(1);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty())
            .collect();
        let hint = match closest(field, &expected) {
            Some(best) => format!("did you mean `{best}`?"),
            None if expected.is_empty() => "this mapping takes no fields".to_string(),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        };
        return (
            format!("unknown field `{field}`"),
            Some(hint),
            field.chars().count(),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("duplicate key `{key}`"),
            Some("a key may appear only once in a mapping: remove or rename one of them".into()),
            key.chars().count(),
        );
    }
    if message.starts_with("invalid boolean") {
        return (
            "expected `true` or `false`".into(),
            Some(
                "errbook reads YAML 1.2 booleans: `yes`, `no`, `on` and `off` are not booleans"
                    .into(),
            ),
            word_width,
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            format!("missing required field `{field}`"),
            Some(format!(
                "add `{field}:` to the mapping this line belongs to"
            )),
            word_width,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ");
        return (
            format!("unknown value `{value}`"),
            Some(format!("expected one of {expected}")),
            value.chars().count(),
        );
    }
    if message.starts_with("unsupported tag") {
        return (
            message.to_string(),
            Some(
                "errbook reads plain YAML: remove the tag, or quote a value that starts with `!`"
                    .into(),
            ),
            word_width,
        );
    }
    if message.starts_with("expected") || message.starts_with("invalid") {
        let value = source
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|text| {
                text.chars()
                    .skip(column.saturating_sub(1))
                    .collect::<String>()
                    .into()
            })
            .unwrap_or_default();
        let wanted = match message {
            // The parser asks for a string whenever it wants one value, number included.
            "expected string scalar" if value.starts_with('[') || value.starts_with("- ") => {
                "expected one value, not a list"
            }
            "expected string scalar" if value.starts_with('{') => {
                "expected one value, not a mapping"
            }
            "expected string scalar" => "expected a string",
            "expected sequence start" => "expected a list",
            "expected mapping start" => "expected a mapping",
            m if m.starts_with("invalid u") || m.starts_with("invalid i") => {
                "expected a whole number"
            }
            m => m,
        };
        return (
            format!("wrong type: {wanted}"),
            Some("check the value's type in docs/content-format.md (or `errbook schema`)".into()),
            word_width,
        );
    }
    (message.to_string(), None, word_width)
}

/// The word starting at `line:column`, to size the highlight.
fn word_at(source: &str, line: usize, column: usize) -> &str {
    let text = source
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or_default();
    let start = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c == ':' || c.is_whitespace() || c == ',' || c == ']' || c == '}')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::PathBuf;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        retryable: Option<bool>,
        status: Option<u16>,
    }

    fn problem(source: &str) -> Diagnostic {
        parse_yaml::<Sample>(source, &PathBuf::from("x.yaml")).unwrap_err()
    }

    #[test]
    fn parse_errors_become_located_diagnostics_with_hints() {
        // (source, message, line, column, hint)
        let cases: &[(&str, &str, usize, usize, &str)] = &[
            (
                "title: a\ntitel: b\n",
                "unknown field `titel`",
                2,
                1,
                "did you mean `title`?",
            ),
            (
                "title: a\ntitle: b\n",
                "duplicate key `title`",
                2,
                1,
                "a key may appear only once",
            ),
            (
                "retryable: true\nstatus: 1\n",
                "missing required field `title`",
                1,
                1,
                "add `title:`",
            ),
            (
                "title: a\nretryable: no\n",
                "expected `true` or `false`",
                2,
                12,
                "YAML 1.2 booleans",
            ),
            (
                "title: a\nstatus: many\n",
                "wrong type: expected a whole number",
                2,
                9,
                "errbook schema",
            ),
            (
                "title: [a]\n",
                "wrong type: expected one value, not a list",
                1,
                8,
                "",
            ),
            (
                "title: a\nstatus: [429]\n",
                "wrong type: expected one value, not a list",
                2,
                9,
                "",
            ),
            (
                "title: !custom a\n",
                "unsupported tag `!custom`",
                1,
                16,
                "remove the tag",
            ),
            (
                "title: !!python/object:os.system a\n",
                "unsupported tag",
                1,
                34,
                "plain YAML",
            ),
            ("title: [a\n", "", 1, 8, ""),
            ("", "the file is empty", 1, 1, "fill it in"),
            ("# nothing yet\n", "the file is empty", 1, 1, ""),
        ];
        for &(source, message, line, column, hint) in cases {
            let d = problem(source);
            assert!(d.message.contains(message), "{source:?}: {}", d.message);
            let p = d.position.as_ref().expect("a position");
            assert_eq!((p.line, p.column), (line, column), "{source:?}");
            assert!(
                d.hint.as_deref().unwrap_or("").contains(hint),
                "{source:?}: {:?}",
                d.hint
            );
        }
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let fields = ["title", "summary", "steps", "checklist"];
        assert_eq!(closest("titel", &fields), Some("title"));
        assert_eq!(closest("stpes", &fields), Some("steps"));
        assert_eq!(closest("checklst", &fields), Some("checklist"));
        assert_eq!(closest("zzzzzz", &fields), None);
    }
}
