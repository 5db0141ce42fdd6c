//! Translations: which texts are translated, which went stale, and gettext round trips.
//!
//! This sits beside the pipeline, not in it: it reads the content files as YAML trees
//! that remember where each value is written (`tree.rs`), finds the translatable fields
//! by the schemas of `load` (`fields.rs`), compares them with the translations lock
//! (`lock.rs`, `state.rs`), and reports (`status.rs`), exports and imports PO files
//! (`po.rs`), writing translations back with byte-exact edits (`edit.rs`).

mod edit;
mod fields;
mod lock;
mod po;
mod state;
mod status;
mod tree;

use std::path::Path;

pub(crate) use edit::apply_edits;
pub(crate) use lock::TRANSLATIONS_LOCK;
pub(crate) use po::{export_po, import_po};
pub(crate) use state::Survey;
pub(crate) use status::Status;

use crate::diagnostic::Diagnostic;

/// The warnings `check` adds: every stale or unconfirmed translation. Nothing is read
/// when the knowledge base has no translations lock.
pub(crate) fn check_translations(root: &Path) -> Vec<Diagnostic> {
    if !root.join(TRANSLATIONS_LOCK).is_file() {
        return Vec::new();
    }
    Survey::read(root).diagnostics()
}
