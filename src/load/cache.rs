//! The parse cache: entry files as earlier runs parsed them, kept on disk.
//!
//! Parsing YAML is the slowest part of reading a knowledge base (a few tens of MB/s per
//! core), and between two runs most files have not changed. `.errbook-cache/` (beside
//! `content/`) keeps each entry file's parsed form, in postcard's binary form, under a
//! 128-bit hash of the file's bytes: a file whose bytes are the same parses the same, so
//! a cached form is never stale. The folder's name also carries a fingerprint of
//! errbook's version and of the source of the types it stores, so that another version
//! of errbook never reads a form it did not write.
//!
//! Beside the forms, [`Memo`]s keep values computed from texts, by a hash of what they
//! were computed from: the link destinations of Markdown texts ([`LinkMemo`]; finding
//! them means parsing the Markdown, which is most of what a check of unchanged files
//! does), and the search terms of each entry in each language (`render/search.rs`;
//! tokenizing is a fifth of what a build of unchanged files does).
//!
//! The cache only ever saves time: a form that cannot be read is parsed again, and a
//! cache that cannot be written is skipped. `build` also keeps there the site it
//! replaced (`previous-site/`), to start the next build from its folders (`write.rs`).
//! The folder marks itself as a cache (`CACHEDIR.TAG`) and as ignored by git, and can
//! be deleted at any time.

use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::xxh3_128;

use super::RawEntry;
use crate::fs::write_whole;

/// The cache's folder, relative to the knowledge-base root.
pub const CACHE_DIR: &str = ".errbook-cache";

/// What makes two runs of errbook read the same forms: its version, the source of
/// the types stored (postcard's form follows the order of fields and variants) and the
/// parser's options (which files it accepts).
const STORED_TYPES: &[&str] = &[
    env!("CARGO_PKG_VERSION"),
    include_str!("raw.rs"),
    include_str!("yaml.rs"),
    include_str!("../model/entry.rs"),
];

/// The start of the name of a folder of parsed forms (the rest is a fingerprint).
const PARSED: &str = "parsed-";

/// The start of the name of the file of a [`ParseCache::memo`] (then its name and the
/// fingerprint of its code).
const MEMO: &str = "memo-";

const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
    # This folder is errbook's cache (parsed files, the previous site); it can be deleted at any time.\n";

/// The parse cache of one knowledge base.
pub struct ParseCache {
    /// `<root>/.errbook-cache`.
    top: PathBuf,
    /// `<top>/parsed-<fingerprint>`, where the forms are.
    dir: PathBuf,
    /// The files read or written by this run, by name.
    used: Mutex<HashSet<String>>,
    /// Whether this run wrote a form (then forms no longer used may be pruned).
    wrote: AtomicBool,
    /// Whether memos are written back ([`ParseCache::without_saving_memos`]).
    saves_memos: bool,
}

impl ParseCache {
    /// The cache of the knowledge base at `root`; nothing is read or created yet.
    pub fn at_root(root: &Path) -> ParseCache {
        let fingerprint = xxh3_128(STORED_TYPES.concat().as_bytes());
        let top = root.join(CACHE_DIR);
        let dir = top.join(format!("{PARSED}{:08x}", fingerprint as u32));
        ParseCache {
            top,
            dir,
            used: Mutex::default(),
            wrote: AtomicBool::new(false),
            saves_memos: true,
        }
    }

    /// This cache, with memos that are read but never written back: for `serve`'s
    /// renders after each save, which would otherwise rewrite them whole every time
    /// for the one entry that changed (the next `build` brings them up to date).
    pub fn without_saving_memos(self) -> ParseCache {
        ParseCache {
            saves_memos: false,
            ..self
        }
    }

    /// The entry that the file with these bytes parsed to, if an earlier run kept it.
    pub(crate) fn get(&self, source: &[u8]) -> (CacheKey, Option<RawEntry>) {
        let key = CacheKey(format!("{:032x}", xxh3_128(source)));
        self.mark_used(&key);
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

    /// The link destinations of Markdown texts, kept with the parsed forms; nothing is
    /// read yet.
    pub(crate) fn link_memo(&self) -> LinkMemo {
        let sources = [
            env!("CARGO_PKG_VERSION"),
            include_str!("../validate/context.rs"),
        ];
        self.memo("links", &sources)
    }

    /// The memo named `name` of values computed by code whose source is `sources`: the
    /// memo of another version of that code (or of this file, which stores it) is
    /// another file, which this one replaces when it is saved. Nothing is read yet.
    pub(crate) fn memo<V: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        sources: &[&str],
    ) -> Memo<V> {
        let fingerprint = xxh3_128(
            [sources.concat().as_str(), include_str!("cache.rs")]
                .concat()
                .as_bytes(),
        );
        let path = self
            .top
            .join(format!("{MEMO}{name}-{:08x}", fingerprint as u32));
        Memo {
            saves: self.saves_memos,
            ..Memo::at(path)
        }
    }

