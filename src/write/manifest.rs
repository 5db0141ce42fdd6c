//! What a site tree holds, as the build that wrote it recorded it: each file's path, a
//! hash of its bytes, its [`Stamp`] (inode, size, modification time) and the fingerprint
//! of the render unit that made it (`render/units.rs`), if any.
//!
//! `build` keeps one for the live site and one for the spare tree (`reuse.rs`), in the
//! cache. With the live site's, a file that the new site keeps unchanged is recognised
//! by one `stat` of the live file instead of a read of its bytes, and a unit whose
//! fingerprint is unchanged by the files it made, which are then not rendered at all;
//! with the spare's, what the new site no longer has is deleted without walking the
//! spare tree.
//!
//! A manifest names its tree by the stamp of the tree's marker file, which every build
//! writes anew: a manifest that does not match its tree (a killed build, a tree moved or
//! replaced by hand) is ignored, and the build falls back to reading and walking.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::MARKER;
pub(crate) use crate::fs::Stamp;
use crate::fs::write_whole;

/// Format version of the manifest file; bump it when [`Stored`] changes.
const VERSION: u32 = 3;

/// One file of a tree: its path (relative, `/`-separated), the hash of its bytes, its
/// stamp, and the fingerprint of the unit that made it (none for the data files).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub path: String,
    pub hash: u128,
    pub stamp: Stamp,
    pub unit: Option<u128>,
}

/// The manifest file.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    /// The stamp of the tree's marker file.
    marker: Stamp,
    /// The fingerprint of what the tree was built from, if the build knew it.
    inputs: Option<u128>,
    files: Vec<Record>,
}

/// A tree's files, by path.
pub(crate) struct Manifest {
    files: HashMap<String, (u128, Stamp), foldhash::fast::RandomState>,
    /// The paths of the files of each unit, by the unit's fingerprint.
    units: HashMap<u128, Vec<String>, foldhash::fast::RandomState>,
    /// When the marker was written, after every file: a file modified in the same tick
    /// of the clock as it was written keeps its stamp, so only a stamp older than the
    /// marker's proves that the file is still the one written (git's "racy clean").
    written_ns: i128,
    /// The fingerprint of what the tree was built from, if the build knew it.
    pub inputs: Option<u128>,
}

impl Manifest {
    /// The manifest at `path`, if it describes the tree whose marker file is `marker`.
    pub(crate) fn read(path: &Path, marker: &Path) -> Option<Manifest> {
        let marker = Stamp::of(&fs::symlink_metadata(marker).ok()?);
        let stored: Stored = postcard::from_bytes(&fs::read(path).ok()?).ok()?;
        if stored.version != VERSION || stored.marker != marker {
            return None;
        }
        let mut units: HashMap<u128, Vec<String>, _> = HashMap::default();
        for record in &stored.files {
            if let Some(unit) = record.unit {
                units.entry(unit).or_default().push(record.path.clone());
            }
        }
        let files = stored
            .files
            .into_iter()
            .map(|r| (r.path, (r.hash, r.stamp)))
            .collect();
        Some(Manifest {
            files,
            units,
            written_ns: marker.modified_ns(),
            inputs: stored.inputs,
        })
    }

    /// The hash of the file at `path` and the stamp that proves the file unchanged since,
    /// if the tree has a file there and its stamp can prove it.
    pub(crate) fn get(&self, path: &str) -> Option<(u128, Stamp)> {
        let &(hash, stamp) = self.files.get(path)?;
        (stamp.modified_ns() < self.written_ns).then_some((hash, stamp))
    }

    /// The paths of the files made by the unit whose fingerprint is `unit`.
    pub(crate) fn unit(&self, unit: u128) -> Option<&[String]> {
        self.units.get(&unit).map(Vec::as_slice)
    }

    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every file, with the stamp that proves it unchanged if there is one.
    pub fn stamps(&self) -> impl ParallelIterator<Item = (&str, Option<Stamp>)> {
        self.files
            .par_iter()
            .map(|(path, &(_, stamp))| (path.as_str(), self.get(path).map(|_| stamp)))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }
}

/// What a manifest describes: the files of a tree, and what they were built from.
pub(crate) struct Tree {
    pub inputs: Option<u128>,
    pub files: Vec<Record>,
}

/// Writes the manifest of a tree whose marker file is `marker` to `path` (whole,
/// through a temporary file). A manifest that cannot be written is removed, with what
/// was written of it: the next build reads and walks.
pub(crate) fn write_manifest(path: &Path, marker: &Path, tree: Tree) {
    let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
    let written = fs::symlink_metadata(marker).and_then(|m| {
        let stored = Stored {
            version: VERSION,
            marker: Stamp::of(&m),
            inputs: tree.inputs,
            files: tree.files,
        };
        let bytes = postcard::to_allocvec(&stored).map_err(std::io::Error::other)?;
        write_whole(path, &temporary, &bytes)
    });
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
}

