//! Parsed forms: each entry file as an earlier run parsed it, kept in the cache.
//!
//! Parsing YAML is the slowest part of reading a knowledge base (a few tens of MB/s per
//! core), and between two runs most files have not changed. Each entry file's parsed
//! form is kept, in postcard's binary form, under a 128-bit hash of the file's bytes: a
//! file whose bytes are the same parses the same, so a form is never stale. The forms
//! are a memo (`memo.rs`), one file for the whole knowledge base; its name carries a
//! fingerprint of errbook's version and of the source of the types it stores, so that
//! another version of errbook never reads a form it did not write.
//!
//! `load` looks forms up ([`Forms::get`]); the forms of the entries it had to parse are
//! kept as they are parsed ([`Forms::put`]) or handed back with them; after a load that
//! looked every entry file up, the cache saves the forms that load used with the new
//! ones ([`Forms::save`]).

use std::path::Path;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_128;

use super::memo::Memo;
use crate::load::{Loaded, RawEntry};

/// What makes two runs of errbook read the same forms: its version, the source of
/// the types stored (postcard's form follows the order of fields and variants) and the
/// parser's options (which files it accepts).
pub(super) const STORED_TYPES: &[&str] = &[
    env!("CARGO_PKG_VERSION"),
    include_str!("../load/raw.rs"),
    include_str!("../load/yaml.rs"),
    include_str!("../model/entry.rs"),
];

/// The start of the name of the folders where earlier versions of errbook kept one file
/// per form.
const FOLDER_OF_FILES: &str = "parsed-";

/// The parsed forms of one knowledge base's entry files.
pub(crate) struct Forms(Memo<RawEntry>);

/// The key of a file's parsed form: the hash of its bytes.
#[derive(Debug)]
pub(crate) struct CacheKey(u128);

impl Forms {
    /// The forms kept in `memo`; nothing is read yet.
    pub(super) fn in_memo(memo: Memo<RawEntry>) -> Forms {
        Forms(memo)
    }

    /// Reads the forms kept by an earlier run, if they were not read yet.
    pub(crate) fn preload(&self) {
        self.0.preload();
    }

    /// The entry that the file with these bytes parsed to, if an earlier run kept it.
    pub(crate) fn get(&self, source: &[u8]) -> (CacheKey, Option<RawEntry>) {
        let key = xxh3_128(source);
        (CacheKey(key), self.0.get(key))
    }

    /// Keeps `entry` as the parsed form of the file whose key is `key`, for
    /// [`Forms::save`].
    pub(crate) fn put(&self, key: &CacheKey, entry: &RawEntry) {
        self.0.put(key.0, entry);
    }

    /// Writes the forms back, with only those this run looked up, those kept by
    /// [`Forms::put`] and those of the entries it `parsed` (see [`Memo::save`]), and
    /// deletes the folders of forms of earlier versions of errbook. Call it only after
    /// a load that looked every entry file up.
    pub(super) fn save(&self, top: &Path, parsed: &[(CacheKey, Arc<Loaded<RawEntry>>)]) {
        let parsed: Vec<(u128, &RawEntry)> = parsed
            .iter()
            .map(|(key, loaded)| (key.0, &loaded.value))
            .collect();
        self.0.save_with(&parsed);
        let Ok(items) = std::fs::read_dir(top) else {
            return;
        };
        for item in items.flatten() {
            if item
                .file_name()
                .to_string_lossy()
                .starts_with(FOLDER_OF_FILES)
            {
                let _ = std::fs::remove_dir_all(item.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::BuildCache;
    use crate::load::{RawText, parse_yaml};

    /// The cache of a new run of a command on the knowledge base in `dir`.
    fn run(dir: &Path) -> BuildCache {
        BuildCache::for_command(dir, true)
    }

    /// The form of `text` that a new run finds in the cache in `dir`.
    fn form_of(dir: &Path, text: &str) -> Option<RawEntry> {
        run(dir).forms().unwrap().get(text.as_bytes()).1
    }

    fn quota() -> (String, RawEntry) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("tests/fixtures/minimal/content/errors/openai/quota.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parse_yaml(&text, &path).unwrap();
        (text, parsed)
    }

    /// Keeps the form of each text in a new run's cache in `dir`, and saves them.
    fn keep(dir: &Path, texts: &[(&str, &RawEntry)]) {
        let run = run(dir);
        let cache = run.forms().unwrap();
        let parsed = texts
            .iter()
            .map(|(text, parsed)| (cache.get(text.as_bytes()).0, loaded(parsed)))
            .collect::<Vec<_>>();
        cache.save(&dir.join(crate::cache::CACHE_DIR), &parsed);
    }

    /// `entry` as loaded from a file.
    fn loaded(entry: &RawEntry) -> Arc<Loaded<RawEntry>> {
        let file = Arc::new(crate::load::SourceFile {
            path: "quota.yaml".into(),
        });
        // A copy, through the cache's own form.
        let value = postcard::from_bytes(&postcard::to_allocvec(entry).unwrap()).unwrap();
        Arc::new(Loaded { file, value })
    }

    /// The one file that holds the forms.
    fn pack(dir: &Path) -> std::path::PathBuf {
        let top = dir.join(crate::cache::CACHE_DIR);
        let found: Vec<_> = std::fs::read_dir(top)
            .unwrap()
            .flatten()
            .filter(|f| f.file_name().to_string_lossy().starts_with("memo-forms-"))
            .map(|f| f.path())
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].clone()
    }

    #[test]
    fn every_shipped_entry_comes_back_from_the_cache_as_it_was_parsed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let mut texts = Vec::new();
        for file in walkdir::WalkDir::new(root.join("content/errors")) {
            let path = file.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let parsed: RawEntry = parse_yaml(&text, &path).unwrap();
                texts.push((text, parsed));
            }
        }
        assert!(texts.len() >= 10, "only {} entries", texts.len());
        let run_1 = run(dir.path());
        let first = run_1.forms().unwrap();
        let parsed: Vec<_> = texts
            .iter()
            .map(|(text, parsed)| {
                let (key, before) = first.get(text.as_bytes());
                assert!(before.is_none());
                (key, loaded(parsed))
            })
            .collect();
        first.save(&dir.path().join(crate::cache::CACHE_DIR), &parsed);
        assert_eq!(
            std::fs::read_dir(dir.path().join(crate::cache::CACHE_DIR))
                .unwrap()
                .flatten()
                .filter(|f| f.file_name().to_string_lossy().starts_with("memo-"))
                .count(),
            1,
            "one file for every form"
        );
        for (text, parsed) in &texts {
            assert_eq!(form_of(dir.path(), text).as_ref(), Some(parsed));
        }
    }

    #[test]
    fn a_text_written_once_for_every_language_comes_back_as_written() {
        let (text, _) = quota();
        let text = text.replace(
            "summary:\n  fr: Le compte n'a plus de crédit.\n  en: The account has no credit left.",
            "summary: \"Plus de crédit : no credit left.\"",
        );
        let parsed: RawEntry = parse_yaml(&text, Path::new("quota.yaml")).unwrap();
        assert!(matches!(parsed.summary.value, RawText::All(_)));
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[(&text, &parsed)]);
        assert_eq!(form_of(dir.path(), &text), Some(parsed));
    }

