//! The whole flow on one screen: load → validate → render → write.
//!
//! `build`, `check` and `serve` go through these functions, so that what is served is
//! exactly what is built; `import`, `explain` and `lookup` take the same stages up to
//! validation (`answer.rs`). Each run gets a [`BuildCache`]: stages take lookups from it
//! and hand back what they found, and only the pipeline puts it in the cache; `write`
//! alone writes the site. `serve` rebuilds with [`rebuild_site`]: the same stages, but
//! rendering reuses the pages of the previous build whose inputs did not change.

mod answer;
mod hand_over;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cache::{BuildCache, LastBuild, Memo};
use crate::diagnostic::Diagnostics;
use crate::load::{LoadLookups, input_stamps, load_sources, load_theme, parse_entry_str};
use crate::model::{Entry, KnowledgeBase, Languages};
use crate::progress::Progress;
use crate::render::{OutputFile, RenderedSite, Sink, Theme, is_page, open_search_memos};
use crate::render::{render_site, rerender_site};
use crate::validate::audit::{AuditSettings, audit};
use crate::validate::{ValidateLookups, validate, validate_base_url, validate_entry};
use crate::write::{Staging, unchanged_site};
use hand_over::load_and_convert;

pub(crate) use answer::load_site_and_providers;
pub(crate) use answer::{load_answering_base, load_lookup_index};

/// Settings that change what is built, from the command line.
#[derive(Debug, Default, Clone)]
pub(crate) struct BuildSettings {
    /// Replaces `base_url` of site.yaml (`build --base-url`).
    pub base_url: Option<String>,
    /// Where the site is written, instead of site.yaml's `output` (`build --out`).
    pub out: Option<PathBuf>,
    /// Whether a folder errbook did not create may be replaced (`build --force`).
    pub force: bool,
}

impl BuildSettings {
    /// The settings that change what is built, as one text.
    fn key(&self) -> String {
        format!("{:?}\0{:?}", self.base_url, self.out)
    }
}

/// What rendering needs: the validated knowledge base and the compiled theme, with the
/// warnings found on the way.
pub(crate) struct SiteInputs {
    pub kb: KnowledgeBase,
    pub theme: Theme,
    pub warnings: Diagnostics,
}

/// Loads and validates the knowledge base in `root` (without a cache).
pub fn load_knowledge_base(root: &Path) -> (Option<KnowledgeBase>, Diagnostics) {
    check(root, None, &Progress::hidden(), &mut BuildCache::default())
}

/// Load → validate for the text of one entry file, in memory, as the file at `path`
/// (relative to the knowledge-base root) of a site in `languages`: the rules of the
/// file itself, not those across files (providers, duplicate codes, links to other
/// entries, captures). The entry is `None` when a problem is an error.
pub fn entry_from_str(
    yaml: &str,
    path: &Path,
    languages: &Languages,
) -> (Option<Entry>, Diagnostics) {
    let (entry, mut diagnostics) = match parse_entry_str(yaml, path) {
        Ok((path, loaded)) => {
            let (entry, found) = validate_entry(&path, &loaded, languages);
            (Some(entry), found.into_iter().collect())
        }
        Err(problem) => (None, Diagnostics::from(problem)),
    };
    diagnostics.attach_sources(|_| Some(yaml.to_string()));
    diagnostics.sort();
    (entry.filter(|_| !diagnostics.has_errors()), diagnostics)
}

/// Load → validate, then, with `audit_settings`, the rules that only `check` applies.
pub(crate) fn check(
    root: &Path,
    audit_settings: Option<&AuditSettings>,
    progress: &Progress,
    cache: &mut BuildCache,
) -> (Option<KnowledgeBase>, Diagnostics) {
    let links = cache.link_memo();
    let lookups = LoadLookups {
        files: cache.loaded_files(),
        forms: cache.forms(),
    };
    let validate_lookups = ValidateLookups {
        entries: cache.validated_entries(),
        links: links.as_ref(),
    };
    // The memos are read while the files are listed and the site and providers load;
    // entries are parsed and converted once they are read.
    let preload = || {
        lookups.forms.iter().for_each(|forms| forms.preload());
        links.iter().for_each(Memo::preload);
    };
    let ((mut content, converted), ()) = rayon::join(
        || load_and_convert(root, progress, (lookups, validate_lookups), preload),
        preload,
    );
    cache.keep_loaded(content.files.take(), std::mem::take(&mut content.parsed));
    cache.keep_content_fingerprint(content.fingerprint);
    progress.stage("checking", None, "entries");
    let lookups = ValidateLookups {
        entries: cache.validated_entries(),
        links: links.as_ref(),
    };
    let validated = validate(&mut content.raw, lookups, Some(converted));
    cache.keep_validated(validated.entries);
    links.iter().for_each(Memo::save);
    drop_in_background(links);
    let mut diagnostics = content.diagnostics;
    diagnostics.extend(validated.diagnostics);
    if let Some(settings) = audit_settings {
        // The lock is compared with a knowledge base that is whole: with a file that does
        // not parse, its anchors would all seem to have disappeared.
        let whole = validated.kb.as_ref().filter(|_| !diagnostics.has_errors());
        let found = audit(whole, &content.raw.entries, settings);
        diagnostics.extend(found.into_iter().collect());
    }
    drop_in_background(content.raw);
    load_sources(root, &mut diagnostics);
    diagnostics.sort();
    (
        validated.kb.filter(|_| !diagnostics.has_errors()),
        diagnostics,
    )
}

