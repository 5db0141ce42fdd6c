//! Reading the content tree: the walk of `content/`, then the files parsed in parallel,
//! the site and providers first, then the entries.
//!
//! Each entry file is handed to an [`EntryHook`] as soon as it is parsed, in the same
//! task: the pipeline converts it there and frees its texts, so that a large knowledge
//! base is never held whole in its raw form (its located strings weigh about twice the
//! file), beside its model.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::layout::{FileKind, classify};
use super::source::{BYTE_ORDER_MARK, read_source, utf8_text};
use super::{
    CONTENT_DIR, EntryPath, LoadCache, LoadLookups, Loaded, LoadedContent, RawEntry,
    RawKnowledgeBase, SourceFile, parse_yaml,
};
use crate::cache::{CacheKey, Forms};
use crate::diagnostic::{Diagnostic, Diagnostics, relative_to};
use crate::fs::Stamp;
use crate::progress::Progress;

/// What is done to each entry file as soon as it is parsed, with the site and providers
/// already parsed. `parsed` is the key of the entry's form when the entry was parsed
/// rather than found in the forms (the hook then keeps the form, if it wants it).
pub(crate) trait EntryHook: Sync {
    type Output: Send;
    fn entry(
        &self,
        path: &EntryPath,
        loaded: &mut Arc<Loaded<RawEntry>>,
        parsed: Option<CacheKey>,
    ) -> Self::Output;
}

/// No hook: the entries are loaded and nothing else.
pub(crate) struct NoHook;

impl EntryHook for NoHook {
    type Output = ();
    fn entry(&self, _: &EntryPath, _: &mut Arc<Loaded<RawEntry>>, _: Option<CacheKey>) {}
}

/// Reads and parses every content file under `root/content`. Entry files unchanged
/// since `lookups.files` was loaded are taken from it; entry files whose bytes are
/// those of a file parsed before are taken from `lookups.forms`.
///
/// Once the site and providers are parsed, `hook` makes the hook that each entry is
/// handed to (`None`: no hook, and the entries that were parsed come back in
/// `LoadedContent::parsed`); what it returns comes back beside the entries, in order.
pub(crate) fn load_content_with<H: EntryHook>(
    root: &Path,
    progress: &Progress,
    lookups: LoadLookups<'_>,
    hook: impl FnOnce(&RawKnowledgeBase) -> Option<H>,
) -> (LoadedContent, Vec<H::Output>) {
    let (files, mut diagnostics) = list_files(root);
    progress.stage("reading", Some(files.len()), "files");
    let (entries, others): (Vec<_>, Vec<_>) = files
        .into_iter()
        .enumerate()
        .partition(|(_, (_, kind))| matches!(kind, FileKind::Entry(_)));
    let read = |(index, (rel, kind))| {
        let found = read_file(root, rel, kind, lookups);
        progress.advance(1);
        (index, found)
    };
    let others: Vec<(usize, Found)> = others.into_par_iter().map(read).collect();
    let mut gathered = Gathered::new(lookups.files.is_some());
    for (index, found) in others {
        gathered.add(index, found, &mut diagnostics);
    }
    let hook = hook(&gathered.kb);
    let entries: Vec<(usize, Found, Option<H::Output>)> = entries
        .into_par_iter()
        .map(|file| {
            let (index, mut found) = read(file);
            let output = hook.as_ref().and_then(|hook| found.hand_to(hook));
            (index, found, output)
        })
        .collect();
    let mut outputs = Vec::new();
    for (index, found, output) in entries {
        let parsed = found.result.is_ok();
        gathered.add(index, found, &mut diagnostics);
        outputs.extend(output.filter(|_| parsed));
    }
    (gathered.finish(diagnostics), outputs)
}

/// The content files under `root/content` that errbook reads, in order, and the
/// problems of the walk.
fn list_files(root: &Path) -> (Vec<(PathBuf, FileKind)>, Diagnostics) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    for item in WalkDir::new(&content).sort_by_file_name() {
        match item {
            Ok(item) if item.file_type().is_file() => {
                let rel = relative_to(item.path(), root);
                match classify(&rel) {
                    Ok(Some(kind)) => files.push((rel, kind)),
                    Ok(None) => {}
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
            Ok(_) => {}
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| content.clone(), Path::to_path_buf);
                diagnostics.push(Diagnostic::error(
                    relative_to(&path, root),
                    format!("cannot read: {error}"),
                ));
            }
        }
    }
    (files, diagnostics)
}

/// One content file as read.
struct Found {
    stamp: Option<Stamp>,
    kind: FileKind,
    result: Result<Parsed, Diagnostic>,
    /// A hash of its path and bytes, when it was read (not taken from the files loaded
    /// before).
    hash: Option<u128>,
}

impl Found {
    /// Hands a parsed entry to `hook` (with its form's key, which is then not kept).
    fn hand_to<H: EntryHook>(&mut self, hook: &H) -> Option<H::Output> {
        let Ok(Parsed::Entry(path, entry, key)) = &mut self.result else {
            return None;
        };
        Some(hook.entry(path, entry, key.take()))
    }
}

fn read_file(root: &Path, rel: PathBuf, kind: FileKind, lookups: LoadLookups<'_>) -> Found {
    let earlier = lookups.files;
    let what = kind.clone();
    let stamp = earlier.and_then(|_| Stamp::read(&root.join(&rel)));
    let cached = earlier
        .and_then(|c| c.entries.get(&rel))
        .filter(|(before, _)| stamp.as_ref() == Some(before));
    let (result, hash) = match (kind, cached) {
        (FileKind::Entry(path), Some((_, entry))) => {
            (Ok(Parsed::Entry(path, Arc::clone(entry), None)), None)
        }
        (kind, _) => parse_file(root, rel, kind, lookups.forms),
    };
    Found {
        stamp,
        kind: what,
        result,
        hash,
    }
}

