//! An error entry and its parts, validated.
//!
//! Every id here is a slug, unique within its kind in the entry, and becomes an anchor
//! that is the same in every language (`#step-add-card`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Date, Support, Text};

/// One error of one provider: everything needed to explain and fix it.
#[derive(Debug, Clone, PartialEq)]
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
}

/// A titled Markdown block: a cause, or a fact verified in the application.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub body: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub title: Text,
    pub body: Option<Text>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub label: Text,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alternatives {
    pub intro: Option<Text>,
    pub items: Vec<Alternative>,
}

/// Another provider suggested while this error lasts; its profile lives on the provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub provider: String,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub id: String,
    pub text: Text,
}

/// One way forward: "Option A (recommended)", "Option B (temporary)".
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct Faq {
    pub id: String,
    pub question: Text,
    pub answer: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub title: Text,
    pub url: String,
}

/// How `lookup` recognises this error.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MatchRules {
    pub codes: Vec<String>,
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub reasons: Vec<String>,
    pub http_status: Vec<u16>,
    pub messages: Vec<String>,
}

/// A real error body that must resolve to this entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fixture {
    pub name: Option<String>,
    pub http_status: Option<u16>,
    pub body: String,
}
