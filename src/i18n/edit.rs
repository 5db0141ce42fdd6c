//! Writing a translation into a YAML file without touching anything else.
//!
//! An edit replaces the bytes of one value, or adds one `lang: text` pair to a map of
//! languages; comments, order, quoting and layout elsewhere stay byte for byte. A new
//! value keeps the old one's style where it can (a block stays a block, quotes stay
//! quotes) and is quoted only when plain YAML would read it as something else.

use granit_parser::ScalarStyle;

use super::tree::{Map, Node, Scalar};

/// Bytes `start..end` of a file replaced by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Applies `edits` (which must not overlap) to `text`.
pub(crate) fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    for edit in edits {
        out.replace_range(edit.start..edit.end, &edit.text);
    }
    out
}

/// The edit that writes `value` for `lang` in the map of languages `texts`.
pub(crate) fn write_translation(text: &str, texts: &Map, lang: &str, value: &str) -> Edit {
    let flow = texts.flow_end.is_some();
    let key_column = texts.pairs.first().map_or(1, |(k, _)| k.column);
    let existing = texts.pairs.iter().find(|(k, _)| k.value == lang);
    if let Some((_, Node::Scalar(old))) = existing {
        let layout = Layout {
            flow,
            parent: key_column - 1,
            indent: block_indent(text, old).unwrap_or(key_column + 1),
        };
        let mut written = format_value(value, Some(old.style), &layout);
        let was_block = text[..old.end].ends_with('\n');
        if was_block && !written.ends_with('\n') {
            written.push('\n');
        }
        if !was_block && written.starts_with('|') {
            return into_block(text, old, &written);
        }
        return Edit {
            start: old.start,
            end: old.end,
            text: written,
        };
    }
    let layout = Layout {
        flow,
        parent: key_column - 1,
        indent: key_column + 1,
    };
    let written = format_value(value, None, &layout);
    if let Some(close) = texts.flow_end {
        let before = text[..close].trim_end();
        let comma = if before.ends_with('{') { "" } else { ", " };
        return Edit {
            start: before.len(),
            end: before.len(),
            text: format!("{comma}{lang}: {written}"),
        };
    }
    let last_end = texts.pairs.last().map_or(0, |(_, v)| match v {
        Node::Scalar(s) => s.end,
        _ => 0,
    });
    let pad = " ".repeat(key_column - 1);
    let newline = if written.ends_with('\n') { "" } else { "\n" };
    let at = if text[..last_end].ends_with('\n') {
        last_end
    } else {
        text[last_end..]
            .find('\n')
            .map_or(text.len(), |i| last_end + i + 1)
    };
    let before = if text[..at].ends_with('\n') { "" } else { "\n" };
    Edit {
        start: at,
        end: at,
        text: format!("{before}{pad}{lang}: {written}{newline}"),
    }
}

/// Replaces a one-line value by a block, which must end its line: what followed the
/// value (a comment) moves to the block's header.
fn into_block(text: &str, old: &Scalar, block: &str) -> Edit {
    let line_end = text[old.end..]
        .find('\n')
        .map_or(text.len(), |i| old.end + i);
    let (header, lines) = block.split_once('\n').unwrap_or((block, ""));
    let rest = text[old.end..line_end].trim_end();
    let end = (line_end + 1).min(text.len());
    Edit {
        start: old.start,
        end,
        text: format!("{header}{rest}\n{lines}"),
    }
}

/// The indentation of a block scalar's lines, in spaces.
fn block_indent(text: &str, old: &Scalar) -> Option<usize> {
    if !matches!(old.style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return None;
    }
    let lines = &text[old.start..old.end];
    let line = lines.lines().skip(1).find(|l| !l.trim().is_empty())?;
    Some(line.len() - line.trim_start().len())
}

/// Where a value is written: in a flow map (`{fr: …}`) or a block one, and, for a
/// block, the indentation of its lines and of the key it belongs to.
struct Layout {
    flow: bool,
    indent: usize,
    parent: usize,
}

/// `value` written as a YAML scalar, in `style` where it can be.
fn format_value(value: &str, style: Option<ScalarStyle>, layout: &Layout) -> String {
    let flow = layout.flow;
    // Trailing blank lines would need `|+`, which would also take in the blank lines
    // that follow the value in the file: such a text is quoted instead.
    if value.contains('\n') && !flow && !value.ends_with("\n\n") {
        return literal_block(value, layout);
    }
    match style {
        Some(ScalarStyle::SingleQuoted) if !value.contains('\n') => {
            format!("'{}'", value.replace('\'', "''"))
        }
        Some(ScalarStyle::DoubleQuoted) => double_quoted(value),
        _ if is_plain_safe(value, flow) => value.to_string(),
        _ => double_quoted(value),
    }
}

