//! Typed views handed to the templates: one struct per thing a template shows.
//!
//! Views are built once per page and language from the model, with Markdown already
//! rendered, URLs already computed and dates already written out.

use serde::Serialize;

use super::markdown::{render_inline_markdown, render_markdown};
use super::theme::{Strings, format_date};
use crate::model::{ChoiceKind, Date, LangIndex, Languages, Support, Text};

/// A text in the page's language; `lang` is where it actually comes from.
#[derive(Debug, Serialize)]
pub(crate) struct TextView {
    /// The text as written (Markdown for Markdown fields).
    pub text: String,
    /// Sanitized HTML of a Markdown field; empty for plain text.
    pub html: String,
    /// True when this language shows the default language's text.
    pub fallback: bool,
    pub lang: String,
}

/// How a text field is shown.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Plain,
    Markdown,
    /// Markdown inside a line (a checklist label): no paragraph around it.
    Inline,
}

/// Everything a view needs to know about the language it is for.
#[derive(Clone, Copy)]
pub(crate) struct LangContext<'a> {
    pub index: LangIndex,
    pub languages: &'a Languages,
    /// The UI strings as the interface shows them (`typography.rs`)…
    pub strings: &'a Strings,
    /// …and as the Markdown export writes them.
    pub export_strings: &'a Strings,
}

impl LangContext<'_> {
    pub(crate) fn code(&self) -> &str {
        &self.languages.codes()[self.index]
    }

    pub(crate) fn text(&self, text: &Text, format: Format) -> TextView {
        let value = text.get(self.index);
        let fallback = text.is_fallback(self.index);
        let html = match format {
            Format::Plain => String::new(),
            Format::Markdown => render_markdown(value),
            Format::Inline => render_inline_markdown(value),
        };
        TextView {
            text: value.to_string(),
            html,
            fallback,
            lang: if fallback {
                self.languages.default_code()
            } else {
                self.code()
            }
            .to_string(),
        }
    }

    pub(crate) fn plain(&self, text: &Text) -> TextView {
        self.text(text, Format::Plain)
    }

    pub(crate) fn markdown(&self, text: &Text) -> TextView {
        self.text(text, Format::Markdown)
    }

    pub(crate) fn date(&self, date: Date) -> DateView {
        DateView {
            iso: date.to_string(),
            text: format_date(date, self.strings),
            export: format_date(date, self.export_strings),
        }
    }

    /// A UI string by key; a missing key shows as the key, so that it gets noticed.
    pub(crate) fn ui(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct DateView {
    pub iso: String,
    /// As the interface writes it (`4 décembre 2026`)…
    pub text: String,
    /// …and as the Markdown export does (`4 Décembre 2026`).
    pub export: String,
}

/// What every page has: its language, UI strings, site and page metadata.
#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a, T: Serialize> {
    pub lang: &'a str,
    pub site: SiteView,
    pub page: PageMeta,
    #[serde(flatten)]
    pub body: T,
}

#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    /// Prefix from this page to the site root (`../../../`), or an absolute path for 404 pages.
    pub root: String,
    /// This language's home page.
    pub home: String,
    pub search: SearchLinks,
    pub languages: Vec<LanguageLink>,
    /// The script that sends the reader to one language, with its version.
    pub picker: String,
}

/// Where the search box finds its index and its pages.
#[derive(Debug, Serialize)]
pub(crate) struct SearchLinks {
    /// This language's search manifest (`…/search-index.fr.json`), revalidated by the browser.
    pub index: String,
    /// This language's search page (`…/fr/search/`).
    pub page: String,
    /// This language's lookup page (`…/fr/lookup/`).
    pub lookup: String,
}

