//! Stage 1 of the pipeline: read the content tree into raw types.
//!
//! `load_content` reads `content/`. It finds `site.yaml`, the providers and the entries
//! (`layout.rs` says what each file is by where it sits), parses them in parallel, and
//! reports every file that cannot be read or parsed as a diagnostic; it never stops at
//! the first problem (`content.rs`), and hands each entry file, as soon as it is parsed,
//! to a hook of the caller's (the pipeline converts it there). It looks entry files up
//! in the cache (their parsed forms, and in `serve` the files it loaded before), and
//! hands back what the cache should keep; it writes nothing. After validation, `load_sources` reads again only the files that
//! have a problem, for the lines that the diagnostics show (`source.rs` reads a file).

mod built;
mod content;
mod layout;
mod raw;
mod schema;
mod source;
mod stamps;
mod syntax;
mod theme;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

pub(crate) use built::{load_built_lookup, load_lookup_file};
use content::NoHook;
pub(crate) use content::{EntryHook, load_content_with};
pub(crate) use layout::EntryPath;
use layout::{FileKind, classify};
pub(crate) use layout::{is_ignored, is_slug};
pub(crate) use raw::*;
pub(crate) use schema::{NamedSchema, json_schemas};
pub(crate) use source::SourceFile;
use source::read_text;
pub(crate) use source::{read_source, utf8_text};
pub(crate) use stamps::input_stamps;
pub(crate) use theme::{
    I18N_DIR, STATIC_DIR, StringsFile, TEMPLATES_DIR, ThemeSources, load_strings, load_theme,
};
pub(crate) use yaml::closest;
pub(crate) use yaml::parse_yaml;

use crate::cache::{CacheKey, Forms};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fs::Stamp;
use crate::progress::Progress;

/// The folder of a knowledge base that holds its content.
pub(crate) const CONTENT_DIR: &str = "content";
/// Where entry files sit, under the knowledge-base root.
pub(crate) const ENTRIES_DIR: &str = "content/errors";

/// A parsed file together with its source.
#[derive(Debug)]
pub(crate) struct Loaded<T> {
    pub file: Arc<SourceFile>,
    pub value: T,
}

/// Everything found under `content/`, parsed but not yet validated.
#[derive(Debug, Default)]
pub(crate) struct RawKnowledgeBase {
    pub site: Option<Loaded<RawSite>>,
    /// Provider files, with the id taken from the file name.
    pub providers: Vec<(String, Loaded<RawProvider>)>,
    /// Entry files, with the folder name (the provider) and the slug (the file name).
    pub entries: Vec<(EntryPath, Arc<Loaded<RawEntry>>)>,
    /// Files that did not parse (their problem is already reported).
    pub unparsed: Unparsed,
}

/// Provider and entry files that did not parse. While one is broken, what other files
/// say about it (a link to the entry, a reference to the provider) is not checked: its
/// one mistake is reported once, where it is.
#[derive(Debug, Default)]
pub(crate) struct Unparsed {
    pub providers: Vec<String>,
    pub entries: Vec<EntryPath>,
}

/// The entry files of a knowledge base, as loaded.
pub(crate) type RawEntries = [(EntryPath, Arc<Loaded<RawEntry>>)];

/// Entry files parsed by earlier loads, for `serve`: a file whose size, modification time
/// and inode are those of its last load is not read or parsed again.
#[derive(Debug, Default)]
pub(crate) struct LoadCache {
    entries: HashMap<PathBuf, (Stamp, Arc<Loaded<RawEntry>>)>,
}

impl LoadCache {
    /// Forgets the files at `paths` (relative to the root), whatever their stamps say:
    /// a file rewritten twice within the clock's resolution may keep its stamp.
    pub(crate) fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.entries.remove(path);
        }
    }
}

/// Reads and parses every content file under `root/content`, as
/// [`load_content_with`] does, with no hook.
pub(crate) fn load_content(
    root: &Path,
    progress: &Progress,
    lookups: LoadLookups<'_>,
) -> LoadedContent {
    load_content_with(root, progress, lookups, |_| None::<NoHook>).0
}

