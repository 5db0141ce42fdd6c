//! Search-engine metadata: `sitemap.xml` with language alternates, and `robots.txt`.
//! An entry's structured data (schema.org `HowTo` and `FAQPage`) is not made here: it is
//! the page's own markup, as microdata (`templates/entry.html`), so that the texts of its
//! steps and answers are written once.
//!
//! The sitemap lists every page once, with its versions in every language; it is built
//! in one pass over the pages, so it grows linearly with the site.

use super::site::{PageKind, SiteLinks};
use crate::model::KnowledgeBase;

/// `sitemap.xml`: every page, with `hreflang` alternates and `x-default`.
pub(crate) fn render_sitemap(kb: &KnowledgeBase) -> String {
    let links = SiteLinks::new(&kb.site.base_url, &PageKind::Chooser, "");
    let providers = kb
        .providers
        .iter()
        .filter(|p| !kb.entries_of(&p.id).is_empty());
    let pages: Vec<PageKind<'_>> = std::iter::once(PageKind::Home)
        .chain(providers.map(|p| PageKind::Provider(&p.id)))
        .chain(kb.entries.iter().map(|e| PageKind::Entry(e)))
        .collect();
    let languages = kb.site.languages.codes();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in &pages {
        let alternates: String = languages
            .iter()
            .map(|lang| alternate(lang, &links.absolute(&page.path(lang))))
            .chain([alternate(
                "x-default",
                &links.absolute(&x_default_path(page, &languages[0])),
            )])
            .collect();
        let lastmod = match page {
            PageKind::Entry(entry) => format!("<lastmod>{}</lastmod>", entry.updated),
            _ => String::new(),
        };
        for lang in languages {
            out.push_str(&format!(
                "<url><loc>{}</loc>{lastmod}\n{alternates}</url>\n",
                xml_escape(&links.absolute(&page.path(lang)))
            ));
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// The home page's default is the root page that picks a language; others, the default language.
fn x_default_path(page: &PageKind<'_>, default: &str) -> String {
    match page {
        PageKind::Home => String::new(),
        _ => page.path(default),
    }
}

fn alternate(lang: &str, href: &str) -> String {
    format!(
        "  <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
        xml_escape(href)
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `robots.txt`, pointing at the sitemap.
pub(crate) fn render_robots(kb: &KnowledgeBase) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        kb.site.base_url
    )
}
