//! Checks shared by every file: localized text, Markdown links, URLs and ids.
//!
//! A [`FileChecker`] converts located raw values of one file into model values and
//! records a diagnostic, pointing at the value, for everything wrong with them.

use std::collections::HashMap;

use crate::load::Place;
use pulldown_cmark::{Event, Parser, Tag};

use crate::cache::LinkMemo;
use crate::diagnostic::{Diagnostic, Position};
use crate::load::{RawText, SourceFile, Str, Text as RawTextField, closest, is_slug};
use crate::model::{Languages, Text, is_forbidden_control};

/// Converts the values of one file, collecting what is wrong with them.
pub(crate) struct FileChecker<'a> {
    pub file: &'a SourceFile,
    pub languages: &'a Languages,
    pub diagnostics: Vec<Diagnostic>,
    /// Links within the site found in Markdown, checked once every page is known.
    pub internal_links: Vec<(String, Spot)>,
    /// Where the link destinations of texts that earlier runs parsed are kept.
    links: Option<&'a LinkMemo>,
}

impl<'a> FileChecker<'a> {
    pub(crate) fn new(file: &'a SourceFile, languages: &'a Languages) -> Self {
        FileChecker {
            file,
            languages,
            diagnostics: Vec::new(),
            internal_links: Vec::new(),
            links: None,
        }
    }

    /// Takes the link destinations of Markdown texts from `links` when it has them.
    pub(crate) fn with_link_memo(self, links: Option<&'a LinkMemo>) -> Self {
        FileChecker { links, ..self }
    }

    pub(crate) fn position(&self, location: &Place, width: usize) -> Position {
        self.file.position(location, width)
    }

