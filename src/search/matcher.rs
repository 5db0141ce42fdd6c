//! Which entry explains a pasted error: the entries' `match` rules against its evidence.
//!
//! The rules of every entry are gathered once into a [`LookupIndex`], written to the
//! site as `lookup.json` for the browser and read back by `errbook lookup`. Scores are
//! integers, written into `lookup.json` ([`Points`]), so that `static/search/match.js` reaches
//! exactly the same numbers:
//!
//! | evidence                                                  | points |
//! | --------------------------------------------------------- | ------ |
//! | structured `code` or `reason` equal to the entry's        | +100   |
//! | structured `type` or `status` equal to the entry's        | +40    |
//! | the entry's code standing in text (`insufficient_quota`, or in capitals: `UNAVAILABLE`) | +60 |
//! | one of the entry's messages in the text                   | +60    |
//! | the entry's whole verbatim message in the text            | +20    |
//! | the HTTP status is / is not one of the entry's            | +30 / −60 |
//! | the text names the entry's provider / only another one    | +40 / −40 |
//! | a structured `code`, `reason`, `status`, `type` the rules list but do not match | −50, −50, −30, −20 |
//! | a `message` field, and none of the entry's messages in the text | −30 |
//!
//! The entry's own `code` counts as a code, type, status and reason. An entry is a
//! candidate only with some identifying evidence (an identifier or a message); the best
//! is *confident* with at least 60 points and 25 more than the next one. A provider is
//! named by a host of its links (`platform.openai.com`, `ai.google.dev`) or a `hints:`
//! phrase of its file: that is what tells Gemini's 429 from OpenAI's, whose messages are
//! the same.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use super::tokenize::phrase;
use crate::model::{Entry, KnowledgeBase, Provider};

/// The points of each kind of evidence, and the thresholds of confidence. They are
/// written into `lookup.json`, so that the browser weighs evidence with the very numbers
/// the build used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Points {
    pub code: i32,
    pub reason: i32,
    pub r#type: i32,
    pub status: i32,
    pub code_in_text: i32,
    pub message: i32,
    pub full_message: i32,
    pub http_match: i32,
    pub http_mismatch: i32,
    pub provider: i32,
    pub other_provider: i32,
    pub code_mismatch: i32,
    pub reason_mismatch: i32,
    pub status_mismatch: i32,
    pub type_mismatch: i32,
    /// The error has a message field, and none of the entry's messages is in it.
    pub message_mismatch: i32,
    /// A best match needs this many points…
    pub confident: i32,
    /// …and this many more than the next candidate, to be confident.
    pub margin: i32,
    /// Runners-up are kept when they come this close to the best…
    pub window: i32,
    /// …up to this many candidates in all.
    pub max: usize,
}

pub const POINTS: Points = Points {
    code: 100,
    reason: 100,
    r#type: 40,
    status: 40,
    code_in_text: 60,
    message: 60,
    full_message: 20,
    http_match: 30,
    http_mismatch: -60,
    provider: 40,
    other_provider: -40,
    code_mismatch: -50,
    reason_mismatch: -50,
    status_mismatch: -30,
    type_mismatch: -20,
    message_mismatch: -30,
    confident: 60,
    margin: 25,
    window: 60,
    max: 4,
};

/// Format version of `lookup.json`; bump it when the shape or the scores change.
pub const LOOKUP_VERSION: u32 = 1;

/// The match rules of a whole site, normalized: identifiers folded, messages as phrases.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LookupIndex {
    pub version: u32,
    pub points: Points,
    pub base_url: String,
    pub languages: Vec<String>,
    pub providers: Vec<ProviderRules>,
    pub entries: Vec<EntryRules>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProviderRules {
    pub id: String,
    pub name: String,
    /// Phrases that name the provider in an error: hosts of its links, and its `hints`.
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EntryRules {
    /// `provider/slug`.
    pub id: String,
    pub provider: String,
    /// The provider's code, verbatim.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The section a lookup opens (`steps`), or empty for the top of the page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub anchor: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http: Vec<u16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// The whole verbatim message, as a phrase.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One candidate entry, by its position in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub entry: usize,
    pub score: i32,
}

/// The answer to one lookup: candidates best first, and whether the first is confident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub candidates: Vec<Candidate>,
    pub confident: bool,
}

impl Lookup {
    pub fn best(&self) -> Option<Candidate> {
        self.candidates.first().copied()
    }
}

impl LookupIndex {
    /// Gathers the rules of every entry of `kb`.
    pub fn build(kb: &KnowledgeBase, base_url: &str) -> LookupIndex {
        LookupIndex {
            version: LOOKUP_VERSION,
            points: POINTS,
            base_url: base_url.to_string(),
            languages: kb.site.languages.codes().to_vec(),
            providers: kb.providers.iter().map(provider_rules).collect(),
            entries: kb.entries.iter().map(|e| entry_rules(e)).collect(),
        }
    }

