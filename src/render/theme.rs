//! The theme: templates, static assets and UI strings.
//!
//! The default theme is embedded in the binary, so a knowledge base needs only
//! `content/`. A file in the knowledge base's own `templates/`, `static/` or `i18n/`
//! (read by `load/theme.rs`) replaces the embedded file of the same name; templates are
//! compiled once here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use crate::load::{
    I18N_DIR, STATIC_DIR, StringsFile, TEMPLATES_DIR, ThemeSources, closest, parse_yaml,
};
use crate::model::{Date, Languages};

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
    (
        "search-form.html",
        include_str!("../../templates/search-form.html"),
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
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    (
        "pick-language.js",
        include_bytes!("../../static/pick-language.js"),
    ),
    (
        "search/tokenize.js",
        include_bytes!("../../static/search/tokenize.js"),
    ),
    (
        "search/evidence.js",
        include_bytes!("../../static/search/evidence.js"),
    ),
    (
        "search/match.js",
        include_bytes!("../../static/search/match.js"),
    ),
    (
        "search/client.js",
        include_bytes!("../../static/search/client.js"),
    ),
    ("search/ui.js", include_bytes!("../../static/search/ui.js")),
];

/// The static files that pages name with their content hash.
pub(crate) const VERSIONED_ASSETS: &[&str] = &["pick-language.js"];

const EMBEDDED_STRINGS: &[(&str, &str)] = &[
    ("fr", include_str!("../../i18n/fr.yaml")),
    ("en", include_str!("../../i18n/en.yaml")),
];

/// The language whose embedded strings stand in for a language the theme lacks.
const FALLBACK_STRINGS: &str = "en";

/// Every file of the embedded theme, by its path in a knowledge base (`templates/base.html`).
pub(crate) fn embedded_theme_files() -> Vec<(String, Vec<u8>)> {
    let templates = EMBEDDED_TEMPLATES
        .iter()
        .map(|(n, t)| (format!("{TEMPLATES_DIR}/{n}"), t.as_bytes().to_vec()));
    let assets = EMBEDDED_STATIC
        .iter()
        .map(|(n, b)| (format!("{STATIC_DIR}/{n}"), b.to_vec()));
    let strings = EMBEDDED_STRINGS
        .iter()
        .map(|(l, t)| (format!("{I18N_DIR}/{l}.yaml"), t.as_bytes().to_vec()));
    templates.chain(assets).chain(strings).collect()
}

/// UI strings of one language, by key.
pub(crate) type Strings = BTreeMap<String, String>;

/// A compiled theme, ready to render any page.
pub(crate) struct Theme {
    pub tera: tera::Tera,
    /// Static files, by path under `static/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// UI strings, one map per site language, in the site's order.
    pub strings: Vec<Strings>,
    /// Every template's file and source, by name: what pages are rendered from.
    templates: Sources,
}

/// Templates by name, each with its file (relative to the root, or in the embedded
/// theme) and its source.
type Sources = BTreeMap<String, (PathBuf, String)>;

impl Theme {
    /// Compiles the embedded theme with the knowledge base's files `own` on top; the
    /// problems found are added to `diagnostics` (`None` when templates do not compile).
    pub(crate) fn compile(
        own: ThemeSources,
        languages: &Languages,
        diagnostics: &mut Diagnostics,
    ) -> Option<Theme> {
        let mut sources: Sources = EMBEDDED_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (Path::new("<embedded theme>").join(name), text.to_string()),
                )
            })
            .collect();
        for (name, path, text) in own.templates {
            sources.insert(name, (path, text));
        }
        let tera = compile_templates(&sources, diagnostics);
        let mut assets: BTreeMap<String, Vec<u8>> = EMBEDDED_STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        assets.extend(own.assets);
        let codes = languages.codes();
        let strings = codes
            .iter()
            .zip(&own.strings)
            .map(|(code, file)| merge_strings(code, file, diagnostics))
            .collect();
        Some(Theme {
            tera: tera?,
            assets,
            strings,
            templates: sources,
        })
    }

    /// True when both themes render every page alike: same templates, same UI strings,
    /// same versioned assets (pages name them with their hash). Other static assets do
    /// not count: no page embeds them.
    pub(crate) fn renders_like(&self, other: &Theme) -> bool {
        self.templates == other.templates
            && self.strings == other.strings
            && VERSIONED_ASSETS
                .iter()
                .all(|name| self.assets.get(*name) == other.assets.get(*name))
    }

    /// The URL of a versioned asset from the site root (`static/pick-language.js?v=…`):
    /// its name changes with its content, so that a browser never runs a stale copy.
    pub(crate) fn versioned_asset(&self, name: &str) -> String {
        let hash = super::shards::content_hash(self.assets.get(name).map_or(&[][..], |b| b));
        format!("static/{name}?v={hash}")
    }

    /// A hash of everything the theme renders from: templates, static files, UI strings.
    pub(crate) fn fingerprint(&self) -> u128 {
        self.hash(true)
    }

    /// A hash of what the theme renders pages from, as [`Theme::renders_like`] compares
    /// it: templates, UI strings and versioned assets.
    pub(crate) fn pages_fingerprint(&self) -> u128 {
        self.hash(false)
    }

    /// A hash of the templates, the UI strings and the versioned assets, and of every
    /// other static file `with_assets`.
    fn hash(&self, with_assets: bool) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut add = |part: &[u8]| {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        };
        for (name, (_, source)) in &self.templates {
            add(name.as_bytes());
            add(source.as_bytes());
        }
        let hashed = |name: &str| with_assets || VERSIONED_ASSETS.contains(&name);
        for (name, bytes) in self.assets.iter().filter(|(name, _)| hashed(name)) {
            add(name.as_bytes());
            add(bytes);
        }
        for strings in &self.strings {
            // Each language's count, so that a string cannot pass for another language's.
            add(&strings.len().to_le_bytes());
            for (key, text) in strings {
                add(key.as_bytes());
                add(text.as_bytes());
            }
        }
        hasher.digest128()
    }

    /// An error while rendering `template`, as a diagnostic on the template at fault.
    pub(crate) fn template_error(&self, template: &str, error: &tera::Error) -> Diagnostic {
        template_diagnostic(&error_text(error), &self.templates, Some(template))
    }
}

