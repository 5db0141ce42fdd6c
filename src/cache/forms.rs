//! Parsed forms: each entry file as an earlier run parsed it, kept in the cache.
//!
//! Parsing YAML is the slowest part of reading a knowledge base (a few tens of MB/s per
//! core), and between two runs most files have not changed. Each entry file's parsed
//! form is kept, in postcard's binary form, under a 128-bit hash of the file's bytes: a
//! file whose bytes are the same parses the same, so a form is never stale. The folder's
//! name carries a fingerprint of errbook's version and of the source of the types it
//! stores, so that another version of errbook never reads a form it did not write.
//!
//! `load` looks forms up ([`Forms::get`]) and hands back the entries it had to parse;
//! the pipeline keeps those ([`Forms::put`]) and prunes what no file uses any more.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use xxhash_rust::xxh3::xxh3_128;

use super::create_marked;
use crate::fs::write_whole;
use crate::load::RawEntry;

/// What makes two runs of errbook read the same forms: its version, the source of
/// the types stored (postcard's form follows the order of fields and variants) and the
/// parser's options (which files it accepts).
const STORED_TYPES: &[&str] = &[
    env!("CARGO_PKG_VERSION"),
    include_str!("../load/raw.rs"),
    include_str!("../load/yaml.rs"),
    include_str!("../model/entry.rs"),
];

/// The start of the name of a folder of parsed forms (the rest is a fingerprint).
const PARSED: &str = "parsed-";

/// The parsed forms of one knowledge base's entry files.
pub(crate) struct Forms {
    /// `.errbook-cache`.
    top: PathBuf,
    /// `<top>/parsed-<fingerprint>`, where the forms are.
    dir: PathBuf,
    /// The files read or written by this run, by name.
    used: Mutex<HashSet<String>>,
    /// Whether this run wrote a form (then forms no longer used may be pruned).
    wrote: AtomicBool,
}

/// The name of a file's parsed form: the hash of its bytes.
#[derive(Debug)]
pub(crate) struct CacheKey(String);

impl Forms {
    /// The forms kept under the cache folder `top`; nothing is read or created yet.
    pub(super) fn in_folder(top: &Path) -> Forms {
        let fingerprint = xxh3_128(STORED_TYPES.concat().as_bytes());
        Forms {
            top: top.to_path_buf(),
            dir: top.join(format!("{PARSED}{:08x}", fingerprint as u32)),
            used: Mutex::default(),
            wrote: AtomicBool::new(false),
        }
    }

    /// The entry that the file with these bytes parsed to, if an earlier run kept it.
    pub(crate) fn get(&self, source: &[u8]) -> (CacheKey, Option<RawEntry>) {
        let key = CacheKey(format!("{:032x}", xxh3_128(source)));
        self.used
            .lock()
            .expect("no cache user panicked")
            .insert(key.0.clone());
        let found = std::fs::read(self.dir.join(&key.0))
            .ok()
            .and_then(|bytes| postcard::from_bytes(&bytes).ok());
        (key, found)
    }

    /// Keeps `entry` as the parsed form of the file whose key is `key`. Failures are
    /// ignored: the next run parses the file again.
    pub(crate) fn put(&self, key: &CacheKey, entry: &RawEntry) {
        let Ok(bytes) = postcard::to_allocvec(entry) else {
            return;
        };
        if self.create().is_err() {
            return;
        }
        let temporary = self.dir.join(format!(".{}.{}", key.0, std::process::id()));
        let _ = write_whole(&self.dir.join(&key.0), &temporary, &bytes);
        self.wrote.store(true, Ordering::Relaxed);
    }

    /// Deletes the forms that this run did not use, and the folders of other versions,
    /// when this run wrote something (otherwise nothing changed since the last prune).
    /// Call it only after a run that looked up every entry file.
    pub(crate) fn prune(&self) {
        if !self.wrote.load(Ordering::Relaxed) {
            return;
        }
        let used = self.used.lock().expect("no cache user panicked");
        let Ok(tops) = std::fs::read_dir(&self.top) else {
            return;
        };
        for item in tops.flatten() {
            let path = item.path();
            let name = item.file_name().to_string_lossy().to_string();
            if name.starts_with(PARSED) && path.is_dir() && path != self.dir {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
        let Ok(forms) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for item in forms.flatten() {
            let name = item.file_name();
            if !used.contains(name.to_string_lossy().as_ref()) {
                let _ = std::fs::remove_file(item.path());
            }
        }
    }

    /// Creates the folders, and marks the top one as a cache that git ignores.
    fn create(&self) -> std::io::Result<()> {
        if self.dir.is_dir() {
            return Ok(());
        }
        create_marked(&self.top)?;
        std::fs::create_dir_all(&self.dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{RawText, parse_yaml};

    fn forms(dir: &Path) -> Forms {
        Forms::in_folder(&dir.join(super::super::CACHE_DIR))
    }

    #[test]
    fn every_shipped_entry_comes_back_from_the_cache_as_it_was_parsed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let cache = forms(dir.path());
        let mut seen = 0;
        for file in walkdir::WalkDir::new(root.join("content/errors")) {
            let path = file.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed: RawEntry = parse_yaml(&text, &path).unwrap();
            let (key, before) = cache.get(text.as_bytes());
            assert!(before.is_none());
            cache.put(&key, &parsed);
            let (_, cached) = cache.get(text.as_bytes());
            assert_eq!(cached.as_ref(), Some(&parsed), "{}", path.display());
            seen += 1;
        }
        assert!(seen >= 10, "only {seen} entries");
    }

    #[test]
    fn a_text_written_once_for_every_language_comes_back_as_written() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("tests/fixtures/minimal/content/errors/openai/quota.yaml");
        let text = std::fs::read_to_string(&path).unwrap().replace(
            "summary:\n  fr: Le compte n'a plus de crédit.\n  en: The account has no credit left.",
            "summary: \"Plus de crédit : no credit left.\"",
        );
        let parsed: RawEntry = parse_yaml(&text, &path).unwrap();
        assert!(matches!(parsed.summary.value, RawText::All(_)));
        let dir = tempfile::tempdir().unwrap();
        let cache = forms(dir.path());
        let (key, _) = cache.get(text.as_bytes());
        cache.put(&key, &parsed);
        assert_eq!(cache.get(text.as_bytes()).1, Some(parsed));
    }

    #[test]
    fn a_form_whose_text_is_not_utf8_is_parsed_again() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("tests/fixtures/minimal/content/errors/openai/quota.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: RawEntry = parse_yaml(&text, &path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cache = forms(dir.path());
        let (key, _) = cache.get(text.as_bytes());
        cache.put(&key, &parsed);
        assert_eq!(cache.get(text.as_bytes()).1.as_ref(), Some(&parsed));
        // The `é` of "crédit", in the summary, becomes two bytes that are not UTF-8.
        let form = cache.dir.join(&key.0);
        let mut bytes = std::fs::read(&form).unwrap();
        let at = bytes
            .windows(7)
            .position(|w| w == "crédit".as_bytes())
            .expect("the summary is kept as written");
        bytes[at + 2..at + 4].copy_from_slice(&[0xff, 0xfe]);
        std::fs::write(&form, bytes).unwrap();
        assert_eq!(cache.get(text.as_bytes()).1, None);
    }
}
