//! Where every page lives, and how pages link to each other.
//!
//! Pages link with relative URLs, so that a site works from any sub-path and from disk;
//! canonical and alternate links are absolute, from `base_url`. 404 pages are served at
//! any depth, so their links start from the site's absolute path instead.

use crate::model::{Entry, Languages};

/// What a page is; gives its path in any language.
#[derive(Clone, Copy)]
pub(crate) enum PageKind<'a> {
    /// The root page that picks a language.
    Chooser,
    Home,
    Provider(&'a str),
    Entry(&'a Entry),
    NotFound,
    /// The search page, which also shows lookups that found no confident match.
    Search,
    /// The lookup page: `?q=<error>` leads to the entry that explains it.
    Lookup,
    /// A redirect page at a fixed folder (a short link or an alias), in no language.
    Redirect(&'a str),
}

impl PageKind<'_> {
    /// The page's folder in `lang`, relative to the site root (`fr/openai/`).
    pub(crate) fn path(&self, lang: &str) -> String {
        match self {
            PageKind::Chooser => String::new(),
            PageKind::Home | PageKind::NotFound => [lang, "/"].concat(),
            PageKind::Provider(id) => SiteLinks::provider_path(lang, id),
            PageKind::Entry(entry) => SiteLinks::entry_path(lang, entry),
            PageKind::Search => [lang, "/search/"].concat(),
            PageKind::Lookup => [lang, "/lookup/"].concat(),
            PageKind::Redirect(path) => path.to_string(),
        }
    }

    /// The file the page is written to.
    pub(crate) fn file(&self, lang: &str) -> String {
        match self {
            PageKind::NotFound => [lang, "/404.html"].concat(),
            _ => self.path(lang) + "index.html",
        }
    }
}

/// Links from one page to the rest of the site.
pub(crate) struct SiteLinks {
    base_url: String,
    root: String,
    /// The folders of the page the links start from; empty for 404 pages.
    from: Vec<String>,
}

impl SiteLinks {
    /// Links from the page at `kind` in `lang`.
    pub(crate) fn new(base_url: &str, kind: &PageKind<'_>, lang: &str) -> Self {
        let (root, from) = match kind {
            PageKind::NotFound => (base_path(base_url), Vec::new()),
            _ => {
                let path = kind.path(lang);
                let from: Vec<String> = path.split_terminator('/').map(str::to_string).collect();
                ("../".repeat(from.len()), from)
            }
        };
        SiteLinks {
            base_url: base_url.to_string(),
            root,
            from,
        }
    }

    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The shortest relative link to `path` (a site path such as `fr/openai/`); from a
    /// 404 page, a link from the site's absolute path.
    pub(crate) fn to(&self, path: &str) -> String {
        if self.from.is_empty() && !self.root.is_empty() {
            return [&self.root, path].concat();
        }
        let shared = self
            .from
            .iter()
            .zip(path.split('/'))
            .take_while(|(a, b)| a.as_str() == *b)
            .count();
        // What follows the shared folders (`split('/').skip(shared)`, joined again).
        let rest = path.splitn(shared + 1, '/').nth(shared).unwrap_or("");
        let up = self.from.len() - shared;
        if up == 0 && rest.is_empty() {
            return "./".to_string();
        }
        let mut link = String::with_capacity(3 * up + rest.len());
        (0..up).for_each(|_| link.push_str("../"));
        link.push_str(rest);
        link
    }

    pub(crate) fn absolute(&self, path: &str) -> String {
        [&self.base_url, path].concat()
    }

    pub(crate) fn provider_path(lang: &str, provider: &str) -> String {
        [lang, "/", provider, "/"].concat()
    }

    pub(crate) fn entry_path(lang: &str, entry: &Entry) -> String {
        [lang, "/", &entry.provider, "/", &entry.slug, "/"].concat()
    }
}

/// The path part of `base_url` (`/help/` for `https://example.org/help/`).
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Every language's version of a page, as `(code, path)`.
pub(crate) fn versions<'a>(
    kind: &'a PageKind<'_>,
    languages: &'a Languages,
) -> impl Iterator<Item = (&'a str, String)> + 'a {
    languages
        .iter()
        .map(move |(_, code)| (code, kind.path(code)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        let links = SiteLinks::new(
            "https://example.org/help/",
            &PageKind::Provider("openai"),
            "fr",
        );
        assert_eq!(links.to("static/style.css"), "../../static/style.css");
        assert_eq!(links.to("fr/openai/"), "./");
        assert_eq!(links.to("fr/"), "../");
        assert_eq!(links.to("fr/openai/e/"), "e/");
        assert_eq!(links.to("fr/groq/e/"), "../groq/e/");
        assert_eq!(links.to("en/openai/"), "../../en/openai/");
        assert_eq!(
            links.absolute("fr/openai/"),
            "https://example.org/help/fr/openai/"
        );
        let root = SiteLinks::new("https://example.org/", &PageKind::Chooser, "fr");
        assert_eq!(root.to(""), "./");
        assert_eq!(root.to("fr/"), "fr/");
    }

    #[test]
    fn not_found_pages_link_from_the_site_path() {
        let links = SiteLinks::new("https://example.org/help/", &PageKind::NotFound, "en");
        assert_eq!(links.to("en/"), "/help/en/");
        assert_eq!(base_path("https://example.org"), "/");
    }
}
