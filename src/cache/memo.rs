//! Memos: values computed from texts, kept in the cache by a hash of what they were
//! computed from.
//!
//! Three stages compute the same values again and again for texts that did not change:
//! load parses each entry file (the parsed forms, `forms.rs`; YAML is the slowest part
//! of reading a knowledge base), validate finds the link destinations of Markdown
//! texts ([`LinkMemo`]; finding them means parsing the Markdown, which is most of what
//! a check of unchanged files does), and render finds the search terms of each entry in
//! each language (`render/search.rs`; tokenizing is a fifth of what a build of unchanged
//! files does). The stage looks values up and adds those it computed; the pipeline
//! opens the memo before ([`Memo::preload`]) and saves it after: the stage itself never
//! deals with files.
//!
//! Each memo is one file, however many values it holds: creating thousands of small
//! files costs a first build more than they save the next one. Memory stays bounded
//! however large the memo: only the file's index is read whole (a few dozen bytes per
//! value), each value is read when it is looked up, and the values a run computes are
//! written as they come to the file that replaces the memo when it is saved. The
//! file's end holds a hash of its index, and the index a hash of each value, so that a
//! file that was damaged or cut short is not read at all, nor a damaged value (it is
//! computed again). A memo is written under a temporary name, then renamed, so that a
//! killed run never leaves half a file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::marker::PhantomData;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

use super::create_marked;
use crate::fs::{process_is_alive, write_whole_with};

/// The length of the end of a memo's file: the length of the index before it (8 bytes,
/// little-endian), then xxh3's 128 bits of the index and that length.
const TRAILER: usize = 8 + 16;

/// Values computed from texts, by a 128-bit hash of what they were computed from, as
/// earlier runs computed them; shared by the threads of a run. The memo of link
/// destinations ([`BuildCache::link_memo`](super::BuildCache::link_memo)) saves `check` parsing the Markdown of
/// unchanged texts; the memos of search terms ([`BuildCache::memo`](super::BuildCache::memo)) save `build`
/// tokenizing unchanged entries.
///
/// The file's index is read once, by [`Memo::preload`] or else by the first lookup, and
/// each value is read and decoded only when it is looked up; [`Memo::save`] replaces
/// the file with one that holds only the values this run used or computed.
pub(crate) struct Memo<V> {
    path: PathBuf,
    /// What the file held.
    stored: OnceLock<Stored>,
    /// The values this run computed that the file did not hold.
    found: Mutex<Found>,
    /// Whether [`Memo::save`] writes the file (and so whether computed values are kept).
    saves: bool,
    value: PhantomData<fn() -> V>,
}

/// The link and image destinations of Markdown texts, in order, by the hash of each text.
pub(crate) type LinkMemo = Memo<Vec<String>>;

/// Where a value's encoding is in a memo's file, with the hash that proves it intact.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Slot {
    at: u64,
    len: u32,
    hash: u64,
}

impl Slot {
    /// The encoding this slot of `file` holds, if it is intact.
    fn read(self, file: &File) -> Option<Vec<u8>> {
        let mut bytes = vec![0; self.len as usize];
        file.read_exact_at(&mut bytes, self.at).ok()?;
        (xxh3_64(&bytes) == self.hash).then_some(bytes)
    }
}

/// A memo's file as it was opened: the file, and where each value is in it.
#[derive(Default)]
struct Stored {
    file: Option<File>,
    /// By key: where its value is, and whether this run used it (marked without a lock:
    /// most values are known).
    values: HashMap<u128, (Slot, AtomicBool)>,
}

impl Stored {
    /// The memo at `path`; `None` if it cannot be read, or was damaged or cut short (its
    /// index does not match the hash at its end, or points past itself).
    fn read(path: &Path) -> Option<Stored> {
        let file = File::open(path).ok()?;
        let before_trailer = file.metadata().ok()?.len().checked_sub(TRAILER as u64)?;
        let mut trailer = [0; TRAILER];
        file.read_exact_at(&mut trailer, before_trailer).ok()?;
        let (length, check) = trailer.split_at(8);
        let length = u64::from_le_bytes(length.try_into().ok()?);
        let index_at = before_trailer.checked_sub(length)?;
        let mut index = vec![0; usize::try_from(length).ok()?];
        file.read_exact_at(&mut index, index_at).ok()?;
        if index_check(&index) != check {
            return None;
        }
        let slots: Vec<(u128, Slot)> = postcard::from_bytes(&index).ok()?;
        if slots
            .iter()
            .any(|(_, s)| s.at + u64::from(s.len) > index_at)
        {
            return None;
        }
        let values = slots
            .into_iter()
            .map(|(key, slot)| (key, (slot, AtomicBool::new(false))))
            .collect();
        Some(Stored {
            file: Some(file),
            values,
        })
    }
}

/// The hash that ends a memo's file: of its index, and of the index's length.
fn index_check(index: &[u8]) -> [u8; 16] {
    let mut hasher = Xxh3::new();
    hasher.update(index);
    hasher.update(&(index.len() as u64).to_le_bytes());
    hasher.digest128().to_le_bytes()
}

