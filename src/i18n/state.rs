//! Where every translation stands: up to date, stale, not yet confirmed, or missing.
//!
//! A survey reads the content files and the translations lock, and pairs each text in a
//! source language with its translation in every other language of the site. `check`,
//! `i18n status`, `i18n confirm` and the PO export all read the same survey.

use std::collections::HashSet;
use std::path::Path;

use super::fields::{Document, read_documents};
use super::lock::{Key, Lock, Record, TRANSLATIONS_LOCK, hash_text};
use super::tree::Scalar;
use crate::diagnostic::{Diagnostic, Position};

/// Where one translation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum State {
    /// Confirmed against the source text as it is now.
    Current,
    /// Written, but the lock has no record of what it was made from.
    Unconfirmed,
    /// The source text changed since the translation was confirmed (on that date).
    Stale { confirmed: String },
    /// Not written: pages show the source language's text, with a notice.
    Missing,
}

/// One field in one target language.
pub(crate) struct Translation {
    /// Index into [`Survey::documents`].
    pub document: usize,
    pub field: String,
    pub lang: String,
    pub source_lang: String,
    pub source: Scalar,
    pub translation: Option<Scalar>,
    pub state: State,
}

/// Every translation of a knowledge base.
pub(crate) struct Survey {
    pub documents: Vec<Document>,
    pub languages: Vec<String>,
    pub translations: Vec<Translation>,
    /// The translations lock, when the knowledge base has one.
    pub lock: Option<Lock>,
}

impl Survey {
    /// Reads the knowledge base at `root`.
    pub fn read(root: &Path) -> Survey {
        let (documents, languages) = read_documents(root);
        let lock = std::fs::read_to_string(root.join(TRANSLATIONS_LOCK))
            .ok()
            .map(|text| Lock::parse(&text));
        let live: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
        let mut translations = Vec::new();
        for (index, document) in documents.iter().enumerate() {
            let source_lang = document.source_language(&languages);
            let mut ids = vec![document.id.as_str()];
            ids.extend(document.aliases.iter().map(String::as_str));
            for field in document.fields() {
                let Some(source) = field.text(source_lang) else {
                    continue;
                };
                for lang in languages.iter().filter(|l| *l != source_lang) {
                    let translation = field.text(lang).cloned();
                    let state = match (&translation, &lock) {
                        (None, _) => State::Missing,
                        (Some(_), None) => State::Unconfirmed,
                        (Some(t), Some(lock)) => {
                            let record =
                                lock.find(&ids, &field.id, lang, &hash_text(&t.value), &live);
                            state_of(record, source_lang, &source.value)
                        }
                    };
                    translations.push(Translation {
                        document: index,
                        field: field.id.clone(),
                        lang: lang.clone(),
                        source_lang: source_lang.to_string(),
                        source: source.clone(),
                        translation,
                        state,
                    });
                }
            }
        }
        Survey {
            documents,
            languages,
            translations,
            lock,
        }
    }

    /// The warnings of `check`: each stale or unconfirmed translation, at its line.
    /// Without a translations lock nothing is tracked, and nothing is said.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        if self.lock.is_none() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for t in &self.translations {
            let Some(translation) = &t.translation else {
                continue;
            };
            let document = &self.documents[t.document];
            let (message, hint) = match &t.state {
                State::Stale { confirmed } => (
                    format!(
                        "`{}` in `{}` is stale: its `{}` source changed since the translation was confirmed on {confirmed} (now: “{}”)",
                        t.field,
                        t.lang,
                        t.source_lang,
                        shorten(&t.source.value)
                    ),
                    format!(
                        "update the translation, then run `errbook i18n confirm {} --field {} --lang {}`",
                        document.id, t.field, t.lang
                    ),
                ),
                State::Unconfirmed => (
                    format!(
                        "`{}` in `{}` has no record in {TRANSLATIONS_LOCK}",
                        t.field, t.lang
                    ),
                    format!(
                        "once the translation is checked, run `errbook i18n confirm {}`",
                        document.id
                    ),
                ),
                State::Current | State::Missing => continue,
            };
            let width = translation
                .value
                .lines()
                .next()
                .map_or(1, |l| l.chars().count());
            let position =
                Position::in_source(&document.text, translation.line, translation.column, width);
            found.push(
                Diagnostic::warning(&document.path, message)
                    .at(position)
                    .with_hint(hint),
            );
        }
        found
    }

    /// The lock with the translations that `wanted` selects confirmed today against
    /// their source as it is now. A record that did not change keeps its date, and one
    /// found under a former id moves to the document's id.
    pub fn confirm(
        &self,
        mut wanted: impl FnMut(&Translation, &Document) -> bool,
        today: &str,
    ) -> Lock {
        let mut lock = self.lock.clone().unwrap_or_default();
        for t in &self.translations {
            let document = &self.documents[t.document];
            let Some(translation) = t.translation.as_ref().filter(|_| wanted(t, document)) else {
                continue;
            };
            let key = |id: &str| Key {
                document: id.into(),
                field: t.field.clone(),
                lang: t.lang.clone(),
            };
            let mut record = Record {
                source_lang: t.source_lang.clone(),
                source_hash: hash_text(&t.source.value),
                translation_hash: hash_text(&translation.value),
                confirmed: today.to_string(),
            };
            if let Some(old) = lock.records.get(&key(&document.id)) {
                let unchanged = old.source_lang == record.source_lang
                    && old.source_hash == record.source_hash
                    && old.translation_hash == record.translation_hash;
                if unchanged {
                    record.confirmed = old.confirmed.clone();
                }
            }
            for alias in &document.aliases {
                lock.records.remove(&key(alias));
            }
            lock.records.insert(key(&document.id), record);
        }
        lock
    }
}

fn state_of(record: Option<&Record>, source_lang: &str, source: &str) -> State {
    match record {
        None => State::Unconfirmed,
        Some(r) if r.source_lang == source_lang && r.source_hash == hash_text(source) => {
            State::Current
        }
        Some(r) => State::Stale {
            confirmed: r.confirmed.clone(),
        },
    }
}

/// The first line of a text, cut to about sixty characters.
fn shorten(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(60).collect();
    if short.len() < line.len() || text.trim().lines().nth(1).is_some() {
        short.push('…');
    }
    short
}
