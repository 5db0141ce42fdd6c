//! `errbook i18n status`: per language, how many fields are translated, unconfirmed,
//! stale and missing, and which documents need work, as a table or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::state::{State, Survey};

/// The whole report, as `--format json` prints it.
#[derive(Debug, Serialize)]
pub(crate) struct Status {
    /// Whether a translations lock exists (without one, nothing can be stale).
    pub tracked: bool,
    pub languages: Vec<LanguageStatus>,
    /// The documents with a translation that is not up to date, in file order.
    pub needs_work: Vec<DocumentStatus>,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct LanguageStatus {
    pub lang: String,
    pub translated: usize,
    pub unconfirmed: usize,
    pub stale: usize,
    pub missing: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocumentStatus {
    pub id: String,
    pub path: String,
    pub lang: String,
    pub unconfirmed: Vec<String>,
    pub stale: Vec<String>,
    pub missing: Vec<String>,
}

impl Status {
    pub fn of(survey: &Survey) -> Status {
        let mut languages: BTreeMap<&str, LanguageStatus> = BTreeMap::new();
        let order = |lang: &str| survey.languages.iter().position(|l| l == lang);
        let mut work: BTreeMap<(usize, Option<usize>), DocumentStatus> = BTreeMap::new();
        for t in &survey.translations {
            let counts = languages.entry(&t.lang).or_insert_with(|| LanguageStatus {
                lang: t.lang.clone(),
                ..LanguageStatus::default()
            });
            let (count, list): (&mut usize, fn(&mut DocumentStatus) -> &mut Vec<String>) =
                match t.state {
                    State::Current => {
                        counts.translated += 1;
                        continue;
                    }
                    State::Unconfirmed => (&mut counts.unconfirmed, |d| &mut d.unconfirmed),
                    State::Stale { .. } => (&mut counts.stale, |d| &mut d.stale),
                    State::Missing => (&mut counts.missing, |d| &mut d.missing),
                };
            *count += 1;
            let document = &survey.documents[t.document];
            let entry =
                work.entry((t.document, order(&t.lang)))
                    .or_insert_with(|| DocumentStatus {
                        id: document.id.clone(),
                        path: document.path.display().to_string(),
                        lang: t.lang.clone(),
                        unconfirmed: Vec::new(),
                        stale: Vec::new(),
                        missing: Vec::new(),
                    });
            list(entry).push(t.field.clone());
        }
        let mut languages: Vec<LanguageStatus> = languages.into_values().collect();
        languages.sort_by_key(|l| order(&l.lang));
        Status {
            tracked: survey.lock.is_some(),
            languages,
            needs_work: work.into_values().collect(),
        }
    }

    /// The table for people.
    pub fn render_table(&self) -> String {
        let mut out = String::from("language  translated  unconfirmed  stale  missing\n");
        for l in &self.languages {
            let _ = writeln!(
                out,
                "{:<8}  {:>10}  {:>11}  {:>5}  {:>7}",
                l.lang, l.translated, l.unconfirmed, l.stale, l.missing
            );
        }
        if !self.tracked {
            out.push_str("\nno translations.lock: nothing can be stale until `errbook i18n confirm --all` records what the translations were made from\n");
        }
        if !self.needs_work.is_empty() {
            out.push_str("\nneeds work:\n");
        }
        for d in &self.needs_work {
            let parts: Vec<String> = [
                ("stale", &d.stale),
                ("missing", &d.missing),
                ("unconfirmed", &d.unconfirmed),
            ]
            .iter()
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(what, fields)| format!("{} {what}", fields.len()))
            .collect();
            let _ = writeln!(out, "  {} ({}): {}", d.id, d.lang, parts.join(", "));
        }
        out
    }
}
