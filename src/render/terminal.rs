//! An entry as text for the terminal (`errbook explain`).
//!
//! Headings, numbered items and lists are laid out with indentation; Markdown bodies
//! keep their lists, bold and code. With `color`, ANSI styles are used and the URL at
//! the end is an OSC 8 hyperlink.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::entry::{is_quoted, option_letter};
use super::theme::{Strings, format_date};
use crate::model::{
    Choice, ChoiceKind, Entry, KnowledgeBase, LangIndex, Text, is_forbidden_control,
};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// How to write for the terminal.
pub(crate) struct TerminalStyle {
    pub color: bool,
}

impl TerminalStyle {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Renders `entry` in language `lang`, ending with its page's URL.
pub(crate) fn render_terminal(
    kb: &KnowledgeBase,
    entry: &Entry,
    lang: LangIndex,
    strings: &Strings,
    style: &TerminalStyle,
) -> String {
    let t = |key: &str| strings.get(key).cloned().unwrap_or_else(|| key.to_string());
    // Content never reaches the terminal raw: only this module's own escapes do.
    let text = |value: &Text| printable(value.get(lang)).into_owned();
    let provider = kb
        .provider(&entry.provider)
        .map_or(entry.provider.clone(), |p| printable(&p.name).into_owned());
    let mut out = String::new();
    let status = entry
        .http_status
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    out.push_str(&style.paint(
        DIM,
        &format!("{provider}{status} · {}", printable(&entry.code)),
    ));
    out.push('\n');
    out.push_str(&style.paint(BOLD, &text(&entry.title)));
    out.push_str("\n\n");
    out.push_str(&wrap_paragraph(&text(&entry.summary)));
    match entry.retryable {
        Some(true) => out.push_str(&format!("\n{}\n", t("retryable"))),
        Some(false) => out.push_str(&format!("\n{}\n", t("not_retryable"))),
        None => {}
    }
    if let Some(message) = &entry.message {
        heading(&mut out, &t("provider_message"), style);
        out.push_str(&format!("  {}\n", style.paint(CYAN, &printable(message))));
    }
    if let Some(meaning) = &entry.meaning {
        heading(&mut out, &t("section_meaning"), style);
        out.push_str(&markdown(&text(meaning), 2, style));
    }
    // Items are numbered, and options lettered, as on the page.
    let listed = |out: &mut String,
                  key: &str,
                  marker: fn(usize) -> String,
                  items: Vec<(String, Option<String>)>| {
        if items.is_empty() {
            return;
        }
        heading(out, &t(key), style);
        for (i, (title, body)) in items.into_iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", marker(i), style.paint(BOLD, &title)));
            if let Some(body) = body {
                out.push_str(&markdown(&body, 5, style));
            }
        }
    };
    listed(
        &mut out,
        "section_causes",
        number,
        entry
            .causes
            .iter()
            .map(|c| (text(&c.title), c.body.as_ref().map(text)))
            .collect(),
    );
    listed(
        &mut out,
        "section_steps",
        number,
        entry
            .steps
            .iter()
            .map(|s| (text(&s.title), s.body.as_ref().map(text)))
            .collect(),
    );
    if !entry.checklist.is_empty() {
        heading(&mut out, &t("section_checklist"), style);
        for check in &entry.checklist {
            out.push_str(&format!(
                "  [ ] {}",
                markdown(&text(&check.text), 0, style).trim_start()
            ));
        }
    }
    let choice = |o: &Choice| {
        let kind = match o.kind {
            Some(ChoiceKind::Recommended) => format!(" ({})", t("recommended")),
            Some(ChoiceKind::Temporary) => format!(" ({})", t("temporary")),
            None => String::new(),
        };
        (format!("{}{kind}", text(&o.title)), Some(text(&o.body)))
    };
    listed(
        &mut out,
        "section_options",
        option_letter,
        entry.options.iter().map(choice).collect(),
    );
    listed(
        &mut out,
        "section_faq",
        number,
        entry
            .faq
            .iter()
            .map(|f| (quote(&text(&f.question)), Some(text(&f.answer))))
            .collect(),
    );
    if let Some(recap) = &entry.recap {
        heading(&mut out, &t("section_recap"), style);
        out.push_str(&markdown(&text(recap), 2, style));
    }
    let date = format_date(entry.updated, strings);
    out.push_str(&format!(
        "\n{}\n",
        style.paint(DIM, &format!("{}{}{date}", t("updated"), t("colon")))
    ));
    let url = format!(
        "{}{}/{}/{}/",
        kb.site.base_url,
        kb.site.languages.codes()[lang],
        entry.provider,
        entry.slug
    );
    out.push_str(&hyperlink(&printable(&url), style));
    out.push('\n');
    out
}

