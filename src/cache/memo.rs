//! Memos: values computed from texts, kept in the cache by a hash of what they were
//! computed from.
//!
//! Three stages compute the same values again and again for texts that did not change:
//! load parses each entry file (the parsed forms, `forms.rs`; YAML is the slowest part
//! of reading a knowledge base), validate finds the link destinations of Markdown
//! texts ([`LinkMemo`]; finding them means parsing the Markdown, which is most of what
//! a check of unchanged files does), and render finds the search terms of each entry in
//! each language (`render/search.rs`; tokenizing is a fifth of what a build of unchanged
//! files does). A memo is read whole, once, before or at its first lookup
//! ([`Memo::preload`]), looked up and added to in memory by the stage, and saved by the
//! pipeline afterwards: the stage itself never touches the disk.
//!
//! Each memo is one file, however many values it holds: creating thousands of small
//! files costs a first build more than they save the next one. The file ends with a
//! hash of everything before it, so that a file that was damaged or cut short is not
//! read at all (its values are computed again), and it is written under a temporary
//! name, then renamed, so that a killed run never leaves half a file.

use std::collections::HashMap;
use std::io::{self, Write};
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::create_marked;
use crate::fs::write_whole_with;

/// The length of the hash that ends a memo's file: xxh3's 128 bits, of every byte
/// before it.
const CHECK: usize = 16;

/// Values computed from texts, by a 128-bit hash of what they were computed from, as
/// earlier runs computed them; shared by the threads of a run. The memo of link
/// destinations ([`BuildCache::link_memo`](super::BuildCache::link_memo)) saves `check` parsing the Markdown of
/// unchanged texts; the memos of search terms ([`BuildCache::memo`](super::BuildCache::memo)) save `build`
/// tokenizing unchanged entries.
///
/// The file is read once, by [`Memo::preload`] or else by the first lookup, and kept as
/// it was read, each value decoded only when it is used; [`Memo::save`] writes it back
/// with only the values this run used.
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
    /// The memo at `path`; `None` if it cannot be read, was damaged or cut short (its
    /// hash is not that of its bytes), or cannot be decoded.
    fn read(path: &Path) -> Option<Stored> {
        let bytes = std::fs::read(path).ok()?;
        let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(CHECK)?)?;
        if xxh3_128(body).to_le_bytes() != check {
            return None;
        }
        let pairs: Vec<(u128, &[u8])> = postcard::from_bytes(body).ok()?;
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
    /// The memo kept at `path`, written back by [`Memo::save`] if `saves`; nothing is
    /// read yet.
    pub(super) fn at(path: PathBuf, saves: bool) -> Memo<V> {
        Memo {
            path,
            stored: OnceLock::new(),
            found: Mutex::default(),
            saves,
            value: PhantomData,
        }
    }

    /// Reads the memo's file, if it was not read yet (meanwhile, another thread can do
    /// something else).
    pub(crate) fn preload(&self) {
        self.stored();
    }

    /// What the memo's file held, read now if it was not read yet (other threads that
    /// need it meanwhile wait for it).
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
        self.save_with(&[]);
    }

    /// [`Memo::save`], with `new` values besides those [`Memo::put`] kept: each is
    /// encoded as the file is written, so that they are never all encoded in memory at
    /// once.
    pub(crate) fn save_with(&self, new: &[(u128, &V)]) {
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
        if found.is_empty() && new.is_empty() && (unused.is_empty() || in_use.is_empty()) {
            return;
        }
        let mut pairs: Vec<(u128, Value<'_, V>)> = in_use
            .into_iter()
            .map(|(key, (range, _))| (*key, Value::Encoded(&stored.bytes[range.clone()])))
            .chain(
                found
                    .iter()
                    .map(|(key, bytes)| (*key, Value::Encoded(bytes))),
            )
            .chain(new.iter().map(|(key, value)| (*key, Value::New(*value))))
            .collect();
        pairs.sort_unstable_by_key(|(key, _)| *key);
        let Some(top) = self.path.parent() else {
            return;
        };
        if create_marked(top).is_err() {
            return;
        }
        let temporary = self.path.with_extension(std::process::id().to_string());
        let written = write_whole_with(&self.path, &temporary, |out| write_checked(out, &pairs));
        if written.is_ok() {
            remove_other_versions(&self.path);
        }
    }
}

/// A value as a memo's file holds it: its encoding, as bytes.
enum Value<'a, V> {
    Encoded(&'a [u8]),
    /// Not encoded yet.
    New(&'a V),
}

/// The encoding is written as bytes, in one piece: serde writes a `&[u8]` byte by byte.
impl<V: Serialize> Serialize for Value<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Encoded(bytes) => serializer.serialize_bytes(bytes),
            Value::New(value) => {
                let bytes = postcard::to_allocvec(value).map_err(serde::ser::Error::custom)?;
                serializer.serialize_bytes(&bytes)
            }
        }
    }
}

/// Writes `pairs` in postcard's form, then the hash of those bytes ([`CHECK`]).
fn write_checked(out: &mut impl Write, pairs: &[(u128, impl Serialize)]) -> io::Result<()> {
    let mut hashing = Hashing {
        out,
        hasher: Xxh3::new(),
    };
    postcard::to_io(pairs, &mut hashing).map_err(io::Error::other)?;
    let check = hashing.hasher.digest128().to_le_bytes();
    hashing.out.write_all(&check)
}

/// Passes bytes on to `out`, hashing them on the way.
struct Hashing<'a, W> {
    out: &'a mut W,
    hasher: Xxh3,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_the_values_a_run_used_or_found_and_only_those() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = super::super::BuildCache::for_command(dir.path(), true);
        let words = |w: &str| vec![w.to_string()];
        let first: Memo<Vec<String>> = cache.memo("test", &["v1"]).unwrap();
        first.preload();
        for (key, value) in [(1, "one"), (2, "two")] {
            assert_eq!(first.get(key), None);
            first.put(key, &words(value));
        }
        assert_eq!(first.get(2), Some(words("two")), "found by this run");
        first.save();

        // Uses 1, finds 3, leaves 2 unused: 2 is dropped.
        let second: Memo<Vec<String>> = cache.memo("test", &["v1"]).unwrap();
        second.preload();
        assert_eq!(second.get(1), Some(words("one")));
        assert_eq!(second.get(3), None);
        second.put(3, &words("three"));
        second.save();
        let third: Memo<Vec<String>> = cache.memo("test", &["v1"]).unwrap();
        third.preload();
        assert_eq!(third.get(2), None);
        assert_eq!(third.get(1), Some(words("one")));
        assert_eq!(third.get(3), Some(words("three")));
        // Every value used, none found: the file stays as it was.
        let path = third.path.clone();
        let written = std::fs::metadata(&path).unwrap().ino();
        third.save();
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), written);

        // The same memo of another version of its code starts empty, and replaces it.
        let other: Memo<Vec<String>> = cache.memo("test", &["v2"]).unwrap();
        other.preload();
        assert_ne!(other.path, path);
        assert_eq!(other.get(1), None);
        other.put(1, &words("un"));
        other.save();
        assert!(other.path.is_file() && !path.exists());
    }
}
