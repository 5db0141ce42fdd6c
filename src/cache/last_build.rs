//! The record of the last build that wrote (or kept) a site: what its inputs looked
//! like without reading them ([`crate::load::input_stamps`], the settings, errbook
//! itself and the day), and what the build said. A build whose inputs look the same
//! says it again and skips load, validation and rendering, provided the live site is
//! still as that build left it (`write::unchanged_site`).
//!
//! The day belongs to the inputs because validation looks at it (an entry's age), so
//! the warnings said yesterday may not be today's.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostics;
use crate::fs::write_whole;

/// Format version of the record; bump it when [`LastBuild`] changes.
const VERSION: u32 = 1;

/// What a build said and wrote, under the key of its inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LastBuild {
    /// The inputs as they looked when the build started.
    pub key: u128,
    /// The output folder it wrote.
    pub out: PathBuf,
    /// The fingerprint of what the site was built from, as its manifest holds it.
    pub inputs: u128,
    /// The number of entries and the site's languages, for the summary line.
    pub entries: usize,
    pub languages: Vec<String>,
    /// The warnings the build printed.
    pub warnings: Diagnostics,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    build: LastBuild,
}

/// The record at `path`, if it can be read and was made under `key`.
pub(super) fn read(path: &Path, key: u128) -> Option<LastBuild> {
    let bytes = std::fs::read(path).ok()?;
    let stored: Stored = serde_json::from_slice(&bytes).ok()?;
    (stored.version == VERSION && stored.build.key == key).then_some(stored.build)
}

/// Keeps `build` at `path`; a record that cannot be written is only time lost later.
pub(super) fn write(path: &Path, build: LastBuild) {
    let stored = Stored {
        version: VERSION,
        build,
    };
    if let Ok(bytes) = serde_json::to_vec(&stored) {
        let _ = write_whole(path, &path.with_extension("tmp"), &bytes);
    }
}
