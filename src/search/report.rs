//! What `errbook lookup` prints: a few lines for people, or JSON for programs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evidence::Evidence;
use super::matcher::{Lookup, LookupIndex};

/// How sure a lookup is of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Confidence {
    /// One entry explains the error: `matches[0]`.
    Found,
    /// Evidence is split or too weak: `matches` are the candidates, to choose from.
    Ambiguous,
    /// No entry explains the error; `closest` may still offer some to read.
    None,
}

/// The answer to a lookup, as `--json` prints it.
#[derive(Debug, Serialize)]
pub(crate) struct LookupReport {
    pub confidence: Confidence,
    /// `confidence` is `found`.
    pub confident: bool,
    /// What was read from the error (secrets already removed).
    pub evidence: EvidenceView,
    /// The answer, or the candidates when ambiguous, best first; empty when none.
    pub matches: Vec<MatchView>,
    /// When nothing matched: the entries whose words come closest, which are *not*
    /// matches (their `score` is 0).
    pub closest: Vec<MatchView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct EvidenceView {
    pub http_status: Option<u16>,
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MatchView {
    pub id: String,
    pub provider: String,
    pub code: String,
    pub http_status: Option<u16>,
    pub score: i32,
    /// The section the URLs open at (`steps`), or empty for the top of the page.
    pub anchor: String,
    /// The entry's URL in every language, at `anchor`.
    pub urls: BTreeMap<String, String>,
}

impl LookupReport {
    /// The report of `found`; with no candidate, the entries closest to `text`.
    pub(crate) fn new(
        index: &LookupIndex,
        evidence: &Evidence,
        found: &Lookup,
        text: &str,
    ) -> Self {
        let view = |entry: usize, score: i32| {
            let rules = &index.entries[entry];
            MatchView {
                id: rules.id.clone(),
                provider: rules.provider.clone(),
                code: rules.code.clone(),
                http_status: rules.http_status,
                score,
                anchor: rules.anchor.clone(),
                urls: index
                    .languages
                    .iter()
                    .map(|lang| (lang.clone(), index.url(rules, lang)))
                    .collect(),
            }
        };
        let matches = found.candidates.iter().map(|c| view(c.entry, c.score));
        let closest = if found.candidates.is_empty() {
            index
                .closest(text)
                .into_iter()
                .map(|i| view(i, 0))
                .collect()
        } else {
            Vec::new()
        };
        let confidence = if found.confident {
            Confidence::Found
        } else if found.candidates.is_empty() {
            Confidence::None
        } else {
            Confidence::Ambiguous
        };
        LookupReport {
            confidence,
            confident: found.confident,
            evidence: EvidenceView {
                http_status: evidence.http_status,
                codes: evidence.codes.clone(),
                types: evidence.types.clone(),
                statuses: evidence.statuses.clone(),
                reasons: evidence.reasons.clone(),
            },
            matches: matches.collect(),
            closest,
        }
    }

    /// The report for people, with URLs in `lang`.
    pub(crate) fn to_text(&self, lang: &str) -> String {
        let line = |m: &MatchView| {
            let status = m.http_status.map(|s| format!(" {s}")).unwrap_or_default();
            let score = if m.score > 0 {
                format!(", score {}", m.score)
            } else {
                String::new()
            };
            format!(
                "{}  ({}{status} {}{score})\n  {}\n",
                m.id,
                m.provider,
                m.code,
                m.urls.get(lang).map_or("", String::as_str)
            )
        };
        let mut out = String::new();
        let (heading, rest_heading) = match self.confidence {
            Confidence::Found => ("", "runners-up:\n"),
            Confidence::Ambiguous => (
                "ambiguous: the evidence fits several entries, or too weakly; pick the one that matches your provider:\n",
                "",
            ),
            Confidence::None if self.closest.is_empty() => ("no entry explains this error\n", ""),
            Confidence::None => (
                "no entry explains this error; not a match, but the closest entries are:\n",
                "",
            ),
        };
        out.push_str(heading);
        let shown = if self.matches.is_empty() {
            &self.closest
        } else {
            &self.matches
        };
        for (i, m) in shown.iter().enumerate() {
            if i == 1 {
                out.push_str(rest_heading);
            }
            out.push_str(&line(m));
        }
        out
    }
}