/// Load → validate, with `settings` applied, and the theme read and compiled:
/// everything that comes before rendering.
pub(crate) fn prepare(
    root: &Path,
    settings: &BuildSettings,
    progress: &Progress,
    cache: &mut BuildCache,
) -> Result<SiteInputs, Diagnostics> {
    let (kb, mut warnings) = check(root, None, progress, cache);
    let Some(mut kb) = kb else {
        return Err(warnings);
    };
    if let Some(base_url) = &settings.base_url {
        kb.site.base_url = validate_base_url(base_url)?;
    }
    let (theme, mut problems) = compile_theme(root, &kb.site.languages);
    let Some(theme) = theme.filter(|_| !problems.has_errors()) else {
        problems.extend(warnings);
        return Err(problems);
    };
    warnings.extend(problems);
    Ok(SiteInputs {
        kb,
        theme,
        warnings,
    })
}

/// Reads and compiles the theme of the knowledge base in `root` (its templates, static
/// files and UI strings in `languages`), with the problems found on the way.
pub(crate) fn compile_theme(root: &Path, languages: &Languages) -> (Option<Theme>, Diagnostics) {
    let (sources, mut problems) = load_theme(root, languages);
    let theme = Theme::compile(sources, languages, &mut problems);
    (theme, problems)
}

/// A site built into its output folder, and what the build has to say about it.
pub(crate) struct Built {
    pub out: PathBuf,
    pub pages: usize,
    pub entries: usize,
    /// The site's languages, by code.
    pub languages: Vec<String>,
    pub warnings: Diagnostics,
    /// Folders left to delete (the replaced site, leftovers of killed builds).
    pub leftovers: Vec<PathBuf>,
    /// Why the live site was left as it was, if it was.
    pub unchanged: Option<Unchanged>,
}

/// Why a build left the live site as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unchanged {
    /// No input file was touched since the last build (nothing was read).
    Untouched,
    /// The inputs were read, and are what the live site was built from.
    SameInputs,
}

/// Load → validate → render → write: the site is rendered straight into a staging
/// folder, which replaces the output folder at the end (or is dropped on a problem).
///
/// A build whose input files look exactly as when the last build started (same paths
/// and stamps, same settings, errbook and day) says again what that build said, and
/// does nothing else if the live site is still as that build left it.
pub(crate) fn build(
    root: &Path,
    settings: &BuildSettings,
    progress: &Progress,
    cache: &mut BuildCache,
) -> anyhow::Result<Result<Built, Diagnostics>> {
    // Taken before anything is read, so that a file changed meanwhile counts as changed.
    let key = input_stamps(root).and_then(|stamps| cache.input_key(stamps, &settings.key()));
    let last = key.and_then(|key| cache.last_build(key));
    if let Some(built) = last.and_then(|last| untouched(cache, last)) {
        return Ok(Ok(built));
    }
    let built = build_anew(root, settings, progress, cache)?;
    if let (Ok((built, Some(inputs))), Some(key)) = (&built, key) {
        cache.keep_last_build(LastBuild {
            key,
            out: built.out.clone(),
            inputs: *inputs,
            entries: built.entries,
            languages: built.languages.clone(),
            warnings: built.warnings.clone(),
        });
    }
    Ok(built.map(|(built, _)| built))
}

/// What `last` said, if the live site is still the one it left.
fn untouched(cache: &BuildCache, last: LastBuild) -> Option<Built> {
    let pages = unchanged_site(&last.out, &cache.previous_site()?, last.inputs)?;
    Some(Built {
        out: last.out,
        pages,
        entries: last.entries,
        languages: last.languages,
        warnings: last.warnings,
        leftovers: Vec::new(),
        unchanged: Some(Unchanged::Untouched),
    })
}

