//! Builds the view of one entry in one language.

use super::site::SiteLinks;
use super::views::{
    AlternativeView, AlternativesView, CheckView, ChoiceView, EntryView, FaqView, Format,
    LangContext, LinkView, ProviderRef, SectionView, StepView, SupportView, TocItem,
};
use crate::model::{Entry, KnowledgeBase, Section, item_anchor, item_anchors};

/// The view of `entry` in the language of `cx`, with links relative to `links`' page.
pub(crate) fn build_entry_view(
    kb: &KnowledgeBase,
    entry: &Entry,
    cx: &LangContext<'_>,
    links: &SiteLinks,
) -> EntryView {
    let provider = kb.provider(&entry.provider).expect("validated reference");
    let lang = cx.code();
    let view = EntryView {
        id: entry.id(),
        provider: ProviderRef {
            id: provider.id.clone(),
            name: provider.name.clone(),
            url: links.to(&SiteLinks::provider_path(lang, &provider.id)),
        },
        slug: entry.slug.clone(),
        code: entry.code.clone(),
        http_status: entry.http_status,
        retryable: entry.retryable,
        updated: cx.date(entry.updated),
        last_verified: entry.last_verified.map(|d| cx.date(d)),
        received: entry.received.clone(),
        message: entry.message.clone(),
        title: cx.plain(&entry.title),
        summary: cx.plain(&entry.summary),
        meaning: entry.meaning.as_ref().map(|m| cx.markdown(m)),
        context: sections(cx, &entry.context, "context"),
        causes: sections(cx, &entry.causes, "cause"),
        steps: entry
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let title = cx.plain(&s.title);
                let body = s.body.as_ref().map(|b| cx.markdown(b));
                StepView {
                    id: s.id.clone(),
                    anchor: item_anchor("step", &s.id),
                    former_anchors: item_anchors("step", &s.aliases),
                    number: i + 1,
                    untranslated: title.fallback || body.as_ref().is_some_and(|b| b.fallback),
                    title,
                    body,
                    links: s
                        .links
                        .iter()
                        .map(|l| LinkView {
                            label: cx.plain(&l.label),
                            url: l.url.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
        alternatives: entry
            .alternatives
            .as_ref()
            .map(|alternatives| AlternativesView {
                intro: alternatives.intro.as_ref().map(|i| cx.markdown(i)),
                items: alternatives
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, a)| {
                        let other = kb.provider(&a.provider)?;
                        let profile = other.alternative.as_ref()?;
                        Some(AlternativeView {
                            provider: other.id.clone(),
                            anchor: item_anchor("alternative", &other.id),
                            number: i + 1,
                            name: other.name.clone(),
                            url: links.to(&SiteLinks::provider_path(lang, &other.id)),
                            tagline: cx.plain(&profile.tagline),
                            models: cx.plain(&profile.models),
                            quota: cx.plain(&profile.quota),
                            signup: profile.signup.clone(),
                            env_var: profile.env_var.clone(),
                            note: a.note.as_ref().map(|n| cx.markdown(n)),
                        })
                    })
                    .collect(),
            }),
        checklist: entry
            .checklist
            .iter()
            .map(|c| CheckView {
                id: c.id.clone(),
                anchor: item_anchor("check", &c.id),
                former_anchors: item_anchors("check", &c.aliases),
                text: cx.text(&c.text, Format::Inline),
            })
            .collect(),
        options: entry
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let (title, body) = (cx.plain(&o.title), cx.markdown(&o.body));
                ChoiceView {
                    id: o.id.clone(),
                    anchor: item_anchor("option", &o.id),
                    former_anchors: item_anchors("option", &o.aliases),
                    letter: option_letter(i),
                    kind: o.kind,
                    untranslated: title.fallback || body.fallback,
                    title,
                    body,
                }
            })
            .collect(),
        faq: entry
            .faq
            .iter()
            .map(|f| {
                let question = cx.plain(&f.question);
                let answer = cx.markdown(&f.answer);
                FaqView {
                    id: f.id.clone(),
                    anchor: item_anchor("faq", &f.id),
                    former_anchors: item_anchors("faq", &f.aliases),
                    untranslated: question.fallback || answer.fallback,
                    quoted: is_quoted(&question.text),
                    question,
                    answer,
                }
            })
            .collect(),
        support: SupportView::from(&entry.support),
        recap: entry.recap.as_ref().map(|r| cx.markdown(r)),
        sources: entry
            .sources
            .iter()
            .map(|s| LinkView {
                label: cx.plain(&s.title),
                url: s.url.clone(),
            })
            .collect(),
        toc: Vec::new(),
    };
    EntryView {
        toc: table_of_contents(&view, cx),
        ..view
    }
}