fn compile_templates(sources: &Sources, diagnostics: &mut Diagnostics) -> Option<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("md_text", super::export::markdown_text);
    tera.register_filter("md_code", super::export::markdown_code);
    tera.register_filter("md_url", super::export::markdown_url);
    let all = sources
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Some(tera),
        Err(error) => {
            diagnostics.push(template_diagnostic(&error_text(&error), sources, None));
            None
        }
    }
}

/// Escapes `text` exactly as [`tera::escape_html`] does (`&`, `<`, `>`, `"` and `'`), but
/// writes the runs between those characters whole rather than a byte at a time, which
/// made escaping a tenth of the time spent in templates.
fn escape_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let escaped: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// A Tera error (its text), as a diagnostic on the template at fault. Tera 2 points at
/// the problem with `--> name:line:column` and a snippet; the diagnostic carries the
/// same position, so that it shows like any other (in the terminal and in `serve`'s
/// overlay). Without a position, `rendering` (the template being rendered) is blamed.
fn template_diagnostic(text: &str, sources: &Sources, rendering: Option<&str>) -> Diagnostic {
    let located = sources.iter().find_map(|(name, (path, source))| {
        let at = text.split(&format!("--> {name}:")).nth(1)?;
        let mut numbers = at.split(|c: char| !c.is_ascii_digit());
        let line = numbers.next()?.parse().ok()?;
        let column = numbers.next()?.parse().ok()?;
        let width = text
            .lines()
            .map(|l| l.matches('^').count())
            .max()
            .unwrap_or(1);
        Some((path, Position::in_source(source, line, column, width)))
    });
    // Without a position, the template named anywhere in the message is the best guess.
    let named = || {
        let name = rendering.or_else(|| {
            sources
                .keys()
                .map(String::as_str)
                .find(|name| text.contains(name))
        })?;
        sources.get(name).map(|(path, _)| path.clone())
    };
    match located {
        Some((path, position)) => {
            let first_line = text.lines().next().unwrap_or_default();
            let message = first_line.trim().trim_start_matches("error: ");
            Diagnostic::error(path, format!("template error: {message}")).at(position)
        }
        None => Diagnostic::error(
            named().unwrap_or_else(|| PathBuf::from(TEMPLATES_DIR)),
            format!("template error: {text}"),
        ),
    }
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

/// errbook's own UI strings file for `code` (its text, comments included), or the
/// English one when errbook has none for `code`, with the language it is in.
pub(crate) fn embedded_strings_file(code: &str) -> (&'static str, &'static str) {
    embedded(code)
        .or_else(|| embedded(FALLBACK_STRINGS))
        .expect("errbook ships its fallback strings")
}

/// errbook's own UI strings file for `code`, if it ships one.
fn embedded(code: &str) -> Option<(&'static str, &'static str)> {
    EMBEDDED_STRINGS
        .iter()
        .find(|(lang, _)| *lang == code)
        .copied()
}

/// The UI strings of `code`: embedded, then those of the knowledge base's `file` on top.
pub(crate) fn merge_strings(
    code: &str,
    file: &StringsFile,
    diagnostics: &mut Diagnostics,
) -> Strings {
    let embedded_text = embedded_strings_file(code).1;
    let mut strings: Strings =
        parse_yaml(embedded_text, Path::new("<embedded theme>")).unwrap_or_default();
    let path = &file.path;
    match &file.text {
        Some(text) => match parse_yaml::<Strings>(text, path) {
            Ok(overrides) => {
                for key in overrides.keys().filter(|k| !strings.contains_key(*k)) {
                    diagnostics.push(unknown_string(path, text, key, &strings));
                }
                strings.extend(overrides);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        },
        None if embedded(code).is_none() => diagnostics.push(
            Diagnostic::warning(
                path,
                format!("no UI strings for `{code}`: the English ones are used"),
            )
            .with_hint(format!(
                "translate i18n/en.yaml of errbook into {}",
                path.display()
            )),
        ),
        None => {}
    }
    strings
}

/// A `key` of a UI strings file that the theme does not know, at its line, with the
/// closest known key as hint: a misspelt key would otherwise only show as the
/// untranslated default.
fn unknown_string(path: &Path, text: &str, key: &str, known: &Strings) -> Diagnostic {
    let line = text
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .map_or(1, |index| index + 1);
    let keys: Vec<&str> = known.keys().map(String::as_str).collect();
    let hint = match closest(key, &keys) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "the theme does not use it; the keys are those of errbook's i18n/en.yaml".into(),
    };
    Diagnostic::warning(path, format!("unknown UI string `{key}`"))
        .at(Position::in_source(text, line, 1, key.chars().count()))
        .with_hint(hint)
}

/// `date` written the way `strings` say (`17 Janvier 2026`, `January 17, 2026`).
pub(crate) fn format_date(date: Date, strings: &Strings) -> String {
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
    fn templates_escape_as_tera_does() {
        let texts = [
            "",
            "plain",
            "<a href='x'>\"Tom & Jérôme\"</a>",
            "&&<<>>''\"\"",
            "fin <",
            "> début",
        ];
        for text in texts {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap()
            );
        }
    }

    #[test]
    fn dates_are_written_in_each_language() {
        let date = Date::parse("2026-01-17").unwrap();
        let strings = |code: &str| -> Strings {
            let text = embedded(code).unwrap().1;
            parse_yaml(text, Path::new("x")).unwrap()
        };
        assert_eq!(format_date(date, &strings("fr")), "17 Janvier 2026");
        assert_eq!(format_date(date, &strings("en")), "January 17, 2026");
    }

    #[test]
    fn a_template_that_does_not_compile_is_reported_at_its_line_and_column() {
        let sources: Sources = [
            (
                "base.html",
                "<html>{% block main %}{% endblock main %}</html>",
            ),
            (
                "entry.html",
                "{% extends \"base.html\" %}\n{% block main %}{% if %}",
            ),
        ]
        .into_iter()
        .map(|(name, text)| {
            let path = Path::new(TEMPLATES_DIR).join(name);
            (name.to_string(), (path, text.to_string()))
        })
        .collect();
        let mut diagnostics = Diagnostics::default();
        assert!(compile_templates(&sources, &mut diagnostics).is_none());
        let problem = diagnostics.iter().next().unwrap();
        assert_eq!(problem.location(), "templates/entry.html:2:23", "{problem}");
        assert!(problem.message.starts_with("template error: "), "{problem}");
        assert!(!problem.message.contains('\n'), "{problem}");
    }

    #[test]
    fn a_template_error_blames_the_template_tera_points_at() {
        let sources: Sources = ["base.html", "entry.html", "404.html"]
            .into_iter()
            .map(|name| {
                let path = Path::new(TEMPLATES_DIR).join(name);
                (
                    name.to_string(),
                    (path, "one\n<p>{{ nope }}</p>\n".to_string()),
                )
            })
            .collect();
        let cases = [
            (
                "error: Variable `nope` is not defined\n --> base.html:2:7\n  |\n2 | <p>{{ nope }}</p>\n  |       ^^^^",
                Some("entry.html"),
                "templates/base.html:2:7",
                "template error: Variable `nope` is not defined",
            ),
            (
                "Something failed",
                Some("404.html"),
                "templates/404.html",
                "template error: Something failed",
            ),
            (
                "Template 'entry.html' is broken",
                None,
                "templates/entry.html",
                "template error: Template 'entry.html' is broken",
            ),
        ];
        for (text, rendering, location, message) in cases {
            let problem = template_diagnostic(text, &sources, rendering);
            assert_eq!(problem.location(), location, "{text}");
            assert_eq!(problem.message, message, "{text}");
        }
    }

    #[test]
    fn every_language_of_the_embedded_theme_has_the_same_keys() {
        let keys = |text: &str| -> Vec<String> {
            parse_yaml::<Strings>(text, Path::new("x"))
                .unwrap()
                .into_keys()
                .collect()
        };
        let english = keys(embedded("en").unwrap().1);
        for (code, text) in EMBEDDED_STRINGS {
            assert_eq!(keys(text), english, "{code}");
        }
    }
}
