//! Problems found in user content, as data.
//!
//! Every stage that reads user content (`load`, `validate`, and template loading in
//! `render`) reports problems as [`Diagnostic`]s instead of failing on the first one.
//! They are collected in [`Diagnostics`], printed together, and one place (`main`)
//! turns them into the exit status.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::{Deserialize, Serialize};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based, with the text of its line for the snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    /// Width of the highlighted text in characters (at least 1).
    pub width: usize,
    /// The whole source line, so a diagnostic can be shown without re-reading the file.
    pub source_line: String,
    /// What is left to do once the file's text is at hand: validation works without
    /// it, and the pipeline attaches it ([`Diagnostics::attach_sources`]).
    #[serde(skip)]
    pending: Option<Pending>,
}

/// What a [`Position`] made without its file's text still lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    /// The source line.
    Line,
    /// The source line, and the column of this word on it (when it is there).
    Word(Box<str>),
}

impl Position {
    /// The position of `line:column` in `source`, highlighting `width` characters.
    pub(crate) fn in_source(source: &str, line: usize, column: usize, width: usize) -> Self {
        let source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or_default()
            .to_string();
        Position {
            source_line,
            pending: None,
            ..Position::in_line(line, column, width)
        }
    }

    /// The position of `line:column`, highlighting `width` characters, in a file whose
    /// text is attached later.
    pub(crate) fn in_line(line: usize, column: usize, width: usize) -> Self {
        Position {
            line: line.max(1),
            column: column.max(1),
            width: width.max(1),
            source_line: String::new(),
            pending: Some(Pending::Line),
        }
    }

    /// The position of `word` on `line`, found once the file's text is attached
    /// (`column` if it is not on the line), highlighting `width` characters.
    pub(crate) fn of_word(line: usize, column: usize, word: &str, width: usize) -> Self {
        Position {
            pending: Some(Pending::Word(word.into())),
            ..Position::in_line(line, column, width)
        }
    }

    /// Whether the file's text is still to be attached.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes the source line (and the column of a word) from `source`, the text of
    /// the file.
    pub(crate) fn attach(&mut self, source: &str) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let line = source.lines().nth(self.line - 1).unwrap_or_default();
        if let Pending::Word(word) = pending
            && let Some(byte) = line.find(&*word)
        {
            self.column = line[..byte].chars().count() + 1;
        }
        self.source_line = line.to_string();
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the knowledge-base root when it is inside it.
    pub file: PathBuf,
    pub position: Option<Box<Position>>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub(crate) fn at(mut self, position: Position) -> Self {
        self.position = Some(Box::new(position));
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, the way editors and terminals make it clickable.
    pub(crate) fn location(&self) -> String {
        match &self.position {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
            None => self.file.display().to_string(),
        }
    }

    /// The compiler-style report: title, `--> file:line:col`, snippet and hint.
    pub(crate) fn render(&self, renderer: &Renderer) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let mut group = match &self.position {
            Some(p) => {
                let start = char_to_byte(&p.source_line, p.column - 1);
                let end = char_to_byte(&p.source_line, p.column - 1 + p.width).max(start);
                let snippet = Snippet::source(p.source_line.as_str())
                    .line_start(p.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end));
                Group::with_title(title).element(snippet)
            }
            None => {
                Group::with_title(title).element(annotate_snippets::Origin::path(path.as_str()))
            }
        };
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let rendered = renderer.render(&[group]);
        // Without a snippet, annotate-snippets has no column to point at: keep the
        // `file:line:col` form in the text so that it can still be clicked.
        match &self.position {
            Some(p) if p.source_line.is_empty() => {
                format!("{rendered}\n  at {}", self.location())
            }
            _ => rendered,
        }
    }
}

/// Byte offset of the `chars`-th character, clamped to the end of `line`.
fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&Renderer::plain()))
    }
}

