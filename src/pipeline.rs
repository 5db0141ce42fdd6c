//! The whole flow on one screen: load → validate → render (→ write, in `cmd::build`).
//!
//! `build`, `check` and `serve` all go through these functions, so that what is served
//! is exactly what is built.

use std::path::Path;

use anyhow::Context;

use crate::diagnostic::Diagnostics;
use crate::load::{load_content, load_content_stamp};
use crate::model::KnowledgeBase;
use crate::render::{OutputFile, Theme, render_site};
use crate::search::keys::{LOOKUP_KEYS, LookupKeys};
use crate::search::matcher::LOOKUP_VERSION;
use crate::search::{EntryRules, Evidence, LookupIndex};
use crate::validate::validate;

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

/// Loads and validates the knowledge base in `root`.
pub fn load_knowledge_base(root: &Path) -> (Option<KnowledgeBase>, Diagnostics) {
    let (raw, mut diagnostics) = load_content(root);
    let (kb, found) = validate(&raw);
    diagnostics.extend(found);
    diagnostics.sort();
    if diagnostics.has_errors() {
        (None, diagnostics)
    } else {
        (kb, diagnostics)
    }
}

/// Runs the pipeline up to rendered files; every problem comes back as diagnostics.
pub fn build_site(root: &Path, settings: &BuildSettings) -> Result<BuiltSite, Diagnostics> {
    let (kb, mut diagnostics) = load_knowledge_base(root);
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
    let files = render_site(&kb, &theme)?;
    Ok(BuiltSite {
        kb,
        files,
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
) -> anyhow::Result<Result<LookupIndex, Diagnostics>> {
    if let Some(path) = index {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return match serde_json::from_str::<LookupIndex>(&text) {
            Ok(parsed) if parsed.version == LOOKUP_VERSION => Ok(Ok(parsed)),
            _ => anyhow::bail!(
                "{} is not a lookup index of this version of errbook",
                path.display()
            ),
        };
    }
    if let Some(index) = load_built_lookup(root, evidence) {
        return Ok(Ok(index));
    }
    Ok(match load_knowledge_base(root) {
        (Some(kb), _) => Ok(LookupIndex::build(&kb, &kb.site.base_url)),
        (None, diagnostics) => Err(diagnostics),
    })
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
