//! The translations lock file (`translations.lock`, beside `anchors.lock`): what each
//! translation was made from.
//!
//! One line per translated field and language: the document, the field, the language,
//! the source language with a hash of its text when the translation was last confirmed,
//! a hash of the translation itself, and the date. Git history is not needed to tell
//! that a source changed since, and the file is reviewed in git like the anchors lock.
//! A record follows its entry through a rename: it is found under the entry's former
//! slugs (`aliases`), or, left behind by a file renamed without an alias, by its field,
//! language and translation.

use std::collections::{BTreeMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

/// The knowledge-base file that records what translations were made from.
pub(crate) const TRANSLATIONS_LOCK: &str = "translations.lock";

const HEADER: &str = "# What each translation was made from: a hash of the source text when the translation was\n\
# last confirmed. `errbook check` warns when a source changes; `errbook i18n confirm` records.\n\
# document field language source:hash translation-hash confirmed\n";

/// Which translation a record is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub document: String,
    pub field: String,
    pub lang: String,
}

/// What a translation was confirmed against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub source_lang: String,
    pub source_hash: String,
    pub translation_hash: String,
    /// `YYYY-MM-DD`.
    pub confirmed: String,
}

/// The records of a lock file.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Lock {
    pub records: BTreeMap<Key, Record>,
}

/// The hash a record keeps of a text.
pub(crate) fn hash_text(text: &str) -> String {
    format!("{:016x}", xxh3_64(text.as_bytes()))
}

impl Lock {
    /// Reads a lock file's text; lines it cannot read are skipped (they are rewritten
    /// on the next confirmation).
    pub fn parse(text: &str) -> Lock {
        let mut records = BTreeMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [document, field, lang, source, translation, confirmed] = parts[..] else {
                continue;
            };
            let Some((source_lang, source_hash)) = source.split_once(':') else {
                continue;
            };
            let key = Key {
                document: document.into(),
                field: field.into(),
                lang: lang.into(),
            };
            let record = Record {
                source_lang: source_lang.into(),
                source_hash: source_hash.into(),
                translation_hash: translation.into(),
                confirmed: confirmed.into(),
            };
            records.insert(key, record);
        }
        Lock { records }
    }

    /// The file's text: sorted, so that a confirmation shows in a diff as the lines it changed.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for (key, r) in &self.records {
            out.push_str(&format!(
                "{} {} {} {}:{} {} {}\n",
                key.document,
                key.field,
                key.lang,
                r.source_lang,
                r.source_hash,
                r.translation_hash,
                r.confirmed
            ));
        }
        out
    }

    /// The record of a translation: under the document's id, its former ids, or, when
    /// its file was renamed without an alias, under a document that no longer exists,
    /// with the same field, language and translation.
    pub fn find(
        &self,
        ids: &[&str],
        field: &str,
        lang: &str,
        translation_hash: &str,
        live: &HashSet<&str>,
    ) -> Option<&Record> {
        let key = |document: &str| Key {
            document: document.into(),
            field: field.into(),
            lang: lang.into(),
        };
        ids.iter()
            .find_map(|id| self.records.get(&key(id)))
            .or_else(|| {
                self.records
                    .iter()
                    .find(|(k, r)| {
                        k.field == field
                            && k.lang == lang
                            && r.translation_hash == translation_hash
                            && !live.contains(k.document.as_str())
                    })
                    .map(|(_, r)| r)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_reads_back_what_it_wrote() {
        let mut lock = Lock::default();
        let key = Key {
            document: "openai/quota".into(),
            field: "steps[wait].title".into(),
            lang: "en".into(),
        };
        let record = Record {
            source_lang: "fr".into(),
            source_hash: hash_text("Attendre"),
            translation_hash: hash_text("Wait"),
            confirmed: "2026-12-04".into(),
        };
        lock.records.insert(key, record);
        assert_eq!(Lock::parse(&lock.render()), lock);
    }

    #[test]
    fn a_record_follows_a_renamed_file_through_its_aliases_or_its_translation() {
        let text = format!(
            "a/old title en fr:{} {} 2026-01-01\n",
            hash_text("Titre"),
            hash_text("Title")
        );
        let lock = Lock::parse(&text);
        let none = HashSet::new();
        assert!(
            lock.find(&["a/new", "a/old"], "title", "en", "x", &none)
                .is_some()
        );
        assert!(
            lock.find(&["a/new"], "title", "en", &hash_text("Title"), &none)
                .is_some()
        );
        let old_still_there = HashSet::from(["a/old"]);
        assert!(
            lock.find(
                &["a/new"],
                "title",
                "en",
                &hash_text("Title"),
                &old_still_there
            )
            .is_none()
        );
        assert!(
            lock.find(&["a/new"], "summary", "en", &hash_text("Title"), &none)
                .is_none()
        );
    }
}
