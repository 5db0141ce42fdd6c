//! Partial re-rendering, for `serve`: after an edit, render again only the pages that
//! depend on what changed, and reuse every other page of the previous render.
//!
//! What a page depends on is stated once, in `units.rs`; here a unit is reused when its
//! frame (site, providers, the theme's templates and UI strings) and its inputs are
//! equal to those it was rendered from. Static assets are always taken afresh. The
//! search and lookup indexes are not part of a rendered site: no page embeds them, so
//! `serve` renders them apart ([`super::render_data_files`]), after the pages, so that a
//! reload does not wait for them.
//!
//! Reuse is decided by comparing values (the validated model and the theme's sources),
//! never by which files the watcher reported: a missed or extra file event can cost a
//! few milliseconds, but it cannot leave a stale page behind.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::links::Redirect;
use super::pages::SharedPage;
use super::units::Unit;
use super::{OutputFile, Renderer, Theme, add_once, asset_files};
use crate::diagnostic::Diagnostics;
use crate::model::{Entry, KnowledgeBase};

/// A rendered site, kept with what it was rendered from so that the next render can
/// reuse its unchanged pages. Files are shared (`Arc`) between successive renders.
pub(crate) struct RenderedSite {
    kb: KnowledgeBase,
    theme: Theme,
    /// Each entry's files, by entry id (`provider/slug`).
    entry_files: HashMap<String, Vec<Arc<OutputFile>>>,
    /// The home, provider, 404, search and lookup pages, and the language chooser.
    shared_files: HashMap<SharedPage, Vec<Arc<OutputFile>>>,
    /// Each short link and alias page, by its folder.
    redirect_files: HashMap<String, RedirectFile>,
    /// Every file, by its path in the site.
    by_path: HashSet<ByPath>,
    /// The files this render made afresh (every other file is the previous render's).
    fresh: Vec<Arc<OutputFile>>,
    pub stats: RenderStats,
}

/// A redirect page and what it was rendered from.
struct RedirectFile {
    redirect: Redirect,
    file: Arc<OutputFile>,
}

/// How much of the site a render produced afresh.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RenderStats {
    /// HTML pages rendered by this render.
    pub pages_rendered: usize,
    /// HTML pages taken unchanged from the previous render.
    pub pages_reused: usize,
}

/// Renders `kb` with `theme`, reusing from `previous` every page whose inputs are equal.
/// Without `previous`, renders everything, like [`super::render_site`].
pub(crate) fn rerender_site(
    previous: Option<&RenderedSite>,
    kb: KnowledgeBase,
    theme: Theme,
) -> Result<RenderedSite, Diagnostics> {
    // Pages can be reused only when everything else they show is unchanged.
    let same_frame = previous.filter(|p| {
        p.kb.site == kb.site && p.kb.providers == kb.providers && p.theme.renders_like(&theme)
    });
    let renderer = Renderer::new(&kb, &theme);
    let mut tally = Tally::default();
    let entry_files: HashMap<String, Vec<Arc<OutputFile>>> = reuse_or_render(
        &mut tally,
        &kb.entries,
        |entry| same_frame.and_then(|p| p.reusable_files(entry)).cloned(),
        |entry| renderer.render_entry_pages(entry),
    )
    .into_iter()
    .map(|(entry, files)| (entry.id(), files))
    .collect();
    let shared_files: HashMap<SharedPage, Vec<Arc<OutputFile>>> = reuse_or_render(
        &mut tally,
        renderer.shared_pages(),
        |page| {
            same_frame
                .and_then(|p| p.reusable_shared(page, renderer.kb))
                .cloned()
        },
        |page| renderer.render_shared(page).map_err(Diagnostics::from),
    )
    .into_iter()
    .collect();
    let redirect_files: HashMap<String, RedirectFile> = reuse_or_render(
        &mut tally,
        renderer.redirects(),
        |redirect| {
            let file = same_frame.and_then(|p| p.reusable_redirect(redirect, renderer.kb))?;
            Some(vec![Arc::clone(file)])
        },
        |redirect| Ok(vec![renderer.render_redirect(redirect)?]),
    )
    .into_iter()
    .map(|(redirect, mut files)| {
        let path = redirect.path.clone();
        let file = files.remove(0);
        (path, RedirectFile { redirect, file })
    })
    .collect();
    if !tally.problems.is_empty() {
        return Err(tally.problems);
    }
    // Static assets are always taken afresh.
    let assets = tally.rendered(asset_files(&theme).map(Arc::new).collect());
    let by_path = entry_files
        .values()
        .flatten()
        .chain(shared_files.values().flatten())
        .chain(redirect_files.values().map(|r| &r.file))
        .chain(&assets)
        .map(|file| ByPath(Arc::clone(file)))
        .collect();
    Ok(RenderedSite {
        kb,
        theme,
        entry_files,
        shared_files,
        redirect_files,
        by_path,
        fresh: tally.fresh,
        stats: tally.stats,
    })
}

