//! The whole flow on one screen: load → validate → render (→ write, in `cmd::build`).
//!
//! `build`, `check` and `serve` all go through these functions, so that what is served
//! is exactly what is built. `serve` rebuilds with `rebuild_site`: the same stages, but
//! rendering reuses the pages of the previous build whose inputs did not change.

use std::path::Path;

use anyhow::Context;

use crate::diagnostic::Diagnostics;
pub use crate::load::ParseCache;
use crate::load::{LinkMemo, LoadCache, load_content, load_content_stamp};
use crate::model::{KnowledgeBase, Provider, Site};
use crate::progress::Progress;
use crate::render::{OutputFile, RenderedSite, Theme, rerender_site};
pub use crate::render::{Sink, render_site};
use crate::search::keys::{LOOKUP_KEYS, LookupKeys};
use crate::search::matcher::LOOKUP_VERSION;
use crate::search::{EntryRules, Evidence, LookupIndex};
pub use crate::validate::audit::{AuditSettings, LOCK_FILE, render_lock};
use crate::validate::{self, ValidateCache, validate};

/// Settings that change what is built, from the command line.
#[derive(Debug, Default, Clone)]
pub struct BuildSettings {
    /// Replaces `base_url` of site.yaml (`build --base-url`).
    pub base_url: Option<String>,
}

/// A site rendered in memory, with the warnings found on the way.
pub struct BuiltSite {
    pub kb: KnowledgeBase,
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
}

/// What rendering needs: the validated knowledge base and the compiled theme, with the
/// warnings found on the way.
pub struct SiteInputs {
    pub kb: KnowledgeBase,
    pub theme: Theme,
    pub warnings: Diagnostics,
}

/// Loads and validates the knowledge base in `root`, with entry files taken from
/// `parse_cache` when they are there.
pub fn load_knowledge_base(
    root: &Path,
    parse_cache: Option<&ParseCache>,
) -> (Option<KnowledgeBase>, Diagnostics) {
    check_knowledge_base(root, None, &Progress::hidden(), parse_cache)
}

/// The site and its providers, whatever the state of the entries (`import` needs no
/// more); `None` when the site cannot be read.
pub fn load_site_and_providers(root: &Path) -> (Option<(Site, Vec<Provider>)>, Diagnostics) {
    let (raw, mut diagnostics) = load_content(root, &Progress::hidden(), None, None);
    let mut found = Vec::new();
    let converted = validate::convert_site_and_providers(&raw, &mut found);
    diagnostics.extend(found.into_iter().collect());
    (converted, diagnostics)
}

/// The knowledge base that `explain` and `lookup` answer from: entry files with errors
/// (and entries that need a broken provider file) are left out, and listed, rather than
/// stopping the answer. It fails, with the problems, when the site file or a provider
/// file has errors that validation finds.
pub fn load_answering_base(
    root: &Path,
    parse_cache: Option<&ParseCache>,
) -> Result<(KnowledgeBase, Vec<std::path::PathBuf>), Diagnostics> {
    let (mut raw, broken) = load_content(root, &Progress::hidden(), None, parse_cache);
    match validate::validate_leniently(&mut raw, &broken) {
        (Some(kb), _, skipped) => Ok((kb, skipped)),
        (None, mut problems, _) => {
            problems.sort();
            Err(problems)
        }
    }
}

/// Loads and validates, then, with `audit`, applies the rules that only `check` applies.
pub fn check_knowledge_base(
    root: &Path,
    audit: Option<&AuditSettings>,
    progress: &Progress,
    parse_cache: Option<&ParseCache>,
) -> (Option<KnowledgeBase>, Diagnostics) {
    check_with_caches(root, audit, progress, Reading::Once(parse_cache))
}

/// What `serve` keeps from one rebuild to the next, so that only the files that changed
/// are parsed and checked again.
#[derive(Default)]
pub struct Caches {
    load: LoadCache,
    validate: ValidateCache,
    /// Where files not in `load` are looked up before they are parsed.
    parse: Option<ParseCache>,
}

impl Caches {
    /// Empty caches in memory, over `parse` on disk.
    pub fn new(parse: Option<ParseCache>) -> Caches {
        Caches {
            parse,
            ..Caches::default()
        }
    }

