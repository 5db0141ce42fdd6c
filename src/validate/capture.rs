//! No entry may capture another's errors: every fixture looks up, confidently, to the
//! entry that holds it. Part of validation, so `build`, `check` and `serve` all apply it.
//!
//! When a fixture lands elsewhere, the problem is named where it can be fixed:
//! - if its own entry's rules do not match it at all, at the fixture (the rules lack it);
//! - otherwise at each entry that outscores it or comes too close, the *culprit*, at the
//!   rule or message that captured it: a short, generic message ("Overloaded") or a bare
//!   shared code takes other providers' errors, and is made specific in that one file.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Position};
use crate::load::{Loaded, RawEntries, RawEntry, Str};
use crate::model::KnowledgeBase;
use crate::search::keys::LookupKeys;
use crate::search::tokenize::phrase;
use crate::search::{Evidence, Lookup, LookupIndex};

/// A fixture another entry captured: the culprit's id and the rule that did it, and the
/// fixture (its name, entry and place).
struct Captured {
    culprit: String,
    rule: Position,
    victim: String,
}

type ById<'a> = HashMap<String, &'a Loaded<RawEntry>>;

/// Every capture and every fixture its own entry does not match.
pub(crate) fn check_captures(kb: &KnowledgeBase, raw: &RawEntries) -> Vec<Diagnostic> {
    let index = LookupIndex::build(kb, &kb.site.base_url);
    // Score only the entries a fixture's words can reach, as `errbook lookup` does:
    // scoring every entry for every fixture would grow with the square of the site.
    let keys = LookupKeys::new(&index, index.entries.len().max(1), Vec::new());
    let by_id: ById = raw
        .iter()
        .map(|(path, loaded)| (format!("{}/{}", path.folder, path.slug), &**loaded))
        .collect();
    let results: Vec<(Vec<Diagnostic>, Vec<Captured>)> = by_id
        .par_iter()
        .map(|(own, loaded)| check_entry(own, loaded, (&index, &keys), &by_id))
        .collect();
    let mut found = Vec::new();
    let mut captures: BTreeMap<String, (Position, Vec<String>)> = BTreeMap::new();
    for (diagnostics, captured) in results {
        found.extend(diagnostics);
        for c in captured {
            let (_, victims) = captures.entry(c.culprit).or_insert((c.rule, Vec::new()));
            victims.push(c.victim);
        }
    }
    for (culprit, (rule, mut victims)) in captures {
        victims.sort();
        let file = &by_id[&culprit].file.path;
        found.push(
            Diagnostic::error(
                file,
                format!("this entry's rules capture errors of other entries: {}", victims.join(", ")),
            )
            .at(rule)
            .with_hint("make this entry's rule specific: a longer message that only its provider sends, its HTTP status (`match: http_status:`), or its own code; `errbook lookup --json \"<error>\"` shows the evidence and the scores"),
        );
    }
    found
}

fn check_entry(
    own: &str,
    loaded: &Loaded<RawEntry>,
    (index, keys): (&LookupIndex, &LookupKeys),
    by_id: &ById,
) -> (Vec<Diagnostic>, Vec<Captured>) {
    let mut found = Vec::new();
    let mut captured = Vec::new();
    for fixture in &loaded.value.fixtures {
        let evidence = Evidence::read(&fixture.body.value, fixture.http_status);
        let wanted: Vec<usize> = keys.candidates(&evidence).into_iter().collect();
        let narrowed = keys.index_of(wanted.iter().map(|&i| index.entries[i].clone()).collect());
        let lookup = narrowed.lookup(&evidence);
        let ids: Vec<&str> = lookup
            .candidates
            .iter()
            .map(|c| index.entries[wanted[c.entry]].id.as_str())
            .collect();
        if lookup.confident && ids.first() == Some(&own) {
            continue;
        }
        let name = fixture.name.as_ref().map_or("a fixture".to_string(), |n| {
            format!("fixture `{}`", n.value)
        });
        let position = loaded.file.position(&fixture.body.location, 1);
        let culprits = culprits(own, &lookup, &ids, narrowed.points.margin);
        if culprits.is_empty() {
            let problem = own_problem(&ids, own);
            found.push(
                Diagnostic::error(&loaded.file.path, format!("{name} {problem}"))
                    .at(position)
                    .with_hint("add the error's code, type, status or message to this entry's `match:` rules (`errbook lookup --json` shows the evidence it reads)"),
            );
            continue;
        }
        let victim = format!(
            "{name} of `{own}` ({}:{})",
            loaded.file.path.display(),
            position.line
        );
        for culprit in culprits {
            let Some(guilty) = by_id.get(culprit) else {
                continue;
            };
            let rule = capturing_rule(&guilty.value, &evidence);
            captured.push(Captured {
                culprit: culprit.to_string(),
                rule: guilty
                    .file
                    .position(&rule.location, rule.value.chars().count()),
                victim: victim.clone(),
            });
        }
    }
    (found, captured)
}

/// The entries that take the fixture from `own`, which its rules do match: those that
/// outscore it or come within the margin of confidence.
fn culprits<'a>(own: &str, lookup: &Lookup, ids: &[&'a str], margin: i32) -> Vec<&'a str> {
    let Some(at) = ids.iter().position(|id| *id == own) else {
        return Vec::new();
    };
    let own_score = lookup.candidates[at].score;
    ids.iter()
        .zip(&lookup.candidates)
        .filter(|(id, c)| **id != own && c.score > own_score - margin)
        .map(|(id, _)| *id)
        .collect()
}

fn own_problem(ids: &[&str], own: &str) -> String {
    match ids.first() {
        None => "matches no entry".to_string(),
        Some(best) if *best != own => {
            format!("looks up to `{best}`, and this entry's rules do not match it")
        }
        Some(_) => "matches this entry, but not confidently (its status or provider disagree with the rules)".to_string(),
    }
}

/// The rule of `entry` that took the error: the shortest of its messages found in it
/// (the likeliest to be too generic), else an identifier found in it, else its code.
fn capturing_rule<'a>(entry: &'a RawEntry, evidence: &Evidence) -> &'a Str {
    let rules = entry.match_rules.as_ref();
    let messages = rules
        .into_iter()
        .flat_map(|r| &r.messages)
        .chain(&entry.message);
    let shortest = messages
        .map(|m| (phrase(&m.value), m))
        .filter(|(p, _)| !p.is_empty() && evidence.phrase.contains(&format!(" {p} ")))
        .min_by_key(|(p, _)| p.split(' ').count())
        .map(|(_, m)| m);
    let identifiers = rules.into_iter().flat_map(|r| {
        r.codes
            .iter()
            .chain(&r.reasons)
            .chain(&r.statuses)
            .chain(&r.types)
    });
    let mut found = identifiers.filter(|id| {
        let id = id.value.to_lowercase();
        evidence.words.contains(&id)
            || [
                &evidence.codes,
                &evidence.reasons,
                &evidence.statuses,
                &evidence.types,
            ]
            .iter()
            .any(|list| list.contains(&id))
    });
    shortest.or_else(|| found.next()).unwrap_or(&entry.code)
}