/// A link to the same page in one of the site's languages.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageLink {
    pub code: String,
    pub name: String,
    pub url: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageMeta {
    pub title: String,
    pub description: String,
    /// Absolute URL of this page.
    pub canonical: String,
    pub alternates: Vec<Alternate>,
    pub x_default: Option<String>,
    /// `article` for entries, `website` for the rest (Open Graph).
    pub og_type: &'static str,
    /// The language as an Open Graph locale (`fr`, `pt_BR`).
    pub locale: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    pub lang: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProviderRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct SupportView {
    pub any: bool,
    pub email: Option<String>,
    pub url: Option<String>,
    pub docs: Option<String>,
    pub status: Option<String>,
}

impl From<&Support> for SupportView {
    fn from(s: &Support) -> Self {
        SupportView {
            any: s.is_some(),
            email: s.email.clone(),
            url: s.url.clone(),
            docs: s.docs.clone(),
            status: s.status.clone(),
        }
    }
}

/// An entry, as its page and its Markdown export show it.
#[derive(Debug, Serialize)]
pub(crate) struct EntryView {
    pub id: String,
    pub provider: ProviderRef,
    pub slug: String,
    pub code: String,
    pub http_status: Option<u16>,
    pub retryable: Option<bool>,
    pub updated: DateView,
    pub last_verified: Option<DateView>,
    pub received: Option<String>,
    pub message: Option<String>,
    pub title: TextView,
    pub summary: TextView,
    pub meaning: Option<TextView>,
    pub context: Vec<SectionView>,
    pub causes: Vec<SectionView>,
    pub steps: Vec<StepView>,
    pub alternatives: Option<AlternativesView>,
    pub checklist: Vec<CheckView>,
    pub options: Vec<ChoiceView>,
    pub faq: Vec<FaqView>,
    pub support: SupportView,
    pub recap: Option<TextView>,
    pub sources: Vec<LinkView>,
    pub toc: Vec<TocItem>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TocItem {
    pub anchor: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct SectionView {
    pub id: String,
    pub anchor: String,
    /// Anchors of former ids, so that old links still land on this item.
    pub former_anchors: Vec<String>,
    pub number: usize,
    pub title: TextView,
    pub body: Option<TextView>,
    pub untranslated: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepView {
    pub id: String,
    pub anchor: String,
    /// Anchors of former ids, so that old links still land on this item.
    pub former_anchors: Vec<String>,
    pub number: usize,
    pub title: TextView,
    pub body: Option<TextView>,
    pub links: Vec<LinkView>,
    pub untranslated: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct LinkView {
    pub label: TextView,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct AlternativesView {
    pub intro: Option<TextView>,
    pub items: Vec<AlternativeView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AlternativeView {
    pub provider: String,
    pub anchor: String,
    pub number: usize,
    pub name: String,
    pub url: String,
    pub tagline: TextView,
    pub models: TextView,
    pub quota: TextView,
    pub signup: String,
    pub env_var: Option<String>,
    pub note: Option<TextView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CheckView {
    pub id: String,
    pub anchor: String,
    /// Anchors of former ids, so that old links still land on this item.
    pub former_anchors: Vec<String>,
    pub text: TextView,
}

#[derive(Debug, Serialize)]
pub(crate) struct ChoiceView {
    pub id: String,
    pub anchor: String,
    /// Anchors of former ids, so that old links still land on this item.
    pub former_anchors: Vec<String>,
    /// `A`, `B`, … in order.
    pub letter: String,
    pub kind: Option<ChoiceKind>,
    pub title: TextView,
    pub body: TextView,
    pub untranslated: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct FaqView {
    pub id: String,
    pub anchor: String,
    /// Anchors of former ids, so that old links still land on this item.
    pub former_anchors: Vec<String>,
    pub question: TextView,
    /// The question is written with its own quotes (`« … »`, `"…"`): the theme adds none.
    pub quoted: bool,
    pub answer: TextView,
    pub untranslated: bool,
}

/// An entry as listed on the home and provider pages.
#[derive(Debug, Serialize)]
pub(crate) struct EntrySummary {
    pub slug: String,
    pub provider: String,
    pub url: String,
    pub title: String,
    /// The title without what its listing already says: the quoted name of the error
    /// (`Insufficient Quota` for `Erreur OpenAI "Insufficient Quota"`), or the title.
    pub label: String,
    pub summary: String,
    pub code: String,
    pub http_status: Option<u16>,
}

/// The quoted part of `title` (`"…"`, `«…»` or `“…”`), or the whole title.
pub(crate) fn quoted_or_whole(title: &str) -> &str {
    [('"', '"'), ('«', '»'), ('“', '”')]
        .iter()
        .find_map(|&(open, close)| {
            let (_, rest) = title.split_once(open)?;
            let (inner, _) = rest.split_once(close)?;
            Some(inner.trim()).filter(|inner| !inner.is_empty())
        })
        .unwrap_or(title)
}

#[derive(Debug, Serialize)]
pub(crate) struct ProviderListing {
    pub id: String,
    pub name: String,
    pub url: String,
    pub support: SupportView,
    pub entries: Vec<EntrySummary>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HomeBody {
    pub home: HomeView,
}

#[derive(Debug, Serialize)]
pub(crate) struct HomeView {
    pub description: Option<String>,
    /// The most common errors, across providers.
    pub common: Vec<EntrySummary>,
    pub providers: Vec<ProviderListing>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProviderBody<'a> {
    pub provider: &'a ProviderListing,
}

#[derive(Debug, Serialize)]
pub(crate) struct EntryBody<'a> {
    pub entry: &'a EntryView,
}

#[derive(Debug, Serialize)]
pub(crate) struct NoBody {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_names_an_entry_by_the_quoted_part_of_its_title() {
        let cases = [
            ("Erreur OpenAI \"Insufficient Quota\"", "Insufficient Quota"),
            ("Erreur OpenAI « Quota dépassé »", "Quota dépassé"),
            ("OpenAI error “Slow Down”", "Slow Down"),
            ("Quota exceeded", "Quota exceeded"),
            ("Odd \"\" title", "Odd \"\" title"),
        ];
        for (title, label) in cases {
            assert_eq!(quoted_or_whole(title), label, "{title}");
        }
    }
}
