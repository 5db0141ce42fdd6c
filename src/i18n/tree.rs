//! The YAML of a content file as a tree that remembers where every value is written.
//!
//! `load` parses files into typed values and keeps only where each value starts. The
//! translation tools need more: where a text ends, how it is quoted, and where a missing
//! language can be added, so that an import rewrites one value and leaves every other
//! byte of the file, comments and layout included, as it was.

use granit_parser::{Event, Parser, ScalarStyle, Span};

/// A node of the tree.
#[derive(Debug)]
pub(crate) enum Node {
    Scalar(Scalar),
    Map(Map),
    Seq(Vec<Node>),
    /// An alias or anything else that holds no text of its own.
    Other,
}

/// A scalar, with the bytes of the file it was written on.
#[derive(Debug, Clone)]
pub(crate) struct Scalar {
    pub value: String,
    pub style: ScalarStyle,
    /// Byte offsets of the written value (quotes and block header included).
    pub start: usize,
    pub end: usize,
    /// 1-based line and column of its first character.
    pub line: usize,
    pub column: usize,
}

/// A mapping: its pairs, and the byte where a flow mapping closes (`}`).
#[derive(Debug)]
pub(crate) struct Map {
    pub pairs: Vec<(Scalar, Node)>,
    pub flow_end: Option<usize>,
}

impl Node {
    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(map) => map
                .pairs
                .iter()
                .find(|(k, _)| k.value == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar's text, when this is a scalar.
    pub fn text(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(&s.value),
            _ => None,
        }
    }
}

/// Parses `text` into its first document's tree; `None` when it is not valid YAML (the
/// loader reports why).
pub(crate) fn parse_tree(text: &str) -> Option<Node> {
    let mut events = Parser::new_from_str(text).map(|r| r.ok());
    loop {
        match events.next()?? {
            (Event::DocumentStart(..), _) => break,
            (Event::StreamEnd, _) => return None,
            _ => {}
        }
    }
    let (event, span) = events.next()??;
    read_node(text, event, span, &mut events)
}

fn read_node<'a>(
    text: &str,
    event: Event<'a>,
    span: Span,
    events: &mut impl Iterator<Item = Option<(Event<'a>, Span)>>,
) -> Option<Node> {
    Some(match event {
        Event::Scalar(value, style, ..) => {
            Node::Scalar(scalar(text, value.into_owned(), style, span))
        }
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                let (event, span) = events.next()??;
                if matches!(event, Event::SequenceEnd) {
                    break;
                }
                items.push(read_node(text, event, span, events)?);
            }
            Node::Seq(items)
        }
        Event::MappingStart(..) => {
            let flow = text.as_bytes().get(offset(&span.start, text)) == Some(&b'{');
            let mut pairs = Vec::new();
            loop {
                let (event, span) = events.next()??;
                if let Event::MappingEnd = event {
                    let flow_end = flow.then(|| offset(&span.start, text));
                    return Some(Node::Map(Map { pairs, flow_end }));
                }
                let Node::Scalar(key) = read_node(text, event, span, events)? else {
                    return None;
                };
                let (event, span) = events.next()??;
                let mut value = read_node(text, event, span, events)?;
                if let Node::Scalar(block) = &mut value {
                    widen_block(text, key.end, block);
                }
                pairs.push((key, value));
            }
        }
        _ => Node::Other,
    })
}

fn scalar(text: &str, value: String, style: ScalarStyle, span: Span) -> Scalar {
    Scalar {
        value,
        style,
        start: offset(&span.start, text),
        end: offset(&span.end, text),
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// The parser's span of a block scalar (`|`, `>`) holds its lines only, up to the
/// indentation of what follows: widen it to the header, and end it after its last line
/// that is not blank, so that the blank lines that set sections apart stay in place.
fn widen_block(text: &str, key_end: usize, block: &mut Scalar) {
    if !matches!(block.style, ScalarStyle::Literal | ScalarStyle::Folded) {
        return;
    }
    if let Some(header) = text[key_end..block.start].find(['|', '>']) {
        block.start = key_end + header;
    }
    let lines = &text[block.start..block.end];
    let last_line = lines.trim_end_matches(|c: char| c.is_whitespace()).len();
    block.end = match lines[last_line..].find('\n') {
        Some(newline) => block.start + last_line + newline + 1,
        None => block.start + last_line,
    };
}

/// The byte offset of a marker (the parser counts characters when it has no bytes).
fn offset(marker: &granit_parser::Marker, text: &str) -> usize {
    marker.byte_offset().unwrap_or_else(|| {
        text.char_indices()
            .nth(marker.index())
            .map_or(text.len(), |(i, _)| i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# c\ntitle:\n  fr: Erreur \"x\"\n  en: 'It''s'\nbody:\n  fr: |\n    Ligne 1\n\n    Ligne 2\n  en: |\n    Line 1\n# comment\nsteps:\n  - id: a\n    title: {fr: Attendre, en: Wait}\n\nlast: \"x\"\n";

    #[test]
    fn every_scalar_knows_the_bytes_it_was_written_on() {
        let tree = parse_tree(SAMPLE).unwrap();
        let span = |node: &Node| match node {
            Node::Scalar(s) => SAMPLE[s.start..s.end].to_string(),
            _ => panic!("not a scalar"),
        };
        let title = tree.get("title").unwrap();
        assert_eq!(span(title.get("fr").unwrap()), "Erreur \"x\"");
        assert_eq!(span(title.get("en").unwrap()), "'It''s'");
        let body = tree.get("body").unwrap();
        assert_eq!(
            span(body.get("fr").unwrap()),
            "|\n    Ligne 1\n\n    Ligne 2\n"
        );
        assert_eq!(span(body.get("en").unwrap()), "|\n    Line 1\n");
        let Node::Seq(steps) = tree.get("steps").unwrap() else {
            panic!()
        };
        let title = steps[0].get("title").unwrap();
        assert_eq!(span(title.get("en").unwrap()), "Wait");
        let Node::Map(map) = title else { panic!() };
        assert_eq!(&SAMPLE[map.flow_end.unwrap()..][..1], "}");
        assert_eq!(span(tree.get("last").unwrap()), "\"x\"");
    }
}
