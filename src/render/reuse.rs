//! Partial re-rendering, for `serve`: after an edit, render again only the pages that
//! depend on what changed, and reuse every other page of the previous render.
//!
//! What a page depends on decides when it can be reused:
//! - an entry's pages (HTML and Markdown, every language) depend on that entry, the
//!   site configuration, the providers and the theme's templates and UI strings, and
//!   on no other entry;
//! - shared pages (home, provider, 404, search and lookup pages, the language chooser)
//!   depend on every entry;
//! - a redirect page (short link or alias) depends on its entry and its languages;
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

use super::links::Redirect;
use super::{OutputFile, Renderer, Theme, add_once, asset_files, gather};
use crate::diagnostic::Diagnostics;
use crate::model::{Entry, KnowledgeBase, LangIndex};

/// A rendered site, kept with what it was rendered from so that the next render can
/// reuse its unchanged pages. Files are shared (`Arc`) between successive renders.
pub struct RenderedSite {
    kb: KnowledgeBase,
    theme: Theme,
    /// Each entry's files, by entry id (`provider/slug`).
    entry_files: HashMap<String, Vec<Arc<OutputFile>>>,
    /// The pages that depend on every entry.
    shared_files: Vec<Arc<OutputFile>>,
    /// Each short link and alias page, by its folder.
    redirect_files: HashMap<String, RedirectFile>,
    /// Every file, by its path in the site.
    by_path: HashMap<String, Arc<OutputFile>>,
    pub stats: RenderStats,
}

/// A redirect page and what it was rendered from: it depends on its entry and its
/// languages (and on the site, providers and theme), and on no other entry.
struct RedirectFile {
    entry: String,
    languages: Vec<LangIndex>,
    file: Arc<OutputFile>,
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
    let redirect_files = render_redirects(&renderer, same_frame, &mut stats, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let assets: Vec<Arc<OutputFile>> = asset_files(&theme).map(Arc::new).collect();
    let by_path = entry_files
        .values()
        .flatten()
        .chain(&shared_files)
        .chain(redirect_files.values().map(|r| &r.file))
        .chain(&assets)
        .map(|file| (file.path.clone(), Arc::clone(file)))
        .collect();
    Ok(RenderedSite {
        kb,
        theme,
        entry_files,
        shared_files,
        redirect_files,
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

/// Every redirect page, by its folder: taken from `reusable` when it leads to the same,
/// unchanged entry in the same languages, rendered otherwise.
fn render_redirects(
    renderer: &Renderer<'_>,
    reusable: Option<&RenderedSite>,
    stats: &mut RenderStats,
    problems: &mut Diagnostics,
) -> HashMap<String, RedirectFile> {
    let redirects = renderer.redirects();
    let rendered: Vec<_> = redirects
        .par_iter()
        .map(|redirect| {
            let reused = reusable.and_then(|p| p.reusable_redirect(redirect));
            let file = match reused {
                Some(file) => Ok((Arc::clone(file), true)),
                None => renderer
                    .render_redirect(redirect)
                    .map(|file| (Arc::new(file), false)),
            };
            (redirect, file)
        })
        .collect();
    let mut files = HashMap::with_capacity(rendered.len());
    for (redirect, file) in rendered {
        match file {
            Ok((file, reused)) => {
                if reused {
                    stats.pages_reused += 1;
                } else {
                    stats.pages_rendered += 1;
                }
                let rendered = RedirectFile {
                    entry: redirect.entry.id(),
                    languages: redirect.languages.clone(),
                    file,
                };
                files.insert(redirect.path.clone(), rendered);
            }
            Err(problem) => add_once(problems, Diagnostics::from(problem)),
        }
    }
    files
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

    /// This render's page for `redirect`, if it led to the same, unchanged entry in the
    /// same languages.
    fn reusable_redirect(&self, redirect: &Redirect<'_>) -> Option<&Arc<OutputFile>> {
        let before = self.redirect_files.get(&redirect.path)?;
        let entry = self
            .kb
            .entry(&redirect.entry.provider, &redirect.entry.slug)?;
        (before.entry == redirect.entry.id()
            && before.languages == redirect.languages
            && same_entry(entry, redirect.entry))
        .then_some(&before.file)
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
