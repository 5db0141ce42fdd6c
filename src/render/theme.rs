//! The theme: templates, static assets and UI strings.
//!
//! The default theme is embedded in the binary, so a knowledge base needs only
//! `content/`. A file in the knowledge base's own `templates/`, `static/` or `i18n/`
//! replaces the embedded file of the same name; templates are compiled once here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, relative_to};
use crate::load::{is_ignored, parse_yaml};
use crate::model::{Date, Languages};

pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";
pub const I18N_DIR: &str = "i18n";

const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("entry.html", include_str!("../../templates/entry.html")),
    ("entry.md", include_str!("../../templates/entry.md")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "provider.html",
        include_str!("../../templates/provider.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "language-chooser.html",
        include_str!("../../templates/language-chooser.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("lookup.html", include_str!("../../templates/lookup.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
];

const EMBEDDED_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("errbook.js", include_bytes!("../../static/errbook.js")),
    ("search.css", include_bytes!("../../static/search.css")),
    ("search.js", include_bytes!("../../static/search.js")),
];

const EMBEDDED_STRINGS: &[(&str, &str)] = &[
    ("fr", include_str!("../../i18n/fr.yaml")),
    ("en", include_str!("../../i18n/en.yaml")),
];

/// The language whose embedded strings stand in for a language the theme lacks.
const FALLBACK_STRINGS: &str = "en";

/// UI strings of one language, by key.
pub type Strings = BTreeMap<String, String>;

/// A compiled theme, ready to render any page.
pub struct Theme {
    pub tera: tera::Tera,
    /// Static files, by path under `static/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// UI strings, one map per site language, in the site's order.
    pub strings: Vec<Strings>,
}

impl Theme {
    /// Loads the embedded theme with the overrides found in `root`.
    pub fn load(root: &Path, languages: &Languages) -> Result<(Theme, Diagnostics), Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut sources: BTreeMap<String, (PathBuf, String)> = EMBEDDED_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (Path::new("<embedded theme>").join(name), text.to_string()),
                )
            })
            .collect();
        for (name, path) in theme_files(root, TEMPLATES_DIR) {
            match std::fs::read_to_string(root.join(&path)) {
                Ok(text) => {
                    sources.insert(name, (path, text));
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    path,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
        let tera = compile_templates(&sources, &mut diagnostics);
        let mut assets: BTreeMap<String, Vec<u8>> = EMBEDDED_STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        for (name, path) in theme_files(root, STATIC_DIR) {
            match std::fs::read(root.join(&path)) {
                Ok(bytes) => {
                    assets.insert(name, bytes);
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    path,
                    format!("cannot read the file: {e}"),
                )),
            }
        }
        let strings = languages
            .codes()
            .iter()
            .map(|code| load_strings(root, code, &mut diagnostics))
            .collect();
        match tera {
            Some(tera) if !diagnostics.has_errors() => Ok((
                Theme {
                    tera,
                    assets,
                    strings,
                },
                diagnostics,
            )),
            _ => Err(diagnostics),
        }
    }
}

/// Files under `root/dir`, keyed by their path inside it (`/`-separated).
fn theme_files(root: &Path, dir: &str) -> Vec<(String, PathBuf)> {
    let base = root.join(dir);
    WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_ignored(&e.file_name().to_string_lossy()))
        .map(|e| {
            let name = relative_to(e.path(), &base)
                .to_string_lossy()
                .replace('\\', "/");
            (name, relative_to(e.path(), root))
        })
        .collect()
}

fn compile_templates(
    sources: &BTreeMap<String, (PathBuf, String)>,
    diagnostics: &mut Diagnostics,
) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let all = sources
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Some(tera),
        Err(error) => {
            // Tera names the template at fault in its message; point at that file.
            let text = error_text(&error);
            let path = sources
                .iter()
                .find(|(name, _)| {
                    text.contains(&format!("'{name}'")) || text.contains(name.as_str())
                })
                .map_or_else(
                    || PathBuf::from(TEMPLATES_DIR),
                    |(_, (path, _))| path.clone(),
                );
            diagnostics.push(Diagnostic::error(path, format!("template error: {text}")));
            None
        }
    }
}

/// A template error, with its source chain, as a diagnostic on the template file.
pub(crate) fn template_diagnostic(path: &Path, error: &tera::Error) -> Diagnostic {
    Diagnostic::error(path, format!("template error: {}", error_text(error)))
}

pub(crate) fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// The UI strings of `code`: embedded, then the knowledge base's overrides on top.
fn load_strings(root: &Path, code: &str, diagnostics: &mut Diagnostics) -> Strings {
    let embedded = |c: &str| {
        EMBEDDED_STRINGS
            .iter()
            .find(|(lang, _)| *lang == c)
            .map(|(_, text)| *text)
    };
    let mut strings: Strings = embedded(code)
        .or_else(|| embedded(FALLBACK_STRINGS))
        .and_then(|text| parse_yaml(text, Path::new("<embedded theme>")).ok())
        .unwrap_or_default();
    let path = Path::new(I18N_DIR).join(format!("{code}.yaml"));
    match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => match parse_yaml::<Strings>(&text, &path) {
            Ok(overrides) => {
                for key in overrides.keys().filter(|k| !strings.contains_key(*k)) {
                    diagnostics.push(Diagnostic::warning(&path, format!("unknown UI string `{key}`")).with_hint(
                        "the default theme does not use it; check the spelling against i18n/en.yaml of errbook",
                    ));
                }
                strings.extend(overrides);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        },
        Err(_) if embedded(code).is_none() => diagnostics.push(
            Diagnostic::warning(
                &path,
                format!("no UI strings for `{code}`: the English ones are used"),
            )
            .with_hint(format!(
                "translate i18n/en.yaml of errbook into {}",
                path.display()
            )),
        ),
        Err(_) => {}
    }
    strings
}

/// `date` written the way `strings` say (`17 Janvier 2026`, `January 17, 2026`).
pub fn format_date(date: Date, strings: &Strings) -> String {
    let get = |key: &str| strings.get(key).map_or("", String::as_str);
    let month = get(&format!("month_{}", date.month));
    get("date_format")
        .replace("{day}", &date.day.to_string())
        .replace("{month}", month)
        .replace("{year}", &date.year.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_each_language() {
        let date = Date::parse("2026-01-17").unwrap();
        let strings = |code: &str| -> Strings {
            let text = EMBEDDED_STRINGS.iter().find(|(c, _)| *c == code).unwrap().1;
            parse_yaml(text, Path::new("x")).unwrap()
        };
        assert_eq!(format_date(date, &strings("fr")), "17 Janvier 2026");
        assert_eq!(format_date(date, &strings("en")), "January 17, 2026");
    }

    #[test]
    fn every_language_of_the_embedded_theme_has_the_same_keys() {
        let keys = |text: &str| -> Vec<String> {
            parse_yaml::<Strings>(text, Path::new("x"))
                .unwrap()
                .into_keys()
                .collect()
        };
        let english = keys(EMBEDDED_STRINGS.iter().find(|(c, _)| *c == "en").unwrap().1);
        for (code, text) in EMBEDDED_STRINGS {
            assert_eq!(keys(text), english, "{code}");
        }
    }
}
