//! Markdown to safe HTML.
//!
//! Bodies are rendered with pulldown-cmark, bare URLs and email addresses become links
//! (authors paste them as they are, as the seed document does), and the HTML is then
//! sanitized with ammonia: raw HTML is cleaned and only http(s), mailto and relative
//! links survive.

use std::collections::HashSet;
use std::sync::LazyLock;

use linkify::{Link, LinkFinder, LinkKind};
use memchr::memmem::Finder;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder.link_rel(Some("noopener noreferrer"));
    builder
});

const REL: &str = " rel=\"noopener noreferrer\"";

/// Renders `markdown` to sanitized HTML.
///
/// Markdown without raw HTML, with safe link schemes and without table alignments is
/// safe as pulldown-cmark writes it (it escapes every text and attribute): it skips
/// ammonia, which would re-parse it only to give the same result, and gets the `rel` that
/// ammonia adds to links here. Anything else goes through ammonia.
pub(crate) fn render_markdown(markdown: &str) -> String {
    render_events(markdown)
}

fn render_events(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut safe = true;
    let events = linkify_bare_urls(Parser::new_ext(markdown, options)).map(|mut event| {
        safe &= needs_no_sanitizing(&event);
        // ammonia drops the `class` that a fence's language becomes.
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &mut event {
            *info = CowStr::from("");
        }
        event
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if !safe {
        return SANITIZER.clean(&out).to_string();
    }
    // `<br />`, `<hr />`, `<img … />`: HTML5 void elements need no slash.
    if VOID_END.find(out.as_bytes()).is_some() {
        out = out.replace(" />", ">");
    }
    with_link_rel(out)
}

/// Whether pulldown-cmark's HTML for `event` is already what ammonia would keep.
fn needs_no_sanitizing(event: &Event<'_>) -> bool {
    match event {
        Event::Html(_) | Event::InlineHtml(_) => false,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            has_safe_scheme(dest_url)
        }
        Event::Start(Tag::Table(alignments)) => alignments
            .iter()
            .all(|a| *a == pulldown_cmark::Alignment::None),
        _ => true,
    }
}

/// http(s), mailto, or no scheme at all (a relative URL or a fragment).
fn has_safe_scheme(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

// What the HTML is searched for, each searcher built once.
static VOID_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" />"));
static LINK_START: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("<a href=\""));
static TAG_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("\">"));

/// Adds `rel` to every link that pulldown-cmark wrote. Its tags are the only ones in
/// `html` (text is escaped), and their attributes hold no `">` or ` />`.
fn with_link_rel(html: String) -> String {
    let link = |html: &str| LINK_START.find(html.as_bytes());
    if link(&html).is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html.as_str();
    while let Some(start) = link(rest) {
        let Some(end) = TAG_END
            .find(&rest.as_bytes()[start..])
            .map(|e| start + e + 1)
        else {
            break;
        };
        out.push_str(&rest[..end]);
        out.push_str(REL);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Turns URLs and email addresses in plain text into links, except inside links and
/// code.
fn linkify_bare_urls(parser: Parser<'_>) -> Linkified<'_> {
    Linkified {
        parser,
        finder: LinkFinder::new(),
        inside_link: 0,
        pending: Vec::new().into_iter(),
    }
}

/// The events of [`linkify_bare_urls`], made as they are read.
struct Linkified<'a> {
    parser: Parser<'a>,
    finder: LinkFinder,
    inside_link: usize,
    /// The rest of a text cut around its links.
    pending: std::vec::IntoIter<Event<'a>>,
}

impl<'a> Iterator for Linkified<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.next() {
            return Some(event);
        }
        let event = self.parser.next()?;
        match event {
            Event::Start(Tag::Link { .. }) => self.inside_link += 1,
            Event::End(TagEnd::Link) => self.inside_link = self.inside_link.saturating_sub(1),
            Event::Text(text) if self.inside_link == 0 => {
                let mut links = self.finder.links(&text).peekable();
                if links.peek().is_some() {
                    self.pending = linkified(&text, links).into_iter();
                    return self.pending.next();
                }
                return Some(Event::Text(text));
            }
            _ => {}
        }
        Some(event)
    }
}

/// The events of a text that has `links`: the text around them, and each link.
fn linkified<'a, 't>(text: &'t str, links: impl Iterator<Item = Link<'t>>) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut last = 0;
    for link in links {
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
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
    events
}

/// Renders one line of Markdown without the paragraph around it (for labels).
pub(crate) fn render_inline_markdown(markdown: &str) -> String {
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
            // Whichever path it took, the result is what ammonia makes of it.
            assert_eq!(
                html5_equivalent(&html),
                html5_equivalent(&SANITIZER.clean(&html).to_string()),
                "{markdown:?}"
            );
            for p in present {
                assert!(html.contains(p), "{markdown:?} → {html}");
            }
            for a in absent {
                assert!(!html.contains(a), "{markdown:?} → {html}");
            }
        }
    }

    /// HTML with the escapes that differ between serializers undone.
    fn html5_equivalent(html: &str) -> String {
        html.replace("&quot;", "\"")
    }

    #[test]
    fn markdown_that_needs_no_sanitizing_renders_as_ammonia_would() {
        let cases = [
            "**bold** [a link](https://example.org/a?b=1&c=\"2\" \"a title\") and `code <x>`",
            "1. one\n2. two with https://example.org/x and support@example.org\n\n> quote",
            "```sh\nexport KEY=\"x\" && echo <done>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "![alt](../img.png) ~~gone~~ [rel](#step-x) [up](../other/)",
        ];
        for markdown in cases {
            let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
            let events: Vec<_> = linkify_bare_urls(Parser::new_ext(markdown, options)).collect();
            assert!(events.iter().all(needs_no_sanitizing), "{markdown:?}");
            let mut unsanitized = String::new();
            html::push_html(&mut unsanitized, events.into_iter());
            let sanitized = SANITIZER.clean(&unsanitized).to_string();
            assert_eq!(
                html5_equivalent(&render_markdown(markdown)),
                html5_equivalent(&sanitized),
                "{markdown:?}"
            );
        }
        for unsafe_markdown in [
            "<b>x</b>",
            "[x](javascript:alert(1))",
            "[x](data:text/html,x)",
        ] {
            let events: Vec<_> = linkify_bare_urls(Parser::new(unsafe_markdown)).collect();
            assert!(
                !events.iter().all(needs_no_sanitizing),
                "{unsafe_markdown:?}"
            );
        }
    }
}
