//! The staging folder: the new site, written beside the output folder file by file as
//! it is rendered, from many threads at once, until `swap.rs` puts it in place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use super::manifest::{Manifests, Record, Stamp};
use super::reuse::Reuse;
use super::swap::{check_replaceable, leftovers, lock, swap_in};
use super::{MARKER, MARKER_TEXT, PathSet};
use crate::render::{OutputFile, Sink};

/// A new site being written beside the output folder, file by file, as it is rendered.
/// [`Staging::finish`] swaps it in; dropped unfinished (a failed build), it is deleted
/// and the output folder stays exactly as it was.
pub(crate) struct Staging {
    pub(super) dir: PathBuf,
    pub(super) out: PathBuf,
    /// Folders left by builds that were killed.
    leftovers: Vec<PathBuf>,
    /// The first file that could not be written; later files are skipped.
    failure: Mutex<Option<anyhow::Error>>,
    /// Folders already created (relative), so that each costs one system call, not one
    /// per file.
    pub(super) folders: Mutex<PathSet>,
    /// What this build takes from the sites of earlier builds.
    pub(super) reuse: Reuse,
    /// The lock on the staging folder, which tells other builds that this one runs.
    pub(super) lock: Option<fs::File>,
    finished: bool,
}

impl Staging {
    /// Creates the staging folder for `out`, after checking that `out` may be replaced;
    /// with `spare`, starts from the tree kept there and keeps the replaced site there.
    /// `inputs`, the fingerprint of what the site is built from, goes into its manifest.
    pub(crate) fn begin(
        out: &Path,
        force: bool,
        spare: Option<&Path>,
        inputs: Option<u128>,
    ) -> Result<Staging> {
        check_replaceable(out, force)?;
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = out
            .file_name()
            .and_then(|n| n.to_str())
            .context("the output folder has no name")?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        // Only a tree errbook wrote is reused; claiming it is one rename, which one
        // build at most wins. It is locked first, so that it is never seen unlocked
        // under the staging name.
        let spare_lock = spare
            .filter(|spare| spare.join(MARKER).is_file())
            .and_then(|spare| Some((lock(spare).ok()?, spare)))
            .filter(|(_, spare)| fs::rename(spare, &dir).is_ok());
        let reused = spare_lock.is_some();
        if !reused {
            fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let lock = spare_lock
            .map(|(handle, _)| handle)
            .or_else(|| lock(&dir).ok());
        let staging = Staging {
            leftovers: leftovers(parent, name, &dir),
            reuse: Reuse {
                previous: out.join(MARKER).is_file().then(|| out.to_path_buf()),
                manifests: spare.map(|spare| Manifests::read(spare, out, inputs)),
                spare: spare.map(Path::to_path_buf),
                reused,
            },
            out: out.to_path_buf(),
            dir,
            failure: Mutex::new(None),
            folders: Mutex::default(),
            lock,
            finished: false,
        };
        Ok(staging)
    }

    /// Writes one file, made by `unit` if it is a unit's. A file whose bytes are those
    /// of the same file in the site being replaced is hard-linked instead: unchanged
    /// files cost no write, and deleting the old tree then frees almost nothing.
    fn write(&self, file: &OutputFile, unit: Option<u128>) -> Result<()> {
        let path = self.dir.join(&file.path);
        if let Some(folder) = Path::new(&file.path).parent() {
            self.create_folder(folder)?;
        }
        let hash = self.reuse.manifests.as_ref().map(|_| xxh3_128(&file.bytes));
        let metadata = match self.link_unchanged(file, &path, hash) {
            Some(metadata) => Some(metadata),
            None => {
                self.clear(&path);
                write_new(&path, &file.bytes, hash.is_some())
                    .with_context(|| format!("cannot write {}", path.display()))?
            }
        };
        if let (Some(hash), Some(metadata)) = (hash, metadata) {
            self.record(Record {
                path: file.path.clone(),
                hash,
                stamp: Stamp::of(&metadata),
                unit,
            });
        }
        Ok(())
    }

    /// Adds a file of the new site to its manifest, if it has one.
    pub(super) fn record(&self, record: Record) {
        if let Some(manifests) = &self.reuse.manifests {
            let mut written = manifests.written.lock().expect("no writer panicked");
            written.push(record);
        }
    }

    /// Creates `folder` (relative to the staging folder) and its parents, once.
    pub(super) fn create_folder(&self, folder: &Path) -> Result<()> {
        if self
            .folders
            .lock()
            .expect("no writer panicked")
            .contains(folder)
        {
            return Ok(());
        }
        let path = self.dir.join(folder);
        // A reused tree has most folders already: one look instead of a failed `mkdir`
        // and a look.
        let exists = self.reuse.reused && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !exists && fs::create_dir_all(&path).is_err() {
            // A reused tree may have a file where this build has a folder.
            for ancestor in folder.ancestors().filter(|a| !a.as_os_str().is_empty()) {
                if self.dir.join(ancestor).is_file() {
                    self.clear(&self.dir.join(ancestor));
                }
            }
            fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
        }
        let mut folders = self.folders.lock().expect("no writer panicked");
        folders.extend(folder.ancestors().map(Path::to_path_buf));
        Ok(())
    }

    /// Puts the new site in place of the output folder, atomically, and returns the
    /// folders left to delete; or, if a file could not be written, the reason.
    pub(crate) fn finish(mut self) -> Result<Vec<PathBuf>> {
        if let Some(error) = self.failure.lock().expect("no writer panicked").take() {
            return Err(error);
        }
        if self.reuse.reused {
            let aside = self.remove_unwritten()?;
            self.leftovers.extend(aside);
        }
        self.write_marker()?;
        let old = swap_in(&self.dir, &self.out)?;
        self.finished = true;
        let mut to_remove = std::mem::take(&mut self.leftovers);
        // The replaced site becomes the spare, or is deleted.
        let replaced = old.is_some();
        let deleted = old.filter(|old| !self.keep_as_spare(old));
        if let Some(manifests) = self.reuse.manifests.take() {
            manifests.save(&self.out, replaced && deleted.is_none());
        }
        to_remove.extend(deleted);
        Ok(to_remove)
    }
}

impl Staging {
    /// Writes the marker file, after every other file. Only a file stamped before the
    /// marker is proven unchanged by its stamp (`manifest.rs`), and file times move in
    /// ticks of a few milliseconds: the marker is written again until its time is past
    /// the newest file's, so that the next build can prove the whole site unchanged.
    fn write_marker(&self) -> Result<()> {
        let marker = self.dir.join(MARKER);
        let newest = self.reuse.manifests.as_ref().map(Manifests::newest_written);
        let mut attempts = 0;
        loop {
            self.clear(&marker);
            fs::write(&marker, MARKER_TEXT)
                .with_context(|| format!("cannot write {}", marker.display()))?;
            let written = fs::metadata(&marker).map(|m| Stamp::of(&m).modified_ns());
            let past = newest.is_none_or(|newest| written.is_ok_and(|w| w > newest));
            attempts += 1;
            if past || attempts == 50 {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

impl Staging {
    /// Writes `files`, made by `unit` if they are a unit's; the first that cannot be
    /// written fails the build, and later ones are skipped.
    fn put_files(&self, files: &[OutputFile], unit: Option<u128>) {
        let written = files.par_iter().try_for_each(|file| {
            if self.failure.lock().expect("no writer panicked").is_some() {
                return Ok(());
            }
            self.write(file, unit)
        });
        if let Err(error) = written {
            self.failure
                .lock()
                .expect("no writer panicked")
                .get_or_insert(error);
        }
    }
}

impl Sink for Staging {
    fn put(&self, files: Vec<OutputFile>) {
        self.put_files(&files, None);
    }

    fn reuse_unit(&self, unit: u128) -> Option<Vec<String>> {
        self.link_unit(unit)
    }

    fn put_unit(&self, unit: u128, files: Vec<OutputFile>) {
        self.put_files(&files, Some(unit));
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            // A reused tree goes back to being the spare: the next build makes it exact,
            // by walking it, as it no longer holds what its manifest lists.
            if let Some(manifests) = self.reuse.manifests.as_ref().filter(|_| self.reuse.reused) {
                let _ = fs::remove_file(&manifests.spare_path);
            }
            let back = self.reuse.reused
                && self
                    .reuse
                    .spare
                    .as_ref()
                    .is_some_and(|s| fs::rename(&self.dir, s).is_ok());
            if !back {
                let _ = fs::remove_dir_all(&self.dir);
            }
        }
    }
}

/// Writes `bytes` to a new file at `path`; returns its metadata if `stamped`.
fn write_new(path: &Path, bytes: &[u8], stamped: bool) -> std::io::Result<Option<fs::Metadata>> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    stamped.then(|| file.metadata()).transpose()
}
