//! `errors.json`, the catalogue for applications, and the list of short links.
//!
//! An application that reports an error links it to its fix. `errors.json`, at the
//! site root, tells it how: for each entry its id, provider, code, HTTP status, whether
//! a retry helps, its match rules, its short link, and its URL in every language with
//! the anchors of its sections (the same in every language).
//!
//! Short links are `/e/<provider>/<code>/` and, where no other provider has the same
//! code, `/e/<code>/`; the code is written in its path form (`model::code_path`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::OutputFile;
use crate::model::{Entry, KnowledgeBase, MatchRules, Site, Text, item_anchors};

/// Format version of `errors.json`; bump it on incompatible changes.
pub(crate) const CATALOGUE_VERSION: u32 = 1;

/// One short link: the folder of its redirect page, and the entry it leads to.
pub(crate) struct ShortLink<'a> {
    /// `e/openai/insufficient_quota/`
    pub path: String,
    pub entry: &'a Arc<Entry>,
}

/// Every short link of the site, in entry order: the provider-qualified one of each
/// entry, then the bare ones of codes that only one provider uses.
pub(crate) fn short_links(kb: &KnowledgeBase) -> Vec<ShortLink<'_>> {
    let mut by_code: BTreeMap<String, Vec<&Arc<Entry>>> = BTreeMap::new();
    let mut links = Vec::new();
    for entry in &kb.entries {
        let Some(code) = entry.code_path() else {
            continue;
        };
        by_code.entry(code.clone()).or_default().push(entry);
        links.push(ShortLink {
            path: ["e/", &entry.provider, "/", &code, "/"].concat(),
            entry,
        });
    }
    for (code, entries) in by_code {
        let clashes_with_provider = kb.provider(&code).is_some();
        if let [entry] = entries[..]
            && !clashes_with_provider
        {
            links.push(ShortLink {
                path: ["e/", &code, "/"].concat(),
                entry,
            });
        }
    }
    links
}

#[derive(Serialize)]
struct Catalogue<'a> {
    version: u32,
    title: BTreeMap<&'a str, &'a str>,
    base_url: &'a str,
    languages: &'a [String],
    default_language: &'a str,
    errors: Vec<CatalogueEntry<'a>>,
}

#[derive(Serialize)]
struct CatalogueEntry<'a> {
    id: String,
    provider: &'a str,
    code: &'a str,
    http_status: Option<u16>,
    retryable: Option<bool>,
    aliases: &'a [String],
    title: BTreeMap<&'a str, &'a str>,
    #[serde(rename = "match")]
    match_rules: &'a MatchRules,
    /// The short link, absolute; it picks the reader's language.
    short_url: Option<String>,
    /// The page in each language, absolute.
    urls: BTreeMap<&'a str, String>,
    /// Every anchor of the page, in page order.
    anchors: Vec<String>,
}

/// Renders `errors.json`.
pub(crate) fn render_catalogue(kb: &KnowledgeBase) -> OutputFile {
    let site = &kb.site;
    let short: BTreeMap<String, String> = short_links(kb)
        .into_iter()
        .filter(|l| l.path.matches('/').count() == 3)
        .map(|l| (l.entry.id(), format!("{}{}", site.base_url, l.path)))
        .collect();
    let errors = kb
        .entries
        .iter()
        .map(|entry| CatalogueEntry {
            id: entry.id(),
            provider: &entry.provider,
            code: &entry.code,
            http_status: entry.http_status,
            retryable: entry.retryable,
            aliases: &entry.aliases,
            title: per_language(site, &entry.title),
            match_rules: &entry.match_rules,
            short_url: short.get(&entry.id()).cloned(),
            urls: site
                .languages
                .iter()
                .map(|(_, lang)| (lang, format!("{}{lang}/{}/", site.base_url, entry.id())))
                .collect(),
            anchors: anchors(entry),
        })
        .collect();
    let catalogue = Catalogue {
        version: CATALOGUE_VERSION,
        title: per_language(site, &site.title),
        base_url: &site.base_url,
        languages: site.languages.codes(),
        default_language: site.languages.default_code(),
        errors,
    };
    let json = serde_json::to_string_pretty(&catalogue).expect("the catalogue serializes");
    OutputFile::new("errors.json".into(), json)
}

fn per_language<'a>(site: &'a Site, text: &'a Text) -> BTreeMap<&'a str, &'a str> {
    site.languages
        .iter()
        .map(|(i, code)| (code, text.get(i)))
        .collect()
}

/// The anchors of an entry's page, in page order (see `templates/entry.html`).
pub(crate) fn anchors(entry: &Entry) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |section: &str, present: bool, items: Vec<String>| {
        if present {
            out.push(section.to_string());
            out.extend(items);
        }
    };
    add(
        "received",
        entry.received.is_some() || entry.message.is_some(),
        vec![],
    );
    add("meaning", entry.meaning.is_some(), vec![]);
    let context = item_anchors("context", entry.context.iter().map(|s| &s.id));
    add("context", !entry.context.is_empty(), context);
    let causes = item_anchors("cause", entry.causes.iter().map(|s| &s.id));
    add("causes", !entry.causes.is_empty(), causes);
    let steps = item_anchors("step", entry.steps.iter().map(|s| &s.id));
    add("steps", !entry.steps.is_empty(), steps);
    if let Some(alternatives) = &entry.alternatives {
        let items = alternatives.items.iter().map(|a| &a.provider);
        add("alternatives", true, item_anchors("alternative", items));
    }
    let checks = item_anchors("check", entry.checklist.iter().map(|c| &c.id));
    add("checklist", !entry.checklist.is_empty(), checks);
    let options = item_anchors("option", entry.options.iter().map(|o| &o.id));
    add("options", !entry.options.is_empty(), options);
    let faq = item_anchors("faq", entry.faq.iter().map(|f| &f.id));
    add("faq", !entry.faq.is_empty(), faq);
    let support = &entry.support;
    let any_support = support.email.is_some()
        || support.url.is_some()
        || support.docs.is_some()
        || support.status.is_some();
    add("support", any_support, vec![]);
    add("recap", entry.recap.is_some(), vec![]);
    add("sources", !entry.sources.is_empty(), vec![]);
    out
}
