//! The items of one section of a document: causes, steps, options, questions…
//!
//! Part of `import`, after `document` has found the section. Items are found in any of
//! the layouts people use: sub-headings (`### **ÉTAPE 1 : …**`), bold lines standing
//! for headings (`**Step 1: …**`), or the items of a list (`1. **Free tier**: …`).
//! Their titles lose the numbering and words the export adds again (`Étape 1 :`,
//! `Option A :`, `(Recommandé)`), so that an export imported back is the same entry.

use super::document::{Reader, strip_decoration};
use super::lists;
use super::outline::{
    Block, Shape, body_of, bold_line, heading_text, item_text, top_heading_level,
};
use super::vocabulary::Kind;
use super::{Found, Item};
use crate::search::tokenize::phrase;

/// An item as cut out of a section, before its kind shapes it.
pub(super) struct Piece<'b> {
    pub line: usize,
    pub title: String,
    /// Its blocks, when it was a heading; `None` for a list item.
    pub blocks: Option<&'b [Block]>,
    pub body: Option<String>,
}

/// Reads the blocks of a section of `kind` into the document's fields.
pub(crate) fn read_section(reader: &mut Reader<'_>, kind: Kind, heading: &str, blocks: &[Block]) {
    let text = reader.text;
    let title = strip_decoration(heading).to_string();
    match kind {
        Kind::Meaning | Kind::Recap => {
            let body = body_of(blocks, text).map(|text| Found {
                text,
                line: blocks.first().map_or(0, |b| b.line),
            });
            let field = if kind == Kind::Meaning {
                &mut reader.parsed.meaning
            } else {
                &mut reader.parsed.recap
            };
            if field.is_none() {
                *field = body;
            } else if let Some(body) = body {
                let why = format!("a second “{title}” section");
                reader.unplace(body.line, &title, Some(body.text), why);
            }
        }
        Kind::Checklist => lists::read_checklist(reader, &title, blocks),
        Kind::Support => lists::read_support(reader, &title, blocks),
        Kind::Sources => lists::read_sources(reader, &title, blocks),
        Kind::Alternatives => lists::read_alternatives(reader, &title, blocks),
        Kind::Context | Kind::Causes | Kind::Steps | Kind::Options | Kind::Faq => {
            let (intro, pieces, after) = split_pieces(blocks, text);
            unplace_loose(reader, &title, intro);
            unplace_loose(reader, &title, after);
            for piece in pieces {
                let item = shape_item(reader, kind, piece);
                reader.parsed.items_mut(kind).push(item);
            }
        }
    }
}

/// Keeps text of a section that belongs to none of its items.
pub(super) fn unplace_loose(reader: &mut Reader<'_>, title: &str, blocks: &[Block]) {
    let why = format!("this text of “{title}” is not part of any of its items");
    let line = blocks.first().map_or(0, |b| b.line);
    reader.unplace(line, title, body_of(blocks, reader.text), why);
}

/// The blocks before the first item, the items (sub-headings, bold lines standing for
/// headings, or else the items of the first list), and the blocks after that list.
pub(super) fn split_pieces<'b>(
    blocks: &'b [Block],
    text: &str,
) -> (&'b [Block], Vec<Piece<'b>>, &'b [Block]) {
    let level = top_heading_level(blocks);
    let title_of = |b: &Block| match (level, &b.shape) {
        (Some(level), Shape::Heading(l)) if *l == level => {
            Some(heading_text(&text[b.range.clone()]))
        }
        (None, _) => bold_line(b, text),
        _ => None,
    };
    let starts: Vec<(usize, String)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| title_of(b).map(|t| (i, t)))
        .collect();
    if let Some(&(first, _)) = starts.first() {
        let pieces = starts
            .iter()
            .enumerate()
            .map(|(n, (start, title))| {
                let end = starts.get(n + 1).map_or(blocks.len(), |(e, _)| *e);
                let own = &blocks[start + 1..end];
                Piece {
                    line: blocks[*start].line,
                    title: title.clone(),
                    blocks: Some(own),
                    body: body_of(own, text),
                }
            })
            .collect();
        return (&blocks[..first], pieces, &[]);
    }
    let Some(list) = blocks
        .iter()
        .position(|b| matches!(b.shape, Shape::List(_)))
    else {
        return (blocks, Vec::new(), &[]);
    };
    let Shape::List(ranges) = &blocks[list].shape else {
        unreachable!()
    };
    let lines = super::outline::LineIndex::new(text);
    let pieces = ranges
        .iter()
        .map(|r| {
            let (title, body) = split_list_item(&item_text(&text[r.clone()]));
            Piece {
                line: lines.line(r.start),
                title,
                blocks: None,
                body,
            }
        })
        .collect();
    (&blocks[..list], pieces, &blocks[list + 1..])
}

/// A list item as a title and a body: its bold start (`**Free tier**: …`), or else its
/// first line.
fn split_list_item(item: &str) -> (String, Option<String>) {
    let (title, rest) = match item.strip_prefix("**").and_then(|i| i.split_once("**")) {
        Some((title, rest)) => (title.trim().trim_end_matches(':').to_string(), rest),
        None => match item.split_once('\n') {
            Some((first, rest)) => (first.to_string(), rest),
            None => (item.to_string(), ""),
        },
    };
    let rest = rest
        .trim_start_matches([':', '—', '–', '-', '→', ' '])
        .trim();
    let body = (!rest.is_empty()).then(|| format!("{rest}\n"));
    (title, body)
}

