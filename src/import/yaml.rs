//! An imported entry, and the providers it introduces, written as YAML an author would
//! write: block style, fields in the order of errbook's own entries, Markdown bodies as
//! literal blocks (`|`), and quotes only where YAML needs them.
//!
//! The last step of `import`. What it writes is read back by `load` like any entry;
//! the tests hold that reading it gives back the texts exactly.

use std::fmt::Write;

use super::merge::{Draft, DraftItem, NewProvider, Texts};
use crate::model::{ChoiceKind, Languages, Support};
use crate::scaffold::yaml_string;

/// The entry's file.
pub(crate) fn write_entry(draft: &Draft, languages: &Languages) -> String {
    let mut y = Yaml::new(languages);
    y.line(
        0,
        "# yaml-language-server: $schema=../../../schemas/entry.schema.json",
    );
    y.line(0, "# Imported from a Markdown document: review it, replace the TODOs, then run `errbook check`.");
    y.scalar(0, "code", &draft.code);
    y.scalar(0, "provider", &draft.provider);
    if let Some(status) = draft.http_status {
        y.line(0, &format!("http_status: {status}"));
    }
    y.line(0, &format!("updated: {}", draft.updated));
    if let Some(received) = &draft.received {
        y.scalar(0, "received", received);
    }
    y.line(0, "match:");
    y.line(2, "codes:");
    y.item_scalar(4, &draft.code);
    if let Some(status) = draft.http_status {
        y.line(2, &format!("http_status: [{status}]"));
    }
    y.blank();
    y.texts(0, "title", &draft.title, false);
    let todo: Texts = draft
        .title
        .iter()
        .map(|(lang, _)| {
            (
                lang.clone(),
                "TODO: one sentence: what happened, and what to do".to_string(),
            )
        })
        .collect();
    y.texts(0, "summary", &todo, false);
    y.optional_texts(0, "meaning", draft.meaning.as_ref(), true);
    y.items(&draft.context, "context", "title");
    y.items(&draft.causes, "causes", "title");
    y.items(&draft.steps, "steps", "title");
    write_alternatives(&mut y, draft);
    y.items(&draft.checklist, "checklist", "text");
    y.items(&draft.options, "options", "title");
    y.items(&draft.faq, "faq", "question");
    write_support(&mut y, 0, &draft.support);
    y.optional_texts(0, "recap", draft.recap.as_ref(), true);
    if !draft.sources.is_empty() {
        y.blank();
        y.line(0, "sources:");
        for source in &draft.sources {
            y.texts_at(2, "- title", &source.title, false);
            y.scalar(4, "url", source.links.first().map_or("", |(_, url)| url));
        }
    }
    y.out
}

fn write_alternatives(y: &mut Yaml<'_>, draft: &Draft) {
    if draft.alternatives.is_empty() && draft.alternatives_intro.is_none() {
        return;
    }
    y.blank();
    y.line(0, "alternatives:");
    y.optional_texts(2, "intro", draft.alternatives_intro.as_ref(), false);
    y.line(2, "providers:");
    for alternative in &draft.alternatives {
        y.scalar(4, "- provider", &alternative.provider);
        y.optional_texts(6, "note", alternative.note.as_ref(), true);
    }
}

fn write_support(y: &mut Yaml<'_>, indent: usize, support: &Support) {
    if !support.is_some() {
        return;
    }
    y.line(indent, "support:");
    let fields = [
        ("email", &support.email),
        ("url", &support.url),
        ("docs", &support.docs),
        ("status", &support.status),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            y.scalar(indent + 2, key, value);
        }
    }
}

/// A provider's file.
pub(crate) fn write_provider(provider: &NewProvider, languages: &Languages) -> String {
    let mut y = Yaml::new(languages);
    y.line(
        0,
        "# yaml-language-server: $schema=../../schemas/provider.schema.json",
    );
    y.line(0, "# Imported with an entry: check its name and links.");
    y.scalar(0, "name", &provider.name);
    write_support(&mut y, 0, &provider.support);
    if let Some(profile) = &provider.profile {
        y.line(0, "alternative:");
        let todo = |texts: &Texts, what: &str| -> Texts {
            if texts.is_empty() {
                vec![(
                    languages.default_code().to_string(),
                    format!("TODO: {what}"),
                )]
            } else {
                texts.clone()
            }
        };
        y.texts(2, "tagline", &todo(&profile.tagline, "tagline"), false);
        y.texts(2, "models", &todo(&profile.models, "models"), false);
        y.texts(2, "quota", &todo(&profile.quota, "quota"), false);
        y.scalar(
            2,
            "signup",
            profile
                .signup
                .as_deref()
                .unwrap_or("https://example.org/TODO"),
        );
        if let Some(env_var) = &profile.env_var {
            y.scalar(2, "env_var", env_var);
        }
    }
    y.out
}

