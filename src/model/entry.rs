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
#[derive(Debug, Clone)]
pub struct Entry {
    pub provider: String,
    pub slug: String,
    /// The YAML file, relative to the knowledge-base root.
    pub source: PathBuf,
    /// The provider's code, verbatim (`insufficient_quota`).
    pub code: String,
    pub http_status: Option<u16>,
    pub retryable: Option<bool>,
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

impl Entry {
    /// `provider/slug`: the entry's id, and its path under each language.
    pub fn id(&self) -> String {
        format!("{}/{}", self.provider, self.slug)
    }

    /// The code as a URL path segment, for short links (`/e/openai/insufficient_quota/`).
    pub fn code_path(&self) -> Option<String> {
        code_path(&self.code)
    }
}

/// A code as a URL path segment: ASCII letters, digits, `_`, `-` and `.` are kept as
/// they are (case included: `RESOURCE_EXHAUSTED`), accents are dropped, every run of anything else becomes
/// one `-`, and dashes at either end are dropped (`Insufficient Balance` →
/// `Insufficient-Balance`). `None` when nothing usable is left, or for `.` and `..`.
pub fn code_path(code: &str) -> Option<String> {
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
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub body: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub title: Text,
    pub body: Option<Text>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub label: Text,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Alternatives {
    pub intro: Option<Text>,
    pub items: Vec<Alternative>,
}

/// Another provider suggested while this error lasts; its profile lives on the provider.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub provider: String,
    pub note: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub text: Text,
}

/// One way forward: "Option A (recommended)", "Option B (temporary)".
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub title: Text,
    pub kind: Option<ChoiceKind>,
    pub body: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChoiceKind {
    Recommended,
    Temporary,
}

/// A common mistake.
#[derive(Debug, Clone)]
pub struct Faq {
    pub id: String,
    pub question: Text,
    pub answer: Text,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub title: Text,
    pub url: String,
}

/// How `lookup` recognises this error.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchRules {
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
    pub http_status: Vec<u16>,
    pub messages: Vec<String>,
}

/// A real error body that must resolve to this entry.
#[derive(Debug, Clone, Serialize)]
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
