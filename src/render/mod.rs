//! Stage 3 of the pipeline: turn the model into the files of the site.
//!
//! `render_site` takes the validated knowledge base and a compiled theme and hands every
//! output file (HTML and Markdown per entry and language, home, provider, search, lookup
//! and 404 pages, the language chooser, redirects for short links and aliases, the search
//! and lookup indexes, `errors.json`, the sitemap, static assets) to a [`Sink`] as soon as
//! it is rendered. Pages render in parallel; nothing here touches the disk (the sink of
//! `build` does). Pages render in units whose inputs `units.rs` states: a sink that
//! kept a unit from an earlier build (`build`'s staging folder, by the unit's
//! fingerprint) puts it as it was instead. `serve` re-renders through `rerender_site`
//! (in `reuse.rs`), which renders the same pages but reuses those whose inputs did not
//! change. The pages themselves are rendered in `pages.rs`.

mod catalogue;
mod entry;
pub(crate) mod export;
mod links;
mod markdown;
mod pages;
mod reuse;
mod script;
pub(crate) mod search;
mod shards;
mod site;
mod structured;
pub(crate) mod terminal;
pub(crate) mod theme;
mod typography;
mod units;
mod views;

use std::sync::Mutex;

use rayon::prelude::*;

pub(crate) use reuse::{RenderStats, RenderedSite, is_page, rerender_site};
pub(crate) use search::{SearchMemos, open_search_memos};
pub(crate) use theme::Theme;
use units::{Fingerprints, Unit};

use crate::diagnostic::Diagnostics;
use crate::model::KnowledgeBase;
use crate::progress::Progress;
use theme::Strings;

/// One file of the site, by its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    fn new(path: String, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path,
            bytes: bytes.into(),
        }
    }
}

/// Where [`render_site`] puts files as soon as they are rendered, from many threads at
/// once: `build` writes them to its staging folder, so that the whole site is never held
/// in memory; tests and `build_site` collect them.
///
/// A sink may also keep the files of each render unit (`units.rs`) from one build to
/// the next, by the unit's fingerprint: then a unit whose fingerprint it knows is not
/// rendered again.
pub(crate) trait Sink: Sync {
    fn put(&self, files: Vec<OutputFile>);

    /// If the sink keeps units, the stamp of the errbook that renders them, which every
    /// fingerprint includes (another errbook may render otherwise).
    fn unit_salt(&self) -> Option<u128> {
        None
    }

    /// Puts the files of the unit whose fingerprint is `unit` as an earlier build made
    /// them, if the sink has them still as they were, and returns their paths.
    fn reuse_unit(&self, _unit: u128) -> Option<Vec<String>> {
        None
    }

    /// Puts the files of the unit whose fingerprint is `unit`, as rendered.
    fn put_unit(&self, _unit: u128, files: Vec<OutputFile>) {
        self.put(files);
    }
}

impl Sink for Mutex<Vec<OutputFile>> {
    fn put(&self, mut files: Vec<OutputFile>) {
        self.lock().expect("no sink panicked").append(&mut files);
    }
}

/// Renders every file of the site into `sink`. Template problems come back together,
/// once each; files rendered before a problem was found, and the data files (which no
/// template makes), may already be in `sink`. With `memos`, the search terms of
/// entries indexed before are taken from them.
pub(crate) fn render_site(
    kb: &KnowledgeBase,
    theme: &Theme,
    sink: &dyn Sink,
    progress: &Progress,
    memos: Option<&SearchMemos>,
) -> Result<(), Diagnostics> {
    let renderer = Renderer::new(kb, theme);
    progress.stage("rendering", Some(kb.entries.len()), "entries");
    let problems = Mutex::new(Diagnostics::default());
    let fingerprints = sink
        .unit_salt()
        .map(|salt| Fingerprints::new(kb, theme, salt));
    // Each unit is taken from the sink if it kept it, or else rendered.
    let unit = |unit: Unit<'_>, render: &dyn Fn() -> Result<Vec<OutputFile>, Diagnostics>| {
        let fingerprint = fingerprints.as_ref().map(|f| f.of(&unit));
        if fingerprint.is_some_and(|f| sink.reuse_unit(f).is_some()) {
            return;
        }
        match (render(), fingerprint) {
            (Ok(files), Some(fingerprint)) => sink.put_unit(fingerprint, files),
            (Ok(files), None) => sink.put(files),
            (Err(found), _) => {
                add_once(&mut problems.lock().expect("no renderer panicked"), found);
            }
        }
    };
    let render_pages = || {
        kb.entries.par_iter().for_each(|entry| {
            unit(Unit::Entry(entry), &|| renderer.render_entry_pages(entry));
            progress.advance(1);
        });
        progress.stage(
            "rendering",
            None,
            "home, provider, search and redirect pages",
        );
        renderer.shared_pages().par_iter().for_each(|page| {
            unit(Unit::Shared(page), &|| {
                renderer.render_shared(page).map_err(Diagnostics::from)
            });
        });
        renderer.redirects().par_iter().for_each(|redirect| {
            unit(Unit::Redirect(redirect), &|| {
                Ok(vec![renderer.render_redirect(redirect)?])
            });
        });
        progress.stage("indexing", None, "search, lookup, catalogue and sitemap");
    };
    // The data files are made meanwhile: the steps of indexing that merge what was
    // indexed in parallel leave a core to rendering.
    rayon::join(render_pages, || render_data_files(kb, theme, sink, memos));
    let problems = problems.into_inner().expect("no renderer panicked");
    if !problems.is_empty() {
        return Err(problems);
    }
    sink.put(asset_files(theme).collect());
    Ok(())
}