/// [`build`] from the files themselves, with the fingerprint of what the site was
/// built from (when the cache knows it).
fn build_anew(
    root: &Path,
    settings: &BuildSettings,
    progress: &Progress,
    cache: &mut BuildCache,
) -> anyhow::Result<Result<(Built, Option<u128>), Diagnostics>> {
    let inputs = match prepare(root, settings, progress, cache) {
        Ok(inputs) => inputs,
        Err(problems) => return Ok(Err(problems)),
    };
    let out = root.join(settings.out.as_ref().unwrap_or(&inputs.kb.site.output));
    let previous = cache.previous_site();
    let fingerprint =
        cache.build_fingerprint(inputs.theme.fingerprint(), inputs.kb.site.base_url.as_str());
    // A site built from the same inputs, still as it was written, is left as it is.
    let unchanged = previous.as_deref().zip(fingerprint);
    if let Some(pages) = unchanged.and_then(|(spare, f)| unchanged_site(&out, spare, f)) {
        let mut built = inputs.built(out, pages, Vec::new());
        built.unchanged = Some(Unchanged::SameInputs);
        return Ok(Ok((built, fingerprint)));
    }
    let memos = open_search_memos(cache, &inputs.kb.site.languages);
    let (staging, ()) = rayon::join(
        || Staging::begin(&out, settings.force, previous.as_deref(), fingerprint),
        || memos.iter().flatten().for_each(Memo::preload),
    );
    let counter = PageCounter {
        staging: staging?,
        pages: AtomicUsize::new(0),
        salt: cache.program_stamp(),
    };
    let rendered = render_site(
        &inputs.kb,
        &inputs.theme,
        &counter,
        progress,
        memos.as_ref(),
    );
    progress.stage("writing", None, "swapping the new site in");
    let PageCounter { staging, pages, .. } = counter;
    if let Err(problems) = rendered {
        return Ok(Err(problems));
    }
    let (leftovers, ()) = rayon::join(
        || staging.finish(),
        || {
            memos
                .as_deref()
                .unwrap_or_default()
                .par_iter()
                .for_each(Memo::save)
        },
    );
    drop_in_background(memos);
    Ok(Ok((
        inputs.built(out, pages.into_inner(), leftovers?),
        fingerprint,
    )))
}

impl SiteInputs {
    /// What a build of these inputs into `out` says; the inputs are freed meanwhile.
    fn built(mut self, out: PathBuf, pages: usize, leftovers: Vec<PathBuf>) -> Built {
        let built = Built {
            out,
            pages,
            entries: self.kb.entries.len(),
            languages: self.kb.site.languages.codes().to_vec(),
            warnings: std::mem::take(&mut self.warnings),
            leftovers,
            unchanged: None,
        };
        drop_in_background(self);
        built
    }
}

/// Load → validate → render, in memory, without a cache; every problem comes back as
/// diagnostics.
pub fn build_site(root: &Path) -> Result<(KnowledgeBase, Vec<OutputFile>), Diagnostics> {
    let settings = BuildSettings::default();
    let inputs = prepare(
        root,
        &settings,
        &Progress::hidden(),
        &mut BuildCache::default(),
    )?;
    let files = std::sync::Mutex::new(Vec::new());
    render_site(&inputs.kb, &inputs.theme, &files, &Progress::hidden(), None)?;
    Ok((inputs.kb, files.into_inner().expect("no renderer panicked")))
}

/// A site rebuilt by `serve`, with the warnings found on the way.
pub(crate) struct RebuiltSite {
    pub site: RenderedSite,
    pub warnings: Diagnostics,
}

/// The same flow as [`build_site`] for `serve`, re-rendering only the pages whose
/// inputs changed since `previous`.
pub(crate) fn rebuild_site(
    root: &Path,
    settings: &BuildSettings,
    previous: Option<&RenderedSite>,
    cache: &mut BuildCache,
) -> Result<RebuiltSite, Diagnostics> {
    let inputs = prepare(root, settings, &Progress::hidden(), cache)?;
    let site = rerender_site(previous, inputs.kb, inputs.theme)?;
    Ok(RebuiltSite {
        site,
        warnings: inputs.warnings,
    })
}

/// Passes files on to the staging folder, counting the pages (HTML files) on the way;
/// render units are kept under `salt`, errbook's stamp, if there is one.
struct PageCounter {
    staging: Staging,
    pages: AtomicUsize,
    salt: Option<u128>,
}

impl PageCounter {
    fn count<'a>(&self, paths: impl Iterator<Item = &'a str>) {
        let pages = paths.filter(|path| is_page(path)).count();
        self.pages.fetch_add(pages, Ordering::Relaxed);
    }
}

impl Sink for PageCounter {
    fn put(&self, files: Vec<OutputFile>) {
        self.count(files.iter().map(|f| f.path.as_str()));
        self.staging.put(files);
    }

    fn unit_salt(&self) -> Option<u128> {
        self.salt
    }

    fn reuse_unit(&self, unit: u128) -> Option<Vec<String>> {
        let paths = self.staging.reuse_unit(unit)?;
        self.count(paths.iter().map(String::as_str));
        Some(paths)
    }

    fn put_unit(&self, unit: u128, files: Vec<OutputFile>) {
        self.count(files.iter().map(|f| f.path.as_str()));
        self.staging.put_unit(unit, files);
    }
}

/// Drops `value` on another thread: freeing a large knowledge base, allocation by
/// allocation, takes a tenth of a second that no caller needs to wait for (a command
/// that exits meanwhile does not wait for it at all).
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
