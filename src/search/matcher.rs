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
//! candidate only with some identifying evidence (an identifier or a message). A
//! provider is named by its SDK's module, a host of its links or a `hints:` phrase of its
//! file (`search/providers.rs`): that is what tells Gemini's 429 from OpenAI's, whose
//! messages are the same, and Groq's `invalid_api_key` from OpenAI's.
//!
//! The best candidate is *confident* with at least 60 points, 25 more than the next one,
//! and when it is *trusted*: the HTTP status is one its rule allows, and either the
//! error names its provider, or it names no other (nor a host no provider claims) and
//! the entry's message is in it or nothing contradicts the entry. A code that several
//! providers share thus never decides alone against a message or a provider that are
//! another's. Otherwise lookup answers with the candidates, and says it is not sure.

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
pub(crate) use super::providers::ProviderRules;
use super::providers::{Named, named_providers, provider_rules};
use super::tokenize::phrase;
use crate::model::{Entry, KnowledgeBase};

/// The points of each kind of evidence, and the thresholds of confidence. They are
/// written into `lookup.json`, so that the browser weighs evidence with the very numbers
/// the build used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Points {
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

pub(crate) const POINTS: Points = Points {
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
pub(crate) const LOOKUP_VERSION: u32 = 2;

/// The match rules of a whole site, normalized: identifiers folded, messages as phrases.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LookupIndex {
    pub version: u32,
    pub(crate) points: Points,
    pub base_url: String,
    pub languages: Vec<String>,
    pub(crate) providers: Vec<ProviderRules>,
    pub entries: Vec<EntryRules>,
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
    /// Whether the entry may be the answer on its own: nothing contradicts it, or
    /// something names its provider or its message (see the module doc).
    pub trusted: bool,
}

/// The answer to one lookup: candidates best first, and whether the first is confident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub candidates: Vec<Candidate>,
    pub confident: bool,
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
        let named = named_providers(&self.providers, evidence);
        let mut candidates: Vec<Candidate> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, rules)| {
                score(rules, evidence, &named, &self.points).map(|(score, trusted)| Candidate {
                    entry: i,
                    score,
                    trusted,
                })
            })
            .filter(|c| c.score > 0)
            .collect();
        candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        let best = candidates.first().map_or(0, |c| c.score);
        let p = &self.points;
        candidates.retain(|c| c.score >= best - p.window);
        candidates.truncate(p.max);
        let confident = candidates.first().is_some_and(|c| c.trusted)
            && best >= p.confident
            && candidates
                .get(1)
                .is_none_or(|next| best - next.score >= p.margin);
        Lookup {
            candidates,
            confident,
        }
    }

    /// The absolute URL of an entry in `lang`, at its lookup anchor.
    pub(crate) fn url(&self, rules: &EntryRules, lang: &str) -> String {
        let anchor = if rules.anchor.is_empty() {
            String::new()
        } else {
            format!("#{}", rules.anchor)
        };
        format!("{}{lang}/{}/{anchor}", self.base_url, rules.id)
    }
}

/// The points of one entry and whether it is trusted, or `None` when nothing
/// identifies it.
fn score(rules: &EntryRules, e: &Evidence, named: &Named, p: &Points) -> Option<(i32, bool)> {
    let code = rules.code.to_lowercase();
    let kinds: [(&[String], &[String], i32, i32); 4] = [
        (&e.codes, &rules.codes, p.code, p.code_mismatch),
        (&e.reasons, &rules.reasons, p.reason, p.reason_mismatch),
        (&e.types, &rules.types, p.r#type, p.type_mismatch),
        (&e.statuses, &rules.statuses, p.status, p.status_mismatch),
    ];
    let mut total = 0;
    let mut identified = false;
    let mut contrary = false;
    for (found, listed, points, mismatch) in kinds {
        if found.iter().any(|f| *f == code || listed.contains(f)) {
            total += points;
            identified = true;
        } else if !found.is_empty() && !listed.is_empty() {
            total += mismatch;
            contrary = true;
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
    let (points, worded) = message_points(rules, e, p);
    total += points;
    identified |= worded;
    contrary |= points < 0;
    let mut status_agrees = true;
    if let Some(status) = e.http_status
        && !rules.http.is_empty()
    {
        status_agrees = rules.http.contains(&status);
        total += if status_agrees {
            p.http_match
        } else {
            p.http_mismatch
        };
    }
    let own = named.known.contains(rules.provider.as_str());
    if !named.known.is_empty() {
        total += if own { p.provider } else { p.other_provider };
    }
    let elsewhere = named.unknown || (!named.known.is_empty() && !own);
    // An identifier may be shared by several providers: alone, it never decides
    // against a message that is not the entry's, or an error that names another
    // provider. A status the rule does not allow always rules the entry out.
    let trusted = status_agrees && (own || (!elsewhere && (worded || !contrary)));
    identified.then_some((total, trusted))
}

/// The points of the entry's messages, and whether one of them is in the error.
fn message_points(rules: &EntryRules, e: &Evidence, p: &Points) -> (i32, bool) {
    // Every word of a contained message is a word of the text: a cheap test first.
    let contains = |m: &String| {
        m.split(' ').next().is_some_and(|w| e.words.contains(w))
            && e.phrase.contains(&format!(" {m} "))
    };
    let full = contains(&rules.message);
    if full {
        (p.message + p.full_message, true)
    } else if rules.messages.iter().any(contains) {
        (p.message, true)
    } else if e.has_message && !rules.messages.is_empty() {
        (p.message_mismatch, false)
    } else {
        (0, false)
    }
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
pub(crate) fn lookup_anchor(entry: &Entry) -> String {
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
