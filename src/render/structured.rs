//! Search-engine metadata: schema.org JSON-LD for entries, `sitemap.xml` with language
//! alternates, and `robots.txt`.
//!
//! The sitemap lists every page once, with its versions in every language; it is built
//! in one pass over the pages, so it grows linearly with the site.

use serde_json::{Value, json};

use super::site::{PageKind, SiteLinks};
use super::views::EntryView;
use crate::model::KnowledgeBase;

/// JSON-LD for an entry page, from its view: a FAQPage for its common mistakes, a HowTo
/// for its steps.
pub fn entry_json_ld(entry: &EntryView, url: &str) -> Option<String> {
    let mut graph: Vec<Value> = Vec::new();
    if !entry.steps.is_empty() {
        let steps: Vec<Value> = entry
            .steps
            .iter()
            .map(|s| {
                json!({
                    "@type": "HowToStep",
                    "name": s.title.text,
                    "text": s.body.as_ref().map_or(&s.title.text, |b| &b.plain),
                    "url": format!("{url}#{}", s.anchor),
                })
            })
            .collect();
        graph.push(json!({
            "@type": "HowTo",
            "name": entry.title.text,
            "description": entry.summary.text,
            "step": steps,
        }));
    }
    if !entry.faq.is_empty() {
        let questions: Vec<Value> = entry
            .faq
            .iter()
            .map(|f| {
                json!({
                    "@type": "Question",
                    "name": f.question.text,
                    "acceptedAnswer": { "@type": "Answer", "text": f.answer.plain },
                })
            })
            .collect();
        graph.push(json!({ "@type": "FAQPage", "mainEntity": questions }));
    }
    if graph.is_empty() {
        return None;
    }
    let document = json!({ "@context": "https://schema.org", "@graph": graph });
    Some(script_safe(&document.to_string()))
}

/// JSON that cannot close the `<script>` element it sits in.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `sitemap.xml`: every page, with `hreflang` alternates and `x-default`.
pub fn render_sitemap(kb: &KnowledgeBase) -> String {
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
pub fn render_robots(kb: &KnowledgeBase) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        kb.site.base_url
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_break_out_of_its_script_element() {
        let json = script_safe(r#"{"name":"</script><script>alert(1)</script>"}"#);
        assert!(!json.contains("</script>"));
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["name"], "</script><script>alert(1)</script>");
    }
}
