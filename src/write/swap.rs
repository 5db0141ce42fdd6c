//! The atomic swap: the staging folder takes the place of the output folder in one
//! rename (an atomic exchange on Linux), and what is left to delete afterwards (the
//! replaced site, the leftovers of builds that were killed) is found here.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::MARKER;
use crate::fs::{process_is_alive, remove_dir_all_if_present};

/// Deletes a folder that `write_site` handed back, only if errbook made it.
pub(crate) fn remove_tree(dir: &Path) -> Result<()> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ours = name.starts_with('.') && (name.contains(".old-") || name.contains(".staging-"));
    if !ours {
        bail!("{} is not a folder left by errbook build", dir.display());
    }
    remove_dir_all_if_present(dir)
}

pub(super) fn check_replaceable(out: &Path, force: bool) -> Result<()> {
    if !out.exists() || force || out.join(MARKER).is_file() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "{} exists and is not a folder; move it away or pick another output folder",
            out.display()
        );
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .next()
        .is_none();
    if !empty {
        bail!(
            "refusing to replace {}: errbook did not create it (no {MARKER} file inside)\n  \
             help: move it away, set `output:` in content/site.yaml, or pass --force to replace it",
            out.display()
        );
    }
    Ok(())
}

/// Staging and old folders left by builds that were killed or are still being removed,
/// `own` (this build's staging folder) left out. A staging folder belongs to a running
/// build while that build holds the lock on it ([`lock`]); an old folder, while the
/// process named in it runs.
pub(super) fn leftovers(parent: &Path, name: &str, own: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return found;
    };
    let (staging, old) = (format!(".{name}.staging-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let dead = if file_name.starts_with(&staging) {
            entry.path() != own && lock(&entry.path()).is_ok()
        } else if let Some(pid) = file_name.strip_prefix(&old) {
            !process_is_alive(pid.split('.').next().unwrap_or(pid))
        } else {
            continue;
        };
        if dead {
            found.push(entry.path());
        }
    }
    found
}

/// Takes the lock on the folder `dir`, held until the returned handle is dropped; fails
/// if another build holds it. The lock stays with the folder through renames.
#[cfg(unix)]
pub(super) fn lock(dir: &Path) -> std::io::Result<fs::File> {
    use rustix::fs::{FlockOperation, flock};
    let handle = fs::File::open(dir)?;
    flock(&handle, FlockOperation::NonBlockingLockExclusive)?;
    Ok(handle)
}

/// Without `flock`, a staging folder is never taken for another build's.
#[cfg(not(unix))]
pub(super) fn lock(dir: &Path) -> std::io::Result<fs::File> {
    fs::File::open(dir).and(Err(std::io::Error::from(std::io::ErrorKind::Unsupported)))
}

/// A new name beside `out` for a tree to delete, which builds leave to this process
/// while it runs ([`leftovers`]) and [`remove_tree`] accepts.
pub(super) fn old_name(out: &Path) -> PathBuf {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    out.with_file_name(format!(".{name}.old-{}.{nanos}", std::process::id()))
}

/// Puts `staging` in place of `out`; returns where the previous site now is.
pub(super) fn swap_in(staging: &Path, out: &Path) -> Result<Option<PathBuf>> {
    if !out.exists() {
        fs::rename(staging, out)
            .with_context(|| format!("cannot move the new site to {}", out.display()))?;
        return Ok(None);
    }
    let old = old_name(out);
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site: name it as such.
        return Ok(Some(
            fs::rename(staging, &old).map_or_else(|_| staging.to_path_buf(), |()| old),
        ));
    }
    // No atomic exchange on this system: two renames, the old tree kept until the new one is in place.
    fs::rename(out, &old).with_context(|| format!("cannot move {} aside", out.display()))?;
    if let Err(error) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(error)
            .with_context(|| format!("cannot move the new site to {}", out.display()));
    }
    Ok(Some(old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