    /// Forgets what was read from the files at `paths` (under `root`), which a watcher
    /// reported as changed.
    pub fn forget(&mut self, root: &Path, paths: &[std::path::PathBuf]) {
        self.load
            .forget(paths.iter().map(|p| p.strip_prefix(root).unwrap_or(p)));
    }

    /// The parse cache on disk, if files are looked up there.
    pub fn parse_cache(&self) -> Option<&ParseCache> {
        self.parse.as_ref()
    }

    /// Forgets everything read, keeping the parse cache (whose forms never go stale).
    pub fn clear(&mut self) {
        *self = Caches::new(self.parse.take());
    }
}

/// Drops `value` on another thread: freeing a large knowledge base, allocation by
/// allocation, takes a tenth of a second that no caller needs to wait for (a command
/// that exits meanwhile does not wait for it at all).
pub fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// How the content is read: once (by a command), or again and again (by `serve`).
enum Reading<'a> {
    Once(Option<&'a ParseCache>),
    Again(&'a mut Caches),
}

fn check_with_caches(
    root: &Path,
    audit: Option<&AuditSettings>,
    progress: &Progress,
    reading: Reading<'_>,
) -> (Option<KnowledgeBase>, Diagnostics) {
    let (load_cache, validate_cache, parse_cache) = match reading {
        Reading::Once(parse) => (None, None, parse),
        Reading::Again(caches) => (
            Some(&mut caches.load),
            Some(&mut caches.validate),
            caches.parse.as_ref(),
        ),
    };
    // A command looks the link destinations of unchanged texts up in the parse cache
    // (read while the files load); `serve` checks only the entries that changed.
    let links = validate_cache
        .is_none()
        .then(|| parse_cache.map(ParseCache::link_memo))
        .flatten();
    let ((mut raw, mut diagnostics), ()) = rayon::join(
        || load_content(root, progress, load_cache, parse_cache),
        || links.as_ref().map_or((), LinkMemo::preload),
    );
    progress.stage("checking", None, "entries");
    let (kb, found) = validate(&mut raw, validate_cache, links.as_ref());
    if let Some(links) = links {
        links.save();
        drop_in_background(links);
    }
    diagnostics.extend(found);
    if let Some(settings) = audit {
        // The lock is compared with a knowledge base that is whole: with a file that does
        // not parse, its anchors would all seem to have disappeared.
        let whole = kb.as_ref().filter(|_| !diagnostics.has_errors());
        diagnostics.extend(
            validate::audit::audit(whole, &raw.entries, settings)
                .into_iter()
                .collect(),
        );
    }
    drop_in_background(raw);
    diagnostics.sort();
    if diagnostics.has_errors() {
        (None, diagnostics)
    } else {
        (kb, diagnostics)
    }
}

/// Runs the pipeline up to rendered files, in memory; every problem comes back as
/// diagnostics. (`build` streams the files to disk instead, with [`render_site`].)
pub fn build_site(root: &Path, settings: &BuildSettings) -> Result<BuiltSite, Diagnostics> {
    let inputs = prepare_site(root, settings, &Progress::hidden(), None)?;
    let files = std::sync::Mutex::new(Vec::new());
    render_site(&inputs.kb, &inputs.theme, &files, &Progress::hidden(), None)?;
    Ok(BuiltSite {
        kb: inputs.kb,
        files: files.into_inner().expect("no renderer panicked"),
        warnings: inputs.warnings,
    })
}

/// A site rebuilt by `serve`, with the warnings found on the way.
pub struct RebuiltSite {
    pub site: RenderedSite,
    pub warnings: Diagnostics,
}

/// Runs the same pipeline as [`build_site`], re-rendering only the pages whose inputs
/// changed since `previous` (load and validate always read every file).
pub fn rebuild_site(
    root: &Path,
    settings: &BuildSettings,
    previous: Option<&RenderedSite>,
    caches: &mut Caches,
) -> Result<RebuiltSite, Diagnostics> {
    let reading = Reading::Again(caches);
    let inputs = prepare_with_caches(root, settings, &Progress::hidden(), reading)?;
    let site = rerender_site(previous, inputs.kb, inputs.theme)?;
    Ok(RebuiltSite {
        site,
        warnings: inputs.warnings,
    })
}

/// Loads (entry files from `parse_cache` when they are there), validates and applies
/// `settings`, and compiles the theme: everything that comes before rendering.
pub fn prepare_site(
    root: &Path,
    settings: &BuildSettings,
    progress: &Progress,
    parse_cache: Option<&ParseCache>,
) -> Result<SiteInputs, Diagnostics> {
    prepare_with_caches(root, settings, progress, Reading::Once(parse_cache))
}

fn prepare_with_caches(
    root: &Path,
    settings: &BuildSettings,
    progress: &Progress,
    reading: Reading<'_>,
) -> Result<SiteInputs, Diagnostics> {
    let (kb, mut diagnostics) = check_with_caches(root, None, progress, reading);
    let Some(mut kb) = kb else {
        return Err(diagnostics);
    };
    if let Some(base_url) = &settings.base_url {
        kb.site.base_url = normalize_base_url(base_url).ok_or_else(|| bad_base_url(base_url))?;
    }
    let (theme, theme_warnings) =
        Theme::load(root, &kb.site.languages).map_err(|mut problems| {
            problems.extend(diagnostics.clone());
            problems
        })?;
    diagnostics.extend(theme_warnings);
    Ok(SiteInputs {
        kb,
        theme,
        warnings: diagnostics,
    })
}

/// The match rules that `lookup` needs for `evidence`: from `index` (a `lookup.json`)
/// when given; else, when the built site is newer than every content file, its keys
/// and the chunks of rules of the candidates (reading 10,000 entries takes far longer
/// than a lookup should); else from the content itself.
pub fn load_lookup_index(
    root: &Path,
    index: Option<&Path>,
    evidence: &Evidence,
    parse_cache: Option<&ParseCache>,
) -> anyhow::Result<Result<(LookupIndex, Vec<std::path::PathBuf>), Diagnostics>> {
    if let Some(path) = index {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return match serde_json::from_str::<LookupIndex>(&text) {
            Ok(parsed) if parsed.version == LOOKUP_VERSION => Ok(Ok((parsed, Vec::new()))),
            _ => anyhow::bail!(
                "{} is not a lookup index of this version of errbook",
                path.display()
            ),
        };
    }
    if let Some(index) = load_built_lookup(root, evidence) {
        return Ok(Ok((index, Vec::new())));
    }
    Ok(load_answering_base(root, parse_cache)
        .map(|(kb, skipped)| (LookupIndex::build(&kb, &kb.site.base_url), skipped)))
}

/// The candidates' rules from the built site, if it is fresh and of this version.
fn load_built_lookup(root: &Path, evidence: &Evidence) -> Option<LookupIndex> {
    let stamp = load_content_stamp(root)?;
    let site = root.join(stamp.output);
    let path = site.join(LOOKUP_KEYS);
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < stamp.newest {
        return None;
    }
    let keys: LookupKeys = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    if keys.version != LOOKUP_VERSION {
        return None;
    }
    let wanted = keys.candidates(evidence);
    let mut rules = Vec::with_capacity(wanted.len());
    let mut chunk: Option<(usize, Vec<EntryRules>)> = None;
    for entry in wanted {
        let number = entry / keys.per_chunk;
        if chunk.as_ref().is_none_or(|(n, _)| *n != number) {
            let file = site.join(keys.chunks.get(number)?);
            chunk = Some((
                number,
                serde_json::from_slice(&std::fs::read(file).ok()?).ok()?,
            ));
        }
        let (_, loaded) = chunk.as_ref()?;
        rules.push(loaded.get(entry % keys.per_chunk)?.clone());
    }
    Some(keys.index_of(rules))
}

fn normalize_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace);
    ok.then(|| {
        if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        }
    })
}

