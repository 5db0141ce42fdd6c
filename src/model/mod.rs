//! The validated knowledge base: what `validate` produces and `render` consumes.
//!
//! Unlike the raw types in `load`, nothing required is optional here, every reference
//! has been checked, and every text exists in every language.

mod date;
mod entry;
mod lang;

use std::path::PathBuf;
use std::sync::Arc;

pub use date::Date;
pub use entry::*;
pub(crate) use lang::LangIndex;
pub use lang::{Languages, Text};

/// Whether `c` is a control character that a text may not hold: every one but tab and
/// newline. They are invisible on a page, and in a terminal (`errbook explain`) they
/// can retitle the window, clear the screen or fake other output.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A whole knowledge base, ready to render.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct KnowledgeBase {
    pub site: Site,
    /// Sorted by id.
    pub providers: Vec<Provider>,
    /// Sorted by provider, then slug. Shared, so that `serve` can keep the entries that
    /// did not change from one rebuild to the next.
    pub entries: Vec<Arc<Entry>>,
}

impl KnowledgeBase {
    pub(crate) fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.providers[i])
    }

    /// The entries of `provider`, without walking the others.
    pub(crate) fn entries_of(&self, provider: &str) -> &[Arc<Entry>] {
        let start = self
            .entries
            .partition_point(|e| e.provider.as_str() < provider);
        let end = self
            .entries
            .partition_point(|e| e.provider.as_str() <= provider);
        &self.entries[start..end]
    }

    pub(crate) fn entry(&self, provider: &str, slug: &str) -> Option<&Arc<Entry>> {
        self.entries
            .binary_search_by(|e| (e.provider.as_str(), e.slug.as_str()).cmp(&(provider, slug)))
            .ok()
            .map(|i| &self.entries[i])
    }
}

/// `content/site.yaml`.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Site {
    pub title: Text,
    pub description: Option<Text>,
    /// Absolute, ending with `/`; may include a sub-path (`https://example.org/help/`).
    pub base_url: String,
    pub languages: Languages,
    /// The output folder, relative to the knowledge-base root.
    pub output: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub homepage: Option<String>,
    pub support: Support,
    pub alternative: Option<AlternativeProfile>,
    /// Words or phrases that name this provider in an error (`generativelanguage`),
    /// besides the hosts of its links; lookup uses them to tell providers apart.
    pub hints: Vec<String>,
}

/// Where to get help about a provider's errors.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Support {
    pub email: Option<String>,
    pub url: Option<String>,
    pub docs: Option<String>,
    pub status: Option<String>,
}

impl Support {
    /// Whether there is anything to show.
    pub(crate) fn is_some(&self) -> bool {
        self.email.is_some() || self.url.is_some() || self.docs.is_some() || self.status.is_some()
    }
}

/// How a provider is presented when suggested as an alternative.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct AlternativeProfile {
    pub tagline: Text,
    pub models: Text,
    pub quota: Text,
    pub signup: String,
    pub env_var: Option<String>,
}