/// The file that will replace a memo's, written value by value as the run finds them.
#[derive(Default)]
struct Found {
    /// The file and its temporary name; created with the first value.
    next: Option<(PathBuf, BufWriter<File>)>,
    /// Bytes written to it.
    len: u64,
    /// Where each value is in it.
    values: HashMap<u128, Slot>,
    /// Whether it could not be created or written: then it is never saved.
    failed: bool,
}

/// Tells apart the temporary files of the memos of one process.
static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

impl Found {
    /// Writes `bytes`, the encoding of the value under `key`, unless it was written.
    fn add(&mut self, memo: &Path, key: u128, bytes: &[u8]) {
        if self.values.contains_key(&key) {
            return;
        }
        let Some(out) = self.writer(memo) else {
            return;
        };
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        if out.write_all(bytes).is_err() {
            self.failed = true;
            return;
        }
        let hash = xxh3_64(bytes);
        self.values.insert(
            key,
            Slot {
                at: self.len,
                len,
                hash,
            },
        );
        self.len += u64::from(len);
    }

    /// The file being written beside `memo`, created now if it was not.
    fn writer(&mut self, memo: &Path) -> Option<&mut BufWriter<File>> {
        if self.next.is_none() && !self.failed {
            let number = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
            let temporary = memo.with_extension(format!("{}.{number}", std::process::id()));
            let created = memo.parent().map_or(Ok(()), create_marked).and_then(|()| {
                // Read too: a value is looked up again in the run that found it.
                File::options()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&temporary)
            });
            match created {
                Ok(file) => {
                    let out = BufWriter::with_capacity(1 << 20, file);
                    self.next = Some((temporary, out));
                }
                Err(_) => self.failed = true,
            }
        }
        self.next
            .as_mut()
            .map(|(_, out)| out)
            .filter(|_| !self.failed)
    }

    /// The encoding of the value under `key`, if this run wrote it.
    fn get(&mut self, key: u128) -> Option<Vec<u8>> {
        let slot = *self.values.get(&key)?;
        slot.read(self.flushed()?)
    }

    /// The file written so far, with every value in it (none left in the buffer).
    fn flushed(&mut self) -> Option<&File> {
        let (_, out) = self.next.as_mut()?;
        out.flush().ok()?;
        Some(out.get_ref())
    }
}

