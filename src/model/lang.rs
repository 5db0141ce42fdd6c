//! Languages and localized text.
//!
//! A knowledge base has an ordered list of languages; the first is the default. Every
//! text in the model holds one value per language, already resolved: a missing
//! translation holds the default language's text and remembers that it is a fallback,
//! so that pages can say so.

use serde::Serialize;

/// A language's position in the site's list; 0 is the default language.
pub(crate) type LangIndex = usize;

/// The site's languages, in order, the first being the default.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Languages(Vec<String>);

impl Languages {
    pub fn new(codes: Vec<String>) -> Self {
        assert!(!codes.is_empty(), "a site has at least one language");
        Languages(codes)
    }

    pub(crate) fn codes(&self) -> &[String] {
        &self.0
    }

    pub(crate) fn default_code(&self) -> &str {
        &self.0[0]
    }

    pub(crate) fn index_of(&self, code: &str) -> Option<LangIndex> {
        self.0.iter().position(|c| c == code)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Every language with its index.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (LangIndex, &str)> {
        self.0.iter().map(String::as_str).enumerate()
    }
}

/// A text in every language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text {
    values: Vec<String>,
    /// `fallback[i]` is true when language `i` shows the default language's text.
    fallback: Vec<bool>,
}

impl Text {
    /// The same text in `languages` languages (verbatim messages, names).
    pub fn uniform(value: impl Into<String>, languages: usize) -> Self {
        let value = value.into();
        Text {
            values: vec![value; languages],
            fallback: vec![false; languages],
        }
    }

    /// One optional value per language; gaps take the default language's value.
    /// Returns `None` when the default language itself is missing.
    pub(crate) fn from_translations(values: Vec<Option<String>>) -> Option<Self> {
        let default = values.first()?.clone()?;
        let fallback = values.iter().map(Option::is_none).collect();
        let values = values
            .into_iter()
            .map(|v| v.unwrap_or_else(|| default.clone()))
            .collect();
        Some(Text { values, fallback })
    }

    pub fn get(&self, lang: LangIndex) -> &str {
        &self.values[lang]
    }

    pub(crate) fn is_fallback(&self, lang: LangIndex) -> bool {
        self.fallback[lang]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_translations_fall_back_to_the_default_language_visibly() {
        let text = Text::from_translations(vec![Some("Bonjour".into()), None]).unwrap();
        assert_eq!(text.get(1), "Bonjour");
        assert!(text.is_fallback(1));
        assert!(!text.is_fallback(0));
        assert_eq!(
            Text::from_translations(vec![None, Some("Hello".into())]),
            None
        );
    }
}
