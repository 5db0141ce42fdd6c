//! Which provider a pasted error names: the evidence that outweighs a shared code.
//!
//! OpenAI-compatible providers (Groq, DeepSeek and many others) copy OpenAI's error
//! shape and codes, so a code such as `invalid_api_key` says what went wrong, not whose
//! API said it. What names the provider is elsewhere: the SDK that raised the error
//! (`groq.AuthenticationError`, `google.genai.errors.ClientError`), the hosts in its URLs
//! (`console.groq.com`), and phrases of its own. Each provider's hints are the hosts of
//! its links and the `hints:` of its file, written three ways:
//!
//! - `groq.`, ending with a dot: a module prefix, named by any word that starts with it
//!   (`groq.RateLimitError`), but not by `openai/gpt-oss-120b`;
//! - `groq.com`, with a dot inside: a domain, named by itself, by its sub-domains
//!   (`api.groq.com`) and by its modules (`google.genai` by `google.genai.errors`);
//! - `some words`, or a single word: named by that phrase, or that word, in the text.
//!
//! A URL whose host no provider claims names a provider the site does not cover (an
//! error from `api.together.xyz` copies OpenAI's codes and messages): lookup then never
//! answers with confidence on an identifier or a message alone.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use super::tokenize::{fold, phrase};
use crate::model::Provider;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProviderRules {
    pub id: String,
    pub name: String,
    /// Module prefixes, domains and phrases that name the provider in an error.
    pub hints: Vec<String>,
}

/// The providers an error names, by id, and whether it names one the site lacks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Named<'a> {
    pub known: BTreeSet<&'a str>,
    pub unknown: bool,
}

/// What `evidence` says about providers.
pub(crate) fn named_providers<'a>(
    providers: &'a [ProviderRules],
    evidence: &Evidence,
) -> Named<'a> {
    let known = providers
        .iter()
        .filter(|p| p.hints.iter().any(|h| names(evidence, h)))
        .map(|p| p.id.as_str())
        .collect();
    let unknown = evidence.hosts.iter().any(|host| {
        !providers
            .iter()
            .flat_map(|p| &p.hints)
            .any(|h| is_domain_of(h, host))
    });
    Named { known, unknown }
}

/// Does the evidence name this hint?
fn names(evidence: &Evidence, hint: &str) -> bool {
    if hint.ends_with('.') {
        words_from(evidence, hint).is_some_and(|w| w.starts_with(hint))
    } else if hint.contains(' ') {
        evidence.phrase.contains(&format!(" {hint} "))
    } else if hint.contains('.') {
        evidence.words.contains(hint) || evidence.hosts.iter().any(|h| is_domain_of(hint, h)) || {
            let module = format!("{hint}.");
            words_from(evidence, &module).is_some_and(|w| w.starts_with(&module))
        }
    } else {
        evidence.words.contains(hint)
    }
}

/// The first word of the evidence at or after `prefix`, in order.
fn words_from<'a>(evidence: &'a Evidence, prefix: &str) -> Option<&'a String> {
    use std::ops::Bound;
    let range = (Bound::Included(prefix), Bound::Unbounded);
    evidence.words.range::<str, _>(range).next()
}

/// Is `host` the domain `hint` or one of its sub-domains?
fn is_domain_of(hint: &str, host: &str) -> bool {
    hint.contains('.')
        && !hint.ends_with('.')
        && (host == hint
            || host
                .strip_suffix(hint)
                .is_some_and(|rest| rest.ends_with('.')))
}

pub(crate) fn provider_rules(provider: &Provider) -> ProviderRules {
    let links = [
        provider.homepage.as_deref(),
        provider.support.url.as_deref(),
        provider.support.docs.as_deref(),
        provider.support.status.as_deref(),
        provider.alternative.as_ref().map(|a| a.signup.as_str()),
    ];
    let mut hints: Vec<String> = Vec::new();
    let hosts = links.into_iter().flatten().filter_map(host_of);
    for hint in hosts.chain(provider.hints.iter().map(|h| normalize_hint(h))) {
        if !hint.is_empty() && !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    ProviderRules {
        id: provider.id.clone(),
        name: provider.name.clone(),
        hints,
    }
}

/// A hint as the evidence is read: a module prefix keeps its final dot.
fn normalize_hint(hint: &str) -> String {
    let hint = hint.trim();
    match hint.strip_suffix('.') {
        Some(module) if !module.contains(' ') => format!("{}.", fold(module)),
        _ => phrase(hint),
    }
}

/// Characters that end a host in a URL, besides white space (a port, a path, a quote
/// around the URL…). The browser reads hosts with the same list.
pub(crate) const HOST_ENDS: &str = "/?#:'\")]>`,";

/// `platform.openai.com` of `https://platform.openai.com/docs`, folded, without `www.`.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest
        .split(|c: char| HOST_ENDS.contains(c) || c.is_whitespace())
        .next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid = host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    valid.then_some(host)
}

/// The hosts of every URL in `text`, each once, in order.
pub(crate) fn hosts_in(text: &str) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("://") {
        if let Some(host) = host_of(&text[at..]).filter(|h| !hosts.contains(h)) {
            hosts.push(host);
        }
    }
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(id: &str, hints: &[&str]) -> ProviderRules {
        ProviderRules {
            id: id.to_string(),
            name: id.to_string(),
            hints: hints.iter().map(|h| normalize_hint(h)).collect(),
        }
    }

    #[test]
    fn sdk_prefixes_domains_and_unknown_hosts_name_providers() {
        let providers = [
            rules("groq", &["groq.", "groq.com"]),
            rules("openai", &["openai.", "openai.com"]),
            rules("gemini", &["google.genai", "ai.google.dev"]),
        ];
        let cases: [(&str, &[&str], bool); 7] = [
            (
                "groq.AuthenticationError: Error code: 401",
                &["groq"],
                false,
            ),
            (
                "model `openai/gpt-oss-120b` at https://console.groq.com/settings",
                &["groq"],
                false,
            ),
            ("openai.RateLimitError: Error code: 429", &["openai"], false),
            (
                "google.genai.errors.ClientError: 429 RESOURCE_EXHAUSTED",
                &["gemini"],
                false,
            ),
            (
                "see https://ai.google.dev/gemini-api/docs",
                &["gemini"],
                false,
            ),
            (
                "Invalid API key. See https://api.together.xyz/settings",
                &[],
                true,
            ),
            ("Error code: 401 - invalid_api_key", &[], false),
        ];
        for (text, known, unknown) in cases {
            let evidence = Evidence::read(text, None);
            let named = named_providers(&providers, &evidence);
            let known: BTreeSet<&str> = known.iter().copied().collect();
            assert_eq!(named.known, known, "{text}");
            assert_eq!(named.unknown, unknown, "{text}");
        }
    }
}
