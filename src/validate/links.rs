//! Links from one page of the site to another must land somewhere.
//!
//! Markdown bodies may link to other entries and anchors with relative URLs
//! (`../rate-limit/#step-wait`, `#step-add-card`). They are resolved against the entry's
//! page (`/<lang>/<provider>/<slug>/`) and checked against every page and anchor that
//! the site will have, so that no published link is broken.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::context::Spot;
use crate::diagnostic::Diagnostic;
use crate::load::{SourceFile, Unparsed};
use crate::model::Entry;

/// The relative links found in one entry's file.
pub(crate) struct PageLinks {
    pub file: Arc<SourceFile>,
    pub links: Vec<(String, Spot)>,
}

/// What a link points at, once resolved.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Home,
    Provider(String),
    Entry {
        provider: String,
        slug: String,
    },
    /// A site page that is not generated from entries (search, static files…).
    Other,
    /// Above the language folder, or an absolute path: cannot be checked.
    Outside,
}

/// Links to an entry or a provider whose file did not parse are not checked while it is
/// broken: its own error is the one to fix.
pub(crate) fn check_internal_links(
    entries: &[Arc<Entry>],
    pages: &[PageLinks],
    unparsed: &Unparsed,
    out: &mut Vec<Diagnostic>,
) {
    // Entries by every slug they answer to; their anchors are listed only when a link
    // points at one of them, which few do.
    let mut by_slug: HashMap<(&str, &str), &Entry> = HashMap::new();
    for entry in entries {
        for slug in std::iter::once(&entry.slug).chain(&entry.aliases) {
            by_slug.insert((&entry.provider, slug), entry);
        }
    }
    let has_anchor = |target: &Entry, fragment: &str| {
        fragment == "top" || target.anchors().iter().any(|a| a == fragment)
    };
    let mut providers: HashSet<&str> = entries.iter().map(|e| e.provider.as_str()).collect();
    providers.extend(unparsed.providers.iter().map(String::as_str));
    let broken = |provider: &str, slug: &str| {
        unparsed
            .entries
            .iter()
            .any(|p| p.folder == provider && p.slug == slug)
    };
    for (entry, page) in entries.iter().zip(pages) {
        for (url, spot) in &page.links {
            let (path, fragment) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let path = path.split('?').next().unwrap_or_default();
            let problem = match resolve(&entry.provider, &entry.slug, path) {
                Target::Entry { provider, slug } => {
                    match by_slug.get(&(provider.as_str(), slug.as_str())) {
                        None if broken(&provider, &slug) => None,
                        None => Some(format!("no entry `{provider}/{slug}`")),
                        Some(target) => fragment
                            .filter(|f| !f.is_empty() && !has_anchor(target, f))
                            .map(|f| format!("`{provider}/{slug}` has no anchor `#{f}`")),
                    }
                }
                Target::Provider(p) if !providers.contains(p.as_str()) => {
                    Some(format!("no provider page `{p}`"))
                }
                Target::Outside => Some("it leaves the language's pages".to_string()),
                _ => None,
            };
            if let Some(problem) = problem {
                out.push(
                    Diagnostic::error(&page.file.path, format!("broken link `{url}`: {problem}"))
                        .at(spot.position(url))
                        .with_hint(link_hint(entry, fragment)),
                );
            }
        }
    }
}

fn link_hint(entry: &Entry, fragment: Option<&str>) -> String {
    match fragment {
        Some(_) => format!(
            "link with a relative URL such as `../other-slug/#step-id`; this page's anchors include: {}",
            entry
                .anchors()
                .into_iter()
                .take(6)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "link with a relative URL such as `../other-slug/` or `../../groq/rate-limit/`"
            .to_string(),
    }
}

/// Pages of each language that are not providers.
const SITE_PAGES: &[&str] = &["search", "lookup"];

/// Resolves `path` from the page of `provider/slug` (`LANG/provider/slug/`).
fn resolve(provider: &str, slug: &str, path: &str) -> Target {
    if path.starts_with('/') {
        return Target::Outside;
    }
    let mut parts: Vec<String> = vec!["LANG".into(), provider.into(), slug.into()];
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            other => parts.push(other.to_string()),
        }
    }
    if path.ends_with("index.html") {
        parts.pop();
    }
    match parts.as_slice() {
        [lang] if lang == "LANG" => Target::Home,
        [lang, page] if lang == "LANG" && SITE_PAGES.contains(&page.as_str()) => Target::Other,
        [lang, p] if lang == "LANG" => Target::Provider(p.clone()),
        [lang, p, s] if lang == "LANG" => Target::Entry {
            provider: p.clone(),
            slug: s.clone(),
        },
        [lang, ..] if lang == "LANG" => Target::Other,
        _ => Target::Outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_from_the_entry_page() {
        let entry = |p: &str, s: &str| Target::Entry {
            provider: p.into(),
            slug: s.into(),
        };
        let cases = [
            ("", entry("openai", "quota")),
            ("../rate-limit/", entry("openai", "rate-limit")),
            ("../rate-limit", entry("openai", "rate-limit")),
            ("../../groq/rate-limit/", entry("groq", "rate-limit")),
            (
                "../../groq/rate-limit/index.html",
                entry("groq", "rate-limit"),
            ),
            ("../", Target::Provider("openai".into())),
            ("../../", Target::Home),
            ("../../search/", Target::Other),
            ("../../deepseek/", Target::Provider("deepseek".into())),
            ("../../../", Target::Outside),
            ("/fr/openai/", Target::Outside),
        ];
        for (path, expected) in cases {
            assert_eq!(resolve("openai", "quota", path), expected, "{path:?}");
        }
    }
}
