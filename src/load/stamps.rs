//! What tells, without reading a file, that none of a build's input files changed: the
//! stamp (size, modification time, inode) of every file under `content/` and the theme's
//! folders, like `make` and `serve`'s load cache tell a changed file.
//!
//! `build` compares it with the one of its last build: when they are equal, it trusts
//! that the files were not touched and skips load and validation altogether. A file
//! rewritten with other bytes gets a new stamp, so the comparison errs only on the side
//! of loading again (a file touched without a change). Only a file written within the
//! same tick of the file system's clock, at the same size, could keep its stamp: so no
//! stamp is trusted while a file is younger than [`SETTLED`] (as git does with files
//! changed in the second of its index).

use std::hash::Hash;
use std::path::Path;
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;
use xxhash_rust::xxh3::Xxh3;

use crate::fs::Stamp;

use super::{CONTENT_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};

/// How old every input must be for its stamp to be trusted.
const SETTLED: Duration = Duration::from_secs(1);

/// A hash of the path and stamp of every file and folder under the input folders of
/// the knowledge base at `root`; `None` if one cannot be read or was modified in the
/// last [`SETTLED`].
pub(crate) fn input_stamps(root: &Path) -> Option<u128> {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?;
    let settled = now.saturating_sub(SETTLED).as_nanos() as i128;
    let mut hasher = Xxh3::new();
    for dir in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR] {
        let top = root.join(dir);
        if !top.exists() {
            hasher.update(b"absent\0");
            continue;
        }
        for item in WalkDir::new(&top).sort_by_file_name() {
            let item = item.ok()?;
            let metadata = item.metadata().ok()?;
            let stamp = Stamp::of(&metadata);
            if !(0..settled).contains(&stamp.modified_ns()) {
                return None;
            }
            hasher.update(item.path().as_os_str().as_encoded_bytes());
            (metadata.is_dir(), stamp).hash(&mut hasher);
        }
    }
    Some(hasher.digest128())
}
