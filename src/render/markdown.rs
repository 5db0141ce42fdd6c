//! Markdown to safe HTML.
//!
//! Bodies are rendered with pulldown-cmark, bare URLs and email addresses become links
//! (authors paste them as they are, as the seed document does), and the HTML is then
//! sanitized with ammonia: raw HTML is cleaned and only http(s), mailto and relative
//! links survive.

use std::collections::HashSet;
use std::sync::LazyLock;

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder.link_rel(Some("noopener noreferrer"));
    builder
});

/// Renders `markdown` to sanitized HTML.
pub fn render_markdown(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = linkify_bare_urls(Parser::new_ext(markdown, options));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    SANITIZER.clean(&out).to_string()
}

/// Turns URLs and email addresses in plain text into links, except inside links and code.
fn linkify_bare_urls<'a>(parser: Parser<'a>) -> Vec<Event<'a>> {
    let finder = LinkFinder::new();
    let mut events = Vec::new();
    let mut inside_link = 0usize;
    for event in parser {
        match event {
            Event::Start(Tag::Link { .. }) => {
                inside_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                inside_link = inside_link.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if inside_link == 0 => push_linkified(&finder, text, &mut events),
            other => events.push(other),
        }
    }
    events
}

fn push_linkified<'a>(finder: &LinkFinder, text: CowStr<'a>, events: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for link in finder.links(&text) {
        if link.start() > last {
            events.push(Event::Text(CowStr::from(
                text[last..link.start()].to_string(),
            )));
        }
        let target = match link.kind() {
            LinkKind::Email => format!("mailto:{}", link.as_str()),
            _ => link.as_str().to_string(),
        };
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(target),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        events.push(Event::Text(CowStr::from(link.as_str().to_string())));
        events.push(Event::End(TagEnd::Link));
        last = link.end();
    }
    if last == 0 {
        events.push(Event::Text(text));
    } else if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
}

/// Markdown reduced to plain text, for meta descriptions and search.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders one line of Markdown without the paragraph around it (for labels).
pub fn render_inline_markdown(markdown: &str) -> String {
    let html = render_markdown(markdown);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_safely() {
        let cases = [
            (
                "**bold** and `code`",
                &["<strong>bold</strong>", "<code>code</code>"][..],
                &[][..],
            ),
            (
                "Go to https://platform.openai.com/account/usage now",
                &[
                    "<a href=\"https://platform.openai.com/account/usage\" rel=\"noopener noreferrer\">",
                ][..],
                &[][..],
            ),
            (
                "Write to support@openai.com",
                &["href=\"mailto:support@openai.com\""][..],
                &[][..],
            ),
            (
                "`https://not.a.link/`",
                &["<code>https://not.a.link/</code>"][..],
                &["<a "][..],
            ),
            (
                "<script>alert(1)</script>hi",
                &["hi"][..],
                &["<script", "alert(1)</script>"][..],
            ),
            ("[x](javascript:alert(1))", &["x"][..], &["javascript:"][..]),
            ("<img src=x onerror=alert(1)>", &[][..], &["onerror"][..]),
            (
                "[rel](../other/#step-x)",
                &["href=\"../other/#step-x\""][..],
                &[][..],
            ),
        ];
        for (markdown, present, absent) in cases {
            let html = render_markdown(markdown);
            for p in present {
                assert!(html.contains(p), "{markdown:?} → {html}");
            }
            for a in absent {
                assert!(!html.contains(a), "{markdown:?} → {html}");
            }
        }
    }

    #[test]
    fn markdown_reduces_to_plain_text() {
        assert_eq!(
            markdown_to_text("L'erreur **\"You exceeded\"** signifie :\n\n1. `gpt-4o`\n2. fin"),
            "L'erreur \"You exceeded\" signifie : gpt-4o fin"
        );
    }
}
