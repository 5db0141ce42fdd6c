//! The whole flow on one screen: load → validate → render (→ write, in `cmd::build`).
//!
//! `build`, `check` and `serve` all go through these functions, so that what is served
//! is exactly what is built.

use std::path::Path;

use crate::diagnostic::Diagnostics;
use crate::load::load_content;
use crate::model::KnowledgeBase;
use crate::render::{OutputFile, Theme, render_site};
pub use crate::validate::audit::{AuditSettings, LOCK_FILE, render_lock};
use crate::validate::{self, validate};

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
    check_knowledge_base(root, None)
}

/// Loads and validates, then, with `audit`, applies the rules that only `check` applies.
pub fn check_knowledge_base(
    root: &Path,
    audit: Option<&AuditSettings>,
) -> (Option<KnowledgeBase>, Diagnostics) {
    let (raw, mut diagnostics) = load_content(root);
    let (kb, found) = validate(&raw);
    diagnostics.extend(found);
    if let Some(settings) = audit {
        diagnostics.extend(
            validate::audit::audit(kb.as_ref(), &raw.entries, settings)
                .into_iter()
                .collect(),
        );
    }
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
