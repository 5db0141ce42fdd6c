//! What `serve` answers with at one moment, swapped whole after each rebuild.
//!
//! A request takes the current [`Snapshot`] once (an `Arc` clone) and answers from it
//! alone, so it sees the old site or the new one, never a mix of the two.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::diagnostic::Diagnostics;
use crate::render::{OutputFile, RenderedSite};

/// The site being served and the state of the last rebuild.
#[derive(Default)]
pub(crate) struct Snapshot {
    /// The last site that built, `None` until one does.
    pub site: Option<Arc<RenderedSite>>,
    /// The problems of the last rebuild when it failed; `site` is then the last good one.
    pub problems: Option<Arc<Diagnostics>>,
    /// Names `site`: pages carry it, and reload when the server's differs.
    pub build: String,
    /// The data files (search and lookup indexes, catalogue, sitemap), by path: those
    /// of `site`, or, for a moment after an edit, of the site before it (no page embeds
    /// them; they follow the pages).
    pub data: Arc<HashMap<String, Arc<OutputFile>>>,
}

impl Snapshot {
    /// The file at `path` in the site (`fr/openai/quota/index.html`).
    pub(crate) fn file(&self, path: &str) -> Option<&Arc<OutputFile>> {
        self.site
            .as_ref()
            .and_then(|site| site.get(path))
            .or_else(|| self.data.get(path))
    }
}

/// The current snapshot, shared by the request threads and the rebuild loop.
#[derive(Default)]
pub(crate) struct SharedSnapshot(RwLock<Arc<Snapshot>>);

impl SharedSnapshot {
    pub(crate) fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn replace(&self, snapshot: Snapshot) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

/// How a new site differs from the one before, as far as an open page is concerned.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SiteChange {
    /// Every file is the same.
    None,
    /// Only these stylesheets (site paths) changed.
    Stylesheets(Vec<String>),
    /// Pages or other files changed, appeared or went away: this many files.
    Files(usize),
}

/// Compares two sites file by file. Files a rebuild reused are the same `Arc` as before,
/// so only the files it rendered afresh are compared, byte by byte; the others are
/// walked only when some file went away.
pub(crate) fn compare_sites(before: Option<&RenderedSite>, after: &RenderedSite) -> SiteChange {
    let Some(before) = before else {
        return SiteChange::Files(after.len());
    };
    let mut changed = Vec::new();
    let mut new_paths = 0;
    for file in after.fresh_files() {
        match before.get(&file.path) {
            Some(old) if Arc::ptr_eq(old, file) || old.bytes == file.bytes => {}
            Some(_) => changed.push(file.path.clone()),
            None => {
                new_paths += 1;
                changed.push(file.path.clone());
            }
        }
    }
    // Every file of `after` but the new ones has its path in `before`.
    if after.len() - new_paths < before.len() {
        changed.extend(
            before
                .files()
                .filter(|file| after.get(&file.path).is_none())
                .map(|file| file.path.clone()),
        );
    }
    classify(changed)
}

/// What the changed files (site paths) mean for an open page.
fn classify(mut changed: Vec<String>) -> SiteChange {
    changed.sort();
    if changed.is_empty() {
        SiteChange::None
    } else if changed.iter().all(|path| path.ends_with(".css")) {
        SiteChange::Stylesheets(changed)
    } else {
        SiteChange::Files(changed.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stylesheets_changing_spares_the_reload() {
        let cases: [(&[&str], SiteChange); 4] = [
            (&[], SiteChange::None),
            (
                &["static/b.css", "static/a.css"],
                SiteChange::Stylesheets(vec!["static/a.css".into(), "static/b.css".into()]),
            ),
            (&["static/a.css", "fr/index.html"], SiteChange::Files(2)),
            (&["static/errbook.js"], SiteChange::Files(1)),
        ];
        for (changed, expected) in cases {
            let changed = changed.iter().map(|p| p.to_string()).collect();
            assert_eq!(classify(changed), expected);
        }
    }
}