    /// Records an error at `location` and returns it, so that a hint can be added.
    pub(crate) fn error(
        &mut self,
        location: &Place,
        width: usize,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let diagnostic =
            Diagnostic::error(&self.file.path, message).at(self.position(location, width));
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub(crate) fn warning(
        &mut self,
        location: &Place,
        width: usize,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let diagnostic =
            Diagnostic::warning(&self.file.path, message).at(self.position(location, width));
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// A plain localized text. `field` names it in messages (`steps[add-card].title`).
    pub(crate) fn text(&mut self, raw: &RawTextField, field: &str) -> Text {
        self.check_filled_in(raw, field);
        self.check_characters(raw, field);
        let languages = self.languages;
        match &raw.value {
            RawText::All(value) => Text::uniform(value.clone(), languages.len()),
            RawText::PerLanguage(values) => {
                let mut slots: Vec<Option<String>> = vec![None; languages.len()];
                for (code, value) in values {
                    match languages.index_of(code) {
                        Some(i) => slots[i] = Some(value.value.clone()),
                        None => self.unknown_language(code, &value.location, field),
                    }
                }
                for (i, code) in languages.iter().skip(1) {
                    if slots[i].is_none() && slots[0].is_some() {
                        self.warning(
                            &raw.location,
                            1,
                            format!("`{field}` is not translated into `{code}`"),
                        )
                        .hint = Some(format!(
                            "the `{code}` pages show the `{}` text with a \"not translated yet\" notice until `{code}:` is added",
                            languages.default_code()
                        ));
                    }
                }
                Text::from_translations(slots).unwrap_or_else(|| {
                    let default = languages.default_code();
                    self.error(
                        &raw.location,
                        1,
                        format!("`{field}` has no `{default}` text (the default language)"),
                    )
                    .hint = Some(format!(
                        "add `{default}:` to this map; other languages fall back to it"
                    ));
                    Text::uniform(String::new(), languages.len())
                })
            }
        }
    }

    /// Skeletons from `errbook new` and `init` hold `TODO` placeholders until an author
    /// fills them in: a warning, so that the skeleton builds, and `--strict` fails on it.
    fn check_filled_in(&mut self, raw: &RawTextField, field: &str) {
        match &raw.value {
            RawText::All(text) if is_placeholder(text) => self.not_filled_in(&raw.location, field),
            RawText::All(_) => {}
            RawText::PerLanguage(values) => {
                for (_, value) in values.iter().filter(|(_, v)| is_placeholder(&v.value)) {
                    self.not_filled_in(&value.location, field);
                }
            }
        }
    }

    /// A plain string (a name, a verbatim message), warned about while it is a placeholder.
    pub(crate) fn plain(&mut self, raw: &Str, field: &str) -> String {
        if is_placeholder(&raw.value) {
            self.not_filled_in(&raw.location, field);
        }
        raw.value.clone()
    }

    pub(crate) fn optional_plain(&mut self, raw: &Option<Str>, field: &str) -> Option<String> {
        raw.as_ref().map(|s| self.plain(s, field))
    }

    fn not_filled_in(&mut self, at: &Place, field: &str) {
        self.warning(at, 4, format!("`{field}` is not filled in yet"))
            .hint =
            Some("replace the TODO placeholder (`errbook check --strict` fails on it)".into());
    }

    /// Control characters (but newline and tab) are errors: `"\e]0;…\a"` in a title is
    /// valid YAML, invisible on the page, and a command to the terminal of whoever runs
    /// `errbook explain`.
    fn check_characters(&mut self, raw: &RawTextField, field: &str) {
        let values: Vec<(&str, Place)> = match &raw.value {
            RawText::All(text) => vec![(text.as_str(), raw.location)],
            RawText::PerLanguage(values) => values
                .iter()
                .map(|(_, v)| (v.value.as_str(), v.location))
                .collect(),
        };
        for (text, at) in values {
            if let Some(control) = text.chars().find(|c| is_forbidden_control(*c)) {
                self.error(
                    &at,
                    1,
                    format!(
                        "`{field}` holds the control character U+{:04X}",
                        u32::from(control)
                    ),
                )
                .hint = Some(
                    "remove it (a `\\e`, `\\a` or `\\x..` escape in a double-quoted string \
                     makes one): it is invisible on a page and drives a terminal"
                        .into(),
                );
            }
        }
    }

    /// The hint for a language `code` that the site does not have: the closest of its
    /// languages, and all of them.
    pub(crate) fn languages_hint(&self, code: &str) -> String {
        let known: Vec<&str> = self.languages.codes().iter().map(String::as_str).collect();
        match closest(code, &known) {
            Some(best) => format!(
                "did you mean `{best}`? The site's languages are: {}",
                known.join(", ")
            ),
            None => format!("the site's languages (site.yaml) are: {}", known.join(", ")),
        }
    }

    fn unknown_language(&mut self, code: &str, at: &Place, field: &str) {
        let hint = self.languages_hint(code);
        // The value's location is on the key's line; point at the key itself.
        let key = format!("{code}:");
        let position = Position::of_word(at.line(), 1, &key, code.chars().count());
        self.diagnostics.push(
            Diagnostic::error(
                &self.file.path,
                format!("unknown language `{code}` in `{field}`"),
            )
            .at(position)
            .with_hint(hint),
        );
    }

    /// A localized Markdown text: also checks every link's scheme.
    pub(crate) fn markdown(&mut self, raw: &RawTextField, field: &str) -> Text {
        match &raw.value {
            RawText::All(value) => self.check_markdown_links(value, &raw.location, field),
            RawText::PerLanguage(values) => {
                for (_, value) in values {
                    self.check_markdown_links(&value.value, &value.location, field);
                }
            }
        }
        self.text(raw, field)
    }

    fn check_markdown_links(&mut self, markdown: &str, at: &Place, field: &str) {
        // Every kind of link or image (inline, reference, autolink) needs `[` or `<`.
        if memchr::memchr2(b'[', b'<', markdown.as_bytes()).is_none() {
            return;
        }
        match self.links {
            Some(memo) => memo.destinations(markdown, link_destinations, |urls| {
                self.check_links(markdown, urls, at, field);
            }),
            None => self.check_links(markdown, &link_destinations(markdown), at, field),
        }
    }

    /// Checks the scheme of each of `urls`, the destinations of `markdown`, and keeps
    /// those within the site.
    fn check_links(&mut self, markdown: &str, urls: &[String], at: &Place, field: &str) {
        for url in urls {
            let internal = !url.contains(':');
            if is_safe_link(url) && !internal {
                continue;
            }
            let spot = Spot::in_value(markdown, at, url);
            if is_safe_link(url) {
                self.internal_links.push((url.to_string(), spot));
                continue;
            }
            self.diagnostics.push(
                Diagnostic::error(&self.file.path, format!("unsafe link `{url}` in `{field}`"))
                    .at(spot.position(url))
                    .with_hint("links may be http(s), mailto, or relative to the site"),
            );
        }
    }

    /// An absolute http(s) URL, as used for documentation, status and sign-up pages.
    pub(crate) fn url(&mut self, raw: &Str, field: &str) -> String {
        let url = raw.value.trim();
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > "https://".len()
            && !url.contains(char::is_whitespace);
        if !ok {
            self.error(
                &raw.location,
                url.chars().count(),
                format!("`{field}` must be an absolute http(s) URL"),
            )
            .hint = Some("write it in full, e.g. `https://platform.openai.com/docs`".into());
        } else if is_placeholder_url(url) {
            self.warning(
                &raw.location,
                url.chars().count(),
                format!("`{field}` is a placeholder link"),
            )
            .hint = Some(
                "example.org, example.com and example.net are reserved for examples: write the real address (`errbook check --strict` fails on placeholders)"
                    .into(),
            );
        }
        url.to_string()
    }

    pub(crate) fn optional_url(&mut self, raw: &Option<Str>, field: &str) -> Option<String> {
        raw.as_ref().map(|u| self.url(u, field))
    }

    pub(crate) fn email(&mut self, raw: &Str, field: &str) -> String {
        let email = raw.value.trim();
        let ok = email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !email.contains(char::is_whitespace)
        });
        if !ok {
            self.error(
                &raw.location,
                email.chars().count().max(1),
                format!("`{field}` is not an email address"),
            );
        }
        email.to_string()
    }