fn sections(cx: &LangContext<'_>, sections: &[Section], kind: &str) -> Vec<SectionView> {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let title = cx.plain(&s.title);
            let body = s.body.as_ref().map(|b| cx.markdown(b));
            SectionView {
                id: s.id.clone(),
                anchor: item_anchor(kind, &s.id),
                former_anchors: item_anchors(kind, &s.aliases),
                number: i + 1,
                untranslated: title.fallback || body.as_ref().is_some_and(|b| b.fallback),
                title,
                body,
            }
        })
        .collect()
}

/// `A`, `B`, … `Z`, then `AA`, `AB`, …
pub(super) fn option_letter(index: usize) -> String {
    let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
    if index < 26 {
        letter(index).to_string()
    } else {
        format!("{}{}", letter(index / 26 - 1), letter(index))
    }
}

/// Whether `text` is written in quotes of its own (French guillemets, English or
/// German quotes, single quotes), so that a theme does not quote it a second time.
pub(super) fn is_quoted(text: &str) -> bool {
    text.trim_start()
        .starts_with(['«', '"', '“', '”', '„', '‘', '’', '\'', '‹', '»'])
}

/// The sections the page has, in order, with their anchors.
fn table_of_contents(view: &EntryView, cx: &LangContext<'_>) -> Vec<TocItem> {
    let present = [
        ("meaning", "section_meaning", view.meaning.is_some()),
        ("context", "section_context", !view.context.is_empty()),
        ("causes", "section_causes", !view.causes.is_empty()),
        ("steps", "section_steps", !view.steps.is_empty()),
        (
            "alternatives",
            "section_alternatives",
            view.alternatives.is_some(),
        ),
        ("checklist", "section_checklist", !view.checklist.is_empty()),
        ("options", "section_options", !view.options.is_empty()),
        ("faq", "section_faq", !view.faq.is_empty()),
        ("support", "section_support", view.support.any),
        ("recap", "section_recap", view.recap.is_some()),
        ("sources", "section_sources", !view.sources.is_empty()),
    ];
    present
        .into_iter()
        .filter(|(_, _, shown)| *shown)
        .map(|(anchor, key, _)| TocItem {
            anchor: anchor.to_string(),
            label: cx.ui(key).replace("{provider}", &view.provider.name),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{is_quoted, option_letter};

    #[test]
    fn questions_in_their_own_quotes_are_recognised() {
        let cases = [
            ("« Ça ne marche pas »", true),
            ("\"It doesn't work\"", true),
            ("“It doesn't work”", true),
            ("„Es geht nicht“", true),
            ("  'Still failing'", true),
            ("It doesn't work", false),
            ("J'ai un compte gratuit", false),
            ("The \"free\" tier", false),
        ];
        for (question, quoted) in cases {
            assert_eq!(is_quoted(question), quoted, "{question}");
        }
    }

    #[test]
    fn options_are_lettered_in_order() {
        let letters: Vec<String> = [0, 1, 25, 26, 27].into_iter().map(option_letter).collect();
        assert_eq!(letters, ["A", "B", "Z", "AA", "AB"]);
    }
}
