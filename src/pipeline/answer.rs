//! The flow for the commands that answer from a knowledge base rather than build it:
//! `import` needs only the site and its providers; `explain` and `lookup` answer from
//! the entries that validate, leaving out (and listing) those being written; `lookup`
//! first tries the rules of the built site. The same stages as `build`, in the same
//! order: load → validate.

use std::path::{Path, PathBuf};

use crate::cache::BuildCache;
use crate::diagnostic::Diagnostics;
use crate::load::{LoadLookups, load_built_lookup, load_content, load_lookup_file, load_sources};
use crate::model::{KnowledgeBase, Provider, Site};
use crate::progress::Progress;
use crate::search::{Evidence, LookupIndex};
use crate::validate::{convert_site_and_providers, validate_leniently};

/// The site and its providers, whatever the state of the entries (`import` needs no
/// more); `None` when the site cannot be read.
pub(crate) fn load_site_and_providers(root: &Path) -> (Option<(Site, Vec<Provider>)>, Diagnostics) {
    let content = load_content(root, &Progress::hidden(), LoadLookups::default());
    let mut found = Vec::new();
    let converted = convert_site_and_providers(&content.raw, &mut found);
    let mut diagnostics = content.diagnostics;
    diagnostics.extend(found.into_iter().collect());
    load_sources(root, &mut diagnostics);
    (converted, diagnostics)
}

/// The knowledge base that `explain` and `lookup` answer from: entry files with errors
/// (and entries that need a broken provider file) are left out, and listed, rather than
/// stopping the answer. It fails, with the problems, when the site file or a provider
/// file has errors that validation finds.
pub(crate) fn load_answering_base(
    root: &Path,
    cache: &mut BuildCache,
) -> Result<(KnowledgeBase, Vec<PathBuf>), Diagnostics> {
    let lookups = LoadLookups {
        files: None,
        forms: cache.forms(),
    };
    let mut content = load_content(root, &Progress::hidden(), lookups);
    cache.keep_loaded(None, std::mem::take(&mut content.parsed));
    match validate_leniently(&mut content.raw, &content.diagnostics) {
        (Some(kb), _, skipped) => Ok((kb, skipped)),
        (None, mut problems, _) => {
            load_sources(root, &mut problems);
            problems.sort();
            Err(problems)
        }
    }
}

/// The match rules that `lookup` needs for `evidence`: from `index` (a `lookup.json`)
/// when given; else, when the built site is newer than every content file, its keys
/// and the chunks of rules of the candidates (reading 10,000 entries takes far longer
/// than a lookup should); else from the content itself.
pub(crate) fn load_lookup_index(
    root: &Path,
    index: Option<&Path>,
    evidence: &Evidence,
    cache: &mut BuildCache,
) -> anyhow::Result<Result<(LookupIndex, Vec<PathBuf>), Diagnostics>> {
    if let Some(path) = index {
        return load_lookup_file(path).map(|index| Ok((index, Vec::new())));
    }
    if let Some(index) = load_built_lookup(root, evidence) {
        return Ok(Ok((index, Vec::new())));
    }
    Ok(load_answering_base(root, cache)
        .map(|(kb, skipped)| (LookupIndex::build(&kb, &kb.site.base_url), skipped)))
}
