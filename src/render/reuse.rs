//! Partial re-rendering, for `serve`: after an edit, render again only the pages that
//! depend on what changed, and reuse every other page of the previous render.
//!
//! What a page depends on decides when it can be reused:
//! - an entry's pages (HTML and Markdown, every language) depend on that entry, the
//!   site configuration, the providers and the theme's templates and UI strings, and
//!   on no other entry;
//! - shared pages (home, provider and 404 pages, the language chooser) depend on every
//!   entry;
//! - static assets depend on nothing but themselves, and are always taken afresh;
//! - the search and lookup indexes are not part of a rendered site: no page embeds
//!   them, so `serve` renders them apart ([`super::render_search_files`]), after the
//!   pages, so that a reload does not wait for them.
//!
//! Reuse is decided by comparing values (the validated model and the theme's sources),
//! never by which files the watcher reported: a missed or extra file event can cost a
//! few milliseconds, but it cannot leave a stale page behind.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{OutputFile, Renderer, Theme, asset_files, gather};
use crate::diagnostic::Diagnostics;
use crate::model::{Entry, KnowledgeBase};

/// A rendered site, kept with what it was rendered from so that the next render can
/// reuse its unchanged pages. Files are shared (`Arc`) between successive renders.
pub struct RenderedSite {
    kb: KnowledgeBase,
    theme: Theme,
    /// Each entry's files, by entry id (`provider/slug`).
    entry_files: HashMap<String, Vec<Arc<OutputFile>>>,
    /// The pages that depend on every entry.
    shared_files: Vec<Arc<OutputFile>>,
    /// Every file, by its path in the site.
    by_path: HashMap<String, Arc<OutputFile>>,
    pub stats: RenderStats,
}

/// How much of the site a render produced afresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// HTML pages rendered by this render.
    pub pages_rendered: usize,
    /// HTML pages taken unchanged from the previous render.
    pub pages_reused: usize,
}

/// Renders `kb` with `theme`, reusing from `previous` every page whose inputs are equal.
/// Without `previous`, renders everything, like [`super::render_site`].
pub fn rerender_site(
    previous: Option<&RenderedSite>,
    kb: KnowledgeBase,
    theme: Theme,
) -> Result<RenderedSite, Diagnostics> {
    // Entry pages can be reused only when everything else they show is unchanged.
    let same_frame = previous.filter(|p| {
        p.kb.site == kb.site && p.kb.providers == kb.providers && p.theme.renders_like(&theme)
    });
    let renderer = Renderer::new(&kb, &theme);
    let mut stats = RenderStats::default();
    let mut problems = Diagnostics::default();
    let entry_files = render_entries(&renderer, same_frame, &mut stats, &mut problems);
    let same_entries = |p: &&RenderedSite| {
        p.kb.entries.len() == kb.entries.len()
            && p.kb
                .entries
                .iter()
                .zip(&kb.entries)
                .all(|(a, b)| same_entry(a, b))
    };
    let shared_files = match same_frame.filter(same_entries) {
        Some(p) => {
            stats.pages_reused += count_pages(p.shared_files.iter().map(|f| f.as_ref()));
            p.shared_files.clone()
        }
        None => {
            let files = gather([renderer.render_shared_pages()], &mut problems);
            stats.pages_rendered += count_pages(files.iter());
            files.into_iter().map(Arc::new).collect()
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let assets: Vec<Arc<OutputFile>> = asset_files(&theme).map(Arc::new).collect();
    let by_path = entry_files
        .values()
        .flatten()
        .chain(&shared_files)
        .chain(&assets)
        .map(|file| (file.path.clone(), Arc::clone(file)))
        .collect();
    Ok(RenderedSite {
        kb,
        theme,
        entry_files,
        shared_files,
        by_path,
        stats,
    })
}

/// Every entry's files, by entry id: taken from `reusable` when the entry is unchanged
/// there, rendered otherwise.
fn render_entries(
    renderer: &Renderer<'_>,
    reusable: Option<&RenderedSite>,
    stats: &mut RenderStats,
    problems: &mut Diagnostics,
) -> HashMap<String, Vec<Arc<OutputFile>>> {
    let per_entry: Vec<(String, Option<Vec<Arc<OutputFile>>>, _)> = renderer
        .kb
        .entries
        .par_iter()
        .map(
            |entry| match reusable.and_then(|p| p.reusable_files(entry)) {
                Some(files) => (entry.id(), Some(files.clone()), Ok(Vec::new())),
                None => (entry.id(), None, renderer.render_entry_pages(entry)),
            },
        )
        .collect();
    let mut entry_files = HashMap::with_capacity(per_entry.len());
    for (id, reused, rendered) in per_entry {
        let files = match reused {
            Some(files) => {
                stats.pages_reused += count_pages(files.iter().map(|f| f.as_ref()));
                files
            }
            None => {
                let files = gather([rendered], problems);
                stats.pages_rendered += count_pages(files.iter());
                files.into_iter().map(Arc::new).collect()
            }
        };
        entry_files.insert(id, files);
    }
    entry_files
}

impl RenderedSite {
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The file at `path` in the site (`fr/openai/quota/index.html`).
    pub fn get(&self, path: &str) -> Option<&Arc<OutputFile>> {
        self.by_path.get(path)
    }

    pub fn files(&self) -> impl Iterator<Item = &Arc<OutputFile>> {
        self.by_path.values()
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// This render's files of `entry`, if `entry` is unchanged since.
    fn reusable_files(&self, entry: &Entry) -> Option<&Vec<Arc<OutputFile>>> {
        let before = self.kb.entry(&entry.provider, &entry.slug)?;
        same_entry(before, entry)
            .then(|| self.entry_files.get(&entry.id()))
            .flatten()
    }
}

/// Whether two entries are equal; an entry that `serve` did not parse again is the same
/// `Arc`, and is not compared field by field.
fn same_entry(a: &Entry, b: &Entry) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// Pages are the HTML files: what a reader opens, and what the statistics count.
pub fn is_page(file: &OutputFile) -> bool {
    file.path.ends_with(".html")
}

fn count_pages<'a>(files: impl Iterator<Item = &'a OutputFile>) -> usize {
    files.filter(|f| is_page(f)).count()
}