    #[test]
    fn forms_that_a_run_did_not_look_up_are_dropped_and_an_edited_file_parsed_again() {
        let (text, parsed) = quota();
        let edited = text.replace("http_status: 429", "http_status: 402");
        let reparsed: RawEntry = parse_yaml(&edited, Path::new("quota.yaml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[(&text, &parsed)]);

        // The file was edited: its new bytes have no form, and the old one is dropped.
        assert_eq!(form_of(dir.path(), &edited), None);
        keep(dir.path(), &[(&edited, &reparsed)]);
        assert_eq!(
            form_of(dir.path(), &text),
            None,
            "the stale form is dropped"
        );
        assert_eq!(form_of(dir.path(), &edited), Some(reparsed));
    }

    #[test]
    fn a_damaged_or_truncated_file_of_forms_is_not_read() {
        let (text, parsed) = quota();
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[(&text, &parsed)]);
        let path = pack(dir.path());
        let whole = std::fs::read(&path).unwrap();
        assert_eq!(form_of(dir.path(), &text).as_ref(), Some(&parsed));

        // The `é` of "crédit", in the summary, becomes two bytes that are not UTF-8;
        // "Quota" becomes "Quote", which is still a valid form, but not the one parsed.
        let at = |word: &str| {
            whole
                .windows(word.len())
                .position(|w| w == word.as_bytes())
                .expect("the texts are kept as written")
        };
        let mut not_utf8 = whole.clone();
        not_utf8[at("crédit") + 2..at("crédit") + 4].copy_from_slice(&[0xff, 0xfe]);
        let mut other_text = whole.clone();
        other_text[at("Quota") + 4] = b'e';
        let damaged = [
            ("not UTF-8", not_utf8),
            ("another text", other_text),
            ("cut short", whole[..whole.len() / 2].to_vec()),
            ("without its check", whole[..whole.len() - 16].to_vec()),
            ("empty", Vec::new()),
        ];
        for (what, bytes) in damaged {
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(form_of(dir.path(), &text), None, "{what}");
        }
    }

    #[test]
    fn a_killed_save_leaves_the_forms_as_they_were() {
        let (text, parsed) = quota();
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), &[(&text, &parsed)]);
        let path = pack(dir.path());
        // A run killed while writing leaves only its temporary file.
        std::fs::write(path.with_extension("999999"), b"half a fi").unwrap();
        assert_eq!(form_of(dir.path(), &text), Some(parsed));
    }

    #[test]
    fn folders_of_forms_kept_one_file_each_by_earlier_versions_are_deleted() {
        let (text, parsed) = quota();
        let dir = tempfile::tempdir().unwrap();
        let old = dir
            .path()
            .join(crate::cache::CACHE_DIR)
            .join("parsed-0badf00d");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("0123"), b"a form").unwrap();
        keep(dir.path(), &[(&text, &parsed)]);
        assert!(!old.exists());
        pack(dir.path());
    }
}
