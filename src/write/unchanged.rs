//! The build that writes nothing: when a site's inputs are those the live site was
//! built from, and the live site is still exactly what that build wrote, the output
//! folder is left as it is.
//!
//! "Exactly what it wrote" is proven from the live site's manifest (`manifest.rs`):
//! every file it lists still has the stamp it was written with (one `stat` each), and
//! the folder holds no other file (one walk). A file edited, deleted or added by hand
//! fails the proof, and the build writes the site again as usual.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::MARKER;
use super::manifest::{Manifest, Stamp, live_manifest_path};

/// The number of pages (HTML files) in the live site `out`, if it was built from
/// `inputs` and is unchanged since; `spare` is where the cache keeps the spare tree and the manifests.
pub(crate) fn unchanged_site(out: &Path, spare: &Path, inputs: u128) -> Option<usize> {
    let live = Manifest::read(&live_manifest_path(spare), &out.join(MARKER))?;
    if live.inputs != Some(inputs) {
        return None;
    }
    let (listed, counted) = rayon::join(
        || {
            live.stamps().all(|(path, stamp)| {
                let now = fs::symlink_metadata(out.join(path)).ok();
                stamp.is_some() && now.map(|m| Stamp::of(&m)) == stamp
            })
        },
        || count_files(out),
    );
    // The marker is the one file the manifest does not list.
    let pages = || live.paths().filter(|p| p.ends_with(".html")).count();
    (listed && counted == Some(live.len() + 1)).then(pages)
}

/// The number of files under `dir` (links included, folders not), walking its
/// sub-folders in parallel; `None` if a folder cannot be read.
fn count_files(dir: &Path) -> Option<usize> {
    let mut files = 0;
    let mut folders = Vec::new();
    for item in fs::read_dir(dir).ok()? {
        let item = item.ok()?;
        if item.file_type().ok()?.is_dir() {
            folders.push(item.path());
        } else {
            files += 1;
        }
    }
    let below: Option<Vec<usize>> = folders.par_iter().map(|f| count_files(f)).collect();
    Some(files + below?.iter().sum::<usize>())
}