/// The languages of `root/content/site.yaml`, without reading anything else.
pub(crate) fn load_site_languages(root: &Path) -> Result<Vec<String>, Diagnostics> {
    let rel = Path::new(CONTENT_DIR).join("site.yaml");
    let not_found = || {
        let diagnostic = Diagnostic::error(&rel, "no site configuration found")
            .with_hint("run `errbook init` to create a knowledge base, or pass `--root DIR`");
        Diagnostics::from_iter([diagnostic])
    };
    if !root.join(&rel).is_file() {
        return Err(not_found());
    }
    let text = read_text(root, &rel).map_err(|d| Diagnostics::from_iter([d]))?;
    let site: RawSite = parse_yaml(&text, &rel).map_err(|d| Diagnostics::from_iter([d]))?;
    Ok(site.languages.value.into_iter().map(|l| l.value).collect())
}

/// What the cache offers [`load_content`].
#[derive(Clone, Copy, Default)]
pub(crate) struct LoadLookups<'a> {
    /// The files loaded before (`serve`).
    pub files: Option<&'a LoadCache>,
    /// The parsed forms of entry files.
    pub forms: Option<&'a Forms>,
}

/// What [`load_content`] read, and what the cache should keep of it.
pub(crate) struct LoadedContent {
    pub raw: RawKnowledgeBase,
    pub diagnostics: Diagnostics,
    /// The files loaded, by their stamps, when the files loaded before were given.
    pub files: Option<LoadCache>,
    /// The entries that were parsed (not found in the forms), under their forms' keys.
    pub parsed: Vec<(CacheKey, Arc<Loaded<RawEntry>>)>,
    /// A hash of every content file's path and bytes, when every file was read (not
    /// taken from `lookups.files`): equal hashes, equal content.
    pub fingerprint: Option<u128>,
}

/// Parses the text of the entry file at `rel` (relative to the knowledge-base root),
/// in memory.
pub(crate) fn parse_entry_str(
    yaml: &str,
    rel: &Path,
) -> Result<(EntryPath, Loaded<RawEntry>), Diagnostic> {
    let Some(FileKind::Entry(path)) = classify(rel)? else {
        return Err(
            Diagnostic::error(rel, "this is not the path of an entry file")
                .with_hint("entries live in content/errors/<provider>/<slug>.yaml"),
        );
    };
    let file = Arc::new(SourceFile {
        path: rel.to_path_buf(),
    });
    let value = parse_yaml(yaml, rel)?;
    Ok((path, Loaded { file, value }))
}

/// Attaches to `diagnostics` the lines of the files under `root` that they point at:
/// the one read of content made after validation, and only for files with a problem.
pub(crate) fn load_sources(root: &Path, diagnostics: &mut Diagnostics) {
    diagnostics.attach_sources(|rel| read_text(root, rel).ok());
}

/// What `lookup` needs to know to trust a built `lookup.json`: the output folder that
/// `site.yaml` names, and the newest modification time of any file under `content/`.
pub(crate) struct ContentStamp {
    pub output: PathBuf,
    pub newest: std::time::SystemTime,
}

/// Reads only `site.yaml` and the modification times of the content files; `None` when
/// they cannot be read (the full load will then say why).
pub(crate) fn load_content_stamp(root: &Path) -> Option<ContentStamp> {
    let content = root.join(CONTENT_DIR);
    let (rel, text) = ["site.yaml", "site.yml"].iter().find_map(|name| {
        let rel = Path::new(CONTENT_DIR).join(name);
        read_text(root, &rel).ok().map(|text| (rel, text))
    })?;
    let raw: RawSite = parse_yaml(&text, &rel).ok()?;
    let output = raw
        .output
        .map_or_else(|| PathBuf::from("public"), |o| PathBuf::from(o.value));
    let mut newest = std::time::SystemTime::UNIX_EPOCH;
    for item in WalkDir::new(&content) {
        let modified = item.ok()?.metadata().ok()?.modified().ok()?;
        newest = newest.max(modified);
    }
    Some(ContentStamp { output, newest })
}
