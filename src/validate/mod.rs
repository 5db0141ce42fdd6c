//! Stage 2 of the pipeline: turn raw content into the model, checking every rule.
//!
//! `validate` is the only place where raw types become model types. It reports every
//! problem at once, in every file, and returns a knowledge base only when there is no
//! error (warnings, such as missing translations, do not stop it).

pub(crate) mod audit;
mod capture;
mod context;
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
use crate::model::{Entry, KnowledgeBase, Languages, Provider, Site, Support};
use context::FileChecker;
use context::Spot;
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

/// One entry file, checked on its own.
#[derive(Clone)]
struct Converted {
    /// With the provider's support links merged in, when the provider exists.
    entry: Arc<Entry>,
    links: Vec<(String, Spot)>,
    diagnostics: Vec<Diagnostic>,
    /// The provider's support links that were merged in.
    provider_support: Option<Support>,
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

/// Validates `raw`. Entries unchanged since `lookups.entries` was validated are taken
/// from it.
///
/// Without `lookups.entries` (a command, not `serve`), entry files lose their texts once
/// converted: the rules that follow, and the audit, read none of them, and the knowledge
/// base then never holds every text twice.
pub(crate) fn validate(raw: &mut RawKnowledgeBase, lookups: ValidateLookups<'_>) -> Validated {
    let mut found: Vec<Diagnostic> = Vec::new();
    let Some((site, providers)) = convert_site_and_providers(raw, &mut found) else {
        return Validated {
            kb: None,
            diagnostics: found.into_iter().collect(),
            entries: None,
        };
    };
    let support_of = |id: &str| {
        providers
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| providers[i].support.clone())
    };

    let converted = convert_entries(raw, &site.languages, &support_of, lookups);
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
    let converted = convert(path, loaded, languages, None, None);
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
        } = validate(raw, lookups);
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

/// Checks every entry file on its own, in parallel, taking unchanged ones from
/// `lookups.entries`.
fn convert_entries(
    raw: &mut RawKnowledgeBase,
    languages: &Languages,
    support_of: &(dyn Fn(&str) -> Option<Support> + Sync),
    lookups: ValidateLookups<'_>,
) -> Vec<Converted> {
    let keep_texts = lookups.entries.is_some();
    raw.entries
        .par_iter_mut()
        .map(|(path, loaded)| {
            let provider_support = support_of(&loaded.value.provider.value);
            let cached = lookups
                .entries
                .and_then(|c| c.entries.get(&loaded.file.path))
                .filter(|c| {
                    Arc::ptr_eq(&c.raw, loaded)
                        && c.languages == *languages
                        && c.converted.provider_support == provider_support
                });
            let converted = match cached {
                Some(cached) => cached.converted.clone(),
                None => convert(path, loaded, languages, provider_support, lookups.links),
            };
            if let Some(only) = Arc::get_mut(loaded).filter(|_| !keep_texts) {
                drop_texts(&mut only.value);
            }
            converted
        })
        .collect()
}

/// Checks one entry file on its own, and merges in its provider's support links.
fn convert(
    path: &EntryPath,
    loaded: &Loaded<RawEntry>,
    languages: &Languages,
    provider_support: Option<Support>,
    links: Option<&LinkMemo>,
) -> Converted {
    let mut checker = FileChecker::new(&loaded.file, languages).with_link_memo(links);
    let mut entry = entry::convert_entry(&mut checker, path, &loaded.value);
    if let Some(provider) = &provider_support {
        entry.support = merge_support(&entry.support, provider);
    }
    Converted {
        entry: Arc::new(entry),
        links: checker.internal_links,
        diagnostics: checker.diagnostics,
        provider_support,
    }
}

/// Frees the texts of a converted entry (all but its title, summary and alternatives):
/// what is left is what the rules across entries and the audit read (code, provider,
/// aliases, the alternatives' providers, dates, match rules and fixtures).
fn drop_texts(entry: &mut RawEntry) {
    entry.meaning = None;
    entry.context = Vec::new();
    entry.causes = Vec::new();
    entry.steps = Vec::new();
    entry.checklist = Vec::new();
    entry.options = Vec::new();
    entry.faq = Vec::new();
    entry.support = None;
    entry.recap = None;
    entry.sources = Vec::new();
}

/// The entry's own support links win over the provider's.
fn merge_support(own: &Support, provider: &Support) -> Support {
    Support {
        email: own.email.clone().or_else(|| provider.email.clone()),
        url: own.url.clone().or_else(|| provider.url.clone()),
        docs: own.docs.clone().or_else(|| provider.docs.clone()),
        status: own.status.clone().or_else(|| provider.status.clone()),
    }
}
