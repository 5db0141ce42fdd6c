//! Stage 2 of the pipeline: turn raw content into the model, checking every rule.
//!
//! `validate` is the only place where raw types become model types. It reports every
//! problem at once, in every file, and returns a knowledge base only when there is no
//! error (warnings, such as missing translations, do not stop it).

pub(crate) mod audit;
mod capture;
mod context;
mod convert;
mod entry;
mod links;
mod rules;
mod site;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::LinkMemo;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{EntryPath, Loaded, RawEntry, RawKnowledgeBase};
use crate::model::{Entry, KnowledgeBase, Languages, Provider, Site};
pub(crate) use convert::{Converted, EntryConverter};
pub(crate) use site::{is_language_code, validate_base_url};

/// Entries converted by earlier validations, for `serve`: an entry whose file was not
/// parsed again (the same `Arc`), checked against the same languages and provider
/// support, is taken as it was, without checking its Markdown again.
#[derive(Default)]
pub(crate) struct ValidateCache {
    entries: HashMap<PathBuf, CachedEntry>,
}

struct CachedEntry {
    raw: Arc<Loaded<RawEntry>>,
    languages: Languages,
    converted: Converted,
}

/// The site and its providers (sorted by id), without the entries; `None` when the
/// site cannot be read.
pub(crate) fn convert_site_and_providers(
    raw: &RawKnowledgeBase,
    found: &mut Vec<Diagnostic>,
) -> Option<(Site, Vec<Provider>)> {
    let site = site::convert_site(raw.site.as_ref()?, found)?;
    let mut providers: Vec<_> = raw
        .providers
        .iter()
        .map(|(id, loaded)| site::convert_provider(id, loaded, &site.languages, found))
        .collect();
    providers.sort_by(|a, b| a.id.cmp(&b.id));
    Some((site, providers))
}

/// What the cache offers [`validate`].
#[derive(Clone, Copy, Default)]
pub(crate) struct ValidateLookups<'a> {
    /// The entries validated before (`serve`).
    pub entries: Option<&'a ValidateCache>,
    /// The link destinations of Markdown texts that earlier runs parsed.
    pub links: Option<&'a LinkMemo>,
}

/// What [`validate`] found: the knowledge base, `None` when any error was found; every
/// problem; and, when the entries validated before were given, the entries validated
/// now, for the cache to keep.
pub(crate) struct Validated {
    pub kb: Option<KnowledgeBase>,
    pub diagnostics: Diagnostics,
    pub entries: Option<ValidateCache>,
}

/// Validates `raw`, whose entries are `converted` already when `load` handed them to an
/// [`EntryConverter`] (one for each entry, in order), or are converted here. Entries
/// unchanged since `lookups.entries` was validated are taken from it.
pub(crate) fn validate(
    raw: &mut RawKnowledgeBase,
    lookups: ValidateLookups<'_>,
    converted: Option<Vec<Converted>>,
) -> Validated {
    let mut found: Vec<Diagnostic> = Vec::new();
    let Some((site, providers)) = convert_site_and_providers(raw, &mut found) else {
        return Validated {
            kb: None,
            diagnostics: found.into_iter().collect(),
            entries: None,
        };
    };
    let converted = converted.unwrap_or_else(|| convert_entries(raw, lookups));
    let entries_now = lookups.entries.map(|_| ValidateCache {
        entries: raw
            .entries
            .iter()
            .zip(&converted)
            .map(|((_, loaded), converted)| {
                let cached = CachedEntry {
                    raw: Arc::clone(loaded),
                    languages: site.languages.clone(),
                    converted: converted.clone(),
                };
                (loaded.file.path.clone(), cached)
            })
            .collect(),
    });
    let mut entries = Vec::with_capacity(converted.len());
    let mut page_links = Vec::with_capacity(converted.len());
    for (converted, (_, loaded)) in converted.into_iter().zip(&raw.entries) {
        found.extend(converted.diagnostics);
        page_links.push(links::PageLinks {
            file: Arc::clone(&loaded.file),
            links: converted.links,
        });
        entries.push(converted.entry);
    }
    rules::check_provider_references(&providers, &raw.unparsed, &raw.entries, &mut found);
    rules::check_uniqueness(&raw.entries, &mut found);
    links::check_internal_links(&entries, &page_links, &raw.unparsed, &mut found);
    rules::check_short_links(&raw.entries, &mut found);

    let mut diagnostics: Diagnostics = found.into_iter().collect();
    let kb = if diagnostics.has_errors() {
        None
    } else {
        entries.sort_by(|a, b| (&a.provider, &a.slug).cmp(&(&b.provider, &b.slug)));
        let kb = KnowledgeBase {
            site,
            providers,
            entries,
        };
        diagnostics.extend(
            capture::check_captures(&kb, &raw.entries)
                .into_iter()
                .collect(),
        );
        Some(kb).filter(|_| !diagnostics.has_errors())
    };
    Validated {
        kb,
        diagnostics,
        entries: entries_now,
    }
}

/// One entry file on its own, `loaded` from `path`: the rules of the file itself, not
/// those across files (providers, duplicate codes, links to other entries, captures).
/// Pure: the positions of its problems wait for the file's text.
pub(crate) fn validate_entry(
    path: &EntryPath,
    loaded: &Loaded<RawEntry>,
    languages: &Languages,
) -> (Entry, Vec<Diagnostic>) {
    let converted = convert::convert(path, loaded, languages, None, None);
    (Arc::unwrap_or_clone(converted.entry), converted.diagnostics)
}

/// Validates `raw` for commands that answer from the knowledge base (`explain`,
/// `lookup`): entry files with errors (`broken`, from loading, or found here) are left
/// out rather than stopping the answer, which is normal while an entry is being
/// written. Returns the knowledge base of the others, the problems, and the files left
/// out. The knowledge base is `None` when the site file, or a provider file that still
/// parses, has errors: those are not one entry's draft.
pub(crate) fn validate_leniently(
    raw: &mut RawKnowledgeBase,
    broken: &Diagnostics,
) -> (Option<KnowledgeBase>, Diagnostics, Vec<PathBuf>) {
    let is_entry = |file: &std::path::Path| file.starts_with(crate::load::ENTRIES_DIR);
    let mut cache = ValidateCache::default();
    let mut skipped: Vec<PathBuf> = broken
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    // Leaving entries out can break another's links to them: a few rounds at most.
    for _ in 0..3 {
        raw.entries
            .retain(|(_, loaded)| !skipped.contains(&loaded.file.path));
        let lookups = ValidateLookups {
            entries: Some(&cache),
            links: None,
        };
        let Validated {
            kb,
            diagnostics: found,
            entries,
        } = validate(raw, lookups, None);
        cache = entries.unwrap_or_default();
        let errors: Vec<PathBuf> = found
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .map(|d| d.file.clone())
            .collect();
        if kb.is_some() || errors.iter().any(|f| !is_entry(f)) {
            let mut problems = broken.clone();
            problems.extend(found);
            skipped.sort();
            skipped.dedup();
            return (kb, problems, skipped);
        }
        skipped.extend(errors);
    }
    (None, broken.clone(), skipped)
}

/// Converts every entry file of `raw` on its own, in parallel.
fn convert_entries(raw: &mut RawKnowledgeBase, lookups: ValidateLookups<'_>) -> Vec<Converted> {
    let Some(converter) = EntryConverter::new(raw, lookups) else {
        return Vec::new();
    };
    raw.entries
        .par_iter_mut()
        .map(|(path, loaded)| converter.convert(path, loaded))
        .collect()
}
