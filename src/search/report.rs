//! What `errbook lookup` prints: a few lines for people, or JSON for programs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evidence::Evidence;
use super::matcher::{Lookup, LookupIndex};

/// The answer to a lookup, as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct LookupReport {
    pub confident: bool,
    /// What was read from the error (secrets already removed).
    pub evidence: EvidenceView,
    /// Best first; empty when nothing matched.
    pub matches: Vec<MatchView>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceView {
    pub http_status: Option<u16>,
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MatchView {
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
    pub fn new(index: &LookupIndex, evidence: &Evidence, found: &Lookup) -> Self {
        let matches = found
            .candidates
            .iter()
            .map(|c| {
                let rules = &index.entries[c.entry];
                MatchView {
                    id: rules.id.clone(),
                    provider: rules.provider.clone(),
                    code: rules.code.clone(),
                    http_status: rules.http_status,
                    score: c.score,
                    anchor: rules.anchor.clone(),
                    urls: index
                        .languages
                        .iter()
                        .map(|lang| (lang.clone(), index.url(rules, lang)))
                        .collect(),
                }
            })
            .collect();
        LookupReport {
            confident: found.confident,
            evidence: EvidenceView {
                http_status: evidence.http_status,
                codes: evidence.codes.clone(),
                types: evidence.types.clone(),
                statuses: evidence.statuses.clone(),
                reasons: evidence.reasons.clone(),
            },
            matches,
        }
    }

    /// The report for people, with URLs in `lang`.
    pub fn to_text(&self, lang: &str) -> String {
        let line = |m: &MatchView| {
            let status = m.http_status.map(|s| format!(" {s}")).unwrap_or_default();
            format!(
                "{}  ({}{status} {}, score {})\n  {}\n",
                m.id,
                m.provider,
                m.code,
                m.score,
                m.urls.get(lang).map_or("", String::as_str)
            )
        };
        let mut out = String::new();
        match self.matches.split_first() {
            None => out.push_str("no entry explains this error\n"),
            Some((best, rest)) => {
                if !self.confident {
                    out.push_str("no confident match; the closest entries are:\n");
                }
                out.push_str(&line(best));
                if !rest.is_empty() {
                    out.push_str(if self.confident {
                        "runners-up:\n"
                    } else {
                        "also close:\n"
                    });
                    for m in rest {
                        out.push_str(&line(m));
                    }
                }
            }
        }
        out
    }
}
