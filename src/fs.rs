//! Small file-system helpers shared by the code that writes, the cache (`cache/`) and
//! the output folder (`write/`), and the file [`Stamp`] that `load`, `cache` and `write`
//! all tell a changed file by. Errors keep the path they are about.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `bytes` to `path` whole: under the name `temporary`, then renamed, so that a
/// reader never sees half a file. A failure leaves no temporary file behind.
pub(crate) fn write_whole(path: &Path, temporary: &Path, bytes: &[u8]) -> io::Result<()> {
    write_whole_with(path, temporary, |out| out.write_all(bytes))
}

/// Like [`write_whole`], for a file that `write` writes piece by piece (through a
/// buffer): a large file need not be put together in memory first.
pub(crate) fn write_whole_with(
    path: &Path,
    temporary: &Path,
    write: impl FnOnce(&mut BufWriter<fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let written = fs::File::create(temporary)
        .and_then(|file| {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner().map_err(io::IntoInnerError::into_error)
        })
        .and_then(|_| fs::rename(temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(temporary);
    }
    written
}

/// Deletes the folder `dir` and everything in it; a folder already gone is not an error.
pub(crate) fn remove_dir_all_if_present(dir: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Deletes the file or folder at `path`, if there is one (without following a link).
pub(crate) fn remove_any(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(kind) if kind.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_write_that_fails_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let temporary = dir.path().join(".memo.1");
        // The target is a folder that holds a file: the rename fails.
        let target = dir.path().join("memo");
        fs::create_dir_all(target.join("inside")).unwrap();
        write_whole(&target, &temporary, b"x").unwrap_err();
        assert!(
            target.join("inside").is_dir(),
            "the folder in the way is kept"
        );
        assert!(!temporary.exists());
        write_whole(&dir.path().join("other"), &temporary, b"y").unwrap();
        assert_eq!(fs::read(dir.path().join("other")).unwrap(), b"y");
    }
}

/// A file's identity on disk (inode, size, modification time): a file rewritten or
/// replaced gets a new one, so that an unchanged stamp tells an unchanged file without
/// reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Stamp {
    inode: u64,
    size: u64,
    modified_ns: i128,
}

impl Stamp {
    pub(crate) fn of(metadata: &fs::Metadata) -> Stamp {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| d.as_nanos() as i128);
        Stamp {
            inode: inode(metadata),
            size: metadata.len(),
            modified_ns,
        }
    }

    /// The stamp of the file at `path` (following links), if it can be read.
    pub(crate) fn read(path: &Path) -> Option<Stamp> {
        fs::metadata(path).ok().map(|metadata| Stamp::of(&metadata))
    }

    /// The modification time, in nanoseconds since 1970 (-1 if unknown).
    pub(crate) fn modified_ns(&self) -> i128 {
        self.modified_ns
    }
}

#[cfg(unix)]
fn inode(metadata: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(metadata)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

/// Whether the process `pid` (in decimal) runs; always `false` where that cannot be
/// told (outside Linux).
pub(crate) fn process_is_alive(pid: &str) -> bool {
    cfg!(target_os = "linux") && pid.parse::<u32>().is_ok() && Path::new("/proc").join(pid).exists()
}
