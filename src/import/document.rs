//! One troubleshooting document read into what it says, in its language.
//!
//! Part of `import`: after `outline` has cut the Markdown into blocks, this finds the
//! title, the preamble (`**Date:** …`, `**Erreur reçue:** …`), the sections by their
//! headings, and the closing `**Dernière mise à jour : …**`; `items` then reads each
//! section. What has no field of its own is kept as `unplaced`, with a warning.

use super::items::{read_section, without_prefix};
use super::outline::{
    Block, Shape, bold_line, heading_text, parse_blocks, top_heading_level, unwrap_strong,
};
use super::vocabulary::{Label, Vocabulary};
use super::{Found, Parsed, Warning};
use crate::model::Date;
use crate::search::tokenize::phrase;

/// What the reading of one document needs at hand.
pub(crate) struct Reader<'a> {
    pub text: &'a str,
    pub vocabulary: &'a Vocabulary,
    pub parsed: Parsed,
    /// Languages the recognised headings are written in, one vote each.
    votes: Vec<String>,
}

impl Reader<'_> {
    pub(crate) fn warn(&mut self, line: usize, message: String, hint: Option<&str>) {
        self.parsed.warnings.push(Warning {
            line,
            message,
            hint: hint.map(str::to_string),
        });
    }

    /// Keeps `body` in `context`, under `title`, and says so.
    pub(crate) fn unplace(&mut self, line: usize, title: &str, body: Option<String>, why: String) {
        let Some(body) = body.filter(|b| !b.trim().is_empty()) else {
            return;
        };
        self.warn(
            line,
            why,
            Some("kept as an item of `context`: move it where it belongs, or delete it"),
        );
        self.parsed
            .unplaced
            .push(super::Item::new(line, title, Some(body)));
    }
}

/// Reads `text`; the language is `lang` when known, else the one its headings are
/// written in, if they tell.
pub(crate) fn read_document(text: &str, lang: Option<&str>, vocabulary: &Vocabulary) -> Parsed {
    let blocks = parse_blocks(text);
    let mut reader = Reader {
        text,
        vocabulary,
        parsed: Parsed::default(),
        votes: Vec::new(),
    };
    let (title, rest) = match blocks.first() {
        Some(first) if first.shape == Shape::Heading(1) => (Some(first), &blocks[1..]),
        _ => (None, &blocks[..]),
    };
    if let Some(title) = title {
        let text = document_title(&heading_text(&text[title.range.clone()]), vocabulary);
        reader.parsed.title = Some(Found {
            text,
            line: title.line,
        });
    }
    let level = top_heading_level(rest);
    let starts: Vec<usize> = (0..rest.len())
        .filter(|&i| level.is_some() && rest[i].shape == Shape::Heading(level.unwrap_or(0)))
        .collect();
    let preamble_end = starts.first().copied().unwrap_or(rest.len());
    read_preamble(&mut reader, &rest[..preamble_end]);
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(rest.len());
        read_one_section(&mut reader, &rest[start], &rest[start + 1..end]);
    }
    reader.parsed.lang = lang.map(str::to_string).or_else(|| majority(&reader.votes));
    reader.parsed
}

/// The title without its decoration and the `DIAGNOSTIC -` that the export puts first.
fn document_title(heading: &str, vocabulary: &Vocabulary) -> String {
    let title = strip_decoration(heading);
    for separator in [" - ", " — ", " – ", ": ", " : "] {
        if let Some((before, after)) = title.split_once(separator)
            && vocabulary.is_diagnostic(before)
        {
            return after.trim().to_string();
        }
    }
    title.to_string()
}

/// A heading without the emoji and marks before its first word.
pub(crate) fn strip_decoration(text: &str) -> &str {
    text.trim_start_matches(|c: char| !(c.is_alphanumeric() || "`*_[\"'«“(".contains(c)))
        .trim()
}

