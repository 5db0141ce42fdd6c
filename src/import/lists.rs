//! The sections whose items are lines: the checklist, support addresses, sources and
//! the alternatives' profiles.
//!
//! Part of `import`, beside `items` (which reads titled items): here each line of a
//! list is one item or one field, and what is neither is kept, with a warning.

use super::document::{Reader, label_line};
use super::items::{markdown_link, split_pieces, unplace_loose, without_prefix};
use super::outline::{Block, Shape, body_of, item_text};
use super::vocabulary::Label;
use super::{AlternativeFound, Found, Item};

/// The items of every list of the section (`- [ ] …` or plain); other text is unplaced.
pub(super) fn read_checklist(reader: &mut Reader<'_>, title: &str, blocks: &[Block]) {
    let text = reader.text;
    let lines = super::outline::LineIndex::new(text);
    for block in blocks {
        match &block.shape {
            Shape::List(ranges) => {
                for r in ranges {
                    let item = item_text(&text[r.clone()]);
                    let check = ["[ ] ", "[x] ", "[X] "]
                        .iter()
                        .find_map(|box_| item.strip_prefix(box_))
                        .unwrap_or(&item);
                    reader
                        .parsed
                        .checklist
                        .push(Item::new(lines.line(r.start), check, None));
                }
            }
            Shape::Rule => {}
            _ => keep_unless_boilerplate(reader, title, block),
        }
    }
}

fn keep_unless_boilerplate(reader: &mut Reader<'_>, title: &str, block: &Block) {
    let source = reader.text[block.range.clone()].trim().to_string();
    if !reader.vocabulary.is_boilerplate(&source) {
        let why = format!("this text of “{title}” is not one of its items");
        reader.unplace(block.line, title, Some(format!("{source}\n")), why);
    }
}

/// `- **Email:** …` lines; other text is unplaced.
pub(super) fn read_support(reader: &mut Reader<'_>, title: &str, blocks: &[Block]) {
    let text = reader.text;
    for block in blocks {
        match &block.shape {
            Shape::List(ranges) => {
                let mut unknown = Vec::new();
                for r in ranges {
                    let item = item_text(&text[r.clone()]);
                    match label_line(&item, reader.vocabulary) {
                        Some((
                            label @ (Label::Email
                            | Label::Documentation
                            | Label::Status
                            | Label::SupportPage),
                            value,
                        )) => {
                            reader.parsed.support.push((label, plain_address(&value)));
                        }
                        _ => unknown.push(format!("- {item}")),
                    }
                }
                let why =
                    format!("these lines of “{title}” are not a support address errbook knows");
                reader.unplace(block.line, title, Some(unknown.join("\n") + "\n"), why);
            }
            Shape::Rule => {}
            _ => keep_unless_boilerplate(reader, title, block),
        }
    }
}

/// An address without the Markdown around it: `<x>`, `[x](url)`, `mailto:`.
fn plain_address(value: &str) -> String {
    let value = value.trim().trim_start_matches('<').trim_end_matches('>');
    let value = markdown_link(value).map_or(value.to_string(), |(_, url)| url);
    value.trim_start_matches("mailto:").to_string()
}

/// `- [Title](url)`, `- Title: url` or a bare URL; other text is unplaced.
pub(super) fn read_sources(reader: &mut Reader<'_>, title: &str, blocks: &[Block]) {
    let text = reader.text;
    let lines = super::outline::LineIndex::new(text);
    for block in blocks {
        let Shape::List(ranges) = &block.shape else {
            if block.shape != Shape::Rule {
                keep_unless_boilerplate(reader, title, block);
            }
            continue;
        };
        for r in ranges {
            let item = item_text(&text[r.clone()]);
            let line = lines.line(r.start);
            match source_link(&item) {
                Some((name, url)) => {
                    let mut source = Item::new(line, &name, None);
                    source.links.push((name, url));
                    reader.parsed.sources.push(source);
                }
                None => {
                    let why = format!("“{item}” has no link to point at");
                    reader.unplace(line, title, Some(format!("- {item}\n")), why);
                }
            }
        }
    }
}

fn source_link(item: &str) -> Option<(String, String)> {
    if let Some(link) = markdown_link(item) {
        return Some(link);
    }
    let start = item.find("https://").or_else(|| item.find("http://"))?;
    let url: String = item[start..]
        .split_whitespace()
        .next()?
        .trim_end_matches(['.', ')', '>'])
        .to_string();
    let name = item[..start]
        .trim()
        .trim_end_matches([':', '—', '–', '-', '(', '<'])
        .trim();
    let name = if name.is_empty() {
        url.clone()
    } else {
        name.to_string()
    };
    Some((name, url))
}

/// An introduction, then `### **1. Groq (Ultra-rapide et GRATUIT)**` items with their
/// `- **Modèles:** …` lines; the rest of an item is its note.
pub(super) fn read_alternatives(reader: &mut Reader<'_>, title: &str, blocks: &[Block]) {
    let text = reader.text;
    let (intro, pieces, after) = split_pieces(blocks, text);
    unplace_loose(reader, title, after);
    if let Some(body) = body_of(intro, text) {
        let line = intro.first().map_or(0, |b| b.line);
        reader.parsed.alternatives_intro = Some(Found { text: body, line });
    }
    if pieces.is_empty() {
        return;
    }
    for piece in pieces {
        let name = without_prefix(&piece.title, |_| false);
        let (name, tagline) = match name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
            Some((name, tagline)) => (name.trim().to_string(), Some(tagline.trim().to_string())),
            None => (name.clone(), None),
        };
        let mut found = AlternativeFound {
            line: piece.line,
            name,
            tagline,
            fields: Vec::new(),
            note: None,
        };
        let blocks = piece.blocks.unwrap_or_default();
        let rest = match blocks
            .iter()
            .position(|b| matches!(b.shape, Shape::List(_)))
        {
            Some(list) if profile_lines(reader, &blocks[list], &mut found.fields) => {
                let (before, after) = (&blocks[..list], &blocks[list + 1..]);
                [body_of(before, text), body_of(after, text)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
            }
            _ => piece.body.into_iter().collect(),
        };
        found.note = (!rest.is_empty()).then(|| rest.join("\n"));
        reader.parsed.alternatives.push(found);
    }
}

/// The `**Label:** value` lines of a list, when every line is one.
fn profile_lines(reader: &Reader<'_>, list: &Block, fields: &mut Vec<(Label, String)>) -> bool {
    let Shape::List(ranges) = &list.shape else {
        return false;
    };
    let lines: Option<Vec<(Label, String)>> = ranges
        .iter()
        .map(|r| label_line(&item_text(&reader.text[r.clone()]), reader.vocabulary))
        .collect();
    match lines {
        Some(lines)
            if lines.iter().all(|(l, _)| {
                matches!(
                    l,
                    Label::Models | Label::Quota | Label::ApiKey | Label::EnvVar
                )
            }) =>
        {
            *fields = lines;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_links_in_any_usual_form() {
        let cases = [
            (
                "[Error codes](https://x.org/errors)",
                Some(("Error codes", "https://x.org/errors")),
            ),
            (
                "Error codes: https://x.org/errors",
                Some(("Error codes", "https://x.org/errors")),
            ),
            (
                "https://x.org/errors.",
                Some(("https://x.org/errors", "https://x.org/errors")),
            ),
            ("Ask a colleague", None),
        ];
        for (item, expected) in cases {
            let found = source_link(item);
            let found = found.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
            assert_eq!(found, expected, "{item:?}");
        }
    }
}