/// The manifests of the live site and of the spare tree, kept beside the spare.
pub(super) struct Manifests {
    /// Where the live site's manifest is kept, and what it held if it matched the site.
    pub live_path: PathBuf,
    pub live: Option<Manifest>,
    /// Where the spare's manifest is kept; it is read when this build's files are all
    /// written, if this build started from the spare.
    pub spare_path: PathBuf,
    /// The files of the new site, as they are written.
    pub written: Mutex<Vec<Record>>,
    /// The fingerprint of what the new site is built from, if the build knows it.
    pub inputs: Option<u128>,
}

impl Manifests {
    /// The manifests kept beside `spare`, with the live site's read for `out`.
    pub(super) fn read(spare: &Path, out: &Path, inputs: Option<u128>) -> Manifests {
        let live_path = live_manifest_path(spare);
        Manifests {
            live: Manifest::read(&live_path, &out.join(MARKER)),
            live_path,
            spare_path: spare.with_file_name("previous-site.manifest"),
            written: Mutex::default(),
            inputs,
        }
    }

    /// When the newest file of the new site was last modified, as its stamp says.
    pub(super) fn newest_written(&self) -> i128 {
        let written = self.written.lock().expect("no writer panicked");
        written
            .iter()
            .map(|r| r.stamp.modified_ns())
            .max()
            .unwrap_or(-1)
    }

    /// Keeps the manifest of the new live site `out`, and the replaced site's as the
    /// spare's if it became the spare.
    pub(super) fn save(self, out: &Path, spare_kept: bool) {
        let moved = spare_kept && fs::rename(&self.live_path, &self.spare_path).is_ok();
        if !moved {
            let _ = fs::remove_file(&self.spare_path);
        }
        let files = self.written.into_inner().expect("no writer panicked");
        let tree = Tree {
            inputs: self.inputs,
            files,
        };
        write_manifest(&self.live_path, &out.join(MARKER), tree);
    }
}

/// Where the manifest of the live site is kept, beside the spare tree `spare`.
pub(super) fn live_manifest_path(spare: &Path) -> PathBuf {
    spare.with_file_name("site.manifest")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(path: &str, hash: u128, stamp: Stamp) -> Tree {
        let record = Record {
            path: path.into(),
            hash,
            stamp,
            unit: Some(5),
        };
        Tree {
            inputs: Some(3),
            files: vec![record],
        }
    }

    /// Waits for the clock of file times to move past `path`'s.
    fn tick_past(path: &Path) {
        let written = fs::metadata(path).unwrap().modified().unwrap();
        let probe = path.with_extension("probe");
        while fs::write(&probe, "").is_ok()
            && fs::metadata(&probe).unwrap().modified().unwrap() <= written
        {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    #[test]
    fn a_manifest_is_read_back_only_for_the_tree_it_describes() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page");
        fs::write(&page, "text").unwrap();
        let stamp = Stamp::of(&fs::metadata(&page).unwrap());
        tick_past(&page);
        let marker = dir.path().join("marker");
        fs::write(&marker, "one").unwrap();
        let path = dir.path().join("manifest");
        write_manifest(&path, &marker, tree("a/page", 7, stamp));
        let manifest = Manifest::read(&path, &marker).expect("the manifest of its tree");
        assert_eq!(manifest.get("a/page"), Some((7, stamp)));
        assert_eq!(manifest.inputs, Some(3));
        assert_eq!(manifest.get("b"), None);
        assert_eq!(manifest.paths().collect::<Vec<_>>(), ["a/page"]);
        assert_eq!(manifest.unit(5), Some(&["a/page".to_string()][..]));
        assert_eq!(manifest.unit(6), None);
        // A new marker is a new tree.
        tick_past(&marker);
        fs::remove_file(&marker).unwrap();
        fs::write(&marker, "two").unwrap();
        assert!(Manifest::read(&path, &marker).is_none());
        // A damaged manifest is no manifest.
        write_manifest(&path, &marker, tree("a/page", 7, stamp));
        fs::write(&path, b"\xff\xff").unwrap();
        assert!(Manifest::read(&path, &marker).is_none());
    }

    #[test]
    fn a_manifest_that_cannot_be_written_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("marker");
        fs::write(&marker, "one").unwrap();
        // A folder in the way: the temporary file is written, the rename fails.
        let path = dir.path().join("manifest");
        fs::create_dir_all(path.join("in the way")).unwrap();
        write_manifest(
            &path,
            &marker,
            tree("page", 7, Stamp::of(&fs::metadata(&marker).unwrap())),
        );
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["manifest", "marker"]);
        assert!(Manifest::read(&path, &marker).is_none());
    }

    #[test]
    fn a_file_written_in_the_same_tick_as_the_marker_proves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("marker");
        fs::write(&marker, "one").unwrap();
        // As if the file had been written with the marker, or changed right after.
        let stamp = Stamp::of(&fs::metadata(&marker).unwrap());
        let path = dir.path().join("manifest");
        write_manifest(&path, &marker, tree("page", 7, stamp));
        let manifest = Manifest::read(&path, &marker).expect("the manifest of its tree");
        assert_eq!(manifest.get("page"), None);
        assert_eq!(manifest.paths().collect::<Vec<_>>(), ["page"]);
    }
}