/// Adds `found` to `problems`, leaving out those already there (a broken template
/// fails every page in the same way).
fn add_once(problems: &mut Diagnostics, found: Diagnostics) {
    for problem in found {
        if !problems.iter().any(|p| p == &problem) {
            problems.push(problem);
        }
    }
}

/// The theme's static files, under `static/`.
fn asset_files(theme: &Theme) -> impl Iterator<Item = OutputFile> + '_ {
    script::published_assets(&theme.assets).map(|(name, bytes)| OutputFile {
        path: format!("static/{name}"),
        bytes,
    })
}

struct Renderer<'a> {
    kb: &'a KnowledgeBase,
    theme: &'a Theme,
    /// The search manifest of each language, from the site root.
    search_urls: Vec<String>,
    /// Each language's UI strings, as the templates' `t`: converted once, and shared
    /// by every page (a Tera map is reference-counted).
    ui: Vec<tera::Value>,
    /// The same strings as written, for the Markdown export.
    ui_export: Vec<tera::Value>,
    /// The UI strings as the interface shows them (`typography.rs`).
    typeset: Vec<Strings>,
    /// The script that sends the reader to one language, from the site root, versioned.
    picker: String,
}

impl<'a> Renderer<'a> {
    fn new(kb: &'a KnowledgeBase, theme: &'a Theme) -> Self {
        let codes = kb.site.languages.codes();
        let typeset: Vec<Strings> = codes
            .iter()
            .zip(&theme.strings)
            .map(|(code, strings)| typography::typeset_strings(code, strings))
            .collect();
        Renderer {
            kb,
            theme,
            search_urls: codes.iter().map(|code| search::index_url(code)).collect(),
            ui: typeset.iter().map(tera::Value::from_serializable).collect(),
            ui_export: theme
                .strings
                .iter()
                .map(tera::Value::from_serializable)
                .collect(),
            typeset,
            picker: theme.versioned_asset("pick-language.js"),
        }
    }
}

/// The site's data files, which no page embeds: the search and lookup indexes, the
/// catalogue (`errors.json`), `sitemap.xml` and `robots.txt`. `serve` renders them after
/// the pages, off the path of a reload. With `memos`, the search terms of entries
/// indexed before are taken from them.
pub(crate) fn render_data_files(
    kb: &KnowledgeBase,
    theme: &Theme,
    sink: &dyn Sink,
    memos: Option<&SearchMemos>,
) {
    search::render_search(kb, &theme.strings, sink, memos);
    sink.put(vec![
        catalogue::render_catalogue(kb),
        OutputFile::new("sitemap.xml".into(), structured::render_sitemap(kb)),
        OutputFile::new("robots.txt".into(), structured::render_robots(kb)),
    ]);
}

/// The data files of [`render_data_files`], in memory.
pub(crate) fn collect_data_files(
    kb: &KnowledgeBase,
    theme: &Theme,
    memos: Option<&SearchMemos>,
) -> Vec<OutputFile> {
    let files = Mutex::new(Vec::new());
    render_data_files(kb, theme, &files, memos);
    files.into_inner().expect("no renderer panicked")
}
