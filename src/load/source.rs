//! Reading one file of content: its bytes, its UTF-8 text, and the [`SourceFile`]
//! that diagnostics name. The one place of `load` that opens a content file.

use std::path::{Path, PathBuf};

use super::Place;
use crate::diagnostic::{Diagnostic, Position};

/// One file of content, for the positions of later diagnostics. Its text is not kept:
/// problems are rare, and a large knowledge base is not held in memory twice, as text
/// and as parsed values. The pipeline attaches the lines that diagnostics point at
/// ([`super::load_sources`]).
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// Relative to the knowledge-base root.
    pub path: PathBuf,
}

impl SourceFile {
    /// The position of a located value in this file.
    pub(crate) fn position(&self, location: &Place, width: usize) -> Position {
        Position::in_line(location.line(), location.column(), width)
    }
}

/// Reads a file as UTF-8 (without a byte-order mark), pointing at the first invalid byte
/// when it is not.
pub(super) fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    utf8_text(read_source(root, rel)?, rel)
}

pub(super) const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// Reads a file's bytes.
pub(crate) fn read_source(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(rel))
        .map_err(|error| Diagnostic::error(rel, format!("cannot read the file: {error}")))
}

/// The text of a file's `bytes` (without a byte-order mark), or where they stop being
/// UTF-8.
pub(crate) fn utf8_text(mut bytes: Vec<u8>, rel: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(BYTE_ORDER_MARK) {
        bytes.drain(..BYTE_ORDER_MARK.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            Err(Diagnostic::error(rel, "the file is not valid UTF-8")
                .at(Position::in_source(valid, line, column, 1))
                .with_hint("save the file as UTF-8 (errbook reads content in UTF-8 only)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        let rel = Path::new("content/errors/openai/quota.yaml");
        let text = utf8_text(b"\xef\xbb\xbfcode: x\n".to_vec(), rel).unwrap();
        assert_eq!(text, "code: x\n");
        // Nor of the column of a bad byte on the first line.
        let bad = utf8_text(b"\xef\xbb\xbfcode: \xe9\n".to_vec(), rel).unwrap_err();
        let position = bad.position.expect("the bad byte is pointed at");
        assert_eq!((position.line, position.column), (1, 7));
    }
}
