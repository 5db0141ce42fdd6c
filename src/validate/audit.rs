//! Rules that `check` adds to those of `build`: how fresh the facts are, and whether
//! every anchor that was ever published still exists.
//!
//! The anchors lock file (`anchors.lock`, written by `check --update-lock`) lists every
//! page and anchor of the site. Links in the wild point at them, so removing one without
//! keeping its old id as an alias is an error.

use std::collections::HashSet;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Position};
use crate::load::RawEntries;
use crate::model::{Date, KnowledgeBase};
use crate::search::keys::LookupKeys;
use crate::search::{Evidence, LookupIndex};
use rayon::prelude::*;

/// The knowledge-base file that records published anchors.
pub const LOCK_FILE: &str = "anchors.lock";

/// What `check` compares the content with.
pub struct AuditSettings {
    pub today: Date,
    /// Dates older than this many days are reported.
    pub max_age_days: u32,
    /// The text of the anchors lock file, when there is one.
    pub lock: Option<String>,
}

/// Every audit finding: dates always, the lock when the knowledge base is valid.
pub(crate) fn audit(
    kb: Option<&KnowledgeBase>,
    raw: &RawEntries,
    settings: &AuditSettings,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (_, loaded) in raw {
        let dates = std::iter::once(("updated", &loaded.value.updated)).chain(
            loaded
                .value
                .last_verified
                .as_ref()
                .map(|d| ("last_verified", d)),
        );
        for (field, value) in dates {
            let Some(date) = Date::parse(&value.value) else {
                continue;
            };
            if let Some(d) = check_date(field, date, settings) {
                let position = loaded
                    .file
                    .position(&value.location, value.value.chars().count());
                found.push(d.at(position).in_file(&loaded.file.path));
            }
        }
    }
    if let (Some(kb), Some(lock)) = (kb, &settings.lock) {
        found.extend(check_lock(kb, lock));
    }
    if let Some(kb) = kb {
        found.extend(check_fixtures(kb, raw));
    }
    found
}

/// Every fixture must look up, confidently, to its own entry and to no other.
fn check_fixtures(kb: &KnowledgeBase, raw: &RawEntries) -> Vec<Diagnostic> {
    let index = LookupIndex::build(kb, &kb.site.base_url);
    // Score only the entries a fixture's words can reach, as `errbook lookup` does:
    // scoring every entry for every fixture would grow with the square of the site.
    let keys = LookupKeys::new(&index, index.entries.len().max(1), Vec::new());
    let per_entry: Vec<Vec<Diagnostic>> = raw.par_iter().map(|(path, loaded)| {
        let own = format!("{}/{}", path.folder, path.slug);
        let mut found = Vec::new();
        for fixture in &loaded.value.fixtures {
            let evidence = Evidence::read(&fixture.body.value, fixture.http_status);
            let wanted: Vec<usize> = keys.candidates(&evidence).into_iter().collect();
            let narrowed = keys.index_of(wanted.iter().map(|&i| index.entries[i].clone()).collect());
            let lookup = narrowed.lookup(&evidence);
            let id = |c: &crate::search::Candidate| index.entries[wanted[c.entry]].id.clone();
            let problem = match lookup.best().map(|c| id(&c)) {
                None => "matches no entry".to_string(),
                Some(best) if best != own => format!("looks up to `{best}`, not to this entry"),
                Some(_) if !lookup.confident => {
                    let others: Vec<String> = lookup.candidates.iter().skip(1).map(id).collect();
                    format!("matches this entry, but not confidently (close: {})", others.join(", "))
                }
                Some(_) => continue,
            };
            let name = fixture.name.as_ref().map_or("a fixture".to_string(), |n| format!("fixture `{}`", n.value));
            let position = loaded.file.position(&fixture.body.location, 1);
            found.push(
                Diagnostic::error(&loaded.file.path, format!("{name} {problem}"))
                    .at(position)
                    .with_hint("add the error's code, type, status or message to this entry's `match:` rules (`errbook lookup` shows the evidence it reads)"),
            );
        }
        found
    }).collect();
    per_entry.into_iter().flatten().collect()
}

fn check_date(field: &str, date: Date, settings: &AuditSettings) -> Option<Diagnostic> {
    let age = settings.today.days_since_epoch() - date.days_since_epoch();
    if age < 0 {
        Some(
            Diagnostic::error("", format!("`{field}` is in the future: {date}")).with_hint(
                format!(
                    "today is {}; use the date the facts were checked",
                    settings.today
                ),
            ),
        )
    } else if age > i64::from(settings.max_age_days) {
        Some(
            Diagnostic::warning("", format!("`{field}` is {age} days old ({date})"))
                .with_hint(format!("check the facts against the provider's documentation and update the date (the limit is {} days: `--max-age`)", settings.max_age_days)),
        )
    } else {
        None
    }
}

/// The lock file's lines for `kb`: one per page (`provider/slug`) and anchor (`provider/slug#anchor`).
pub fn render_lock(kb: &KnowledgeBase) -> String {
    let mut out = String::from(
        "# Every page and anchor that errbook has published. Links in the wild point at them:\n# `errbook check` fails if one disappears without an alias. Update with `errbook check --update-lock`.\n",
    );
    let mut lines: Vec<String> = Vec::new();
    for entry in &kb.entries {
        let id = entry.id();
        lines.push(id.clone());
        lines.extend(entry.anchors().into_iter().map(|a| format!("{id}#{a}")));
    }
    lines.sort();
    lines.dedup();
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn check_lock(kb: &KnowledgeBase, lock: &str) -> Vec<Diagnostic> {
    let mut live: HashSet<String> = HashSet::new();
    for entry in &kb.entries {
        for slug in std::iter::once(&entry.slug).chain(&entry.aliases) {
            let id = format!("{}/{slug}", entry.provider);
            live.extend(entry.anchors().into_iter().map(|a| format!("{id}#{a}")));
            live.insert(id);
        }
    }
    let mut found = Vec::new();
    for (number, line) in lock.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || live.contains(line) {
            continue;
        }
        let position = Position::in_source(lock, number + 1, 1, line.chars().count());
        let (message, hint) = match line.split_once('#') {
            Some((page, anchor)) => (
                format!("published anchor `#{anchor}` of `{page}` has disappeared"),
                "keep the old id in the item's `aliases:` so that old links still land on it, or run `errbook check --update-lock` to accept the broken link",
            ),
            None => (
                format!("published page `{line}` has disappeared"),
                "add the old slug to the `aliases:` of the entry that replaces it, or run `errbook check --update-lock` to accept the broken link",
            ),
        };
        found.push(
            Diagnostic::error(LOCK_FILE, message)
                .at(position)
                .with_hint(hint),
        );
    }
    found
}

impl Diagnostic {
    fn in_file(mut self, file: &Path) -> Diagnostic {
        self.file = file.to_path_buf();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_future_are_errors_and_old_ones_warnings() {
        let settings = AuditSettings {
            today: Date::parse("2026-11-28").unwrap(),
            max_age_days: 365,
            lock: None,
        };
        let severity =
            |d: &str| check_date("updated", Date::parse(d).unwrap(), &settings).map(|d| d.severity);
        use crate::diagnostic::Severity::*;
        assert_eq!(severity("2026-11-29"), Some(Error));
        assert_eq!(severity("2026-11-28"), None);
        assert_eq!(severity("2025-11-28"), None);
        assert_eq!(severity("2025-11-27"), Some(Warning));
    }
}
