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
///
/// Its distinct values sit one after another in one string, and each language points
/// at its own (a fallback at the default language's): an entry holds tens of texts, and
/// a string and a vector per language, with a vector of flags, cost more in headers
/// and allocations than many of the texts themselves.
#[derive(Debug, Clone, Default)]
pub struct Text {
    /// The distinct values, one after another.
    joined: Box<str>,
    /// By language: where its value is in `joined`.
    spans: Box<[Span]>,
}

/// Where one language's value is in a [`Text`]: its start, and its length with the top
/// bit set when the language shows the default language's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

const FALLBACK: u32 = 1 << 31;

impl Text {
    /// The same text in `languages` languages (verbatim messages, names).
    pub fn uniform(value: impl Into<String>, languages: usize) -> Self {
        let value = value.into();
        Text::from_translations(vec![Some(value); languages]).expect("a site has a language")
    }

    /// One optional value per language; gaps take the default language's value.
    /// Returns `None` when the default language itself is missing.
    pub(crate) fn from_translations(values: Vec<Option<String>>) -> Option<Self> {
        values.first()?.as_ref()?;
        let mut joined = String::new();
        let mut spans: Vec<Span> = Vec::with_capacity(values.len());
        for value in &values {
            let span = match value {
                None => Span {
                    len: spans[0].len | FALLBACK,
                    ..spans[0]
                },
                Some(value) => match spans.iter().find(|s| same(&joined, **s, value)) {
                    Some(found) => Span {
                        len: found.len & !FALLBACK,
                        ..*found
                    },
                    None => {
                        let span = Span {
                            start: offset(joined.len()),
                            len: offset(value.len()),
                        };
                        joined.push_str(value);
                        span
                    }
                },
            };
            spans.push(span);
        }
        Some(Text {
            joined: joined.into_boxed_str(),
            spans: spans.into_boxed_slice(),
        })
    }

    pub fn get(&self, lang: LangIndex) -> &str {
        let Span { start, len } = self.spans[lang];
        let start = start as usize;
        &self.joined[start..start + (len & !FALLBACK) as usize]
    }

    pub(crate) fn is_fallback(&self, lang: LangIndex) -> bool {
        self.spans[lang].len & FALLBACK != 0
    }
}

/// Whether the value at `span` in `joined` is `value`.
fn same(joined: &str, span: Span, value: &str) -> bool {
    let start = span.start as usize;
    joined.get(start..start + (span.len & !FALLBACK) as usize) == Some(value)
}

/// An offset in a text: texts come from files read whole, far below 2 GB.
fn offset(n: usize) -> u32 {
    u32::try_from(n)
        .ok()
        .filter(|n| n & FALLBACK == 0)
        .expect("a text is shorter than 2 GB")
}

/// Texts are equal when every language shows the same value, the same way.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.spans.len() == other.spans.len()
            && (0..self.spans.len())
                .all(|i| self.get(i) == other.get(i) && self.is_fallback(i) == other.is_fallback(i))
    }
}

impl Eq for Text {}

/// Hashed as its values and flags, whatever their layout (as `Eq` compares them).
impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let languages = 0..self.spans.len();
        state.write_usize(languages.len());
        languages.clone().for_each(|i| self.get(i).hash(state));
        state.write_usize(languages.len());
        languages.for_each(|i| self.is_fallback(i).hash(state));
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

    #[test]
    fn a_translation_that_says_the_same_as_the_default_is_not_a_fallback() {
        let values = vec![
            Some("Quota épuisé".into()),
            Some("Quota épuisé".into()),
            None,
        ];
        let text = Text::from_translations(values).unwrap();
        assert_eq!(
            (text.get(0), text.get(1), text.get(2)),
            ("Quota épuisé", "Quota épuisé", "Quota épuisé")
        );
        assert_eq!((text.is_fallback(1), text.is_fallback(2)), (false, true));
        let uniform = Text::uniform("Quota épuisé", 3);
        assert_ne!(
            uniform, text,
            "the third language shows a fallback in one only"
        );
        let spanish = Text::from_translations(vec![Some("a".into()), Some("b".into())]).unwrap();
        assert_eq!((spanish.get(0), spanish.get(1)), ("a", "b"));
    }
}