/// Every problem found so far, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Makes every warning an error (`check --strict`).
    pub(crate) fn promote_warnings(&mut self) {
        for diagnostic in &mut self.0 {
            diagnostic.severity = Severity::Error;
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Attaches the text of their files to the positions made without it; `read` gives
    /// a file's text (once per file), `None` when it cannot be read.
    pub(crate) fn attach_sources(&mut self, mut read: impl FnMut(&Path) -> Option<String>) {
        let mut texts: std::collections::HashMap<PathBuf, Option<String>> = Default::default();
        for diagnostic in &mut self.0 {
            let Some(position) = diagnostic.position.as_mut().filter(|p| p.is_pending()) else {
                continue;
            };
            let text = texts
                .entry(diagnostic.file.clone())
                .or_insert_with(|| read(&diagnostic.file));
            position.attach(text.as_deref().unwrap_or_default());
        }
    }

    /// Sorts by file, then position, so that output is stable however the work was split.
    pub(crate) fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let pos = |d: &Diagnostic| d.position.as_ref().map(|p| (p.line, p.column));
            (&a.file, pos(a), a.severity).cmp(&(&b.file, pos(b), b.severity))
        });
    }

    /// Every diagnostic, then a closing count, as the terminal shows them.
    pub(crate) fn render(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.render(renderer));
            out.push_str("\n\n");
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        if errors + warnings > 0 {
            out.push_str(&format!(
                "{}, {}\n",
                count(errors, "error"),
                count(warnings, "warning")
            ));
        }
        out
    }
}

/// `n` and `noun`, in the plural unless `n` is one: "1 warning", "2 warnings",
/// "3 entries".
pub(crate) fn count(n: usize, noun: &str) -> String {
    match noun.strip_suffix('y') {
        _ if n == 1 => format!("{n} {noun}"),
        Some(stem) => format!("{n} {stem}ies"),
        None => format!("{n} {noun}s"),
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `path` relative to `root` when it lies inside it, for shorter, stable messages.
pub(crate) fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_diagnostic_names_file_line_column_snippet_and_hint() {
        let source = "code: x\ntitel: Quota\n";
        let d = Diagnostic::error("content/errors/a/b.yaml", "unknown field `titel`")
            .at(Position::in_source(source, 2, 1, 5))
            .with_hint("did you mean `title`?");
        let text = d.to_string();
        assert!(text.contains("error: unknown field `titel`"), "{text}");
        assert!(text.contains("content/errors/a/b.yaml:2:1"), "{text}");
        assert!(text.contains("titel: Quota"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `title`?"), "{text}");
    }

    #[test]
    fn a_position_made_without_the_text_takes_its_line_and_word_once_attached() {
        let source = "title:\n  fr: Quota\n  de: Kontingent\n";
        let mut all: Diagnostics = [
            Diagnostic::error("a.yaml", "line").at(Position::in_line(2, 7, 5)),
            Diagnostic::error("a.yaml", "word").at(Position::of_word(3, 1, "de:", 2)),
            Diagnostic::error("a.yaml", "absent").at(Position::of_word(3, 4, "en:", 2)),
        ]
        .into_iter()
        .collect();
        let mut reads = 0;
        all.attach_sources(|_| {
            reads += 1;
            Some(source.to_string())
        });
        assert_eq!(reads, 1, "each file is read once");
        let found: Vec<(String, &str)> = all
            .iter()
            .map(|d| {
                let p = d.position.as_deref().unwrap();
                (d.location(), p.source_line.as_str())
            })
            .collect();
        assert_eq!(
            found,
            [
                ("a.yaml:2:7".to_string(), "  fr: Quota"),
                ("a.yaml:3:3".to_string(), "  de: Kontingent"),
                ("a.yaml:3:4".to_string(), "  de: Kontingent"),
            ]
        );
    }

    #[test]
    fn a_count_is_singular_for_one_and_plural_otherwise() {
        let cases = [
            (0, "warning", "0 warnings"),
            (1, "warning", "1 warning"),
            (2, "warning", "2 warnings"),
            (1, "entry", "1 entry"),
            (3, "entry", "3 entries"),
        ];
        for (n, noun, expected) in cases {
            assert_eq!(count(n, noun), expected);
        }
    }

    #[test]
    fn diagnostics_sort_by_file_then_line() {
        let mut all: Diagnostics = [
            Diagnostic::error("b.yaml", "x").at(Position::in_source("", 3, 1, 1)),
            Diagnostic::error("a.yaml", "y").at(Position::in_source("", 9, 1, 1)),
            Diagnostic::error("b.yaml", "z").at(Position::in_source("", 1, 1, 1)),
        ]
        .into_iter()
        .collect();
        all.sort();
        let order: Vec<_> = all.iter().map(|d| d.location()).collect();
        assert_eq!(order, ["a.yaml:9:1", "b.yaml:1:1", "b.yaml:3:1"]);
    }
}
