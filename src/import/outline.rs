//! A Markdown document as its top-level blocks, each with its source: the first step
//! of `import`.
//!
//! pulldown-cmark finds the blocks, so that a `#` in a code block is no heading and a
//! list is one block whatever its layout; their text is then taken from the source as
//! written, so that imported bodies keep the author's Markdown byte for byte (the
//! export writes them back as they were).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One top-level block of a document.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub range: Range<usize>,
    /// 1-based.
    pub line: usize,
    pub shape: Shape,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Heading(u8),
    Rule,
    Paragraph,
    /// The source range of each item.
    List(Vec<Range<usize>>),
    Other,
}

/// The blocks of `text`, in order.
pub(crate) fn parse_blocks(text: &str) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let lines = LineIndex::new(text);
    let mut blocks: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let shape = match tag {
                        Tag::Heading { level, .. } => Shape::Heading(level as u8),
                        Tag::Paragraph => Shape::Paragraph,
                        Tag::List(_) => Shape::List(Vec::new()),
                        _ => Shape::Other,
                    };
                    let line = lines.line(range.start);
                    blocks.push(Block { range, line, shape });
                } else if let (1, Tag::Item) = (depth, tag)
                    && let Some(Block {
                        shape: Shape::List(items),
                        ..
                    }) = blocks.last_mut()
                {
                    items.push(range);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule if depth == 0 => {
                let line = lines.line(range.start);
                blocks.push(Block {
                    range,
                    line,
                    shape: Shape::Rule,
                });
            }
            _ => {}
        }
    }
    blocks
}

/// The level of the largest headings among `blocks` (1 for `#`), if any.
pub(crate) fn top_heading_level(blocks: &[Block]) -> Option<u8> {
    blocks
        .iter()
        .filter_map(|b| match b.shape {
            Shape::Heading(level) => Some(level),
            _ => None,
        })
        .min()
}

/// Line numbers of byte offsets.
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(starts.collect())
    }

    /// The 1-based line of `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// The text of a heading as written, without its `#` marks, setext underline, the
/// bold that wraps it (`### **1. Paiement échoué**` → `1. Paiement échoué`) or the
/// backslashes that escape its punctuation (`\\*\\*\\*\\*here` → `****here`).
pub(crate) fn heading_text(source: &str) -> String {
    let first = source.lines().next().unwrap_or("").trim();
    let text = first.trim_start_matches('#');
    // An ATX heading may close with `#`s after a space.
    let text = match text.trim_end().rsplit_once(' ') {
        Some((before, hashes)) if !hashes.is_empty() && hashes.bytes().all(|b| b == b'#') => before,
        _ => text,
    };
    crate::render::export::unescape_text(unwrap_strong(text.trim()))
}

/// The inside of a text between `**` (or `__`), unless pulldown-cmark reads those as
/// two bold spans (`**Bold** and **bold**`). Marks it reads otherwise still wrap the
/// text: the export writes `### **"{question}"**` whatever the question holds.
pub(crate) fn unwrap_strong(text: &str) -> &str {
    let wrapped = ["**", "__"]
        .iter()
        .any(|mark| text.len() > 4 && text.starts_with(mark) && text.ends_with(mark));
    if !wrapped {
        return text;
    }
    let events: Vec<Event<'_>> = Parser::new(text).collect();
    if let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Strong),
        inside @ ..,
    ] = events.as_slice()
    {
        let mut depth = 1;
        for (i, event) in inside.iter().enumerate() {
            match event {
                Event::Start(Tag::Strong) => depth += 1,
                Event::End(TagEnd::Strong) if depth == 1 && i + 2 < inside.len() => return text,
                Event::End(TagEnd::Strong) => depth -= 1,
                _ => {}
            }
        }
    }
    text[2..text.len() - 2].trim()
}

/// A paragraph that is one bold line, which hand-written documents use as a heading.
pub(crate) fn bold_line(block: &Block, text: &str) -> Option<String> {
    let source = text[block.range.clone()].trim();
    let one_line = !source.contains('\n');
    let inner = unwrap_strong(source);
    (block.shape == Shape::Paragraph && one_line && inner.len() < source.len())
        .then(|| inner.to_string())
}

/// The text of a list item without its marker, its other lines unindented to match.
pub(crate) fn item_text(source: &str) -> String {
    let marker = source
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '*' | '+' | '.' | ')')))
        .unwrap_or(source.len());
    let spaces = source[marker..].len() - source[marker..].trim_start_matches(' ').len();
    let indent = marker + spaces.clamp(1, 4);
    let mut lines = source.lines();
    let mut out = lines
        .next()
        .map_or("", |l| l.get(indent..).unwrap_or(""))
        .to_string();
    for line in lines {
        out.push('\n');
        let strip = line.len() - line.trim_start_matches(' ').len();
        out.push_str(&line[strip.min(indent)..]);
    }
    out.trim_end().to_string()
}

/// The Markdown of `blocks`, from the first to the last that is not a rule, as one
/// body ending with a line break; `None` when nothing is left.
pub(crate) fn body_of(blocks: &[Block], text: &str) -> Option<String> {
    let kept = |b: &&Block| b.shape != Shape::Rule;
    let first = blocks.iter().find(kept)?;
    let last = blocks.iter().rev().find(kept)?;
    let body = text[first.range.start..last.range.end].trim_end();
    Some(format!("{body}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_cut_into_blocks_with_their_lines() {
        let text = "# Title\n\nSome *text*\nmore\n\n---\n\n- one\n- two\n  still two\n\n```\n# not a heading\n```\n";
        let blocks = parse_blocks(text);
        let shapes: Vec<_> = blocks.iter().map(|b| (b.line, b.shape.clone())).collect();
        assert_eq!(shapes[0], (1, Shape::Heading(1)));
        assert_eq!(shapes[1], (3, Shape::Paragraph));
        assert_eq!(shapes[2], (6, Shape::Rule));
        assert_eq!(shapes[4], (12, Shape::Other));
        let Shape::List(items) = &blocks[3].shape else {
            panic!("a list")
        };
        let items: Vec<_> = items.iter().map(|r| item_text(&text[r.clone()])).collect();
        assert_eq!(items, ["one", "two\nstill two"]);
    }

    #[test]
    fn headings_lose_their_marks_and_the_bold_around_them() {
        let cases = [
            ("### **1. Paiement échoué**\n", "1. Paiement échoué"),
            ("## Causes ##\n", "Causes"),
            ("Causes\n======\n", "Causes"),
            ("## **Bold** and not\n", "**Bold** and not"),
            ("## **Bold** and **bold**\n", "**Bold** and **bold**"),
            (
                "### **\"Le message affiche ****here\"**\n",
                "\"Le message affiche ****here\"",
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(heading_text(source), expected, "{source:?}");
        }
    }

    #[test]
    fn nested_list_items_keep_their_structure_unindented() {
        let item = "2. **Vérifiez:**\n   - ✅ Un\n   - ✅ Deux";
        assert_eq!(item_text(item), "**Vérifiez:**\n- ✅ Un\n- ✅ Deux");
    }
}