/// A literal block (`|`, or `|-` without a final newline) that reads back as `value`.
fn literal_block(value: &str, layout: &Layout) -> String {
    let indent = layout.indent;
    let body = value.trim_end_matches('\n');
    let chomp = if value.ends_with('\n') { "" } else { "-" };
    // A first line that starts with spaces needs its indentation said, relative to the key's.
    let indicator = if body.starts_with(' ') {
        (indent - layout.parent).to_string()
    } else {
        String::new()
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{indicator}{chomp}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn double_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `value` reads back as the same string when written without quotes.
fn is_plain_safe(value: &str, flow: bool) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let lower = value.to_ascii_lowercase();
    let other_type = ["true", "false", "yes", "no", "on", "off", "null", "~"]
        .contains(&lower.as_str())
        || first.is_ascii_digit()
        || "+.".contains(first);
    value.trim() == value
        && !other_type
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.chars().any(char::is_control)
        && !(flow && value.contains([',', '[', ']', '{', '}']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tree::parse_tree;

    /// Writes `value` for `lang` under `title` in `yaml`, and reads it back.
    fn write_and_read(yaml: &str, lang: &str, value: &str) -> (String, String) {
        let tree = parse_tree(yaml).unwrap();
        let Some(Node::Map(texts)) = tree.get("title") else {
            panic!("no title map")
        };
        let edited = apply_edits(yaml, vec![write_translation(yaml, texts, lang, value)]);
        let tree = parse_tree(&edited).unwrap_or_else(|| panic!("invalid YAML:\n{edited}"));
        let read = tree
            .get("title")
            .and_then(|t| t.get(lang))
            .and_then(Node::text)
            .unwrap()
            .to_string();
        (edited, read)
    }

    #[test]
    fn every_written_value_reads_back_exactly_and_the_rest_stays() {
        let yamls = [
            "title:\n  fr: Un\n  en: One # kept\nnext: x\n",
            "title:\n  fr: Un\n  en: 'One'\n\nnext: x\n",
            "title:\n  fr: |\n    Un\n  en: |\n    One\n\n    Two\n\n# kept\nnext: x\n",
            "title: {fr: Un, en: One}\nnext: x\n",
            "title: {fr: Un}\nnext: x\n",
            "title:\n  fr: Un\nnext: x\n",
            "title:\n  fr: |\n    Un\n# kept\nnext: x\n",
            "title:\n  fr: Un",
        ];
        let values = [
            "Two",
            "It's: \"quoted\" #1",
            "true",
            "1. Go\n2. Come\n",
            "  indented\nnext\n\n",
            "no newline\nat end",
            "a, b {c}",
            "",
        ];
        for yaml in yamls {
            for value in values {
                for lang in ["en", "de"] {
                    let (edited, read) = write_and_read(yaml, lang, value);
                    assert_eq!(read, value, "{yaml:?} ← {value:?}\n{edited}");
                    assert!(
                        edited.contains("next: x") || !yaml.contains("next"),
                        "{edited}"
                    );
                    assert_eq!(
                        edited.contains("# kept"),
                        yaml.contains("# kept"),
                        "{edited}"
                    );
                    let fr = parse_tree(&edited)
                        .unwrap()
                        .get("title")
                        .unwrap()
                        .get("fr")
                        .unwrap()
                        .text()
                        .unwrap()
                        .to_string();
                    assert!(fr.starts_with("Un"), "{edited}");
                }
            }
        }
    }

    #[test]
    fn an_unchanged_layout_keeps_its_bytes() {
        let yaml = "title:\n  fr: Un\n  en: One # kept\nnext: x\n";
        let (edited, _) = write_and_read(yaml, "en", "Two");
        assert_eq!(edited, "title:\n  fr: Un\n  en: Two # kept\nnext: x\n");
        let yaml = "title:\n  fr: |\n    Un\n  en: |\n    One\n\nnext: x\n";
        let (edited, _) = write_and_read(yaml, "en", "Two\n");
        assert_eq!(
            edited,
            "title:\n  fr: |\n    Un\n  en: |\n    Two\n\nnext: x\n"
        );
        let (edited, _) = write_and_read("title: {fr: Un}\n", "en", "One");
        assert_eq!(edited, "title: {fr: Un, en: One}\n");
    }
}