    fn mark_used(&self, key: &CacheKey) {
        let mut used = self.used.lock().expect("no cache user panicked");
        used.insert(key.0.clone());
    }

    /// Where `build` keeps the site it replaced, for the next build to start from
    /// (`write.rs`); `None` if the cache folder cannot be created.
    pub fn spare_site(&self) -> Option<PathBuf> {
        create_marked(&self.top).ok()?;
        Some(self.top.join("previous-site"))
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

/// Values computed from texts, by a 128-bit hash of what they were computed from, as
/// earlier runs computed them; shared by the threads of a run. The memo of link
/// destinations ([`ParseCache::link_memo`]) saves `check` parsing the Markdown of
/// unchanged texts; the memos of search terms ([`ParseCache::memo`]) save `build`
/// tokenizing unchanged entries.
///
/// The file is read once ([`Memo::preload`], or on first use) and kept as it was read,
/// each value decoded only when it is used; [`Memo::save`] writes it back with only
/// the values this run used.
pub(crate) struct Memo<V> {
    path: PathBuf,
    /// What the file held.
    stored: OnceLock<Stored>,
    /// The values this run computed that the file did not hold, encoded.
    found: Mutex<HashMap<u128, Vec<u8>>>,
    /// Whether [`Memo::save`] writes the file.
    saves: bool,
    value: PhantomData<fn() -> V>,
}

/// The link and image destinations of Markdown texts, in order, by the hash of each text.
pub(crate) type LinkMemo = Memo<Vec<String>>;

/// A memo's file as it was read: its bytes, and where each value's encoding is in them.
#[derive(Default)]
struct Stored {
    bytes: Vec<u8>,
    /// By key: where its value is, and whether this run used it (marked without a lock:
    /// most values are known).
    values: HashMap<u128, (Range<usize>, AtomicBool)>,
}

impl Stored {
    /// The memo at `path`; `None` if it cannot be read or decoded.
    fn read(path: &Path) -> Option<Stored> {
        let bytes = std::fs::read(path).ok()?;
        let pairs: Vec<(u128, &[u8])> = postcard::from_bytes(&bytes).ok()?;
        let start = bytes.as_ptr() as usize;
        let values = pairs
            .into_iter()
            .map(|(key, value)| {
                let from = value.as_ptr() as usize - start;
                (key, (from..from + value.len(), AtomicBool::new(false)))
            })
            .collect();
        Some(Stored { bytes, values })
    }
}

impl<V: Serialize + DeserializeOwned> Memo<V> {
    /// The memo kept at `path`; nothing is read yet.
    fn at(path: PathBuf) -> Memo<V> {
        Memo {
            path,
            stored: OnceLock::new(),
            found: Mutex::default(),
            saves: true,
            value: PhantomData,
        }
    }

    /// Reads the memo's file, if it was not read yet (meanwhile, another thread can do
    /// something else).
    pub(crate) fn preload(&self) {
        self.stored();
    }

    fn stored(&self) -> &Stored {
        let path = &self.path;
        self.stored
            .get_or_init(|| Stored::read(path).unwrap_or_default())
    }

    /// The value kept under `key` by an earlier run, or found by this one.
    pub(crate) fn get(&self, key: u128) -> Option<V> {
        let stored = self.stored();
        if let Some((range, used)) = stored.values.get(&key)
            && let Ok(value) = postcard::from_bytes(&stored.bytes[range.clone()])
        {
            used.store(true, Ordering::Relaxed);
            return Some(value);
        }
        let found = self.found.lock().expect("no memo user panicked");
        found
            .get(&key)
            .and_then(|bytes| postcard::from_bytes(bytes).ok())
    }

    /// Keeps `value` under `key`, for [`Memo::save`].
    pub(crate) fn put(&self, key: u128, value: &V) {
        if let Ok(bytes) = postcard::to_allocvec(value) {
            let mut found = self.found.lock().expect("no memo user panicked");
            found.insert(key, bytes);
        }
    }

    /// Writes the memo back if this run found values it did not hold or left some
    /// unused, keeping only the values this run used. Call it only after a run that
    /// looked every key up; failures are ignored (the next run computes again).
    pub(crate) fn save(&self) {
        let Some(stored) = self.stored.get().filter(|_| self.saves) else {
            return;
        };
        let found = self.found.lock().expect("no memo user panicked");
        let (in_use, unused): (Vec<_>, Vec<_>) = stored
            .values
            .iter()
            .partition(|(_, (_, used))| used.load(Ordering::Relaxed));
        // Nothing new, and nothing to drop; or nothing looked up at all (the run stopped
        // before it looked anything up).
        if found.is_empty() && (unused.is_empty() || in_use.is_empty()) {
            return;
        }
        let mut pairs: Vec<(u128, &[u8])> = in_use
            .into_iter()
            .map(|(key, (range, _))| (*key, &stored.bytes[range.clone()]))
            .chain(found.iter().map(|(key, bytes)| (*key, bytes.as_slice())))
            .collect();
        pairs.sort_unstable_by_key(|(key, _)| *key);
        let Ok(bytes) = postcard::to_allocvec(&pairs) else {
            return;
        };
        let Some(top) = self.path.parent() else {
            return;
        };
        if create_marked(top).is_err() {
            return;
        }
        let temporary = self.path.with_extension(std::process::id().to_string());
        if write_whole(&self.path, &temporary, &bytes).is_ok() {
            remove_other_versions(&self.path);
        }
    }
}

/// Deletes the files beside `path` whose names differ from its name only in their last
/// `-`-separated part: the same memo, kept by another version of errbook.
fn remove_other_versions(path: &Path) {
    let (Some(top), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Some((stem, _)) = name.rsplit_once('-') else {
        return;
    };
    let Ok(items) = std::fs::read_dir(top) else {
        return;
    };
    for item in items.flatten() {
        let other = item.file_name();
        let other = other.to_string_lossy();
        let same_memo = other
            .rsplit_once('-')
            .is_some_and(|(s, v)| s == stem && !v.contains('.'));
        if same_memo && other != name {
            let _ = std::fs::remove_file(item.path());
        }
    }
}

impl LinkMemo {
    /// Calls `with` with the destinations of `markdown`, from the memo, or else from
    /// `find`.
    pub(crate) fn destinations<R>(
        &self,
        markdown: &str,
        find: impl FnOnce(&str) -> Vec<String>,
        with: impl FnOnce(&[String]) -> R,
    ) -> R {
        let key = xxh3_128(markdown.as_bytes());
        let destinations = self.get(key).unwrap_or_else(|| {
            let destinations = find(markdown);
            self.put(key, &destinations);
            destinations
        });
        with(&destinations)
    }
}

/// Creates the cache folder `top`, marked as a cache (`CACHEDIR.TAG`) that git ignores.
fn create_marked(top: &Path) -> std::io::Result<()> {
    if top.join("CACHEDIR.TAG").is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(top)?;
    std::fs::write(top.join(".gitignore"), "*\n")?;
    std::fs::write(top.join("CACHEDIR.TAG"), CACHEDIR_TAG)
}

/// The name of a file's parsed form: the hash of its bytes.
pub(crate) struct CacheKey(String);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{RawText, parse_yaml};

    #[test]
    fn every_shipped_entry_comes_back_from_the_cache_as_it_was_parsed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::at_root(dir.path());
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
        let cache = ParseCache::at_root(dir.path());
        let (key, _) = cache.get(text.as_bytes());
        cache.put(&key, &parsed);
        assert_eq!(cache.get(text.as_bytes()).1, Some(parsed));
    }

    #[test]
    fn a_memo_keeps_the_values_a_run_used_or_found_and_only_those() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::at_root(dir.path());
        let words = |w: &str| vec![w.to_string()];
        let first: Memo<Vec<String>> = cache.memo("test", &["v1"]);
        for (key, value) in [(1, "one"), (2, "two")] {
            assert_eq!(first.get(key), None);
            first.put(key, &words(value));
        }
        assert_eq!(first.get(2), Some(words("two")), "found by this run");
        first.save();

        // Uses 1, finds 3, leaves 2 unused: 2 is dropped.
        let second: Memo<Vec<String>> = cache.memo("test", &["v1"]);
        assert_eq!(second.get(1), Some(words("one")));
        assert_eq!(second.get(3), None);
        second.put(3, &words("three"));
        second.save();
        let third: Memo<Vec<String>> = cache.memo("test", &["v1"]);
        assert_eq!(third.get(2), None);
        assert_eq!(third.get(1), Some(words("one")));
        assert_eq!(third.get(3), Some(words("three")));
        // Every value used, none found: the file stays as it was.
        let path = third.path.clone();
        let written = std::fs::metadata(&path).unwrap().ino();
        third.save();
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), written);

        // The same memo of another version of its code starts empty, and replaces it.
        let other: Memo<Vec<String>> = cache.memo("test", &["v2"]);
        assert_ne!(other.path, path);
        assert_eq!(other.get(1), None);
        other.put(1, &words("un"));
        other.save();
        assert!(other.path.is_file() && !path.exists());
    }

    #[test]
    fn a_form_whose_text_is_not_utf8_is_parsed_again() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("tests/fixtures/minimal/content/errors/openai/quota.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: RawEntry = parse_yaml(&text, &path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::at_root(dir.path());
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
