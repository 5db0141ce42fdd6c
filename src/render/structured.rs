//! Search-engine metadata: schema.org JSON-LD for entries, `sitemap.xml` with language
//! alternates, and `robots.txt`.
//!
//! The sitemap lists every page once, with its versions in every language; it is built
//! in one pass over the pages, so it grows linearly with the site.

use serde::Serialize;

use super::site::{PageKind, SiteLinks};
use super::views::EntryView;
use crate::model::KnowledgeBase;

/// JSON-LD for an entry page, from its view: a FAQPage for its common mistakes, a HowTo
/// for its steps.
pub(crate) fn entry_json_ld(entry: &EntryView, url: &str) -> Option<String> {
    let mut graph = Vec::new();
    if !entry.steps.is_empty() {
        let steps = entry
            .steps
            .iter()
            .map(|s| HowToStep {
                name: &s.title.text,
                text: s.body.as_ref().map_or(&s.title.text, |b| &b.plain),
                url: [url, "#", &s.anchor].concat(),
            })
            .collect();
        graph.push(Thing::HowTo {
            description: &entry.summary.text,
            name: &entry.title.text,
            step: steps,
        });
    }
    if !entry.faq.is_empty() {
        let questions = entry
            .faq
            .iter()
            .map(|f| Question {
                accepted_answer: Answer {
                    text: &f.answer.plain,
                },
                name: &f.question.text,
            })
            .collect();
        graph.push(Thing::FaqPage {
            main_entity: questions,
        });
    }
    if graph.is_empty() {
        return None;
    }
    let document = JsonLd {
        context: "https://schema.org",
        graph,
    };
    Some(script_safe_json(&document))
}

// The schema.org types of an entry's JSON-LD, each with its `@type` first, and other
// fields in alphabetical order (as a JSON object without an order of its own lists them).

#[derive(Serialize)]
struct JsonLd<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@graph")]
    graph: Vec<Thing<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "@type")]
enum Thing<'a> {
    HowTo {
        description: &'a str,
        name: &'a str,
        step: Vec<HowToStep<'a>>,
    },
    #[serde(rename = "FAQPage", rename_all = "camelCase")]
    FaqPage { main_entity: Vec<Question<'a>> },
}

#[derive(Serialize)]
#[serde(tag = "@type")]
struct HowToStep<'a> {
    name: &'a str,
    text: &'a str,
    url: String,
}

#[derive(Serialize)]
#[serde(tag = "@type", rename_all = "camelCase")]
struct Question<'a> {
    accepted_answer: Answer<'a>,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "@type")]
struct Answer<'a> {
    text: &'a str,
}

/// `value` as JSON that cannot close the `<script>` element it sits in: `<`, `>` and `&`
/// are written as `\u` escapes. Only strings can hold them, where an escape means the
/// same, so they are replaced in the JSON as written.
fn script_safe_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("JSON-LD serializes");
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    let mut rest = json.as_str();
    while let Some(at) = memchr::memchr3(b'<', b'>', b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_break_out_of_its_script_element() {
        let name = "</script><script>alert(1 && 2 > 1)</script>";
        let json = script_safe_json(&serde_json::json!({ "name": name }));
        assert!(!json.contains(['<', '>', '&']), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["name"], name);
    }
}
