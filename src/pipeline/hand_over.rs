//! The hand-over from load to validate: each entry file goes to validation as soon as
//! it is parsed, in the task that parsed it.
//!
//! Its form is kept for the cache first, while the entry is whole; then it is converted
//! into the model and, in a command, loses its texts. Loading every entry before
//! converting any held the whole knowledge base in its raw form (located strings, about
//! twice the size of the files) beside the model being made from it.

use std::path::Path;
use std::sync::Arc;

use crate::cache::{CacheKey, Forms};
use crate::load::load_content_with;
use crate::load::{EntryHook, EntryPath, LoadLookups, Loaded, LoadedContent, RawEntry};
use crate::progress::Progress;
use crate::validate::{Converted, EntryConverter, ValidateLookups};

/// Loads the content under `root` and converts its entries as they are parsed: the
/// entries come back converted, in order, beside what `load` found (their texts gone
/// unless `validate` keeps the entries it validated).
pub(super) fn load_and_convert(
    root: &Path,
    progress: &Progress,
    lookups: (LoadLookups<'_>, ValidateLookups<'_>),
    before: impl FnOnce(),
) -> (LoadedContent, Vec<Converted>) {
    let (load, validate) = lookups;
    load_content_with(root, progress, load, |raw| {
        before();
        let converter = EntryConverter::new(raw, validate)?;
        Some(ConvertOnLoad {
            converter,
            forms: load.forms,
        })
    })
}

/// Validation's side of the hand-over.
struct ConvertOnLoad<'a> {
    converter: EntryConverter<'a>,
    /// Where the forms of the entries that were parsed are kept.
    forms: Option<&'a Forms>,
}

impl EntryHook for ConvertOnLoad<'_> {
    type Output = Converted;

    fn entry(
        &self,
        path: &EntryPath,
        loaded: &mut Arc<Loaded<RawEntry>>,
        parsed: Option<CacheKey>,
    ) -> Converted {
        if let (Some(forms), Some(key)) = (self.forms, parsed) {
            forms.put(&key, &loaded.value);
        }
        self.converter.convert(path, loaded)
    }
}
