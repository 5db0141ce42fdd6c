//! Reuse of the previous site: a build starts from what earlier builds wrote.
//!
//! A file whose bytes are those of the same file in the site being replaced is
//! hard-linked rather than written, and so are the files of a render unit whose
//! fingerprint is the one the live site's manifest recorded for them, if they are still
//! as written: that unit is not even rendered. With a *spare* folder (in `.errbook-cache/`), the
//! site that a build replaces is not deleted but kept there, and the next build starts
//! from it: its folders already exist, and most of its files are already those of the
//! site. Creating tens of thousands of folders right after deleting as many is slow on
//! some file systems (ext4 skips recently freed inodes one by one); reusing them avoids
//! both. What the spare holds that the new site does not is deleted before the swap.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::manifest::{Manifest, Manifests, Record, Stamp};
use super::staging::Staging;
use super::swap::{lock, old_name};
use super::{MARKER, PathRefs, PathSet};
use crate::fs::remove_any;
use crate::render::OutputFile;

/// What a build takes from the sites of earlier builds.
pub(super) struct Reuse {
    /// The site being replaced, whose unchanged files are hard-linked.
    pub previous: Option<PathBuf>,
    /// Where the replaced site is kept for the next build, if anywhere.
    pub spare: Option<PathBuf>,
    /// Whether the staging folder started as the spare, with files of an older site:
    /// then every file is replaced rather than written into (it may be a hard link to
    /// the live site), and what this build did not write is deleted at the end.
    pub reused: bool,
    /// The manifests, when there is a spare.
    pub manifests: Option<Manifests>,
}

impl Staging {
    /// If the site being replaced has `file` with the same bytes (whose hash is `hash`),
    /// puts it at `path` as a hard link, unless it is already there, and returns its
    /// metadata.
    pub(super) fn link_unchanged(
        &self,
        file: &OutputFile,
        path: &Path,
        hash: Option<u128>,
    ) -> Option<fs::Metadata> {
        let old = self.reuse.previous.as_ref()?.join(&file.path);
        let old_file = self.same_as_previous(&old, file, hash)?;
        self.link(&old, &old_file, path).then_some(old_file)
    }

    /// Puts `old`, a file of the site being replaced whose metadata is `old_file`, at
    /// `path` as a hard link, unless it is already there; false if it cannot.
    fn link(&self, old: &Path, old_file: &fs::Metadata, path: &Path) -> bool {
        if self.reuse.reused && is_same_file(old_file, path) {
            return true;
        }
        self.clear(path);
        fs::hard_link(old, path).is_ok()
    }

    /// Puts the files that the unit whose fingerprint is `unit` made for the site being
    /// replaced, if they are all still as written there (the live site's manifest tells
    /// by their stamps), as hard links, and returns their paths; the unit need not be
    /// rendered. `None` if it must be, with nothing of it put.
    pub(super) fn link_unit(&self, unit: u128) -> Option<Vec<String>> {
        let previous = self.reuse.previous.as_ref()?;
        let live = self.reuse.manifests.as_ref()?.live.as_ref()?;
        let paths = live.unit(unit)?;
        let mut found = Vec::with_capacity(paths.len());
        for path in paths {
            let (hash, stamp) = live.get(path)?;
            let old = previous.join(path);
            let metadata = fs::symlink_metadata(&old).ok()?;
            (Stamp::of(&metadata) == stamp).then_some(())?;
            found.push((path, old, metadata, hash));
        }
        let mut linked = Vec::with_capacity(found.len());
        for (path, old, metadata, _) in &found {
            let at = self.dir.join(path);
            let folder = Path::new(path).parent().unwrap_or(Path::new(""));
            if self.create_folder(folder).is_err() || !self.link(old, metadata, &at) {
                // What was linked must not stay: the unit's files are written instead,
                // and a file is never written into a link to the live site.
                for at in &linked {
                    let _ = fs::remove_file(at);
                }
                return None;
            }
            linked.push(at);
        }
        for (path, _, metadata, hash) in found {
            self.record(Record {
                path: path.clone(),
                hash,
                stamp: Stamp::of(&metadata),
                unit: Some(unit),
            });
        }
        Some(paths.to_vec())
    }

    /// If `old`, the file of the site being replaced at the place of `file`, holds the
    /// bytes of `file`, its metadata. The live site's manifest tells from the file's
    /// stamp, if it is the one recorded; otherwise the file is read.
    fn same_as_previous(
        &self,
        old: &Path,
        file: &OutputFile,
        hash: Option<u128>,
    ) -> Option<fs::Metadata> {
        let live = self.reuse.manifests.as_ref().and_then(|m| m.live.as_ref());
        if let (Some((recorded, stamp)), Some(hash)) = (live.and_then(|l| l.get(&file.path)), hash)
            && let Ok(metadata) = fs::symlink_metadata(old)
            && Stamp::of(&metadata) == stamp
        {
            return (recorded == hash).then_some(metadata);
        }
        same_content(old, &file.bytes)
    }

    /// Removes what a reused tree has at `path`: a file there may be a hard link to the
    /// live site, which must not be written into.
    pub(super) fn clear(&self, path: &Path) {
        if !self.reuse.reused {
            return;
        }
        remove_any(path);
    }

