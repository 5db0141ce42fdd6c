//! The serde mirror of the YAML files, before validation.
//!
//! These types accept what an author may write and nothing else (`deny_unknown_fields`):
//! optional fields are `Option`, values that later rules must point at are `Located`.
//! `validate` turns them into the model; nothing else reads them.
//!
//! They are also what the cache keeps (`cache/forms.rs`), in postcard's binary form: a
//! binary format is not human-readable, and that is how `Located` and `RawText` tell
//! the cache (plain values, positions as numbers) from YAML (spans, either form of a text).

use std::fmt;

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::model::ChoiceKind;

/// A text field as written: one string for every language, or one per language code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) enum RawText {
    All(String),
    PerLanguage(Vec<(String, Located<String>)>),
}

impl JsonSchema for RawText {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "One string for every language, or a map from language code to string",
            "oneOf": [
                { "type": "string" },
                { "type": "object", "additionalProperties": { "type": "string" }, "minProperties": 1 }
            ]
        })
    }
}

/// A value with the place in its file where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located<T> {
    pub value: T,
    pub location: Place,
}

/// Where a value starts in its file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Place {
    line: u32,
    column: u32,
}

impl Place {
    pub(crate) fn line(&self) -> usize {
        self.line as usize
    }

    pub(crate) fn column(&self) -> usize {
        self.column as usize
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (value, location) = <(T, Place)>::deserialize(deserializer)?;
            return Ok(Located { value, location });
        }
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        let location = Place {
            line: u32::try_from(spanned.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(spanned.referenced.column()).unwrap_or(u32::MAX),
        };
        Ok(Located {
            value: spanned.value,
            location,
        })
    }
}

/// Only the parse cache writes raw values, as a pair of the value and its place.
impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.value, &self.location).serialize(serializer)
    }
}

/// In the schema, a located value is just the value.
impl<T: JsonSchema> JsonSchema for Located<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A located text field.
pub(crate) type Text = Located<RawText>;
/// A located plain string (ids, codes, URLs, dates).
pub(crate) type Str = Located<String>;

/// The parse cache's form of a [`RawText`]: an enum, as serde derives it (a located
/// value is a pair of the value and its place).
#[derive(Deserialize)]
enum CachedText {
    All(CachedString),
    PerLanguage(Vec<(String, (CachedString, Place))>),
}

/// A text read back from the parse cache, where postcard writes a string as its bytes.
/// They are checked as UTF-8 by simdutf8: texts with accents kept the standard
/// library's check on its slow path, which took a ninth of a `check`.
struct CachedString(String);

impl<'de> Deserialize<'de> for CachedString {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl Visitor<'_> for BytesVisitor {
            type Value = CachedString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the bytes of a text")
            }
            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<CachedString, E> {
                let text = simdutf8::basic::from_utf8(bytes)
                    .map_err(|_| E::custom("a cached text is not UTF-8"))?;
                Ok(CachedString(text.to_owned()))
            }
        }
        deserializer.deserialize_bytes(BytesVisitor)
    }
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return Ok(match CachedText::deserialize(deserializer)? {
                CachedText::All(text) => RawText::All(text.0),
                CachedText::PerLanguage(texts) => RawText::PerLanguage(
                    texts
                        .into_iter()
                        .map(|(lang, (text, location))| {
                            let value = text.0;
                            (lang, Located { value, location })
                        })
                        .collect(),
                ),
            });
        }
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
                    values.push((lang, map.next_value::<Located<String>>()?));
                }
                Ok(RawText::PerLanguage(values))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `content/site.yaml`.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Site")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub title: Text,
    pub description: Option<Text>,
    pub base_url: Str,
    pub languages: Located<Vec<Str>>,
    pub output: Option<Str>,
}

/// `content/providers/<id>.yaml`.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Provider")]
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
#[derive(Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Support")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSupport {
    pub email: Option<Str>,
    pub url: Option<Str>,
    pub docs: Option<Str>,
    pub status: Option<Str>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "AlternativeProfile")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternativeProfile {
    pub tagline: Text,
    pub models: Text,
    pub quota: Text,
    pub signup: Str,
    pub env_var: Option<Str>,
}

/// `content/errors/<provider>/<slug>.yaml`: one error entry.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Entry")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub code: Str,
    pub provider: Str,
    pub http_status: Option<Located<u16>>,
    pub retryable: Option<bool>,
    /// Shown among the most common errors, first on the home page.
    pub common: Option<bool>,
    pub updated: Str,
    pub last_verified: Option<Str>,
    /// The language the entry's texts are written in first, when it is not the site's
    /// first: its translations are compared with the texts in this language.
    pub source_language: Option<Str>,
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
#[derive(Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Match")]
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
    pub http_status: Vec<Located<u16>>,
    #[serde(default)]
    pub messages: Vec<Str>,
}

/// A titled block of Markdown with an id: a cause, or a verified configuration fact.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Section")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Str,
    /// Former ids of this item, kept as anchors so that old links still land here.
    #[serde(default)]
    pub aliases: Vec<Str>,
    pub title: Text,
    pub body: Option<Text>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Step")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    pub id: Str,
    /// Former ids of this item, kept as anchors so that old links still land here.
    #[serde(default)]
    pub aliases: Vec<Str>,
    pub title: Text,
    pub body: Option<Text>,
    #[serde(default)]
    pub links: Vec<RawLink>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Link")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLink {
    pub label: Text,
    pub url: Str,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Alternatives")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternatives {
    pub intro: Option<Text>,
    pub providers: Vec<RawAlternative>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Alternative")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlternative {
    pub provider: Str,
    pub note: Option<Text>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Check")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    pub id: Str,
    /// Former ids of this item, kept as anchors so that old links still land here.
    #[serde(default)]
    pub aliases: Vec<Str>,
    pub text: Text,
}

/// One of "what to do now": recommended, temporary, or neither.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Choice")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub id: Str,
    /// Former ids of this item, kept as anchors so that old links still land here.
    #[serde(default)]
    pub aliases: Vec<Str>,
    pub title: Text,
    pub kind: Option<ChoiceKind>,
    pub body: Text,
}

/// A common mistake: what people say, and the answer.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Faq")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFaq {
    pub id: Str,
    /// Former ids of this item, kept as anchors so that old links still land here.
    #[serde(default)]
    pub aliases: Vec<Str>,
    pub question: Text,
    pub answer: Text,
}

#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Source")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: Text,
    pub url: Str,
}

/// A real error body that must look up to this entry.
#[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[schemars(rename = "Fixture")]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFixture {
    pub name: Option<Str>,
    pub http_status: Option<u16>,
    pub body: Str,
}