/// The files read so far, put together.
struct Gathered {
    kb: RawKnowledgeBase,
    /// The entries loaded, by path, when the files loaded before were given.
    loaded: Option<LoadCache>,
    parsed: Vec<(CacheKey, Arc<Loaded<RawEntry>>)>,
    /// The hash of each file read, by its place in the walk; `None` once a file was not
    /// read.
    hashes: Option<Vec<(usize, u128)>>,
}

impl Gathered {
    fn new(stamped: bool) -> Gathered {
        Gathered {
            kb: RawKnowledgeBase::default(),
            loaded: stamped.then(LoadCache::default),
            parsed: Vec::new(),
            hashes: Some(Vec::new()),
        }
    }

    fn add(&mut self, index: usize, found: Found, diagnostics: &mut Diagnostics) {
        match (&mut self.hashes, found.hash) {
            (Some(hashes), Some(hash)) => hashes.push((index, hash)),
            _ => self.hashes = None,
        }
        let kb = &mut self.kb;
        match found.result {
            Ok(Parsed::Site(site)) => kb.site = Some(*site),
            Ok(Parsed::Provider(id, provider)) => kb.providers.push((id, *provider)),
            Ok(Parsed::Entry(path, entry, key)) => {
                if let (Some(loaded), Some(stamp)) = (&mut self.loaded, found.stamp) {
                    let value = (stamp, Arc::clone(&entry));
                    loaded.entries.insert(entry.file.path.clone(), value);
                }
                self.parsed.extend(key.map(|key| (key, Arc::clone(&entry))));
                kb.entries.push((path, entry));
            }
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                match found.kind {
                    FileKind::Site => {}
                    FileKind::Provider(id) => kb.unparsed.providers.push(id),
                    FileKind::Entry(path) => kb.unparsed.entries.push(path),
                }
            }
        }
    }

    fn finish(self, mut diagnostics: Diagnostics) -> LoadedContent {
        if self.kb.site.is_none() && !diagnostics.iter().any(|d| d.file.ends_with("site.yaml")) {
            diagnostics.push(
                Diagnostic::error(
                    Path::new(CONTENT_DIR).join("site.yaml"),
                    "no site configuration found",
                )
                .with_hint("run `errbook init` to create a knowledge base, or pass `--root DIR`"),
            );
        }
        // The files are hashed in the order of the walk, whichever were read first.
        let fingerprint = self.hashes.map(|mut hashes| {
            hashes.sort_unstable_by_key(|(index, _)| *index);
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hashes
                .iter()
                .for_each(|(_, hash)| hasher.update(&hash.to_le_bytes()));
            hasher.digest128()
        });
        LoadedContent {
            raw: self.kb,
            diagnostics,
            files: self.loaded,
            parsed: self.parsed,
            fingerprint,
        }
    }
}

enum Parsed {
    Site(Box<Loaded<super::RawSite>>),
    Provider(String, Box<Loaded<super::RawProvider>>),
    /// With the key of its form, if the entry was parsed rather than found in the forms.
    Entry(EntryPath, Arc<Loaded<RawEntry>>, Option<CacheKey>),
}

/// Reads and parses one file; with a hash of its path and bytes, if it could be read.
fn parse_file(
    root: &Path,
    rel: PathBuf,
    kind: FileKind,
    forms: Option<&Forms>,
) -> (Result<Parsed, Diagnostic>, Option<u128>) {
    let bytes = match read_source(root, &rel) {
        Ok(bytes) => bytes,
        Err(diagnostic) => return (Err(diagnostic), None),
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(rel.as_os_str().as_encoded_bytes());
    hasher.update(&[0]);
    hasher.update(&bytes);
    let hash = hasher.digest128();
    let file = Arc::new(SourceFile { path: rel });
    (parse_bytes(file, kind, bytes, forms), Some(hash))
}

fn parse_bytes(
    file: Arc<SourceFile>,
    kind: FileKind,
    bytes: Vec<u8>,
    forms: Option<&Forms>,
) -> Result<Parsed, Diagnostic> {
    Ok(match kind {
        FileKind::Site => Parsed::Site(Box::new(parse_loaded(file, bytes)?)),
        FileKind::Provider(id) => Parsed::Provider(id, Box::new(parse_loaded(file, bytes)?)),
        FileKind::Entry(path) => {
            let (entry, key) = parse_entry(file, bytes, forms)?;
            Parsed::Entry(path, Arc::new(entry), key)
        }
    })
}

/// Parses an entry file, or takes it from the parsed forms; with the key of its form
/// when it was parsed, for the cache to keep.
fn parse_entry(
    file: Arc<SourceFile>,
    bytes: Vec<u8>,
    forms: Option<&Forms>,
) -> Result<(Loaded<RawEntry>, Option<CacheKey>), Diagnostic> {
    let Some(forms) = forms else {
        return Ok((parse_loaded(file, bytes)?, None));
    };
    let source = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(&bytes);
    // A form is of these very bytes, which were UTF-8 when they were parsed.
    let (key, cached) = forms.get(source);
    if let Some(value) = cached {
        return Ok((Loaded { file, value }, None));
    }
    Ok((parse_loaded(file, bytes)?, Some(key)))
}

fn parse_loaded<T: serde::de::DeserializeOwned>(
    file: Arc<SourceFile>,
    bytes: Vec<u8>,
) -> Result<Loaded<T>, Diagnostic> {
    let text = utf8_text(bytes, &file.path)?;
    let value = parse_yaml(&text, &file.path)?;
    Ok(Loaded { file, value })
}
