//! What a YAML source leaves open up to a line, for `syntax.rs` to explain a parse
//! error by its cause: a quote or a `[`/`{` collection opened on an earlier line and
//! not closed where it should have been. The scan knows quotes, flow collections,
//! comments and block scalars, nothing more: it only runs once the parser has failed.

/// Where a quote or a `[`/`{` was opened: 1-based line and column, and the character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Opening {
    pub line: usize,
    pub column: usize,
    pub mark: char,
}

/// What was left open when the scan reached the line of the error.
#[derive(Debug, Default)]
pub(super) struct Open {
    /// A quote that did not close on its own line, and the line where it closed, if any.
    pub quote: Option<(Opening, Option<usize>)>,
    /// `[` and `{` not closed on their own line and still open.
    pub flows: Vec<Opening>,
}

/// Reads `source` up to `error_line`, and says which quote or brackets were left open.
pub(super) fn scan(source: &str, error_line: usize) -> Open {
    let mut open = Open::default();
    let mut quote: Option<Opening> = None;
    let mut block_indent: Option<usize> = None;
    for (index, text) in source.lines().enumerate().take(error_line) {
        let line = index + 1;
        let indent = text.len() - text.trim_start().len();
        if let Some(key_indent) = block_indent {
            if quote.is_none() && (text.trim().is_empty() || indent > key_indent) {
                continue;
            }
            block_indent = None;
        }
        let mut value_start = quote.is_none();
        let mut chars = text.char_indices().peekable();
        let mut column = 0;
        while let Some((byte, c)) = chars.next() {
            column += 1;
            if let Some(q) = quote {
                let escaped = q.mark == '"' && c == '\\';
                let doubled =
                    q.mark == '\'' && c == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'');
                if escaped || doubled {
                    chars.next();
                    column += 1;
                } else if c == q.mark {
                    quote = None;
                    if q.line < line {
                        open.quote = Some((q, Some(line)));
                    }
                }
                continue;
            }
            match c {
                '#' if byte == 0 || text[..byte].ends_with([' ', '\t']) => break,
                '"' | '\'' if value_start => {
                    quote = Some(Opening {
                        line,
                        column,
                        mark: c,
                    })
                }
                '[' | '{' if value_start => open.flows.push(Opening {
                    line,
                    column,
                    mark: c,
                }),
                ']' | '}' if !open.flows.is_empty() => {
                    open.flows.pop();
                }
                '|' | '>' if value_start && is_block_header(&text[byte + 1..]) => {
                    block_indent = Some(indent);
                    break;
                }
                _ => {}
            }
            value_start = c.is_whitespace() && value_start
                || matches!(c, '[' | '{')
                || c == ',' && !open.flows.is_empty()
                || matches!(c, ':' | '-') && chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        }
        if let Some(q) = quote.filter(|q| q.line == line) {
            open.quote = Some((q, None));
        }
    }
    open
}

/// Whether what follows `|` or `>` makes it the header of a block scalar.
fn is_block_header(rest: &str) -> bool {
    let rest = rest.split(" #").next().unwrap_or(rest).trim();
    rest.chars()
        .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}
