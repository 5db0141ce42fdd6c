//! Validates `site.yaml` and the provider files.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::context::FileChecker;
use super::entry::support;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, RawProvider, RawSite};
use crate::model::{AlternativeProfile, Languages, Provider, Site};

/// The base URL given on the command line (`build --base-url`), which replaces
/// `base_url` of site.yaml, ending with `/`.
pub(crate) fn validate_base_url(url: &str) -> Result<String, Diagnostics> {
    let trimmed = url.trim();
    let ok = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
        && !trimmed.contains(char::is_whitespace);
    if !ok {
        let diagnostic = Diagnostic::error(
            "--base-url",
            format!("`{url}` is not an absolute http(s) URL"),
        )
        .with_hint("e.g. --base-url https://example.org/help/");
        return Err([diagnostic].into_iter().collect());
    }
    Ok(if trimmed.ends_with('/') {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    })
}

/// The site, or `None` when its languages are unusable (nothing else can be checked then).
pub(crate) fn convert_site(
    loaded: &Loaded<RawSite>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let raw = &loaded.value;
    let file = &loaded.file;
    let mut codes = Vec::new();
    let mut seen = HashSet::new();
    for code in &raw.languages.value {
        let position = file.position(&code.location, code.value.chars().count());
        if !is_language_code(&code.value) {
            diagnostics.push(
                Diagnostic::error(
                    &file.path,
                    format!("`{}` is not a language code", code.value),
                )
                .at(position)
                .with_hint("use BCP 47 codes such as `fr`, `en` or `pt-BR`"),
            );
        } else if !seen.insert(code.value.clone()) {
            diagnostics.push(
                Diagnostic::error(
                    &file.path,
                    format!("language `{}` is listed twice", code.value),
                )
                .at(position),
            );
        } else {
            codes.push(code.value.clone());
        }
    }
    if codes.is_empty() {
        diagnostics.push(
            Diagnostic::error(&file.path, "the site has no language")
                .at(file.position(&raw.languages.location, 1))
                .with_hint("list at least one, the default first: `languages: [fr, en]`"),
        );
        return None;
    }
    let languages = Languages::new(codes);
    let mut c = FileChecker::new(file, &languages);
    let base_url = c.url(&raw.base_url, "base_url");
    let output = raw
        .output
        .as_ref()
        .map_or_else(|| PathBuf::from("public"), |o| output_dir(&mut c, o));
    let site = Site {
        title: c.text(&raw.title, "title"),
        description: raw.description.as_ref().map(|d| c.text(d, "description")),
        base_url: with_trailing_slash(base_url),
        output,
        languages: languages.clone(),
    };
    diagnostics.append(&mut c.diagnostics);
    Some(site)
}

fn output_dir(c: &mut FileChecker<'_>, raw: &crate::load::Str) -> PathBuf {
    let path = Path::new(raw.value.trim());
    let inside = path
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    let reserved = matches!(
        raw.value.trim(),
        "content" | "templates" | "static" | "i18n"
    );
    if !inside || reserved || raw.value.trim().is_empty() {
        c.error(
            &raw.location,
            raw.value.chars().count(),
            format!("`{}` cannot be the output folder", raw.value),
        )
        .hint = Some(
            "name a folder inside the knowledge base that holds nothing else, e.g. `public`".into(),
        );
    }
    path.to_path_buf()
}

fn with_trailing_slash(mut url: String) -> String {
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// Whether `code` is a language code: `fr`, `pt-BR`.
pub(crate) fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Folders of each language that belong to the site, not to a provider.
const RESERVED_PROVIDER_IDS: &[&str] = &["search", "lookup"];

pub(crate) fn convert_provider(
    id: &str,
    loaded: &Loaded<RawProvider>,
    languages: &Languages,
    diagnostics: &mut Vec<Diagnostic>,
) -> Provider {
    let raw = &loaded.value;
    if RESERVED_PROVIDER_IDS.contains(&id) {
        diagnostics.push(
            Diagnostic::error(&loaded.file.path, format!("`{id}` cannot be a provider id"))
                .with_hint(format!(
                    "/<lang>/{id}/ is the site's {id} page; rename the file, e.g. `{id}-ai.yaml`"
                )),
        );
    }
    let mut c = FileChecker::new(&loaded.file, languages);
    let provider = Provider {
        id: id.to_string(),
        name: c.plain(&raw.name, "name"),
        homepage: c.optional_url(&raw.homepage, "homepage"),
        support: support(&mut c, &raw.support),
        alternative: raw.alternative.as_ref().map(|a| AlternativeProfile {
            tagline: c.text(&a.tagline, "alternative.tagline"),
            models: c.text(&a.models, "alternative.models"),
            quota: c.text(&a.quota, "alternative.quota"),
            signup: c.url(&a.signup, "alternative.signup"),
            env_var: a.env_var.as_ref().map(|v| v.value.clone()),
        }),
        hints: raw.hints.iter().map(|h| h.value.clone()).collect(),
    };
    diagnostics.append(&mut c.diagnostics);
    provider
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_follow_bcp47_shapes() {
        for ok in ["fr", "en", "pt-BR", "zh-Hant", "ast"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "f", "FR", "french", "fr_FR", "fr-"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn a_base_url_from_the_command_line_is_absolute_and_ends_with_a_slash() {
        let cases = [
            (
                "https://example.org/help",
                Some("https://example.org/help/"),
            ),
            (" http://example.org/ ", Some("http://example.org/")),
            ("example.org/help/", None),
            ("ftp://example.org/", None),
            ("https://example.org/a b/", None),
        ];
        for (given, expected) in cases {
            let got = validate_base_url(given);
            assert_eq!(got.as_deref().ok(), expected, "{given:?}");
            if let Err(problems) = got {
                let problem = problems.iter().next().expect("one problem");
                assert_eq!(problem.file, Path::new("--base-url"));
                assert!(problem.message.contains(given), "{}", problem.message);
            }
        }
    }
}
