//! An error entry and its parts, validated.
//!
//! Every id here is a slug, unique within its kind in the entry, and becomes an anchor
//! that is the same in every language (`#step-add-card`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Date, Support, Text};

/// One error of one provider: everything needed to explain and fix it.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Entry {
    pub provider: String,
    pub slug: String,
    /// The YAML file, relative to the knowledge-base root.
    pub source: PathBuf,
    /// The provider's code, verbatim (`insufficient_quota`).
    pub code: String,
    pub http_status: Option<u16>,
    pub retryable: Option<bool>,
    /// One of the most common errors: listed first.
    pub common: bool,
    pub updated: Date,
    pub last_verified: Option<Date>,
    /// Old slugs that must keep resolving.
    pub aliases: Vec<String>,
    /// The error as the application reports it.
    pub received: Option<String>,
    /// The provider's message, verbatim, never translated.
    pub message: Option<String>,
    pub match_rules: MatchRules,
    pub title: Text,
    pub summary: Text,
    pub meaning: Option<Text>,
    pub context: Vec<Section>,
    pub causes: Vec<Section>,
    pub steps: Vec<Step>,
    pub alternatives: Option<Alternatives>,
    pub checklist: Vec<Check>,
    pub options: Vec<Choice>,
    pub faq: Vec<Faq>,
    /// The provider's support, with the entry's overrides applied.
    pub support: Support,
    pub recap: Option<Text>,
    pub sources: Vec<Source>,
    pub fixtures: Vec<Fixture>,
}

/// The anchor of an item of an entry's page: `step-check-key` for the step `check-key`.
pub(crate) fn item_anchor(prefix: &str, id: &str) -> String {
    [prefix, "-", id].concat()
}

/// The anchors ([`item_anchor`]) of the items `ids`, in order.
pub(crate) fn item_anchors<'a>(
    prefix: &str,
    ids: impl IntoIterator<Item = &'a String>,
) -> Vec<String> {
    ids.into_iter().map(|id| item_anchor(prefix, id)).collect()
}

/// The ids of items, each followed by its former ids.
fn item_ids<'a>(items: impl Iterator<Item = (&'a String, &'a Vec<String>)>) -> Vec<&'a String> {
    items
        .flat_map(|(id, aliases)| std::iter::once(id).chain(aliases))
        .collect()
}

impl Entry {
    /// `provider/slug`: the entry's id, and its path under each language.
    pub fn id(&self) -> String {
        [&self.provider, "/", &self.slug].concat()
    }

    /// Every anchor the entry's page has, sections first, former ids included.
    pub(crate) fn anchors(&self) -> Vec<String> {
        let mut anchors = Vec::new();
        let sections = [
            (
                "received",
                self.received.is_some() || self.message.is_some(),
            ),
            ("meaning", self.meaning.is_some()),
            ("context", !self.context.is_empty()),
            ("causes", !self.causes.is_empty()),
            ("steps", !self.steps.is_empty()),
            ("alternatives", self.alternatives.is_some()),
            ("checklist", !self.checklist.is_empty()),
            ("options", !self.options.is_empty()),
            ("faq", !self.faq.is_empty()),
            ("support", self.support.is_some()),
            ("recap", self.recap.is_some()),
            ("sources", !self.sources.is_empty()),
        ];
        anchors.extend(
            sections
                .iter()
                .filter(|(_, shown)| *shown)
                .map(|(a, _)| a.to_string()),
        );
        let items = [
            (
                "context",
                item_ids(self.context.iter().map(|s| (&s.id, &s.aliases))),
            ),
            (
                "cause",
                item_ids(self.causes.iter().map(|s| (&s.id, &s.aliases))),
            ),
            (
                "step",
                item_ids(self.steps.iter().map(|s| (&s.id, &s.aliases))),
            ),
            (
                "alternative",
                self.alternatives
                    .iter()
                    .flat_map(|a| &a.items)
                    .map(|a| &a.provider)
                    .collect(),
            ),
            (
                "check",
                item_ids(self.checklist.iter().map(|c| (&c.id, &c.aliases))),
            ),
            (
                "option",
                item_ids(self.options.iter().map(|o| (&o.id, &o.aliases))),
            ),
            (
                "faq",
                item_ids(self.faq.iter().map(|f| (&f.id, &f.aliases))),
            ),
        ];
        for (prefix, ids) in items {
            anchors.extend(item_anchors(prefix, ids));
        }
        anchors
    }

