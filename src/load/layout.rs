//! Where content files sit, and what each one is by where it sits: the site file, a
//! provider, an entry, or a file that is not read (editor and system files are
//! skipped without a word). File names become URLs, so they must be slugs.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Where an entry file sits: `content/errors/<provider>/<slug>.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct EntryPath {
    pub folder: String,
    pub slug: String,
}

/// What a file under `content/` is.
#[derive(Clone)]
pub(super) enum FileKind {
    Site,
    Provider(String),
    Entry(EntryPath),
}

/// Decides what a file under `content/` is, from where it sits.
pub(super) fn classify(rel: &Path) -> Result<Option<FileKind>, Diagnostic> {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if is_ignored(name) {
        return Ok(None);
    }
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let is_yaml = stem.len() < name.len();
    match parts.as_slice() {
        [_, "site.yaml" | "site.yml"] => Ok(Some(FileKind::Site)),
        [_, "providers", _] if is_yaml => {
            check_slug(rel, stem)?;
            Ok(Some(FileKind::Provider(stem.to_string())))
        }
        [_, "errors", folder, _] if is_yaml => {
            check_slug(rel, stem)?;
            Ok(Some(FileKind::Entry(EntryPath { folder: folder.to_string(), slug: stem.to_string() })))
        }
        _ if is_yaml => Err(Diagnostic::warning(rel, "this file is not read")
            .with_hint("entries live in content/errors/<provider>/<slug>.yaml, providers in content/providers/<id>.yaml")),
        _ => Ok(None),
    }
}

/// Ids and slugs become URLs and anchors: lowercase ASCII letters, digits and dashes.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_slug(rel: &Path, stem: &str) -> Result<(), Diagnostic> {
    if is_slug(stem) {
        Ok(())
    } else {
        Err(Diagnostic::error(rel, format!("`{stem}` cannot be used in a URL"))
            .with_hint("name the file with lowercase letters, digits and dashes, e.g. `insufficient-quota.yaml`"))
    }
}

/// Editor and system files that must never be read as content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn files_are_classified_by_where_they_sit() {
        let kind = |p: &str| {
            classify(Path::new(p)).map(|k| {
                k.map(|k| match k {
                    FileKind::Site => "site".to_string(),
                    FileKind::Provider(id) => format!("provider {id}"),
                    FileKind::Entry(e) => format!("entry {}/{}", e.folder, e.slug),
                })
            })
        };
        assert_eq!(kind("content/site.yaml").unwrap().as_deref(), Some("site"));
        assert_eq!(
            kind("content/providers/openai.yaml").unwrap().as_deref(),
            Some("provider openai")
        );
        assert_eq!(
            kind("content/errors/openai/insufficient-quota.yaml")
                .unwrap()
                .as_deref(),
            Some("entry openai/insufficient-quota")
        );
        assert_eq!(
            kind("content/errors/openai/.insufficient-quota.yaml.swp").unwrap(),
            None
        );
        assert_eq!(kind("content/errors/openai/4913").unwrap(), None);
        assert_eq!(kind("content/README.md").unwrap(), None);
        let refused = |p: &str| kind(p).map(|_| ()).unwrap_err();
        let unusable = refused("content/errors/openai/Insufficient_Quota.yaml");
        assert_eq!(
            (unusable.severity, unusable.message.as_str()),
            (
                Severity::Error,
                "`Insufficient_Quota` cannot be used in a URL"
            )
        );
        let stray = refused("content/stray.yaml");
        assert_eq!(
            (stray.severity, stray.message.as_str()),
            (Severity::Warning, "this file is not read")
        );
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        for ok in ["a", "insufficient-quota", "gpt-4o", "429"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "A", "a_b", "é", "a b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
