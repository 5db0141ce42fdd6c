//! What an import prints when it is done: the sections found in each document, how
//! many items each gave, the warnings, and what is left to fill in.
//!
//! Part of `import`; pure, so that the command only prints it.

use std::fmt::Write;
use std::path::Path;

use super::Imported;

/// The summary of `imported`, read from `files` (in the order they were given), and
/// written to `written` (or printed, with `--dry-run`).
pub(crate) fn render_summary(
    imported: &Imported,
    files: &[&Path],
    written: &[String],
    dry_run: bool,
) -> String {
    let mut out = String::new();
    for ((lang, found), file) in imported.documents.iter().zip(files) {
        let _ = writeln!(out, "{} ({lang}): {} sections", file.display(), found.len());
        for (kind, items, line) in found {
            let count = match items {
                1 => "1 item".to_string(),
                n => format!("{n} items"),
            };
            let _ = writeln!(out, "  line {line:<4} {:<13} {count}", kind.field());
        }
    }
    let verb = if dry_run { "would write" } else { "wrote" };
    for path in written {
        let _ = writeln!(out, "{verb} {path}");
    }
    let warnings = imported.warnings.warning_count();
    let _ = match warnings {
        0 => writeln!(out, "no warnings: every line found its place"),
        1 => writeln!(out, "1 warning (above)"),
        n => writeln!(out, "{n} warnings (above)"),
    };
    let draft = &imported.draft;
    let mut todo = vec!["`summary` (one sentence for lists and search results)"];
    if draft.sources.is_empty() {
        todo.push("`sources` (the provider's pages the facts come from)");
    }
    todo.push("`match.messages` (the provider's message, for `errbook lookup`)");
    let _ = writeln!(
        out,
        "to fill in: {}; then run `errbook check`",
        todo.join(", ")
    );
    out
}