    /// The entries that explain `evidence`, best first.
    pub fn lookup(&self, evidence: &Evidence) -> Lookup {
        let named: BTreeSet<&str> = self
            .providers
            .iter()
            .filter(|p| p.hints.iter().any(|h| names(evidence, h)))
            .map(|p| p.id.as_str())
            .collect();
        let mut candidates: Vec<Candidate> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, rules)| {
                score(rules, evidence, &named, &self.points)
                    .map(|score| Candidate { entry: i, score })
            })
            .filter(|c| c.score > 0)
            .collect();
        candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        let best = candidates.first().map_or(0, |c| c.score);
        let p = &self.points;
        candidates.retain(|c| c.score >= best - p.window);
        candidates.truncate(p.max);
        let confident = best >= p.confident
            && candidates
                .get(1)
                .is_none_or(|next| best - next.score >= p.margin);
        Lookup {
            candidates,
            confident,
        }
    }

    /// The absolute URL of an entry in `lang`, at its lookup anchor.
    pub fn url(&self, rules: &EntryRules, lang: &str) -> String {
        let anchor = if rules.anchor.is_empty() {
            String::new()
        } else {
            format!("#{}", rules.anchor)
        };
        format!("{}{lang}/{}/{anchor}", self.base_url, rules.id)
    }
}

/// Does the evidence name this hint: a word, or a phrase of several?
fn names(evidence: &Evidence, hint: &str) -> bool {
    if hint.contains(' ') {
        evidence.phrase.contains(&format!(" {hint} "))
    } else {
        evidence.words.contains(hint)
    }
}

/// The points of one entry, or `None` when nothing identifies it.
fn score(rules: &EntryRules, e: &Evidence, named: &BTreeSet<&str>, p: &Points) -> Option<i32> {
    let code = rules.code.to_lowercase();
    let kinds: [(&[String], &[String], i32, i32); 4] = [
        (&e.codes, &rules.codes, p.code, p.code_mismatch),
        (&e.reasons, &rules.reasons, p.reason, p.reason_mismatch),
        (&e.types, &rules.types, p.r#type, p.type_mismatch),
        (&e.statuses, &rules.statuses, p.status, p.status_mismatch),
    ];
    let mut total = 0;
    let mut identified = false;
    for (found, listed, points, mismatch) in kinds {
        if found.iter().any(|f| *f == code || listed.contains(f)) {
            total += points;
            identified = true;
        } else if !found.is_empty() && !listed.is_empty() {
            total += mismatch;
        }
    }
    if !identified
        && std::iter::once(&code)
            .chain(&rules.codes)
            .chain(&rules.reasons)
            .chain(&rules.statuses)
            .any(|id| (id.contains('_') && e.words.contains(id)) || e.shouted.contains(id))
    {
        total += p.code_in_text;
        identified = true;
    }
    // Every word of a contained message is a word of the text: a cheap test first.
    let contains = |m: &String| {
        m.split(' ').next().is_some_and(|w| e.words.contains(w))
            && e.phrase.contains(&format!(" {m} "))
    };
    let full = contains(&rules.message);
    if full || rules.messages.iter().any(contains) {
        total += p.message;
        identified = true;
    }
    if full {
        total += p.full_message;
    } else if e.has_message && !rules.messages.is_empty() && !rules.messages.iter().any(contains) {
        total += p.message_mismatch;
    }
    if let Some(status) = e.http_status
        && !rules.http.is_empty()
    {
        total += if rules.http.contains(&status) {
            p.http_match
        } else {
            p.http_mismatch
        };
    }
    if !named.is_empty() {
        total += if named.contains(rules.provider.as_str()) {
            p.provider
        } else {
            p.other_provider
        };
    }
    identified.then_some(total)
}

fn provider_rules(provider: &Provider) -> ProviderRules {
    let links = [
        provider.homepage.as_deref(),
        provider.support.url.as_deref(),
        provider.support.docs.as_deref(),
        provider.support.status.as_deref(),
        provider.alternative.as_ref().map(|a| a.signup.as_str()),
    ];
    let mut hints: Vec<String> = Vec::new();
    let hosts = links.into_iter().flatten().filter_map(host_of);
    for hint in hosts.chain(provider.hints.iter().map(|h| phrase(h))) {
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

/// `platform.openai.com` of `https://platform.openai.com/docs`, as a phrase.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    Some(phrase(host)).filter(|h| !h.is_empty() && !h.contains(' '))
}

fn entry_rules(entry: &Entry) -> EntryRules {
    let rules = &entry.match_rules;
    let folded = |v: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in v.iter().map(|s| s.trim().to_lowercase()) {
            if !id.is_empty() && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    };
    let http = if rules.http_status.is_empty() {
        entry.http_status.into_iter().collect()
    } else {
        rules.http_status.clone()
    };
    EntryRules {
        id: entry.id(),
        provider: entry.provider.clone(),
        code: entry.code.clone(),
        http_status: entry.http_status,
        anchor: lookup_anchor(entry),
        codes: folded(&rules.codes),
        types: folded(&rules.types),
        statuses: folded(&rules.statuses),
        reasons: folded(&rules.reasons),
        http,
        messages: rules
            .messages
            .iter()
            .map(|m| phrase(m))
            .filter(|m| !m.is_empty())
            .collect(),
        message: entry.message.as_deref().map(phrase).unwrap_or_default(),
    }
}

/// Where a lookup lands: the fix if the entry has steps, else what the error means.
pub fn lookup_anchor(entry: &Entry) -> String {
    let anchor = if !entry.steps.is_empty() {
        "steps"
    } else if !entry.causes.is_empty() {
        "causes"
    } else if entry.meaning.is_some() {
        "meaning"
    } else {
        ""
    };
    anchor.to_string()
}
