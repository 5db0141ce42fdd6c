//! When no entry explains an error: the entries whose words come closest to it.
//!
//! A lookup with no candidate is not a dead end. The error's search terms (the same
//! terms the site's search index holds) are compared with the terms of each entry's
//! rules: its id, its code and its messages. The entries that share the most are offered,
//! clearly as *not* a match: they are where a reader may look next, not the fix.

use std::collections::BTreeSet;

use super::matcher::{EntryRules, LookupIndex};
use super::tokenize::terms;

/// How many entries are offered at most.
const MAX_CLOSEST: usize = 3;

impl LookupIndex {
    /// Up to three entries (by position) sharing the most search terms with `text`,
    /// most first; none when no entry shares any.
    pub(crate) fn closest(&self, text: &str) -> Vec<usize> {
        let wanted: BTreeSet<String> = terms(text).into_iter().collect();
        let mut shared: Vec<(usize, usize)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, rules)| (rule_terms(rules).intersection(&wanted).count(), i))
            .filter(|(count, _)| *count > 0)
            .collect();
        shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        shared
            .into_iter()
            .take(MAX_CLOSEST)
            .map(|(_, i)| i)
            .collect()
    }
}

fn rule_terms(rules: &EntryRules) -> BTreeSet<String> {
    let texts = [
        rules.id.as_str(),
        rules.code.as_str(),
        rules.message.as_str(),
    ];
    texts
        .into_iter()
        .chain(rules.messages.iter().map(String::as_str))
        .flat_map(terms)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::matcher::{LOOKUP_VERSION, POINTS};

    fn rules(id: &str, code: &str, message: &str) -> EntryRules {
        serde_json::from_value(serde_json::json!({
            "id": id, "provider": id.split('/').next().unwrap(), "code": code,
            "message": crate::search::tokenize::phrase(message),
        }))
        .unwrap()
    }

    #[test]
    fn the_closest_entries_share_the_most_words_with_the_error() {
        let index = LookupIndex {
            version: LOOKUP_VERSION,
            points: POINTS,
            base_url: "https://example.org/".into(),
            languages: vec!["en".into()],
            providers: Vec::new(),
            entries: vec![
                rules(
                    "openai/invalid-api-key",
                    "invalid_api_key",
                    "Incorrect API key provided",
                ),
                rules(
                    "gemini/unavailable",
                    "UNAVAILABLE",
                    "The model is overloaded",
                ),
                rules(
                    "openai/server-error",
                    "server_error",
                    "The server had an error",
                ),
            ],
        };
        assert_eq!(index.closest("the model server is overloaded"), [1, 2]);
        assert_eq!(index.closest("API key revoked by the admin"), [0]);
        assert!(index.closest("nothing in common").is_empty());
    }
}