fn read_one_section(reader: &mut Reader<'_>, heading: &Block, blocks: &[Block]) {
    let title = heading_text(&reader.text[heading.range.clone()]);
    let blocks = take_footer(reader, blocks);
    match reader.vocabulary.section(&title) {
        Some((kind, lang)) => {
            if let Some(lang) = lang {
                reader.votes.push(lang.to_string());
            }
            let before = reader.parsed.count(kind);
            read_section(reader, kind, &title, blocks);
            let items = reader.parsed.count(kind) - before;
            reader.parsed.found.push((kind, items, heading.line));
        }
        None => {
            let body = super::outline::body_of(blocks, reader.text);
            let why = format!(
                "the section “{}” is not one errbook knows",
                strip_decoration(&title)
            );
            let name = without_prefix(strip_decoration(&title), |_| false);
            reader.unplace(heading.line, &name, body, why);
        }
    }
}

/// `blocks` without a closing `**Dernière mise à jour : …**` line, which sets the date.
fn take_footer<'b>(reader: &mut Reader<'_>, blocks: &'b [Block]) -> &'b [Block] {
    let last = blocks.iter().rposition(|b| b.shape != Shape::Rule);
    let Some(last) = last else { return blocks };
    let block = &blocks[last];
    let Some(line) = bold_line(block, reader.text).or_else(|| {
        let source = reader.text[block.range.clone()].trim();
        (block.shape == Shape::Paragraph && !source.contains('\n')).then(|| source.to_string())
    }) else {
        return blocks;
    };
    match label_line(&line, reader.vocabulary) {
        Some((Label::Updated, value)) => {
            set_date(reader, &value, block.line);
            &blocks[..last]
        }
        _ => blocks,
    }
}

fn read_preamble(reader: &mut Reader<'_>, blocks: &[Block]) {
    for block in blocks.iter().filter(|b| b.shape != Shape::Rule) {
        let source = reader.text[block.range.clone()].to_string();
        let mut unknown = Vec::new();
        for (i, line) in source.lines().enumerate() {
            // A label line may sit in a quote (`> Erreur reçue : …`).
            let found = label_line(line.trim_start_matches(['>', ' ']), reader.vocabulary);
            let at = block.line + i;
            match found {
                Some((Label::Date | Label::Updated, value)) => set_date(reader, &value, at),
                Some((Label::Received, value)) => {
                    reader.parsed.received = Some(Found {
                        text: value,
                        line: at,
                    })
                }
                Some((Label::Code, value)) => reader.parsed.code = Some(value),
                Some((Label::HttpStatus, value)) => {
                    reader.parsed.http_status = value.trim().parse().ok()
                }
                _ => unknown.push(line),
            }
        }
        let title = reader
            .parsed
            .title
            .as_ref()
            .map_or("", |t| t.text.as_str())
            .to_string();
        let text = unknown.join("\n");
        let why = "this text before the first section has no place in an entry".to_string();
        reader.unplace(block.line, &title, Some(format!("{}\n", text.trim())), why);
    }
}

fn set_date(reader: &mut Reader<'_>, value: &str, line: usize) {
    match parse_date(value, reader.vocabulary) {
        Some(date) => match reader.parsed.updated {
            Some((known, _)) if known != date => reader.warn(
                line,
                format!(
                    "this date ({date}) is not the one found before ({known}); the first is kept"
                ),
                None,
            ),
            Some(_) => {}
            None => reader.parsed.updated = Some((date, line)),
        },
        None => reader.warn(
            line,
            format!("`{value}` is not a date errbook can read"),
            Some("write it as `17 janvier 2026`, `January 17, 2026` or `2026-01-17`"),
        ),
    }
}

/// A `**Label:** value` line (or `Label: value`), when the label is a known one; the
/// value loses the backquotes that wrap it whole.
pub(crate) fn label_line(line: &str, vocabulary: &Vocabulary) -> Option<(Label, String)> {
    let line = unwrap_strong(line.trim().trim_end_matches("  "));
    let (label, value) = match line.strip_prefix("**").and_then(|l| l.split_once("**")) {
        Some((label, value)) => (label, value),
        None => line.split_once(':')?,
    };
    let label = label.trim().trim_end_matches(':').trim();
    let value = value
        .trim()
        .trim_start_matches(':')
        .trim()
        .trim_end_matches("**")
        .trim();
    let value = match value.strip_prefix('`').and_then(|v| v.strip_suffix('`')) {
        Some(inner) if !inner.contains('`') => inner,
        _ => value,
    };
    let found = vocabulary.label(label)?;
    Some((found, value.to_string()))
}

