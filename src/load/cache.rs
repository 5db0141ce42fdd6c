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
//! Beside the forms, [`LinkMemo`] keeps the link destinations of Markdown texts, by a
//! hash of each text: finding them means parsing the Markdown, which is most of what a
//! check of unchanged files does.
//!
//! The cache only ever saves time: a form that cannot be read is parsed again, and a
//! cache that cannot be written is skipped. `build` also keeps there the site it
//! replaced (`previous-site/`), to start the next build from its folders (`write.rs`).
//! The folder marks itself as a cache (`CACHEDIR.TAG`) and as ignored by git, and can
//! be deleted at any time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use xxhash_rust::xxh3::xxh3_128;

use super::RawEntry;

/// The cache's folder, relative to the knowledge-base root.
pub const CACHE_DIR: &str = ".errbook-cache";

/// What makes two runs of errbook read the same forms: its version and the source of
/// the types stored (postcard's form follows the order of fields and variants).
const STORED_TYPES: &[&str] = &[
    env!("CARGO_PKG_VERSION"),
    include_str!("raw.rs"),
    include_str!("../model/entry.rs"),
];

/// The start of the name of a folder of parsed forms (the rest is a fingerprint).
const PARSED: &str = "parsed-";

/// The start of the name of a [`LinkMemo`] file (the rest is the same fingerprint).
const LINKS: &str = "links-";

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
    /// `<top>/links-<fingerprint>`, the file of the [`LinkMemo`].
    links: PathBuf,
}

impl ParseCache {
    /// The cache of the knowledge base at `root`; nothing is read or created yet.
    pub fn at_root(root: &Path) -> ParseCache {
        let fingerprint = xxh3_128(STORED_TYPES.concat().as_bytes());
        let top = root.join(CACHE_DIR);
        let dir = top.join(format!("{PARSED}{:08x}", fingerprint as u32));
        let links = top.join(format!("{LINKS}{:08x}", fingerprint as u32));
        ParseCache {
            links,
            top,
            dir,
            used: Mutex::default(),
            wrote: AtomicBool::new(false),
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
        write_whole(&self.dir.join(&key.0), &temporary, &bytes);
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
            } else if name.starts_with(LINKS) && path != self.links {
                let _ = std::fs::remove_file(&path);
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
        LinkMemo {
            path: self.links.clone(),
            known: OnceLock::new(),
            found: Mutex::default(),
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

/// The link and image destinations of Markdown texts, in order, by the 128-bit hash of
/// each text, as earlier runs found them ([`ParseCache::link_memo`]); shared by the
/// threads of a run. Read from its file once ([`LinkMemo::preload`], or on first use),
/// and written back by [`LinkMemo::save`] with only the texts this run looked up.
pub(crate) struct LinkMemo {
    path: PathBuf,
    /// What the file held.
    known: OnceLock<HashMap<u128, Known>>,
    /// What this run found that the file did not hold.
    found: Mutex<HashMap<u128, Vec<String>>>,
}

/// The destinations of a text that the memo's file held.
struct Known {
    destinations: Vec<String>,
    /// Whether this run looked the text up (marked without a lock: most texts are known).
    used: AtomicBool,
}

impl LinkMemo {
    /// Reads the memo's file, if it was not read yet (meanwhile, another thread can do
    /// something else).
    pub(crate) fn preload(&self) {
        self.known();
    }

    fn known(&self) -> &HashMap<u128, Known> {
        self.known.get_or_init(|| {
            let pairs = std::fs::read(&self.path)
                .ok()
                .and_then(|bytes| postcard::from_bytes::<Vec<(u128, Vec<String>)>>(&bytes).ok());
            let known = pairs.into_iter().flatten().map(|(key, destinations)| {
                let used = AtomicBool::new(false);
                (key, Known { destinations, used })
            });
            known.collect()
        })
    }

    /// Calls `with` with the destinations of `markdown`, from the memo, or else from
    /// `find`.
    pub(crate) fn destinations<R>(
        &self,
        markdown: &str,
        find: impl FnOnce(&str) -> Vec<String>,
        with: impl FnOnce(&[String]) -> R,
    ) -> R {
        let key = xxh3_128(markdown.as_bytes());
        if let Some(known) = self.known().get(&key) {
            known.used.store(true, Ordering::Relaxed);
            return with(&known.destinations);
        }
        let earlier = self
            .found
            .lock()
            .expect("no memo user panicked")
            .get(&key)
            .cloned();
        let destinations = earlier.unwrap_or_else(|| find(markdown));
        let result = with(&destinations);
        let mut found = self.found.lock().expect("no memo user panicked");
        found.insert(key, destinations);
        result
    }

    /// Writes the memo back if this run found texts it did not hold or left some
    /// unused, keeping only the texts this run looked up. Call it only after a run that
    /// checked every file; failures are ignored (the next run parses again).
    pub(crate) fn save(&self) {
        let Some(known) = self.known.get() else {
            return;
        };
        let found = self.found.lock().expect("no memo user panicked");
        let used = |k: &Known| k.used.load(Ordering::Relaxed);
        let (in_use, unused): (Vec<_>, Vec<_>) = known.iter().partition(|(_, k)| used(k));
        // Nothing new, and nothing to drop; or nothing looked up at all (the run stopped
        // before the entries were checked).
        if found.is_empty() && (unused.is_empty() || in_use.is_empty()) {
            return;
        }
        let mut pairs: Vec<(&u128, &Vec<String>)> = in_use
            .into_iter()
            .map(|(key, k)| (key, &k.destinations))
            .chain(found.iter())
            .collect();
        pairs.sort_unstable_by_key(|(key, _)| **key);
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
        write_whole(&self.path, &temporary, &bytes);
    }
}

/// Writes `bytes` to `path` whole: under the name `temporary`, then renamed, so that a
/// reader never sees half a file. A failure leaves nothing behind.
fn write_whole(path: &Path, temporary: &Path, bytes: &[u8]) {
    let written = std::fs::write(temporary, bytes).and_then(|()| std::fs::rename(temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(temporary);
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
