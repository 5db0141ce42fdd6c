//! The serde mirror of the YAML files, before validation.
//!
//! These types accept what an author may write and nothing else (`deny_unknown_fields`):
//! optional fields are `Option`, values that later rules must point at are `Spanned`.
//! `validate` turns them into the model; nothing else reads them.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::model::ChoiceKind;

/// A text field as written: one string for every language, or one per language code.
#[derive(Debug, Clone)]
pub(crate) enum RawText {
    All(String),
    PerLanguage(Vec<(String, Spanned<String>)>),
}

/// A located text field.
pub(crate) type Text = Spanned<RawText>;
/// A located plain string (ids, codes, URLs, dates).
pub(crate) type Str = Spanned<String>;

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or a map from language code to string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::All(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawText, E> {
                Ok(RawText::All(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawText, A::Error> {
                let mut values = Vec::new();
                while let Some(lang) = map.next_key::<String>()? {
                    values.push((lang, map.next_value::<Spanned<String>>()?));
                }
                Ok(RawText::PerLanguage(values))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `content/site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub title: Text,
    pub description: Option<Text>,
    pub base_url: Str,
    pub languages: Spanned<Vec<Str>>,
    pub output: Option<Str>,
}

/// `content/providers/<id>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvider {
    pub name: Str,
    pub homepage: Option<Str>,
    #[serde(default)]
    pub support: RawSupport,
    /// How the provider is presented when another entry suggests it as an alternative.
    pub alternative: Option<RawAlternativeProfile>,
    /// Words that name the provider in its errors, for lookup (hosts of links count already).
    #[serde(default)]
    pub hints: Vec<Str>,
}

/// Where to get help: set on the provider, overridable per entry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSupport {
    pub email: Option<Str>,
    pub url: Option<Str>,
    pub docs: Option<Str>,
    pub status: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternativeProfile {
    pub tagline: Text,
    pub models: Text,
    pub quota: Text,
    pub signup: Str,
    pub env_var: Option<Str>,
}

/// `content/errors/<provider>/<slug>.yaml`: one error entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub code: Str,
    pub provider: Str,
    pub http_status: Option<Spanned<u16>>,
    pub retryable: Option<bool>,
    pub updated: Str,
    pub last_verified: Option<Str>,
    #[serde(default)]
    pub aliases: Vec<Str>,
    /// The error as the application received it (`Error code: 429 - insufficient_quota`).
    pub received: Option<Str>,
    /// The provider's message, verbatim; never translated.
    pub message: Option<Str>,
    #[serde(rename = "match")]
    pub match_rules: Option<RawMatch>,
    pub title: Text,
    pub summary: Text,
    pub meaning: Option<Text>,
    #[serde(default)]
    pub context: Vec<RawSection>,
    #[serde(default)]
    pub causes: Vec<RawSection>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    pub alternatives: Option<RawAlternatives>,
    #[serde(default)]
    pub checklist: Vec<RawCheck>,
    #[serde(default)]
    pub options: Vec<RawChoice>,
    #[serde(default)]
    pub faq: Vec<RawFaq>,
    pub support: Option<RawSupport>,
    pub recap: Option<Text>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub fixtures: Vec<RawFixture>,
}

/// How `lookup` recognises the error: structured evidence first, message text last.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatch {
    #[serde(default)]
    pub codes: Vec<Str>,
    #[serde(default)]
    pub types: Vec<Str>,
    #[serde(default)]
    pub statuses: Vec<Str>,
    #[serde(default)]
    pub reasons: Vec<Str>,
    #[serde(default)]
    pub http_status: Vec<Spanned<u16>>,
    #[serde(default)]
    pub messages: Vec<Str>,
}

/// A titled block of Markdown with an id: a cause, or a verified configuration fact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Str,
    pub title: Text,
    pub body: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    pub id: Str,
    pub title: Text,
    pub body: Option<Text>,
    #[serde(default)]
    pub links: Vec<RawLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink {
    pub label: Text,
    pub url: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternatives {
    pub intro: Option<Text>,
    pub providers: Vec<RawAlternative>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternative {
    pub provider: Str,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    pub id: Str,
    pub text: Text,
}

/// One of "what to do now": recommended, temporary, or neither.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub id: Str,
    pub title: Text,
    pub kind: Option<ChoiceKind>,
    pub body: Text,
}

/// A common mistake: what people say, and the answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFaq {
    pub id: Str,
    pub question: Text,
    pub answer: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: Text,
    pub url: Str,
}

/// A real error body that must look up to this entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFixture {
    pub name: Option<Str>,
    pub http_status: Option<u16>,
    pub body: Str,
}