/// What a render did so far: pages counted, files rendered afresh, problems met.
#[derive(Default)]
struct Tally {
    stats: RenderStats,
    fresh: Vec<Arc<OutputFile>>,
    problems: Diagnostics,
}

impl Tally {
    fn reused(&mut self, files: &[Arc<OutputFile>]) {
        self.stats.pages_reused += count_pages(files.iter().map(|f| f.as_ref()));
    }

    fn rendered(&mut self, files: Vec<Arc<OutputFile>>) -> Vec<Arc<OutputFile>> {
        self.stats.pages_rendered += count_pages(files.iter().map(|f| f.as_ref()));
        self.fresh.extend(files.iter().cloned());
        files
    }
}

/// The files of each of `keys`, in parallel and in order: what `reuse` finds, or else
/// what `render` makes; the keys that fail to render are left out, and their problems go
/// to `tally`, once each.
fn reuse_or_render<K: Send + Sync>(
    tally: &mut Tally,
    keys: impl IntoIterator<Item = K>,
    reuse: impl Fn(&K) -> Option<Vec<Arc<OutputFile>>> + Sync,
    render: impl Fn(&K) -> Result<Vec<OutputFile>, Diagnostics> + Sync,
) -> Vec<(K, Vec<Arc<OutputFile>>)> {
    let keys: Vec<K> = keys.into_iter().collect();
    let results: Vec<_> = keys
        .par_iter()
        .map(|key| match reuse(key) {
            Some(files) => Ok((files, true)),
            None => render(key).map(|files| (files.into_iter().map(Arc::new).collect(), false)),
        })
        .collect();
    let mut out = Vec::with_capacity(keys.len());
    for (key, result) in keys.into_iter().zip(results) {
        match result {
            Ok((files, true)) => {
                tally.reused(&files);
                out.push((key, files));
            }
            Ok((files, false)) => out.push((key, tally.rendered(files))),
            Err(found) => add_once(&mut tally.problems, found),
        }
    }
    out
}

/// A file of the site keyed by its path, which the site's index borrows instead of
/// copying it.
struct ByPath(Arc<OutputFile>);

impl PartialEq for ByPath {
    fn eq(&self, other: &Self) -> bool {
        self.0.path == other.0.path
    }
}

impl Eq for ByPath {}

impl std::hash::Hash for ByPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.path.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for ByPath {
    fn borrow(&self) -> &str {
        &self.0.path
    }
}

impl RenderedSite {
    pub(crate) fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub(crate) fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The file at `path` in the site (`fr/openai/quota/index.html`).
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<OutputFile>> {
        self.by_path.get(path).map(|f| &f.0)
    }

    pub(crate) fn files(&self) -> impl Iterator<Item = &Arc<OutputFile>> {
        self.by_path.iter().map(|f| &f.0)
    }

    /// The files this render made afresh; every other file is the same `Arc` as in the
    /// render it reused.
    pub(crate) fn fresh_files(&self) -> impl Iterator<Item = &Arc<OutputFile>> {
        self.fresh.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }

    /// This render's files of the shared `page`, if what it shows is unchanged in `kb`.
    fn reusable_shared(
        &self,
        page: &SharedPage,
        kb: &KnowledgeBase,
    ) -> Option<&Vec<Arc<OutputFile>>> {
        let files = self.shared_files.get(page)?;
        let (before, now) = (Unit::Shared(page), Unit::Shared(page));
        before
            .inputs(&self.kb)
            .same_as(&now.inputs(kb))
            .then_some(files)
    }

    /// This render's page for `redirect`, if it led to the same, unchanged entry in the
    /// same languages.
    fn reusable_redirect(
        &self,
        redirect: &Redirect,
        kb: &KnowledgeBase,
    ) -> Option<&Arc<OutputFile>> {
        let before = self.redirect_files.get(&redirect.path)?;
        let was = Unit::Redirect(&before.redirect).inputs(&self.kb);
        was.same_as(&Unit::Redirect(redirect).inputs(kb))
            .then_some(&before.file)
    }

    /// This render's files of `entry`, if `entry` is unchanged since.
    fn reusable_files(&self, entry: &Arc<Entry>) -> Option<&Vec<Arc<OutputFile>>> {
        let before = self.kb.entry(&entry.provider, &entry.slug)?;
        let before = Unit::Entry(before).inputs(&self.kb);
        before
            .same_as(&Unit::Entry(entry).inputs(&self.kb))
            .then(|| self.entry_files.get(&entry.id()))
            .flatten()
    }
}

/// Pages are the HTML files (by their path): what a reader opens, and what the
/// statistics count.
pub(crate) fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

fn count_pages<'a>(files: impl Iterator<Item = &'a OutputFile>) -> usize {
    files.filter(|f| is_page(&f.path)).count()
}