    /// Makes a reused tree hold only the files this build wrote, deleting the others: those
    /// its manifest lists, or else those found by walking it. When it lists more files
    /// this build did not write than files it wrote (a site that shrank), the written
    /// files are moved to a new staging folder instead, and the reused tree, with what is
    /// left in it, is returned, to be deleted off the critical path.
    pub(super) fn remove_unwritten(&mut self) -> Result<Option<PathBuf>> {
        let Some(manifests) = &self.reuse.manifests else {
            return Ok(None);
        };
        let records = manifests.written.lock().expect("no writer panicked");
        let written: PathRefs<'_> = records.iter().map(|r| Path::new(&r.path)).collect();
        let folders = self.folders.lock().expect("no writer panicked");
        let Some(listed) = Manifest::read(&manifests.spare_path, &self.dir.join(MARKER)) else {
            self.remove_walked(&written, &folders);
            return Ok(None);
        };
        let unwritten = listed.paths().filter(|p| !written.contains(Path::new(p)));
        if unwritten.count() <= written.len() {
            self.remove_listed(&listed, &written, &folders);
            return Ok(None);
        }
        let mut new_folders: Vec<PathBuf> = folders.iter().cloned().collect();
        let files: Vec<PathBuf> = written.into_iter().map(Path::to_path_buf).collect();
        drop((records, folders));
        new_folders.sort_by_key(|folder| folder.components().count());
        self.move_to_new_tree(&new_folders, &files).map(Some)
    }

    /// Moves the reused tree aside, then `folders` and `files` (relative, parents
    /// first) from it to a new staging folder; returns where the reused tree now is.
    fn move_to_new_tree(&mut self, folders: &[PathBuf], files: &[PathBuf]) -> Result<PathBuf> {
        let aside = old_name(&self.out);
        fs::rename(&self.dir, &aside)
            .with_context(|| format!("cannot move {} aside", self.dir.display()))?;
        fs::create_dir(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        self.lock = lock(&self.dir).ok();
        for folder in folders.iter().filter(|f| !f.as_os_str().is_empty()) {
            let path = self.dir.join(folder);
            fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        }
        for file in files {
            let path = self.dir.join(file);
            fs::rename(aside.join(file), &path)
                .with_context(|| format!("cannot move {}", path.display()))?;
        }
        Ok(aside)
    }

    /// Deletes the files of `listed` (the manifest of the reused tree) that are not
    /// `written`, then the folders that held them and that are not `folders` now,
    /// deepest first (a folder of the tree holds files, or folders that do).
    fn remove_listed(&self, listed: &Manifest, written: &PathRefs<'_>, folders: &PathSet) {
        let mut emptied = Vec::new();
        for path in listed.paths().map(Path::new) {
            if written.contains(path) {
                continue;
            }
            let _ = fs::remove_file(self.dir.join(path));
            let above = path.ancestors().skip(1);
            emptied.extend(above.filter(|a| !a.as_os_str().is_empty() && !folders.contains(*a)));
        }
        emptied.sort_by_key(|folder| (std::cmp::Reverse(folder.components().count()), *folder));
        emptied.dedup();
        for folder in emptied {
            let _ = fs::remove_dir(self.dir.join(folder));
        }
    }

    /// Deletes what a walk of the reused tree finds that is not `written` nor `folders`.
    /// The folders two levels down (an entry's, a provider's) are walked in parallel,
    /// then what is above them.
    fn remove_walked(&self, written: &PathRefs<'_>, folders: &PathSet) {
        let remove_unwanted = |item: &walkdir::DirEntry| {
            let Ok(rel) = item.path().strip_prefix(&self.dir) else {
                return;
            };
            if item.file_type().is_dir() {
                if !folders.contains(rel) {
                    let _ = fs::remove_dir(item.path());
                }
            } else if !written.contains(rel) {
                let _ = fs::remove_file(item.path());
            }
        };
        let top = walkdir::WalkDir::new(&self.dir).min_depth(1).max_depth(2);
        let (subtrees, upper): (Vec<_>, Vec<_>) = top
            .contents_first(true)
            .into_iter()
            .flatten()
            .partition(|item| item.depth() == 2 && item.file_type().is_dir());
        subtrees.par_iter().for_each(|tree| {
            let walk = walkdir::WalkDir::new(tree.path()).contents_first(true);
            walk.into_iter()
                .flatten()
                .for_each(|item| remove_unwanted(&item));
        });
        upper.iter().for_each(remove_unwanted);
    }

    /// Moves `old` to the spare folder; false if there is none, or it cannot be moved.
    pub(super) fn keep_as_spare(&self, old: &Path) -> bool {
        let Some(spare) = &self.reuse.spare else {
            return false;
        };
        spare
            .parent()
            .is_some_and(|p| fs::create_dir_all(p).is_ok())
            && !spare.exists()
            && fs::rename(old, spare).is_ok()
    }
}

/// Whether `path` is the file whose metadata is `file` (the same device and inode).
#[cfg(unix)]
fn is_same_file(file: &fs::Metadata, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).is_ok_and(|m| m.dev() == file.dev() && m.ino() == file.ino())
}

#[cfg(not(unix))]
fn is_same_file(_: &fs::Metadata, _: &Path) -> bool {
    false
}

/// If the file at `path` holds exactly `bytes`, its metadata. The file is opened once
/// and read whole into a buffer kept by the thread: most files of a rebuilt site are
/// unchanged, and each costs four system calls (open, stat, read, close).
fn same_content(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    use std::io::Read;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = open_without_waiting(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
        return None;
    }
    let same = BUFFER.with_borrow_mut(|buffer| {
        buffer.resize(bytes.len(), 0);
        file.read_exact(buffer).is_ok() && buffer[..] == *bytes
    });
    same.then_some(metadata)
}

/// Opens `path` for reading without waiting for a writer, should it be a named pipe
/// (a regular file opens the same).
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let nonblocking = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(nonblocking)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
}