/// A piece as an item of `kind`: its title without the numbering the export adds back.
fn shape_item(reader: &mut Reader<'_>, kind: Kind, piece: Piece<'_>) -> Item {
    let vocabulary = reader.vocabulary;
    let mut item = Item::new(piece.line, &piece.title, piece.body);
    match kind {
        Kind::Steps => {
            item.title = without_prefix(&item.title, |w| vocabulary.is_step_word(w));
            if let Some(blocks) = piece.blocks {
                take_links(reader.text, blocks, &mut item);
            }
        }
        Kind::Options => {
            item.title = without_prefix(&item.title, |w| vocabulary.is_option_word(w));
            if let Some((title, kind)) = item
                .title
                .strip_suffix(')')
                .and_then(|t| t.rsplit_once(" ("))
                && let Some(kind) = vocabulary.choice_kind(kind)
            {
                item.kind = Some(kind);
                item.title = title.trim().to_string();
            }
        }
        Kind::Faq => {
            item.title = unquote(without_question_mark(&item.title)).to_string();
            item.body = item.body.map(|b| without_answer_mark(&b));
        }
        _ => item.title = without_prefix(&item.title, |_| false),
    }
    let needs_body = matches!(kind, Kind::Options | Kind::Faq);
    if needs_body && item.body.is_none() {
        let what = if kind == Kind::Faq {
            "an answer"
        } else {
            "a text"
        };
        reader.warn(
            piece.line,
            format!("“{}” has no {what}", item.title),
            Some("write it in the entry, where `TODO` stands"),
        );
    }
    item
}

/// `title` without a leading number (`2. `, `3) `), or a word that `opens` followed by
/// a number or letter (`Étape 2 : `, `Option B — `).
pub(super) fn without_prefix(title: &str, opens: impl Fn(&str) -> bool) -> String {
    let mut rest = title.trim();
    if let Some((first, tail)) = rest.split_once(' ')
        && opens(&phrase(first))
    {
        rest = tail.trim_start();
        let marker = rest.split(' ').next().unwrap_or("");
        let short = marker.trim_end_matches([':', '.', ')']).chars().count() <= 2;
        if short {
            rest = rest[marker.len()..].trim_start();
        }
    }
    let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < rest.len()
        && let Some(after) = digits.strip_prefix(['.', ')'])
    {
        rest = after;
    }
    rest.trim_start_matches([':', '—', '–', '-', '.'])
        .trim()
        .to_string()
}

fn unquote(text: &str) -> &str {
    for (open, close) in [
        ("\"", "\""),
        ("“", "”"),
        ("« ", " »"),
        ("«", "»"),
        ("'", "'"),
    ] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return inner.trim();
        }
    }
    text
}

/// A question without the label that introduces it (`Q : `, `Question:`).
fn without_question_mark(title: &str) -> &str {
    match title.split_once(':') {
        Some((label, rest)) if matches!(phrase(label).as_str(), "q" | "question") => rest.trim(),
        _ => title,
    }
}

/// An answer without the arrow or label that introduces it (`→ `, `R : `, `Answer:`).
fn without_answer_mark(body: &str) -> String {
    let body = body.trim_start();
    for mark in ["→", "->", "=>"] {
        if let Some(rest) = body.strip_prefix(mark) {
            return rest.trim_start().to_string();
        }
    }
    match body.split_once(':') {
        Some((label, rest))
            if matches!(
                phrase(label.trim_matches('*')).as_str(),
                "r" | "a" | "reponse" | "answer"
            ) =>
        {
            rest.trim_start_matches('*').trim_start().to_string()
        }
        _ => body.to_string(),
    }
}

/// The step's last block, when it is a list of links alone, as its links.
fn take_links(text: &str, blocks: &[Block], item: &mut Item) {
    let Some(last) = blocks.iter().rposition(|b| b.shape != Shape::Rule) else {
        return;
    };
    let Shape::List(ranges) = &blocks[last].shape else {
        return;
    };
    let links: Option<Vec<(String, String)>> = ranges
        .iter()
        .map(|r| markdown_link(&item_text(&text[r.clone()])))
        .collect();
    if let Some(links) = links.filter(|l| !l.is_empty()) {
        item.links = links;
        item.body = body_of(&blocks[..last], text);
    }
}

/// `[label](url)`, alone.
pub(super) fn markdown_link(text: &str) -> Option<(String, String)> {
    let (label, url) = text
        .strip_prefix('[')?
        .strip_suffix(')')?
        .split_once("](")?;
    (!label.contains(']') && !url.contains(' ')).then(|| (label.to_string(), url.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_the_numbering_the_export_adds_back() {
        let step = |w: &str| w == "etape" || w == "step";
        let cases = [
            ("ÉTAPE 1 : Vérifier votre compte", "Vérifier votre compte"),
            ("Step 2: Add a card", "Add a card"),
            ("Step 3 — Wait", "Wait"),
            ("3. Paiement échoué", "Paiement échoué"),
            ("4) Retry", "Retry"),
            ("Stepping back", "Stepping back"),
            ("2026 budget", "2026 budget"),
        ];
        for (title, expected) in cases {
            assert_eq!(without_prefix(title, step), expected, "{title:?}");
        }
    }

    #[test]
    fn answers_lose_their_arrow_or_label() {
        let cases = [
            (
                "→ **Vous devez AUSSI ajouter une carte**\n",
                "**Vous devez AUSSI ajouter une carte**\n",
            ),
            ("**R :** Attendez 5 minutes\n", "Attendez 5 minutes\n"),
            ("Answer: wait\n", "wait\n"),
            (
                "Plain answer: with a colon\n",
                "Plain answer: with a colon\n",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(without_answer_mark(body), expected, "{body:?}");
        }
    }
}