    /// An id that becomes an anchor; must be a slug and unique among `seen`.
    pub(crate) fn id(
        &mut self,
        raw: &Str,
        kind: &str,
        seen: &mut HashMap<String, Place>,
    ) -> String {
        let id = raw.value.clone();
        let width = id.chars().count().max(1);
        if !is_slug(&id) {
            self.error(
                &raw.location,
                width,
                format!("{kind} id `{id}` cannot be used as an anchor"),
            )
            .hint = Some("use lowercase letters, digits and dashes, e.g. `add-card`".into());
        } else if let Some(first) = seen.get(&id) {
            let first = first.line();
            self.error(&raw.location, width, format!("duplicate {kind} id `{id}`"))
                .hint = Some(format!(
                "line {first} already uses it; ids become anchors and must be unique"
            ));
        } else {
            seen.insert(id.clone(), raw.location);
        }
        id
    }
}

/// A value that `errbook new` or `init` wrote for the author to replace.
fn is_placeholder(text: &str) -> bool {
    text.trim_start().starts_with("TODO")
}

/// A link to one of the domains reserved for examples (RFC 2606), as skeletons write.
fn is_placeholder_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .to_ascii_lowercase();
    ["example.org", "example.com", "example.net"].contains(&host.as_str())
}

/// The destinations of the links and images of `markdown`, in order.
fn link_destinations(markdown: &str) -> Vec<String> {
    let destination = |event| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            Some(dest_url.into_string())
        }
        _ => None,
    };
    Parser::new(markdown).filter_map(destination).collect()
}

/// Only http(s), mailto, and links within the site (relative or `#anchor`) are allowed.
/// The URL is read as a browser reads it: tabs and newlines dropped, `\` taken for `/`,
/// so that `/\\host` is the protocol-relative `//host` it becomes.
pub(crate) fn is_safe_link(url: &str) -> bool {
    let url: String = url
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if url.starts_with("//") {
        return false;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => true,
        (Some(colon), _) => {
            let scheme = url[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_link_schemes_pass() {
        let cases = [
            ("https://platform.openai.com/account/billing", true),
            ("http://example.org", true),
            ("mailto:support@openai.com", true),
            ("#step-add-card", true),
            ("../rate-limit/", true),
            ("/fr/openai/", true),
            ("?q=429", true),
            ("javascript:alert(1)", false),
            ("JavaScript:alert(1)", false),
            (" javascript:alert(1)", false),
            ("data:text/html,<script>", false),
            ("vbscript:msgbox", false),
            ("file:///etc/passwd", false),
            ("//evil.example/x", false),
            ("//evil.example/a:b", false),
            ("/\\evil.example/a:b", false),
            ("\\\\evil.example", false),
            ("java\tscript:alert(1)", false),
            ("./a:b", true),
        ];
        for (url, safe) in cases {
            assert_eq!(is_safe_link(url), safe, "{url}");
        }
    }

    #[test]
    fn links_to_the_domains_reserved_for_examples_are_placeholders() {
        let cases = [
            ("https://example.org/", true),
            ("https://example.org/docs/errors", true),
            ("http://www.example.com", true),
            ("https://EXAMPLE.NET:8080/x", true),
            ("https://example.org?q=1", true),
            ("https://help.webox.example/", false),
            ("https://platform.openai.com/docs", false),
            ("https://example.organic.com/", false),
            ("https://notexample.org/", false),
        ];
        for (url, placeholder) in cases {
            assert_eq!(is_placeholder_url(url), placeholder, "{url}");
        }
    }
}

/// Where a word (a link) was written inside a value: its line, found without the file's
/// text; its column is found on that line when the text is attached.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spot {
    line: usize,
    /// The value's column, where the word is looked for on its line.
    column: usize,
    /// Whether the word was found in the value (else the value itself is pointed at).
    found: bool,
}

impl Spot {
    /// The spot of `needle` inside a (possibly multi-line) value starting at `at`.
    fn in_value(value: &str, at: &Place, needle: &str) -> Spot {
        match value.find(needle) {
            Some(byte) => Spot {
                line: at.line() + value[..byte].matches('\n').count(),
                column: at.column(),
                found: true,
            },
            None => Spot {
                line: at.line(),
                column: at.column(),
                found: false,
            },
        }
    }

    /// The position of `needle`, found again on its line once the file's text is
    /// attached.
    pub(crate) fn position(&self, needle: &str) -> Position {
        if self.found {
            Position::of_word(self.line, self.column, needle, needle.chars().count())
        } else {
            Position::in_line(self.line, self.column, 1)
        }
    }
}