    /// The code as a URL path segment, for short links (`/e/openai/insufficient_quota/`).
    pub(crate) fn code_path(&self) -> Option<String> {
        code_path(&self.code)
    }
}

/// A code as a URL path segment: ASCII letters, digits, `_`, `-` and `.` are kept as
/// they are (case included: `RESOURCE_EXHAUSTED`), accents are dropped, every run of anything else becomes
/// one `-`, and dashes at either end are dropped (`Insufficient Balance` →
/// `Insufficient-Balance`). `None` when nothing usable is left, or for `.` and `..`.
pub(crate) fn code_path(code: &str) -> Option<String> {
    let mut path = String::new();
    let folded = code.nfkd().filter(|c| !is_combining_mark(*c));
    for c in folded {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
            path.push(c);
        } else if !path.ends_with('-') {
            path.push('-');
        }
    }
    let path = path.trim_matches('-');
    let usable = !path.is_empty() && path.chars().any(|c| c.is_ascii_alphanumeric());
    usable.then(|| path.to_string())
}

/// A titled Markdown block: a cause, or a fact verified in the application.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Section {
    pub id: String,
    /// Former ids, still anchors.
    pub aliases: Vec<String>,
    pub title: Text,
    pub body: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Step {
    pub id: String,
    /// Former ids, still anchors.
    pub aliases: Vec<String>,
    pub title: Text,
    pub body: Option<Text>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Link {
    pub label: Text,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Alternatives {
    pub intro: Option<Text>,
    pub items: Vec<Alternative>,
}

/// Another provider suggested while this error lasts; its profile lives on the provider.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Alternative {
    pub provider: String,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Check {
    pub id: String,
    /// Former ids, still anchors.
    pub aliases: Vec<String>,
    pub text: Text,
}

/// One way forward: "Option A (recommended)", "Option B (temporary)".
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Choice {
    pub id: String,
    /// Former ids, still anchors.
    pub aliases: Vec<String>,
    pub title: Text,
    pub kind: Option<ChoiceKind>,
    pub body: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChoiceKind {
    Recommended,
    Temporary,
}

/// A common mistake.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Faq {
    pub id: String,
    /// Former ids, still anchors.
    pub aliases: Vec<String>,
    pub question: Text,
    pub answer: Text,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Source {
    pub title: Text,
    pub url: String,
}

/// How `lookup` recognises this error.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize)]
pub struct MatchRules {
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
    pub http_status: Vec<u16>,
    pub messages: Vec<String>,
}

/// A real error body that must resolve to this entry.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct Fixture {
    pub name: Option<String>,
    pub http_status: Option<u16>,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::code_path;

    #[test]
    fn codes_become_path_segments() {
        let cases = [
            ("insufficient_quota", Some("insufficient_quota")),
            ("RESOURCE_EXHAUSTED", Some("RESOURCE_EXHAUSTED")),
            ("429", Some("429")),
            ("gpt-4.1_unavailable", Some("gpt-4.1_unavailable")),
            ("Insufficient Balance", Some("Insufficient-Balance")),
            ("a/b?c#d", Some("a-b-c-d")),
            (" quota ", Some("quota")),
            ("..", None),
            ("/", None),
            ("épuisé", Some("epuise")),
        ];
        for (code, expected) in cases {
            assert_eq!(code_path(code).as_deref(), expected, "{code:?}");
        }
    }
}