/// YAML being written, line by line.
struct Yaml<'a> {
    out: String,
    languages: &'a Languages,
}

impl<'a> Yaml<'a> {
    fn new(languages: &'a Languages) -> Self {
        Yaml {
            out: String::new(),
            languages,
        }
    }

    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn scalar(&mut self, indent: usize, key: &str, value: &str) {
        self.line(indent, &format!("{key}: {}", plain_or_quoted(value)));
    }

    fn item_scalar(&mut self, indent: usize, value: &str) {
        self.line(indent, &format!("- {}", plain_or_quoted(value)));
    }

    fn optional_texts(&mut self, indent: usize, key: &str, texts: Option<&Texts>, block: bool) {
        if let Some(texts) = texts {
            if indent == 0 {
                self.blank();
            }
            self.texts(indent, key, texts, block);
        }
    }

    /// `key:` then one line per language; `block` writes Markdown bodies as `|` blocks.
    fn texts(&mut self, indent: usize, key: &str, texts: &Texts, block: bool) {
        self.texts_at(indent, key, texts, block);
    }

    /// Like `texts`, where `key` may start a list item (`- title`): the languages are
    /// indented under the key's name.
    fn texts_at(&mut self, indent: usize, key: &str, texts: &Texts, block: bool) {
        self.line(indent, &format!("{key}:"));
        let inner = indent + key.len() - key.trim_start_matches("- ").len() + 2;
        let mut sorted: Vec<&(String, String)> = texts.iter().collect();
        sorted.sort_by_key(|(lang, _)| self.languages.index_of(lang).unwrap_or(usize::MAX));
        for (lang, text) in sorted {
            // A one-line field keeps no final line break (`answer: "…"`).
            let text = if block {
                text.as_str()
            } else {
                text.trim_end_matches('\n')
            };
            if block || text.contains('\n') {
                self.literal(inner, lang, text);
            } else {
                self.scalar(inner, lang, text);
            }
        }
    }

    /// `key: |` and the text, indented; an indentation indicator when the text starts
    /// with a space, and `|+` or `|-` when its end needs one.
    fn literal(&mut self, indent: usize, key: &str, text: &str) {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let chomp = match () {
            _ if !text.ends_with('\n') => "-",
            _ if body.ends_with('\n') => "+",
            _ => "",
        };
        let indicator = if body.starts_with(' ') { "2" } else { "" };
        self.line(indent, &format!("{key}: |{indicator}{chomp}"));
        for line in body.split('\n') {
            if line.is_empty() {
                self.out.push('\n');
            } else {
                self.line(indent + 2, line);
            }
        }
    }

    fn items(&mut self, items: &[DraftItem], key: &str, title: &str) {
        if items.is_empty() {
            return;
        }
        self.blank();
        self.line(0, &format!("{key}:"));
        let body = match key {
            "faq" => "answer",
            _ => "body",
        };
        for item in items {
            self.scalar(2, "- id", &item.id);
            match item.kind {
                Some(ChoiceKind::Recommended) => self.line(4, "kind: recommended"),
                Some(ChoiceKind::Temporary) => self.line(4, "kind: temporary"),
                None => {}
            }
            self.texts(4, title, &item.title, false);
            let needs_body = matches!(key, "faq" | "options");
            match &item.body {
                Some(texts) => self.texts(4, body, texts, key != "faq"),
                None if needs_body => {
                    let todo: Texts = item
                        .title
                        .iter()
                        .map(|(l, _)| (l.clone(), "TODO: write it".to_string()))
                        .collect();
                    self.texts(4, body, &todo, false);
                }
                None => {}
            }
            if !item.links.is_empty() {
                self.line(4, "links:");
                for (label, url) in &item.links {
                    self.texts_at(6, "- label", label, false);
                    self.scalar(8, "url", url);
                }
            }
        }
    }
}

/// `text` as a plain scalar when YAML reads it back as that very string, else quoted.
fn plain_or_quoted(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        yaml_string(text)
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reserved_start = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let looks_typed = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) || text.parse::<f64>().is_ok()
        || text
            .chars()
            .all(|c| c.is_ascii_digit() || "-:._+ ".contains(c))
        || text.starts_with('.');
    !reserved_start
        && !looks_typed
        && text.trim() == text
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control() || c == '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_where_yaml_needs_it() {
        let cases = [
            ("Erreur OpenAI \"Insufficient Quota\"", false),
            ("insufficient_quota", false),
            ("Error code: 429 - insufficient_quota", true),
            ("- a list?", true),
            ("**bold** start", true),
            ("true", true),
            ("429", true),
            ("2026-01-17", true),
            ("`code` first", true),
            ("trailing colon:", true),
            ("a # comment", true),
            ("Ça marche", false),
        ];
        for (text, quoted) in cases {
            assert_eq!(plain_or_quoted(text) != text, quoted, "{text:?}");
        }
    }
}
