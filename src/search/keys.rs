//! Finding lookup candidates without reading every rule.
//!
//! At 10,000 entries the match rules weigh megabytes. The build writes them in chunks
//! (`lookup/r-<hash>.json`) with a keys file (`lookup/keys.json`): each entry under its
//! identifiers and under the rarest run of words of each message. Lookup probes the keys
//! with the evidence, loads the chunks of the candidates, and scores those alone — the
//! same answers as scoring every entry, since an entry scores only with an identifier or
//! a whole message found in the error. `static/search/client.js` probes the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use super::matcher::{EntryRules, LookupIndex, Points, ProviderRules};

/// Where the keys file is, from the site root.
pub(crate) const LOOKUP_KEYS: &str = "lookup/keys.json";

/// `lookup/keys.json`: everything but the rules themselves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LookupKeys {
    pub version: u32,
    pub base_url: String,
    pub languages: Vec<String>,
    pub points: Points,
    pub providers: Vec<ProviderRules>,
    /// Entries per chunk of rules.
    pub per_chunk: usize,
    /// The chunk files, from the site root, in entry order.
    pub chunks: Vec<String>,
    pub keys: BTreeMap<String, Vec<usize>>,
}

impl LookupKeys {
    /// The keys of `index`, its rules to be written in `chunks` of `per_chunk`.
    pub(crate) fn new(index: &LookupIndex, per_chunk: usize, chunks: Vec<String>) -> LookupKeys {
        LookupKeys {
            version: index.version,
            base_url: index.base_url.clone(),
            languages: index.languages.clone(),
            points: index.points,
            providers: index.providers.clone(),
            per_chunk,
            chunks,
            keys: build_keys(index),
        }
    }

    /// The numbers of the entries that may score on `evidence`, in order.
    pub(crate) fn candidates(&self, e: &Evidence) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        let mut probe = |key: &str| {
            if let Some(list) = self.keys.get(key) {
                found.extend(list.iter().copied());
            }
        };
        let idents = [&e.codes, &e.types, &e.statuses, &e.reasons];
        idents.into_iter().flatten().for_each(|k| probe(k));
        e.words.iter().chain(&e.shouted).for_each(|k| probe(k));
        for segment in e.phrase.split(" | ") {
            let words: Vec<&str> = segment.trim().split(' ').collect();
            for n in 2..=3 {
                words.windows(n).for_each(|run| probe(&run.join(" ")));
            }
        }
        found
    }

    /// An index of the `rules` of some entries only (given in entry order): lookups
    /// score those alone, and number them in that order.
    pub(crate) fn index_of(&self, rules: Vec<EntryRules>) -> LookupIndex {
        LookupIndex {
            version: self.version,
            points: self.points,
            base_url: self.base_url.clone(),
            languages: self.languages.clone(),
            providers: self.providers.clone(),
            entries: rules,
        }
    }
}

/// What lookup probes to find candidates without reading every rule: each
/// entry under its identifiers (code, codes, types, statuses, reasons, folded) and,
/// for each message, under its rarest run of one to three words (the fewest entries
/// share it; then the shortest; then the first). An entry that scores has an
/// identifier among the evidence's identifiers or words, or a message whose every
/// run of words is in the text: probing those finds every candidate.
pub(crate) fn build_keys(index: &LookupIndex) -> BTreeMap<String, Vec<usize>> {
    let mut frequency: HashMap<String, usize> = HashMap::new();
    for rules in &index.entries {
        let runs: BTreeSet<String> = messages(rules).flat_map(|m| word_runs(m)).collect();
        for run in runs {
            *frequency.entry(run).or_default() += 1;
        }
    }
    let mut keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, rules) in index.entries.iter().enumerate() {
        let idents = [&rules.codes, &rules.types, &rules.statuses, &rules.reasons];
        let mut own: Vec<String> = idents.into_iter().flatten().cloned().collect();
        own.push(rules.code.to_lowercase());
        for message in messages(rules) {
            let rarest = word_runs(message)
                .enumerate()
                .min_by_key(|(order, run)| {
                    let words = run.matches(' ').count();
                    (frequency.get(run).copied().unwrap_or(0), words, *order)
                })
                .map(|(_, run)| run);
            own.extend(rarest);
        }
        for key in own {
            let list = keys.entry(key).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    keys
}

/// An entry's messages, as phrases.
fn messages(rules: &EntryRules) -> impl Iterator<Item = &String> {
    std::iter::once(&rules.message)
        .chain(&rules.messages)
        .filter(|m| !m.is_empty())
}

/// Every run of one, two and three consecutive words of a phrase.
fn word_runs(phrase: &str) -> impl Iterator<Item = String> + '_ {
    let words: Vec<&str> = phrase.split(' ').collect();
    (1..=3).flat_map(move |n| {
        let runs: Vec<String> = words.windows(n).map(|w| w.join(" ")).collect();
        runs
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::matcher::POINTS;

    fn rules(id: &str, code: &str, messages: &[&str]) -> EntryRules {
        EntryRules {
            id: id.into(),
            provider: id.split('/').next().unwrap().into(),
            code: code.into(),
            http_status: None,
            anchor: String::new(),
            codes: vec![],
            types: vec![],
            statuses: vec![],
            reasons: vec![],
            http: vec![],
            messages: messages.iter().map(|m| m.to_string()).collect(),
            message: String::new(),
        }
    }

    #[test]
    fn keys_find_every_entry_that_can_score() {
        let index = LookupIndex {
            version: 1,
            points: POINTS,
            base_url: "https://example.org/".into(),
            languages: vec!["en".into()],
            providers: vec![],
            entries: vec![
                rules(
                    "a/quota",
                    "insufficient_quota",
                    &["you exceeded your current quota"],
                ),
                rules(
                    "b/quota",
                    "RESOURCE_EXHAUSTED",
                    &["you exceeded your current quota"],
                ),
                rules("c/limit", "rate_limit", &["rate limit reached for model"]),
                rules("d/limit", "other", &["rate limit reached for requests"]),
            ],
        };
        let keys = LookupKeys::new(&index, 2, vec!["r0".into(), "r1".into()]);
        let cases: [(&str, &[usize]); 5] = [
            ("Error code: 429 - insufficient_quota", &[0]),
            ("429 RESOURCE_EXHAUSTED", &[1]),
            ("You exceeded your current quota.", &[0, 1]),
            ("Rate limit reached for model `llama`", &[2]),
            ("nothing to see", &[]),
        ];
        for (text, expected) in cases {
            let found: Vec<usize> = keys
                .candidates(&Evidence::read(text, None))
                .into_iter()
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }
}