/// `17 Janvier 2026`, `January 17, 2026`, `2026-01-17` or `17/01/2026`.
pub(crate) fn parse_date(text: &str, vocabulary: &Vocabulary) -> Option<Date> {
    if let Some(date) = Date::parse(text) {
        return Some(date);
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(phrase)
        .collect();
    let numbers: Vec<u16> = words.iter().filter_map(|w| w.parse().ok()).collect();
    let month = words.iter().find_map(|w| vocabulary.month(w));
    let (day, month, year) = match (month, numbers.as_slice()) {
        (Some(month), [a, b]) if *b > 31 => (*a, u16::from(month), *b),
        (Some(month), [a, b]) if *a > 31 => (*b, u16::from(month), *a),
        (None, [d, m, y]) if *y > 31 => (*d, *m, *y),
        _ => return None,
    };
    Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

/// The language most votes name, unless two tie.
fn majority(votes: &[String]) -> Option<String> {
    let count = |lang: &String| votes.iter().filter(|v| *v == lang).count();
    let best = votes.iter().max_by_key(|lang| count(lang))?;
    let tied = votes.iter().any(|v| v != best && count(v) == count(best));
    (!tied).then(|| best.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::vocabulary::tests::vocabulary;

    #[test]
    fn dates_are_read_as_people_write_them() {
        let v = vocabulary();
        let date = Date {
            year: 2026,
            month: 1,
            day: 17,
        };
        for text in [
            "17 Janvier 2026",
            "January 17, 2026",
            "2026-01-17",
            "17/01/2026",
            "17 janv. 2026",
        ] {
            assert_eq!(parse_date(text, &v), Some(date), "{text:?}");
        }
        assert_eq!(parse_date("bientôt", &v), None);
        assert_eq!(parse_date("31 février 2026", &v), None);
    }

    #[test]
    fn label_lines_give_their_label_and_value() {
        let v = vocabulary();
        assert_eq!(
            label_line(
                "**Erreur reçue:** `Error code: 429 - insufficient_quota`",
                &v
            ),
            Some((
                Label::Received,
                "Error code: 429 - insufficient_quota".into()
            ))
        );
        assert_eq!(
            label_line("**Dernière mise à jour : 17 Janvier 2026**", &v),
            Some((Label::Updated, "17 Janvier 2026".into()))
        );
        assert_eq!(
            label_line("Last updated: 2026-01-17", &v),
            Some((Label::Updated, "2026-01-17".into()))
        );
        assert_eq!(label_line("Plain sentence, no label", &v), None);
    }

    #[test]
    fn text_with_no_field_is_kept_with_the_line_it_came_from() {
        let text = "# Acme: quota\n\nWritten by the support team.\nDate: 2026-01-17\n\n\
            ## Possible causes\n\nTwo causes are known.\n\n- **No credit**: top up\n- **Old key**\n\n\
            Ask the billing team first.\n\n## Incident log\n\nNothing yet.\n";
        let parsed = read_document(text, None, &vocabulary());
        let unplaced: Vec<_> = parsed
            .unplaced
            .iter()
            .map(|i| (i.line, i.title.as_str(), i.body.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            unplaced,
            [
                (3, "Acme: quota", "Written by the support team.\n"),
                (8, "Possible causes", "Two causes are known.\n"),
                (13, "Possible causes", "Ask the billing team first.\n"),
                (15, "Incident log", "Nothing yet.\n"),
            ]
        );
        assert_eq!(parsed.warnings.len(), 4);
        let causes: Vec<_> = parsed.causes.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(causes, ["No credit", "Old key"]);
        assert_eq!(parsed.lang, Some("en".to_string()));
    }
}