fn bad_base_url(url: &str) -> Diagnostics {
    let diagnostic = crate::diagnostic::Diagnostic::error(
        "--base-url",
        format!("`{url}` is not an absolute http(s) URL"),
    )
    .with_hint("e.g. --base-url https://example.org/help/");
    [diagnostic].into_iter().collect()
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::Arc;

    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for item in fs::read_dir(from).unwrap() {
            let item = item.unwrap();
            let target = to.join(item.file_name());
            if item.file_type().unwrap().is_dir() {
                copy_dir(&item.path(), &target);
            } else {
                fs::copy(item.path(), target).unwrap();
            }
        }
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    const QUOTA: &str = "content/errors/openai/quota.yaml";

    /// One change to the minimal fixture, how many of the site's pages a rebuild may
    /// take from the previous one, and how many of its entries it need not parse again.
    struct Case {
        name: &'static str,
        change: fn(&Path),
        pages_reused: usize,
        entries_kept: usize,
    }

    #[test]
    fn a_rebuild_renders_what_a_full_build_renders_and_reuses_the_rest() {
        let cases = [
            Case {
                name: "nothing changed",
                change: |_| {},
                pages_reused: 22,
                entries_kept: 2,
            },
            Case {
                name: "an entry's title",
                change: |root| edit(root, QUOTA, "Quota insuffisant", "Plus de quota"),
                pages_reused: 14,
                entries_kept: 1,
            },
            Case {
                name: "a new entry",
                change: |root| {
                    let text = fs::read_to_string(root.join(QUOTA)).unwrap();
                    let text = text.replace("code: insufficient_quota", "code: other_quota");
                    fs::write(root.join("content/errors/openai/quota-2.yaml"), text).unwrap();
                },
                pages_reused: 18,
                entries_kept: 2,
            },
            Case {
                name: "a deleted entry",
                change: |root| {
                    fs::remove_file(root.join("content/errors/groq/rate-limit.yaml")).unwrap()
                },
                pages_reused: 14,
                entries_kept: 1,
            },
            Case {
                name: "a provider",
                change: |root| edit(root, "content/providers/groq.yaml", "Groq", "GroqCloud"),
                pages_reused: 0,
                entries_kept: 2,
            },
            Case {
                name: "a template",
                change: |root| {
                    fs::create_dir_all(root.join("templates")).unwrap();
                    fs::write(
                        root.join("templates/404.html"),
                        "{% extends \"base.html\" %}{% block main %}Lost{% endblock main %}",
                    )
                    .unwrap();
                },
                pages_reused: 0,
                entries_kept: 2,
            },
            Case {
                name: "a stylesheet only",
                change: |root| {
                    fs::create_dir_all(root.join("static")).unwrap();
                    fs::write(root.join("static/style.css"), "body { color: red }").unwrap();
                },
                pages_reused: 22,
                entries_kept: 2,
            },
        ];
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let settings = BuildSettings::default();
        for case in cases {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&fixture, dir.path());
            let mut caches = Caches::default();
            let before = rebuild_site(dir.path(), &settings, None, &mut caches)
                .unwrap()
                .site;
            assert_eq!(before.stats.pages_reused, 0, "{}", case.name);
            (case.change)(dir.path());

            let after = rebuild_site(dir.path(), &settings, Some(&before), &mut caches)
                .unwrap()
                .site;
            let full = build_site(dir.path(), &settings).unwrap();
            // serve renders the data files apart, after the pages.
            let data = crate::render::collect_data_files(after.kb(), after.theme(), None);
            let mut rebuilt: Vec<_> = after
                .files()
                .map(|f| f.as_ref())
                .chain(&data)
                .map(|f| (&f.path, &f.bytes))
                .collect();
            rebuilt.sort();
            let mut expected: Vec<_> = full.files.iter().map(|f| (&f.path, &f.bytes)).collect();
            expected.sort();
            assert!(rebuilt == expected, "{}: the rebuild differs", case.name);
            assert_eq!(after.stats.pages_reused, case.pages_reused, "{}", case.name);
            let kept = after
                .kb()
                .entries
                .iter()
                .filter(|e| before.kb().entries.iter().any(|b| Arc::ptr_eq(b, e)))
                .count();
            assert_eq!(
                kept, case.entries_kept,
                "{}: entries not parsed again",
                case.name
            );
            let pages = full
                .files
                .iter()
                .filter(|f| crate::render::is_page(f))
                .count();
            assert_eq!(
                after.stats.pages_rendered + after.stats.pages_reused,
                pages,
                "{}",
                case.name
            );
        }
    }
}
