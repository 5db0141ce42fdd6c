//! Stage 2 of the pipeline: turn raw content into the model, checking every rule.
//!
//! `validate` is the only place where raw types become model types. It reports every
//! problem at once, in every file, and returns a knowledge base only when there is no
//! error (warnings, such as missing translations, do not stop it).

pub(crate) mod audit;
mod context;
mod entry;
mod links;
mod rules;
mod site;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::RawKnowledgeBase;
use crate::model::{KnowledgeBase, Support};
use context::FileChecker;

/// Validates `raw`; the knowledge base is `None` when any error was found.
pub(crate) fn validate(raw: &RawKnowledgeBase) -> (Option<KnowledgeBase>, Diagnostics) {
    let mut found: Vec<Diagnostic> = Vec::new();
    let Some(site) = raw
        .site
        .as_ref()
        .and_then(|s| site::convert_site(s, &mut found))
    else {
        return (None, found.into_iter().collect());
    };
    let mut providers: Vec<_> = raw
        .providers
        .iter()
        .map(|(id, loaded)| site::convert_provider(id, loaded, &site.languages, &mut found))
        .collect();
    providers.sort_by(|a, b| a.id.cmp(&b.id));

    let converted: Vec<_> = raw
        .entries
        .par_iter()
        .map(|(path, loaded)| {
            let mut checker = FileChecker::new(&loaded.file, &site.languages);
            let entry = entry::convert_entry(&mut checker, path, &loaded.value);
            let links = links::PageLinks {
                file: loaded.file.path.clone(),
                links: checker.internal_links,
            };
            (entry, links, checker.diagnostics)
        })
        .collect();
    let mut entries = Vec::with_capacity(converted.len());
    let mut page_links = Vec::with_capacity(converted.len());
    for (entry, links, mut diagnostics) in converted {
        found.append(&mut diagnostics);
        page_links.push(links);
        entries.push(entry);
    }
    rules::check_provider_references(&providers, &raw.entries, &mut found);
    rules::check_uniqueness(&raw.entries, &mut found);
    links::check_internal_links(&entries, &page_links, &mut found);
    rules::check_short_links(&raw.entries, &mut found);

    let diagnostics: Diagnostics = found.into_iter().collect();
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    for entry in &mut entries {
        let provider = providers
            .iter()
            .find(|p| p.id == entry.provider)
            .expect("references were checked");
        entry.support = merge_support(&entry.support, &provider.support);
    }
    entries.sort_by(|a, b| (&a.provider, &a.slug).cmp(&(&b.provider, &b.slug)));
    (
        Some(KnowledgeBase {
            site,
            providers,
            entries,
        }),
        diagnostics,
    )
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