impl Found {
    /// Deletes the file of the values found, once they are saved or not to be.
    fn discard(&mut self) {
        if let Some((temporary, _)) = self.next.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl Drop for Found {
    fn drop(&mut self) {
        self.discard();
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

    /// Reads the memo's index, if it was not read yet (meanwhile, another thread can do
    /// something else).
    pub(crate) fn preload(&self) {
        self.stored();
    }

    /// What the memo's file held, opened now if it was not yet (other threads that
    /// need it meanwhile wait for it).
    fn stored(&self) -> &Stored {
        let path = &self.path;
        self.stored
            .get_or_init(|| Stored::read(path).unwrap_or_default())
    }

    /// The value kept under `key` by an earlier run, or found by this one.
    pub(crate) fn get(&self, key: u128) -> Option<V> {
        let stored = self.stored();
        if let (Some((slot, used)), Some(file)) = (stored.values.get(&key), &stored.file)
            && let Some(value) = slot.read(file).and_then(|b| postcard::from_bytes(&b).ok())
        {
            used.store(true, Ordering::Relaxed);
            return Some(value);
        }
        let mut found = self.found.lock().expect("no memo user panicked");
        found
            .get(key)
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
    }

    /// Keeps `value` under `key`, for [`Memo::save`] (if the memo saves at all).
    pub(crate) fn put(&self, key: u128, value: &V) {
        if !self.saves {
            return;
        }
        if let Ok(bytes) = postcard::to_allocvec(value) {
            let mut found = self.found.lock().expect("no memo user panicked");
            found.add(&self.path, key, &bytes);
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
        let mut found = self.found.lock().expect("no memo user panicked");
        let (in_use, unused): (Vec<_>, Vec<_>) = stored
            .values
            .iter()
            .partition(|(_, (_, used))| used.load(Ordering::Relaxed));
        // Nothing new, and nothing to drop; or nothing looked up at all (the run stopped
        // before it looked anything up).
        if found.values.is_empty() && new.is_empty() && (unused.is_empty() || in_use.is_empty()) {
            return;
        }
        if found.failed {
            return;
        }
        let mut values: Vec<(u128, Value<'_, V>)> = in_use
            .into_iter()
            .map(|(key, (slot, _))| (*key, Value::Stored(*slot)))
            .chain(
                found
                    .values
                    .iter()
                    .map(|(key, slot)| (*key, Value::Found(*slot))),
            )
            .chain(new.iter().map(|(key, value)| (*key, Value::New(*value))))
            .collect();
        // In the order of keys, so that the same values make the same file.
        values.sort_unstable_by_key(|(key, _)| *key);
        values.dedup_by_key(|(key, _)| *key);
        let files = Files {
            stored: stored.file.as_ref(),
            found: found.flushed(),
        };
        if self.path.parent().map_or(Ok(()), create_marked).is_err() {
            return;
        }
        let temporary = self.path.with_extension(std::process::id().to_string());
        let written = write_whole_with(&self.path, &temporary, |out| {
            write_values(out, &values, &files)
        });
        found.discard();
        if written.is_ok() {
            remove_other_versions(&self.path);
        }
    }
}

/// Where a value to save is.
enum Value<'a, V> {
    /// In the file that was read.
    Stored(Slot),
    /// In the file of the values this run found.
    Found(Slot),
    /// Not encoded yet.
    New(&'a V),
}

/// The files that the values to save are read from.
struct Files<'a> {
    stored: Option<&'a File>,
    found: Option<&'a File>,
}

/// Writes `values`, then their index and the trailer ([`TRAILER`]).
fn write_values<V: Serialize>(
    out: &mut impl Write,
    values: &[(u128, Value<'_, V>)],
    files: &Files<'_>,
) -> io::Result<()> {
    let unreadable = || io::Error::other("a value to save cannot be read");
    let mut slots = Vec::with_capacity(values.len());
    let mut at = 0;
    for (key, value) in values {
        let bytes = match value {
            Value::Stored(slot) => files.stored.and_then(|f| slot.read(f)),
            Value::Found(slot) => files.found.and_then(|f| slot.read(f)),
            Value::New(value) => postcard::to_allocvec(value).ok(),
        }
        .ok_or_else(unreadable)?;
        out.write_all(&bytes)?;
        let len = u32::try_from(bytes.len()).map_err(|_| unreadable())?;
        let hash = xxh3_64(&bytes);
        slots.push((*key, Slot { at, len, hash }));
        at += u64::from(len);
    }
    let index = postcard::to_allocvec(&slots).map_err(io::Error::other)?;
    out.write_all(&index)?;
    out.write_all(&(index.len() as u64).to_le_bytes())?;
    out.write_all(&index_check(&index))
}

/// Deletes the files beside `path` whose names differ from its name only in their last
/// `-`-separated part (the same memo, kept by another version of errbook), and the
/// temporary files of the memo that processes which no longer run left (killed while
/// they wrote them).
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
        // `<name>.<process>` or `<name>.<process>.<number>`.
        let abandoned = other
            .strip_prefix(name.as_ref())
            .and_then(|rest| rest.strip_prefix('.'))
            .map(|rest| rest.split('.').next().unwrap_or(rest))
            .is_some_and(|pid| {
                cfg!(target_os = "linux") && pid.parse::<u32>().is_ok() && !process_is_alive(pid)
            });
        if (same_memo && other != name) || abandoned {
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

    /// A memo named `test` in the cache of a new run in `dir`, with its index read.
    fn open(dir: &Path) -> Memo<Vec<String>> {
        let cache = super::super::BuildCache::for_command(dir, true);
        let memo = cache.memo("test", &["v1"]).unwrap();
        memo.preload();
        memo
    }

    fn words(w: &str) -> Vec<String> {
        vec![w.to_string()]
    }

    #[test]
    fn a_damaged_value_is_computed_again_and_the_others_still_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        first.put(1, &words("first value"));
        first.put(2, &words("second value"));
        first.save();
        let path = first.path.clone();
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes
            .windows(5)
            .position(|w| w == b"first")
            .expect("the value is in the file");
        bytes[at] = b'F';
        std::fs::write(&path, &bytes).unwrap();
        let second = open(dir.path());
        assert_eq!(second.get(1), None, "damaged");
        assert_eq!(second.get(2), Some(words("second value")));
    }

    #[test]
    fn values_found_by_a_run_that_never_saves_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let memo = open(dir.path());
        memo.put(1, &words("one"));
        assert_eq!(memo.get(1), Some(words("one")));
        let top = memo.path.parent().unwrap().to_path_buf();
        let files = || std::fs::read_dir(&top).unwrap().count();
        assert_eq!(files(), 3, "the marker, .gitignore and the values found");
        drop(memo);
        assert_eq!(files(), 2, "only the marker and .gitignore");
        assert_eq!(open(dir.path()).get(1), None);
    }

    #[test]
    fn a_save_deletes_the_files_that_killed_runs_left_and_only_those() {
        let dir = tempfile::tempdir().unwrap();
        let memo = open(dir.path());
        memo.put(1, &words("one"));
        let name = memo
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let beside = |rest: &str| memo.path.with_file_name(format!("{name}{rest}"));
        // No process has a number this high (Linux allows at most 2^22).
        let left = [beside(".99999999"), beside(".99999999.3")];
        let running = beside(&format!(".{}.7", std::process::id()));
        for file in left.iter().chain([&running]) {
            std::fs::write(file, b"half a memo").unwrap();
        }
        memo.save();
        assert!(memo.path.is_file());
        assert_eq!(left.iter().filter(|f| f.exists()).count(), 0);
        assert!(running.exists(), "a running process's file is kept");
    }
}
