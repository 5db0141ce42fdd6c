//! Part of stage 2, validate: one entry file checked on its own and converted into the
//! model, with its provider's support links merged in.
//!
//! An [`EntryConverter`] is made once the site and providers are read, and converts
//! each entry file as soon as `load` has parsed it (`load::EntryHook`), or all of them
//! at once for [`super::validate`] when `load` had no hook. A command's converter then
//! frees the entry's texts: the rules across entries and the audit read none of them,
//! so a knowledge base is never held whole in its raw form beside its model.

use std::sync::Arc;

use super::context::{FileChecker, Spot};
use super::{ValidateLookups, convert_site_and_providers, entry};
use crate::cache::LinkMemo;
use crate::diagnostic::Diagnostic;
use crate::load::{EntryPath, Loaded, RawEntry, RawKnowledgeBase};
use crate::model::{Entry, Languages, Provider, Support};

/// One entry file, checked on its own.
#[derive(Clone)]
pub(crate) struct Converted {
    /// With the provider's support links merged in, when the provider exists.
    pub(super) entry: Arc<Entry>,
    pub(super) links: Vec<(String, Spot)>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The provider's support links that were merged in.
    pub(super) provider_support: Option<Support>,
}

/// Converts entry files one at a time, for a site and its providers.
pub(crate) struct EntryConverter<'a> {
    languages: Languages,
    /// Sorted by id.
    providers: Vec<Provider>,
    lookups: ValidateLookups<'a>,
}

impl<'a> EntryConverter<'a> {
    /// The converter for the site and providers of `raw`; `None` when the site cannot be
    /// read (validation says why).
    pub(crate) fn new(raw: &RawKnowledgeBase, lookups: ValidateLookups<'a>) -> Option<Self> {
        // Their problems are reported by validation, which reads them again.
        let (site, providers) = convert_site_and_providers(raw, &mut Vec::new())?;
        Some(EntryConverter {
            languages: site.languages,
            providers,
            lookups,
        })
    }

    /// Converts the entry file `loaded`, taken as it was from the entries validated
    /// before when it did not change; frees its texts unless those entries were given
    /// (`serve` compares them) or it is shared.
    pub(crate) fn convert(
        &self,
        path: &EntryPath,
        loaded: &mut Arc<Loaded<RawEntry>>,
    ) -> Converted {
        let provider_support = self.support_of(&loaded.value.provider.value);
        let cached = self
            .lookups
            .entries
            .and_then(|c| c.entries.get(&loaded.file.path))
            .filter(|c| {
                Arc::ptr_eq(&c.raw, loaded)
                    && c.languages == self.languages
                    && c.converted.provider_support == provider_support
            });
        let converted = match cached {
            Some(cached) => cached.converted.clone(),
            None => convert(
                path,
                loaded,
                &self.languages,
                provider_support,
                self.lookups.links,
            ),
        };
        let keep_texts = self.lookups.entries.is_some();
        if let Some(only) = Arc::get_mut(loaded).filter(|_| !keep_texts) {
            drop_texts(&mut only.value);
        }
        converted
    }

    fn support_of(&self, id: &str) -> Option<Support> {
        self.providers
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| self.providers[i].support.clone())
    }
}

/// Checks one entry file on its own, and merges in its provider's support links.
pub(super) fn convert(
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
