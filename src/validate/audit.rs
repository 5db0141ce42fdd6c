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

/// The knowledge-base file that records published anchors.
pub(crate) const LOCK_FILE: &str = "anchors.lock";

/// What `check` compares the content with.
pub(crate) struct AuditSettings {
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
    found
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
pub(crate) fn render_lock(kb: &KnowledgeBase) -> String {
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