/// `text` with its control characters (but newlines and tabs) shown as the pictures
/// of Unicode's Control Pictures block, so that `\e]0;…\a` reads as `␛]0;…␇`.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_forbidden_control) {
        return Cow::Borrowed(text);
    }
    let picture = |c: char| match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    };
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    picture(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// `1`, `2`, …: how causes, steps and common mistakes are listed.
/// A common mistake's question in quotes, unless it is written with its own.
fn quote(question: &str) -> String {
    if is_quoted(question) {
        question.to_string()
    } else {
        format!("« {question} »")
    }
}

fn number(index: usize) -> String {
    (index + 1).to_string()
}

fn heading(out: &mut String, title: &str, style: &TerminalStyle) {
    out.push('\n');
    out.push_str(&style.paint(BOLD, &title.to_uppercase()));
    out.push('\n');
}

fn wrap_paragraph(text: &str) -> String {
    format!("{text}\n")
}

/// An OSC 8 hyperlink where colours are on (terminals that lack it show the text).
fn hyperlink(url: &str, style: &TerminalStyle) -> String {
    if style.color {
        format!("\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\")
    } else {
        url.to_string()
    }
}

/// Markdown laid out for the terminal, every line indented by `indent`.
fn markdown(source: &str, indent: usize, style: &TerminalStyle) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<String> = None;
    let flush = |out: &mut String, line: &mut String, depth: usize| {
        if !line.trim().is_empty() {
            out.push_str(&" ".repeat(indent + depth * 2));
            out.push_str(line.trim_end());
            out.push('\n');
        }
        line.clear();
    };
    for event in Parser::new(source) {
        match event {
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut line, lists.len().saturating_sub(1));
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                line.push_str(&marker);
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut out, &mut line, lists.len().saturating_sub(1));
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut line, lists.len().saturating_sub(1));
                lists.pop();
            }
            // A code block starts on a line of its own, even in a tight list item.
            Event::Start(Tag::CodeBlock(_))
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock) => {
                flush(&mut out, &mut line, lists.len().saturating_sub(1));
            }
            Event::Start(Tag::Strong) if style.color => line.push_str(BOLD),
            Event::End(TagEnd::Strong) if style.color => line.push_str(RESET),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some(printable(&dest_url).into_owned());
            }
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take().filter(|u| !line.ends_with(u.as_str())) {
                    line.push_str(&format!(" ({url})"));
                }
            }
            Event::Code(code) => line.push_str(&style.paint(CYAN, &printable(&code))),
            Event::Text(text) if text.contains('\n') => {
                for part in printable(&text).lines() {
                    line.push_str(&style.paint(CYAN, part));
                    flush(&mut out, &mut line, lists.len() + 1);
                }
            }
            Event::Text(text) => line.push_str(&printable(&text)),
            Event::SoftBreak | Event::HardBreak => {
                flush(&mut out, &mut line, lists.len().saturating_sub(1))
            }
            _ => {}
        }
    }
    flush(&mut out, &mut line, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_lists_numbers_and_links_readable() {
        let plain = TerminalStyle { color: false };
        let text = markdown(
            "1. **Go to:** https://x.example/a\n2. Check:\n   - balance\n\n[docs](https://d.example)",
            2,
            &plain,
        );
        assert_eq!(
            text,
            "  1. Go to: https://x.example/a\n  2. Check:\n    - balance\n  docs (https://d.example)\n"
        );
    }

    #[test]
    fn control_characters_in_content_are_shown_not_obeyed() {
        let plain = TerminalStyle { color: true };
        let cases = [
            ("\u{1b}]0;PWNED\u{7}\u{1b}[2J", "␛]0;PWNED␇␛[2J"),
            ("`\u{1b}[31m` &#27;[2J", "␛[31m ␛[2J"),
            (
                "[x](https://a.example/\u{9b}31m)",
                "x (https://a.example/\u{fffd}31m)",
            ),
            ("a\u{7f}b\u{85}c", "a␡b\u{fffd}c"),
        ];
        for (source, shown) in cases {
            let text = markdown(source, 0, &plain);
            let without_style = text.replace(CYAN, "").replace(RESET, "");
            assert_eq!(without_style.trim_end(), shown, "{source:?}");
        }
    }

    #[test]
    fn a_code_block_in_a_list_item_starts_on_its_own_line() {
        let plain = TerminalStyle { color: false };
        let text = markdown(
            "1. Add it to `.env`:\n   ```\n   KEY=value\n   ```\n2. Use it",
            2,
            &plain,
        );
        assert_eq!(text, "  1. Add it to .env:\n      KEY=value\n  2. Use it\n");
    }
}
